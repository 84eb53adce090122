// The simulator must look like a real kube-apiserver to the real kubectl: if a wire
// shape drifts (discovery, Table, pagination, Status), these fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { kubectl } from '../helpers/kubectl.js';

function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

describe('kubectl against the healthy scenario', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('healthy', { block: BLOCKS.simKubectl });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('get nodes lists every node Ready with its role and version', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'nodes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(body).toEqual([
      ['cp-1', 'Ready', 'control-plane', '3d', 'v1.32.0'],
      ['cp-2', 'Ready', 'control-plane', '3d', 'v1.32.0'],
      ['cp-3', 'Ready', 'control-plane', '3d', 'v1.32.0'],
      ['worker-1', 'Ready', '<none>', '3d', 'v1.32.0'],
      ['worker-2', 'Ready', '<none>', '3d', 'v1.32.0'],
      ['worker-3', 'Ready', '<none>', '3d', 'v1.32.0'],
    ]);
  });

  it('get nodes -o wide shows the InternalIP of each host', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'nodes', '-o', 'wide']);
    expect(r.code).toBe(0);
    const body = rows(r.stdout).slice(1);
    expect(body.map((row) => [row[0], row[5]])).toEqual(cluster.hosts.map((h) => [h.name, h.address]));
  });

  it("get --raw '/readyz?verbose' prints every check and the verdict", async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', '--raw', '/readyz?verbose']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('[+]ping ok');
    expect(lines).toContain('[+]etcd ok');
    expect(lines).toContain('[+]etcd-readiness ok');
    expect(lines.at(-1)).toBe('readyz check passed');
  });

  it('get pods -n kube-system lists the static control-plane pods of each control-plane node', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'pods', '-n', 'kube-system']);
    expect(r.code).toBe(0);
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const names = body.map((row) => row[0]);
    for (const node of ['cp-1', 'cp-2', 'cp-3']) {
      for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) expect(names).toContain(`${component}-${node}`);
    }
    const apiserver = body.find((row) => row[0] === 'kube-apiserver-cp-1');
    expect(apiserver?.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
  });

  it("the kube-apiserver pod's command carries --etcd-servers with every member", async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'pod', '-n', 'kube-system', 'kube-apiserver-cp-2', '-o', 'jsonpath={.spec.containers[0].command}']);
    expect(r.code).toBe(0);
    const command = JSON.parse(r.stdout) as string[];
    const flag = command.find((c) => c.startsWith('--etcd-servers='));
    expect(flag).toBe(
      `--etcd-servers=${cluster.hosts
        .filter((h) => h.role === 'control-plane')
        .map((h) => `https://${h.address}:2379`)
        .join(',')}`,
    );
  });

  it('get leases -n kube-node-lease shows one lease per node held by that node', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'leases', '-n', 'kube-node-lease']);
    expect(r.code).toBe(0);
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual(['NAME', 'HOLDER', 'AGE']);
    expect(body.map((row) => [row[0], row[1]])).toEqual(cluster.hosts.map((h) => [h.name, h.name]));
  });

  it('a token without rights on nodes gets the Forbidden error kubectl prints, and the denial is logged', async () => {
    const { path } = await cluster.tokens.kubeconfig({ user: 'reader', rules: [{ verbs: ['get', 'list'], resources: ['pods'] }] });
    const r = await kubectl(path, ['get', 'nodes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'Error from server (Forbidden): nodes is forbidden: User "reader" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    const pods = await kubectl(path, ['get', 'pods', '-n', 'kube-system']);
    expect(pods.code).toBe(0);
    expect(cluster.requestLog.entries((e) => e.identity === 'reader' && e.path.startsWith('/api/v1/nodes')).map((e) => e.status)).toContain(403);
  });

  it('kubectl only ever read: every request was a GET by the admin or the test token', () => {
    expect(cluster.requestLog.entries().length).toBeGreaterThan(0);
    expect(cluster.requestLog.writes()).toEqual([]);
  });
});

describe('kubectl against the notready-nodes scenario', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('notready-nodes', { block: BLOCKS.simKubectlNotReady, etcd: false });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('shows the worker with the stopped kubelet as NotReady and the rest Ready', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'nodes', '--no-headers']);
    expect(r.code).toBe(0);
    const status = Object.fromEntries(rows(r.stdout).map((row) => [row[0], row[1]]));
    expect(status).toEqual({ 'cp-1': 'Ready', 'cp-2': 'Ready', 'cp-3': 'Ready', 'worker-1': 'Ready', 'worker-2': 'NotReady', 'worker-3': 'Ready' });
  });

  it('reports the Ready condition Unknown with NodeStatusUnknown', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'node', 'worker-2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")]}']);
    const ready = JSON.parse(r.stdout) as { status: string; reason: string; message: string };
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  });

  it('a kubelet stopped during the run turns its node NotReady', async () => {
    await cluster.setKubelet('worker-3', 'down');
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'node', 'worker-3', '--no-headers']);
    expect(rows(r.stdout)[0]?.[1]).toBe('NotReady');
  });
});

describe('kubectl against the large scenario', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('large', { block: BLOCKS.simKubectlLarge, etcd: false });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('get nodes --chunk-size=500 pages through all 5,000 nodes', async () => {
    const r = await kubectl(cluster.kubeconfigPath, ['get', 'nodes', '--chunk-size=500', '--no-headers']);
    expect(r.code).toBe(0);
    const names = rows(r.stdout).map((row) => row[0]);
    expect(names).toHaveLength(5000);
    expect(new Set(names).size).toBe(5000);
    const lists = cluster.requestLog.entries((e) => e.path.startsWith('/api/v1/nodes?'));
    expect(lists).toHaveLength(10);
    expect(lists.slice(1).every((e) => e.path.includes('continue='))).toBe(true);
  });
});
