// The machine outputs proven by their real consumers, on clusters with real problems: JSON
// against the published schema, JUnit read by an XML parser the way GitLab, Jenkins and
// GitHub reporters read it, the Prometheus text by promtool, and the example alert rules of
// docs/alerts.yaml by `promtool test rules` fed with what k8sdoc actually wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { entryFor } from '../../src/catalogue/index.js';
import type { Report } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const promtool = spawnSync('promtool', ['--version']).status === 0;
const NO_PROMTOOL = ' (skipped: promtool is not installed; it comes with the Debian package prometheus, which .ci/run installs)';
const ALERTS = resolve('docs/alerts.yaml');

interface TestCase {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  error?: { '@_message': string };
  skipped?: { '@_message': string };
}
interface TestSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  '@_time': string;
  testcase: TestCase[];
}

interface Sample {
  /** `name{labels}` exactly as exposed, which is also a PromQL series selector. */
  series: string;
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (k8sdoc writes no timestamps and no comments but HELP/TYPE). */
function samples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const cut = line.lastIndexOf(' ');
      const series = line.slice(0, cut);
      const brace = series.indexOf('{');
      const name = brace === -1 ? series : series.slice(0, brace);
      const labels: Record<string, string> = {};
      for (const m of series.slice(brace + 1).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:\\.|[^"\\])*)"/g)) {
        labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
      return { series, name, labels, value: Number(line.slice(cut + 1)) };
    });
}

function lint(text: string): string {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return `${run.status}${run.stdout}${run.stderr}`.trim();
}

/**
 * Runs docs/alerts.yaml under `promtool test rules`. Each phase is one exposition k8sdoc wrote,
 * held for `minutes`; timestamp families are shifted so the run started at the test's time 0.
 * Annotations are dropped from the copy under test (`promtool check rules` validates them;
 * here the expressions and `for:` clauses are what is proven).
 */
