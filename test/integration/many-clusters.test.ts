// `check --context a,b` and `--all-contexts`: two simulated clusters in one kubeconfig, one
// healthy and one whose API servers are all down, checked in one run of the spawned CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import type { Report } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { expectUsageError, problemsOf, runCli, type CliRun } from '../helpers/cli.js';
import { assertValidReport } from '../helpers/report-schema.js';

const promtool = spawnSync('promtool', ['--version']).status === 0;

interface Many {
  schemaVersion: 1;
  status: string;
  reports: Report[];
  failed: { context: string; message: string }[];
}

interface JunitCase {
  '@_classname': string;
  '@_name': string;
  failure?: unknown;
}
interface JunitSuite {
  '@_name': string;
  testcase: JunitCase[];
}

interface Kubeconfig {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

/** One kubeconfig holding each cluster's admin.conf under the given context names. */
function combinedKubeconfig(
  path: string,
  entries: { name: string; from: string }[],
  extraContexts: { name: string; context: { cluster: string; user: string } }[] = [],
): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [] as unknown[],
    users: [] as unknown[],
    contexts: [] as unknown[],
    'current-context': entries[0]!.name,
  };
  for (const e of entries) {
    const admin = parse(readFileSync(e.from, 'utf8')) as Kubeconfig;
    doc.clusters.push({ name: e.name, cluster: admin.clusters[0]!.cluster });
    doc.users.push({ name: e.name, user: admin.users[0]!.user });
    doc.contexts.push({ name: e.name, context: { cluster: e.name, user: e.name } });
  }
  doc.contexts.push(...extraContexts);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

