// A run that selects only the node checks asks the API for what those checks judge and for
// nothing else: no control-plane pods for the cluster's shape, no etcd discovery, no webhook
// configurations or APIServices. The simulator's request log proves it, not the run's time.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli } from '../helpers/cli.js';

let cluster: SimCluster;

beforeAll(async () => {
  cluster = await startCluster(buildScenario('healthy'), { block: BLOCKS.onlyNodesRequests, etcd: false });
});

afterAll(async () => {
  await cluster?.stop();
});

beforeEach(() => cluster.requestLog.clear());

/** Every request the simulated servers answered, as `GET <path>` with a page's continue token cut. */
function asked(): string[] {
  return [...new Set(cluster.requestLog.entries().map((r) => `${r.method} ${r.path.replace(/&continue=[^&]*/, '')}`))].sort();
}

const NODE_CHECKS_REQUESTS = ['GET /api/v1/nodes?limit=500', 'GET /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?limit=500', 'GET /version'];

describe('check --only with the node checks alone', () => {
  it('nodes-ready, nodes-pressure and nodes-health ask for /version, the node list and the leases, nothing more', async () => {
    const home = emptyHome();
    const run = await runCli(['check', '--kubeconfig', cluster.kubeconfigPath, '--only', 'nodes-ready,nodes-pressure,nodes-health', '-o', 'json'], {
      env: { HOME: home },
    });
    const report = parseJsonReport(run);
    expect(run.code).toBe(0);
    expect(asked()).toEqual(NODE_CHECKS_REQUESTS);
    // Every node judged from the one list.
    const ready = report.results.filter((r) => r.check === 'nodes-ready');
    expect(ready.map((r) => r.subject).sort()).toEqual(cluster.hosts.map((h) => `node ${h.name}`).sort());
    expect(ready.every((r) => r.status === 'ok')).toBe(true);
    // Nothing discovered beyond the node list: no shape to report, and no discovery cache
    // written without the etcd endpoints a later run would take from it.
    expect(report.cluster).toBeUndefined();
    expect(existsSync(join(home, '.cache', 'k8sdoc'))).toBe(false);
    expect(cluster.requestLog.writes()).toEqual([]);
  });

  it('--only nodes adds only what cluster-addons (a node-component check) reads: the kube-system Deployments, DaemonSets and the kube-dns backends', async () => {
    const run = await runCli(['check', '--kubeconfig', cluster.kubeconfigPath, '--only', 'nodes', '-o', 'json'], { env: { HOME: emptyHome() } });
    const report = parseJsonReport(run);
    expect(run.code).toBe(0);
    expect(asked()).toEqual(
      [
        ...NODE_CHECKS_REQUESTS,
        'GET /apis/apps/v1/namespaces/kube-system/deployments?limit=500',
        'GET /apis/apps/v1/namespaces/kube-system/daemonsets?limit=500',
        'GET /api/v1/namespaces/kube-system/services/kube-dns',
        'GET /apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkube-dns',
      ].sort(),
    );
    expect(new Set(report.results.map((r) => r.check))).toEqual(new Set(['nodes-ready', 'nodes-pressure', 'nodes-health', 'cluster-addons']));
    expect(report.status).toBe('ok');
  });

  it('a check that needs more than the node list still gets the whole discovery: the shape from the control-plane pods, and the cache', async () => {
    const home = emptyHome();
    const run = await runCli(['check', '--kubeconfig', cluster.kubeconfigPath, '--only', 'nodes,control-plane-ha', '-o', 'json'], { env: { HOME: home } });
    const report = parseJsonReport(run);
    expect(asked()).toContain('GET /api/v1/namespaces/kube-system/pods?labelSelector=tier%3Dcontrol-plane');
    expect(report.cluster?.distribution).toBe('kubeadm');
    expect(existsSync(join(home, '.cache', 'k8sdoc'))).toBe(true);
  });
});
