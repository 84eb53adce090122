// The apiserver component against the simulator, run as a user runs it (spawned CLI, JSON):
// every API server judged on its own, readyz failures named, the HA rule, and proof from the
// simulator's request log that k8sdoc only ever reads.
import { describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/cluster.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import type { ReportResult } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { clusterPerTest } from '../helpers/cluster-per-test.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const start = clusterPerTest({ block: BLOCKS.apiserverSim, etcd: false });

/** Discovery finds the masters from the node list: the kubeconfig alone is what a user passes. */
async function check(c: SimCluster, only: string, extra: string[] = []) {
  const run = await runCli(['check', '--kubeconfig', c.kubeconfigPath, '--only', only, '-o', 'json', '--timeout', '2s', ...extra]);
  return { run, report: parseJsonReport(run) };
}

const byCheck = (results: ReportResult[], id: string) => results.filter((r) => r.check === id);

describe('apiserver component on the simulator', () => {
  it('healthy: every endpoint reachable, live, ready and quick; three masters behind the load balancer', async () => {
    const c = await start('healthy');
    const { run, report } = await check(c, 'apiserver');
    expect(run.code, run.stderr).toBe(0);
    expect(report.status).toBe('ok');
    const endpoints = [c.server, ...c.apiServers.map((a) => a.url)];
    for (const id of ['apiserver-reachable', 'apiserver-health', 'apiserver-latency']) {
      const results = byCheck(report.results, id);
      expect(results.map((r) => r.data?.['endpoint']).sort(), id).toEqual([...endpoints].sort());
      expect(
        results.every((r) => r.status === 'ok'),
        JSON.stringify(results, null, 1),
      ).toBe(true);
    }
    // The simulator puts its p99 (40 ms) in the (25 ms, 50 ms] bucket; PromQL interpolates inside it.
    const latency = byCheck(report.results, 'apiserver-latency')[0]!;
    expect(latency.data).toMatchObject({ samples: 5 });
    expect(latency.data!['p99Ms']).toBeGreaterThan(25);
    expect(latency.data!['p99Ms']).toBeLessThanOrEqual(50);
    expect(byCheck(report.results, 'control-plane-ha')).toEqual([
      expect.objectContaining({ status: 'ok', data: expect.objectContaining({ controlPlaneNodes: 3, names: ['cp-1', 'cp-2', 'cp-3'] }) }),
    ]);
  });

  it('lb-partial: the dead master is named, the load balancer and the other masters are fine', async () => {
    const c = await start('lb-partial');
    const dead = c.apiServers.find((a) => a.nodeName === 'cp-3')!;
    const { run, report } = await check(c, 'apiserver');
    expect(run.code).toBe(1);
    const reachable = byCheck(report.results, 'apiserver-reachable');
    const problems = reachable.filter((r) => r.status !== 'ok');
    expect(problems).toEqual([
      expect.objectContaining({
        status: 'crit',
        code: 'apiserver-refused',
        subject: `apiserver ${dead.url}`,
        data: expect.objectContaining({ node: 'cp-3', host: dead.host }),
      }),
    ]);
    expect(reachable.find((r) => r.data?.['endpoint'] === c.server)).toMatchObject({ status: 'ok', subject: `apiserver ${c.server} (kubeconfig)` });
    // The dead master is reported once: health and latency skip it rather than repeat it.
    expect(byCheck(report.results, 'apiserver-health').find((r) => r.data?.['endpoint'] === dead.url)).toMatchObject({ status: 'skip' });
    expect(report.rootCauses.map((r) => r.subject)).toEqual([`apiserver ${dead.url}`]);
  });

  it('readyz failing etcd: apiserver-not-ready on every master, naming etcd and what it means', async () => {
    const c = await start('etcd-readyz-failing');
    const { report } = await check(c, 'apiserver-health');
    const health = byCheck(report.results, 'apiserver-health');
    expect(health).toHaveLength(4);
    for (const r of health) {
      expect(r).toMatchObject({ status: 'crit', code: 'apiserver-not-ready', data: expect.objectContaining({ readyzFailing: ['etcd', 'etcd-readiness'] }) });
      expect(r.message).toMatch(/^not ready, as the API server sees it: \[-\]etcd(, \[-\]etcd-readiness)? failed: the API server cannot reach etcd/);
      expect(r.fix!.join('\n')).toContain("kubectl get --raw '/readyz?verbose'");
    }
  });

  it('single control-plane node: control-plane-not-ha, with the three-masters advice', async () => {
    const c = await start('single-control-plane');
    const { report } = await check(c, 'control-plane-ha');
    const [ha] = byCheck(report.results, 'control-plane-ha');
    expect(ha).toMatchObject({ status: 'warn', code: 'control-plane-not-ha', data: { controlPlaneNodes: 1, kubeconfigPointsAtNode: 'cp-1' } });
    expect(ha!.message).toContain('1 control-plane node: losing it stops the cluster');
    expect(ha!.fix!.join('\n')).toMatch(/3 control-plane nodes.*\n.*load balancer \(HAProxy/);
  });

  it('a high p99 in /metrics raises apiserver-latency-high above --latency-warn only', async () => {
    const c = await start({ ...buildScenario('healthy'), apiServer: { 'cp-2': { p99LatencySeconds: 1.5 } } });
    const slowUrl = c.apiServers.find((a) => a.nodeName === 'cp-2')!.url;
    const { report } = await check(c, 'apiserver-latency', ['--apiserver', slowUrl]);
    const slow = byCheck(report.results, 'apiserver-latency').find((r) => r.data?.['endpoint'] === slowUrl)!;
    expect(slow).toMatchObject({ status: 'warn', code: 'apiserver-latency-high', data: expect.objectContaining({ thresholdMs: 1000 }) });
    // 1.5 s sits in the (1.25 s, 1.5 s] bucket.
    expect(slow.data!['p99Ms']).toBeGreaterThan(1250);
    expect(slow.data!['p99Ms']).toBeLessThanOrEqual(1500);
    expect(slow.message).toMatch(/^the server's p99 for GET\/LIST is 1\.\d\d s, above --latency-warn 1\.00 s/);
    const relaxed = await check(c, 'apiserver-latency', ['--apiserver', slowUrl, '--latency-warn', '2s']);
    expect(byCheck(relaxed.report.results, 'apiserver-latency').find((r) => r.data?.['endpoint'] === slowUrl)).toMatchObject({ status: 'ok' });
  });

  it('the request log shows that a full run of every component sends only GET requests', async () => {
    const c = await start('notready-nodes');
    const { report } = await check(c, 'apiserver,nodes,kubelet,ports');
    expect(report.results.length).toBeGreaterThan(20);
    const requests = c.requestLog.entries();
    expect(requests.length).toBeGreaterThan(20);
    expect(c.requestLog.writes()).toEqual([]);
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['GET']));
    // Nodes were listed in pages, as kubectl does, not in one unbounded request.
    expect(requests.filter((r) => r.path.startsWith('/api/v1/nodes?')).every((r) => /[?&]limit=\d+/.test(r.path))).toBe(true);
  });
});