function parseMany(run: CliRun): Many {
  let doc: Many;
  try {
    doc = JSON.parse(run.stdout) as Many;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\nstderr:\n${run.stderr.slice(0, 2000)}`);
  }
  // The published schema accepts the several-cluster shape, and each report in it as a report.
  assertValidReport(doc);
  for (const r of doc.reports) assertValidReport(r);
  return doc;
}

describe('several clusters in one run', () => {
  let healthy: SimCluster;
  let broken: SimCluster;
  let kubeconfig: string;
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-many-'));
  const check = (args: string[]) => runCli(['check', '--kubeconfig', kubeconfig, '--timeout', '2s', ...args], { killAfterMs: 55_000 });

  beforeAll(async () => {
    [healthy, broken] = await Promise.all([
      startCluster('healthy', { block: BLOCKS.manyClustersHealthy }),
      // Every API server refuses: nothing behind it is reachable from a kubeconfig alone, so its etcd would go unused.
      startCluster('apiserver-down', { block: BLOCKS.manyClustersBroken, etcd: false }),
    ]);
    kubeconfig = combinedKubeconfig(join(dir, 'config'), [
      { name: 'healthy', from: healthy.kubeconfigPath },
      { name: 'broken', from: broken.kubeconfigPath },
      { name: 'healthy-again', from: healthy.kubeconfigPath },
    ]);
  });
  afterAll(async () => {
    await Promise.all([healthy?.stop(), broken?.stop()]);
  });

  it('JSON: one report per context in the order asked, the worst status on top, exit 1 for the broken one', async () => {
    const run = await check(['--context', 'healthy,broken', '-o', 'json']);
    const doc = parseMany(run);
    expect(run.code, run.stderr).toBe(1);
    expect(doc.reports.map((r) => r.target.context)).toEqual(['healthy', 'broken']);
    const [ok, down] = doc.reports;
    // From a kubeconfig alone etcd cannot be asked directly: where k8sdoc runs is never a finding.
    expect(problemsOf(ok!)).toBe('no problems');
    expect(ok!.target.server).toBe(healthy.server);
    expect(down!.status).toBe('crit');
    expect(down!.target.server).toBe(broken.server);
    expect(down!.rootCauses[0]!.code).toBe('apiserver-refused');
    expect(doc).toMatchObject({ schemaVersion: 1, status: 'crit', failed: [] });
  });

  it('two healthy contexts: exit 0, also under --wait; one context alone keeps the one-report shape', async () => {
    // --wait: each cluster waits on its own, and says so on stderr under its context.
    const both = await check(['--context', 'healthy,healthy-again', '-o', 'json', '--wait', '30s']);
    const doc = parseMany(both);
    expect(both.code, doc.reports.map(problemsOf).join('\n')).toBe(0);
    expect(doc.status).toBe('ok');
    for (const r of doc.reports) expect(r.wait).toMatchObject({ attempts: 1, passed: true });
    expect(both.stderr).toMatch(/^\[healthy\] k8sdoc: --wait: passed after /m);
    expect(both.stderr).toMatch(/^\[healthy-again\] k8sdoc: --wait: passed after /m);
    const one = await check(['--context', 'broken', '-o', 'json']);
    const report = JSON.parse(one.stdout) as Report & { reports?: unknown };
    assertValidReport(report);
    expect(report.reports).toBeUndefined();
    expect(report.target.context).toBe('broken');
    expect(one.code).toBe(1);
  });

  it('table: a summary row per cluster (status, most likely cause, time), then each full report', async () => {
    const run = await check(['--all-contexts']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const head = lines.findIndex((l) => /^CONTEXT +STATUS +MOST LIKELY CAUSE +TIME$/.test(l));
    expect(head, run.stdout.slice(0, 1500)).toBeGreaterThan(0);
    const rows = lines.slice(head + 1, head + 4);
    expect(rows[0]).toMatch(/^healthy +OK +- +\d+ ms$/);
    expect(rows[1]).toMatch(/^broken +CRIT +apiserver-refused +apiserver https:\/\/127\.211\.0\.10:6443.* \d+ ms$/);
    expect(rows[2]).toMatch(/^healthy-again +OK +- +\d+ ms$/);
    const sections = ['healthy', 'broken', 'healthy-again'].map((c) => run.stdout.indexOf(`═══ context ${c} ═`));
    expect(sections.every((i) => i > 0)).toBe(true);
    expect([...sections].sort((a, b) => a - b)).toEqual(sections);
    // Each section is that cluster's own report.
    const brokenSection = run.stdout.slice(sections[1], sections[2]);
    expect(brokenSection).toContain('context broken');
    expect(brokenSection).toMatch(/most likely cause: apiserver-refused/);
    expect(run.stdout.slice(sections[0], sections[1])).toMatch(/Summary: .* 0 crit, .* → OK/);
  });

  it('JUnit: one valid document, every suite and test class prefixed by its context, counts that add up', async () => {
    const run = await check(['--context', 'healthy,broken', '-o', 'junit']);
    expect(run.code).toBe(1);
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(run.stdout) as {
      testsuites: { '@_tests': string; '@_failures': string; testsuite: JunitSuite[] };
    };
    const suites = doc.testsuites.testsuite;
    expect(new Set(suites.map((s) => s['@_name'].split('/')[0]))).toEqual(new Set(['healthy', 'broken']));
    for (const s of suites) expect(s['@_name']).toMatch(/^(healthy|broken)\/k8sdoc\.[a-z-]+$/);
    const cases = suites.flatMap((s) => s.testcase.map((t) => ({ suite: s['@_name'], ...t })));
    for (const t of cases) expect(t['@_classname']!.split('/')[0]).toBe(t.suite.split('/')[0]);
    // Reporters key a test by classname and name: the same check on two clusters must not collide.
    const keysOf = (ctx: string) => new Set(cases.filter((t) => t.suite.startsWith(`${ctx}/`)).map((t) => `${t['@_classname']} ${t['@_name']}`));
    const [inHealthy, inBroken] = [keysOf('healthy'), keysOf('broken')];
    expect(inHealthy.size).toBeGreaterThan(0);
    expect([...inBroken].filter((k) => inHealthy.has(k))).toEqual([]);
    expect(Number(doc.testsuites['@_tests'])).toBe(cases.length);
    expect(Number(doc.testsuites['@_failures'])).toBe(cases.filter((t) => t.failure).length);
    expect(cases.filter((t) => t.failure).every((t) => t.suite.startsWith('broken/'))).toBe(true);
    expect(cases.some((t) => t.failure)).toBe(true);
  });

  it('Prometheus: every sample carries its context, each family is declared once', async () => {
    const run = await check(['--context', 'healthy,broken', '-o', 'prometheus']);
    const samples = run.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(20);
    for (const s of samples) expect(s).toMatch(/^[a-z0-9_]+\{context="(healthy|broken)"[,}]/);
    const types = run.stdout.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    expect(run.stdout).toMatch(/^k8sdoc_check_status\{context="broken",check="apiserver-reachable",.*status="crit"\} 1$/m);
    if (promtool) {
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: run.stdout, encoding: 'utf8' });
      expect(lint.status, `${lint.stdout}${lint.stderr}`).toBe(0);
    }
  });

  it('the clusters run side by side: probe lines of both interleave under --debug, within one --concurrency', async () => {
    const run = await check(['--context', 'healthy,broken', '-o', 'json', '--debug', '--concurrency', '2']);
    expect(run.code).toBe(1);
    const probes = run.stderr.split('\n').filter((l) => /^debug: \[(healthy|broken)\] probe /.test(l));
    const order = probes.map((l) => (l.includes('[healthy]') ? 'h' : 'b')).join('');
    // Not all of one cluster's probes before the other's: the runs overlap.
    expect(order).toMatch(/h.*b.*h|b.*h.*b/);
    expect(parseMany(run).reports).toHaveLength(2);
  });

  it('a context that cannot be checked as asked is named, the others still reported, exit 2', async () => {
    // A context left behind after its cluster entry was deleted: common in long-lived kubeconfigs.
    const withBadEntry = combinedKubeconfig(
      join(dir, 'bad-entry'),
      [{ name: 'healthy', from: healthy.kubeconfigPath }],
      [{ name: 'stale', context: { cluster: 'gone', user: 'healthy' } }],
    );
    const run = await runCli(['check', '--kubeconfig', withBadEntry, '--all-contexts', '-o', 'json', '--timeout', '2s'], { killAfterMs: 55_000 });
    expect(run.code).toBe(2);
    const doc = parseMany(run);
    expect(doc.reports.map((r) => r.target.context)).toEqual(['healthy']);
    expect(doc.failed).toEqual([{ context: 'stale', message: expect.stringMatching(/points to cluster 'gone', which is not defined/) }]);
    expect(run.stderr).toMatch(/^k8sdoc: context stale: .*points to cluster 'gone'/m);
  });

  it('flags that name one cluster, and --all-contexts with --context, are usage errors', async () => {
    expectUsageError(
      await check(['--context', 'healthy,broken', '--apiserver', 'https://127.211.0.11:6443']),
      /--apiserver names one cluster's machines or files; with several contexts, check that cluster alone/,
    );
    expectUsageError(await check(['--all-contexts', '--context', 'healthy']), /--all-contexts and --context exclude each other/);
    expectUsageError(
      await check(['--context', 'healthy,nope']),
      /--context: context 'nope' not found in the kubeconfig; known contexts: healthy, broken, healthy-again/,
    );
  });
});
