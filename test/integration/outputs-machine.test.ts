// The machine outputs proven by their real consumers, on a cluster with real problems
// (every leaf certificate expires in 5 days): JSON against the published schema, JUnit
// read by an XML parser the way GitLab, Jenkins and GitHub reporters read it, and the
// Prometheus text by promtool.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import type { Report } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const promtool = spawnSync('promtool', ['--version']).status === 0;

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
  testcase: TestCase[];
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

  it('JSON: valid against docs/report.schema.json, with the problems the scenario plants', () => {
    expect(report.status).toBe('crit');
    const expiring = report.results.filter((r) => r.code === 'cert-expiring' || r.code === 'cert-expired');
    expect(expiring.length).toBeGreaterThan(3);
    for (const r of expiring) expect(r.fix!.length).toBeGreaterThan(0);
  });

  it('JUnit: well-formed XML, one suite per component, one failed test per finding at or above --fail-on', async () => {
    const run = await check(['-o', 'junit', '--fail-on', 'warn']);
    expect(run.code).toBe(1);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(run.stdout) as {
      testsuites: { '@_tests': string; '@_failures': string; testsuite: TestSuite[] };
    };
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s['@_name'])).toEqual([...new Set(report.results.map((r) => r.component))].map((c) => `k8sdoc.${c}`));
    const problems = report.results.filter((r) => r.status === 'warn' || r.status === 'crit');
    const failures = suites.flatMap((s) => s.testcase.filter((t) => t.failure));
    expect(failures).toHaveLength(problems.length);
    expect(Number(doc.testsuites['@_failures'])).toBe(problems.length);
    expect(Number(doc.testsuites['@_tests'])).toBe(report.results.length);
    for (const s of suites) {
      // Reporters trust the counts; GitLab and Jenkins key a test by classname + name.
      expect(Number(s['@_tests'])).toBe(s.testcase.length);
      expect(Number(s['@_failures'])).toBe(s.testcase.filter((t) => t.failure).length);
      expect(Number(s['@_skipped'])).toBe(s.testcase.filter((t) => t.skipped).length);
      const keys = s.testcase.map((t) => `${t['@_classname']} ${t['@_name']}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const t of s.testcase) expect(Number.isFinite(Number(t['@_time']))).toBe(true);
    }
    const oneFailure = failures.find((t) => t.failure!['@_type'] === 'cert-expiring')!;
    expect(oneFailure['@_classname']).toMatch(/^k8sdoc\.certs\./);
    expect(oneFailure.failure!['#text']).toMatch(/Fix:\n/);
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

  it('Prometheus: named families from result data agree with the JSON report', async () => {
    const run = await check(['-o', 'prometheus']);
    const lines = run.stdout.split('\n');
    const value = (series: RegExp) => lines.filter((l) => series.test(l)).map((l) => Number(l.split(' ').at(-1)));
    const quorum = report.results.find((r) => r.check === 'etcd-quorum')!.data as { healthy: number; quorum: number };
    expect(value(/^k8sdoc_etcd_healthy_members /)).toEqual([quorum.healthy]);
    expect(value(/^k8sdoc_etcd_quorum_members /)).toEqual([quorum.quorum]);
    const certResults = report.results.filter((r) => r.component === 'certs' && typeof r.data?.notAfter === 'string');
    const expiry = value(/^k8sdoc_cert_expiry_seconds\{/);
    expect(expiry.length).toBe(new Set(certResults.map((r) => `${r.check} ${r.subject}`)).size);
    // Every leaf expires in 5 days; CAs live for years.
    expect(expiry.filter((s) => s > 4 * 86_400 && s <= 5 * 86_400).length).toBeGreaterThan(3);
    const firstStatus = lines.find((l) => l.startsWith('k8sdoc_check_status{'))!;
    expect(firstStatus).toMatch(/^k8sdoc_check_status\{check="[a-z-]+",component="[a-z]+",subject="[^"]*",code="[a-z-]*",status="ok"\} [01]$/);
  });

  const promtoolTitle = 'Prometheus: promtool check metrics accepts the exposition with no lint problem';
  it.skipIf(!promtool)(
    promtool ? promtoolTitle : `${promtoolTitle} (skipped: promtool is not installed; it comes with the Debian package prometheus, which .ci/run installs)`,
    async () => {
      const run = await check(['-o', 'prometheus']);
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: run.stdout, encoding: 'utf8' });
      expect(`${lint.stdout}${lint.stderr}`.trim()).toBe('');
      expect(lint.status).toBe(0);
    },
  );
});
