// On call from a jump host (no PKI files, no etcd client certificate, only a kubeconfig) while
// every API server is hung: each accepts TLS and never answers a request within --timeout.
// Whatever the run asks, each question goes to a hung API server once: the count of requests
// the simulator logged proves it, not the time the run took.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { delay } from '../../src/sim/faults.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli } from '../helpers/cli.js';

const TIMEOUT_MS = 700;
// Longer than --timeout, so every request k8sdoc makes times out; the simulator logs a request
// once it answers, so the test waits this long after the run before counting.
const HUNG_MS = 2500;
let cluster: SimCluster;

beforeAll(async () => {
  cluster = await startCluster(buildScenario('healthy'), { block: BLOCKS.oncallHungApi, etcd: false });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('every API server hung, from a jump host', () => {
  it('asks each hung API server each question once, and says the API timed out', async () => {
    // The jump host ran k8sdoc before, while the cluster was healthy: its discovery cache
    // knows the masters, so this run asks each of them, not only the kubeconfig's server.
    const home = emptyHome();
    const args = ['check', '--kubeconfig', cluster.kubeconfigPath, '--timeout', `${TIMEOUT_MS}ms`, '-o', 'json'];
    const warm = parseJsonReport(await runCli(args, { env: { HOME: home } }));
    expect(warm.results.some((r) => r.check === 'apiserver-reachable' && r.status === 'ok')).toBe(true);
    for (const a of cluster.apiServers) a.faults.slowMs = HUNG_MS;
    cluster.requestLog.clear();
    const run = await runCli(args, { env: { HOME: home } });
    const report = parseJsonReport(run);
    await delay(HUNG_MS + 500);
    const asked = cluster.requestLog.entries().map((r) => `${r.method} ${r.path.split('?')[0]}`);
    // The kubeconfig's server (the balancer, which hands it to one master) and each master
    // are asked /version once, at the same time; after that nothing asks them anything.
    expect(asked.sort()).toEqual(Array<string>(1 + cluster.apiServers.length).fill('GET /version'));
    expect(report.status).toBe('crit');
    const reachable = report.results.filter((r) => r.check === 'apiserver-reachable');
    expect(reachable.length).toBeGreaterThan(0);
    expect(reachable.every((r) => r.status === 'crit')).toBe(true);
    expect(report.timedOut.length).toBeGreaterThan(0);
  });
});