function testRules(phases: { report: Report; text: string; minutes: number }[], alertTests: unknown[]): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-rules-'));
  const rules = parseYaml(readFileSync(ALERTS, 'utf8')) as { groups: { rules: { annotations?: unknown }[] }[] };
  for (const g of rules.groups) for (const r of g.rules) delete r.annotations;
  writeFileSync(join(dir, 'rules.yaml'), toYaml(rules));
  const values = new Map<string, string[]>();
  const totalSteps = phases.reduce((n, p) => n + p.minutes, 0);
  let step = 0;
  for (const phase of phases) {
    const start = Date.parse(phase.report.startedAt) / 1000;
    for (const s of samples(phase.text)) {
      const v = s.name.endsWith('_timestamp_seconds') ? s.value - start : s.value;
      const list = values.get(s.series) ?? Array<string>(step).fill('_');
      for (let i = 0; i < phase.minutes; i++) list[step + i] = String(v);
      values.set(s.series, list);
    }
    step += phase.minutes;
  }
  const inputSeries = [...values].map(([series, list]) => ({
    series,
    values: Array.from({ length: totalSteps }, (_, i) => list[i] ?? '_').join(' '),
  }));
  writeFileSync(
    join(dir, 'test.yaml'),
    toYaml({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: [{ interval: '1m', input_series: inputSeries, alert_rule_test: alertTests }] }),
  );
  const run = spawnSync('promtool', ['test', 'rules', join(dir, 'test.yaml')], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('machine outputs against a cluster whose certificates expire in 5 days', () => {
  let cluster: SimCluster;
  let report: Report;
  const check = (args: string[]): Promise<CliRun> => runCli(['check', ...cluster.checkArgs, '--timeout', '2s', ...args], { killAfterMs: 50_000 });

  beforeAll(async () => {
    cluster = await startCluster('expiring-soon', { block: BLOCKS.outputs });
    report = parseJsonReport(await check(['-o', 'json']));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('JSON: valid against docs/report.schema.json, every problem with its causes one by one and a docs page', () => {
    expect(report.status).toBe('crit');
    const expiring = report.results.filter((r) => r.code === 'cert-expiring' || r.code === 'cert-expired');
    expect(expiring.length).toBeGreaterThan(3);
    for (const r of expiring) expect(r.fix!.length).toBeGreaterThan(0);
    for (const r of report.results.filter((x) => x.status === 'warn' || x.status === 'crit')) {
      expect(r.causes).toEqual(entryFor(r.code!).causes);
      expect(r.cause).toBe(r.causes!.join('; '));
      expect(r.docs).toMatch(/^https:\/\/(kubernetes\.io|etcd\.io)\/docs\//);
    }
    expect(expiring[0]!.docs).toBe('https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/');
  });

  it('JUnit: well-formed XML, one suite per component, one failed test per finding, times that nest', async () => {
    const run = await check(['-o', 'junit', '--fail-on', 'warn']);
    expect(run.code).toBe(1);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(run.stdout) as {
      testsuites: { '@_tests': string; '@_failures': string; '@_time': string; testsuite: TestSuite[] };
    };
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s['@_name'])).toEqual([...new Set(report.results.map((r) => r.component))].map((c) => `k8sdoc.${c}`));
    const problems = report.results.filter((r) => r.status === 'warn' || r.status === 'crit');
    const failures = suites.flatMap((s) => s.testcase.filter((t) => t.failure));
    expect(failures).toHaveLength(problems.length);
    expect(Number(doc.testsuites['@_failures'])).toBe(problems.length);
    expect(Number(doc.testsuites['@_tests'])).toBe(report.results.length);
    const runTime = Number(doc.testsuites['@_time']);
    expect(runTime).toBeGreaterThan(0);
    for (const s of suites) {
      // Reporters trust the counts; GitLab and Jenkins key a test by classname + name.
      expect(Number(s['@_tests'])).toBe(s.testcase.length);
      expect(Number(s['@_failures'])).toBe(s.testcase.filter((t) => t.failure).length);
      expect(Number(s['@_skipped'])).toBe(s.testcase.filter((t) => t.skipped).length);
      const keys = s.testcase.map((t) => `${t['@_classname']} ${t['@_name']}`);
      expect(new Set(keys).size).toBe(keys.length);
      // A suite never outlasts the run, a test case never outlasts its suite.
      expect(Number(s['@_time'])).toBeLessThanOrEqual(runTime);
      for (const t of s.testcase) expect(Number(t['@_time'])).toBeLessThanOrEqual(Number(s['@_time']));
    }
    const oneFailure = failures.find((t) => t.failure!['@_type'] === 'cert-expiring')!;
    expect(oneFailure['@_classname']).toMatch(/^k8sdoc\.certs\./);
    expect(oneFailure.failure!['#text']).toMatch(/Fix:\n/);
    expect(oneFailure.failure!['#text']).toMatch(/\nDocs: https:\/\/kubernetes\.io\//);
  });

  it('JUnit under --fail-on crit keeps warnings visible without failing them', async () => {
    // Kubelet serving certificates live a year: under --warn-days 400 they warn.
    const withWarnings = parseJsonReport(await check(['-o', 'json', '--warn-days', '400']));
    const run = await check(['-o', 'junit', '--warn-days', '400']);
    const warnings = withWarnings.results.filter((r) => r.status === 'warn').length;
    const crits = withWarnings.results.filter((r) => r.status === 'crit').length;
    expect(warnings).toBeGreaterThan(0);
    expect(run.stdout.match(/<failure /g)?.length ?? 0).toBe(crits);
    expect(run.stdout.match(/<system-out>WARN /g)?.length ?? 0).toBe(warnings);
  });

  it('Prometheus: named families with units agree with the JSON report; no non-measurement is a value', async () => {
    const run = await check(['-o', 'prometheus']);
    const all = samples(run.stdout);
    const values = (name: string) => all.filter((s) => s.name === name);
    const quorum = report.results.find((r) => r.check === 'etcd-quorum')!.data as { healthy: number; quorum: number; tolerance: number };
    expect(values('k8sdoc_etcd_healthy_members').map((s) => s.value)).toEqual([quorum.healthy]);
    expect(values('k8sdoc_etcd_quorum_members').map((s) => s.value)).toEqual([quorum.quorum]);
    expect(values('k8sdoc_etcd_failure_tolerance').map((s) => s.value)).toEqual([quorum.tolerance]);
    const certResults = report.results.filter((r) => r.component === 'certs' && typeof r.data?.notAfter === 'string');
    const expiry = values('k8sdoc_cert_expiry_seconds');
    expect(expiry.length).toBe(new Set(certResults.map((r) => `${r.check} ${r.subject}`)).size);
    // Every leaf expires in 5 days; CAs live for years.
    expect(expiry.filter((s) => s.value > 4 * 86_400 && s.value <= 5 * 86_400).length).toBeGreaterThan(3);
    // Served certificates carry the host they were read from.
    const served = expiry.filter((s) => s.labels.check === 'certs-served');
    expect(served.length).toBeGreaterThan(0);
    for (const s of served) expect(s.labels.subject).toContain(s.labels.host!);
    // etcd per member, nodes per node, with the labels to join on.
    const members = report.results.filter((r) => r.check === 'etcd-members' && r.status === 'ok').map((r) => r.data!.name);
    expect(
      values('k8sdoc_etcd_db_size_bytes')
        .map((s) => s.labels.member)
        .sort(),
    ).toEqual([...members].sort());
    const nodes = report.results.filter((r) => r.check === 'nodes-ready').map((r) => r.data!.node);
    expect(
      values('k8sdoc_node_ready')
        .map((s) => s.labels.node)
        .sort(),
    ).toEqual([...nodes].sort());
    // The run itself.
    expect(values('k8sdoc_build_info')).toEqual([expect.objectContaining({ labels: expect.objectContaining({ version: report.tool.version }), value: 1 })]);
    const [last] = values('k8sdoc_last_run_timestamp_seconds');
    expect(last!.value * 1000).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
    // Ports, ids and flags are labels or nothing, never sample values; durations are seconds.
    expect(all.filter((s) => !s.name.includes('_raft_') && (s.value === 6443 || s.value === 2379 || s.value === 10250))).toEqual([]);
    expect(all.filter((s) => /_ms$|_millis|result_value/.test(s.name))).toEqual([]);
  });

  it.skipIf(!promtool)(`Prometheus: promtool check metrics accepts the exposition with no lint problem${promtool ? '' : NO_PROMTOOL}`, async () => {
    const run = await check(['-o', 'prometheus']);
    expect(lint(run.stdout)).toBe('0');
  });

  it.skipIf(!promtool)(`docs/alerts.yaml: promtool check rules accepts every rule${promtool ? '' : NO_PROMTOOL}`, () => {
    const run = spawnSync('promtool', ['check', 'rules', ALERTS], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.status).toBe(0);
  });

  it.skipIf(!promtool)(
    `docs/alerts.yaml on this exposition: the 5-day certificates alert, the run goes stale after an hour${promtool ? '' : NO_PROMTOOL}`,
    async () => {
      const run = await check(['-o', 'prometheus']);
      const expiring = samples(run.stdout).filter(
        (s) => s.name === 'k8sdoc_cert_not_after_timestamp_seconds' && s.value * 1000 - Date.parse(report.startedAt) < 7 * 86_400_000,
      );
      expect(expiring.length).toBeGreaterThan(3);
      const { status, output } = testRules(
        [{ report, text: run.stdout, minutes: 120 }],
        [
          {
            eval_time: '5m',
            alertname: 'K8sdocCertificateExpiresSoon',
            exp_alerts: expiring.map((s) => ({ exp_labels: { ...s.labels, severity: 'critical' } })),
          },
          { eval_time: '30m', alertname: 'K8sdocRunStale', exp_alerts: [] },
          { eval_time: '70m', alertname: 'K8sdocRunStale', exp_alerts: [{ exp_labels: { severity: 'warning' } }] },
          { eval_time: '5m', alertname: 'K8sdocEtcdQuorumLost', exp_alerts: [] },
          { eval_time: '30m', alertname: 'K8sdocNodeNotReady', exp_alerts: [] },
        ],
      );
      expect(output).toMatch(/SUCCESS/);
      expect(status).toBe(0);
    },
  );
});

describe('Prometheus series keep their identity when a check starts failing', () => {
  let cluster: SimCluster;
  let healthy: { report: Report; text: string };
  let failing: { report: Report; text: string };
  const both = async (): Promise<{ report: Report; text: string }> => {
    const args = ['check', ...cluster.checkArgs, '--timeout', '2s'];
    const report = parseJsonReport(await runCli([...args, '-o', 'json'], { killAfterMs: 50_000 }));
    const text = (await runCli([...args, '-o', 'prometheus'], { killAfterMs: 50_000 })).stdout;
    return { report, text };
  };
  const statusSeries = (text: string) => samples(text).filter((s) => s.name === 'k8sdoc_check_status');

  beforeAll(async () => {
    cluster = await startCluster('healthy', { block: BLOCKS.outputsStatusIdentity });
    healthy = await both();
    await cluster.setKubelet('worker-2', 'down');
    failing = await both();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('the crit series of the stopped kubelet is the very series that was 0 while healthy; the code is a separate info series', () => {
    expect(healthy.report.status).toBe('ok');
    const refused = failing.report.results.find((r) => r.check === 'ports' && r.code === 'port-refused' && r.subject.includes('worker-2'));
    expect(refused, failing.report.results.map((r) => `${r.status} ${r.check} ${r.subject}`).join('\n')).toBeDefined();
    const crit = statusSeries(failing.text).find((s) => s.labels.subject === refused!.subject && s.labels.status === 'crit')!;
    expect(crit.value).toBe(1);
    const before = statusSeries(healthy.text).find((s) => s.series === crit.series);
    expect(before?.value).toBe(0);
    // Every status series of a subject present in both runs has the same labels in both.
    const subjects = new Set(healthy.report.results.map((r) => `${r.check} ${r.subject}`));
    const keysOf = (text: string) =>
      statusSeries(text)
        .filter((s) => subjects.has(`${s.labels.check} ${s.labels.subject}`))
        .map((s) => s.series)
        .sort();
    const failingKeys = keysOf(failing.text);
    expect(failingKeys.length).toBeGreaterThan(0);
    expect(failingKeys.every((k) => keysOf(healthy.text).includes(k))).toBe(true);
    const info = samples(failing.text).filter((s) => s.name === 'k8sdoc_finding_info' && s.labels.subject === refused!.subject);
    expect(info.map((s) => s.labels.code)).toEqual(['port-refused']);
    expect(samples(healthy.text).filter((s) => s.name === 'k8sdoc_finding_info')).toEqual([]);
    // The port's own measurement, joined by host, node and port.
    const port = samples(failing.text).find((s) => s.name === 'k8sdoc_port_open' && s.labels.node === 'worker-2' && s.labels.port === '10250');
    expect(port?.value).toBe(0);
    expect(samples(healthy.text).find((s) => s.series === port!.series)?.value).toBe(1);
  });

  it.skipIf(!promtool)(`promtool check metrics accepts both expositions${promtool ? '' : NO_PROMTOOL}`, () => {
    expect(lint(healthy.text)).toBe('0');
    expect(lint(failing.text)).toBe('0');
  });

  it.skipIf(!promtool)(
    `docs/alerts.yaml: K8sdocCheckCritical fires 10 minutes after the first failing run, for each critical subject${promtool ? '' : NO_PROMTOOL}`,
    () => {
      const crit = statusSeries(failing.text).filter((s) => s.labels.status === 'crit' && s.value === 1);
      expect(crit.length).toBeGreaterThan(0);
      const { status, output } = testRules(
        [
          { ...healthy, minutes: 10 },
          { ...failing, minutes: 30 },
        ],
        [
          { eval_time: '9m', alertname: 'K8sdocCheckCritical', exp_alerts: [] },
          // Failing since minute 10: still pending at 19, firing from 20 on.
          { eval_time: '19m', alertname: 'K8sdocCheckCritical', exp_alerts: [] },
          { eval_time: '21m', alertname: 'K8sdocCheckCritical', exp_alerts: crit.map((s) => ({ exp_labels: { ...s.labels, severity: 'critical' } })) },
        ],
      );
      expect(output).toMatch(/SUCCESS/);
      expect(status).toBe(0);
    },
  );
});
