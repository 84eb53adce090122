// Talos, MicroK8s, OpenShift and a managed control plane built as they really are, proven
// with the real kubectl and with what listens on each host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { anonymousGet, kubectl, labelsOf, rows, tcpState } from './sim-shapes-helpers.js';

const withEtcd = etcdAvailable();

describe.skipIf(!withEtcd)('Talos', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('talos', { block: BLOCKS.simShapesTalos });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('kube-apiserver pods read https://localhost:2379 and carry the Talos labels; no etcd pod', async () => {
    const pod = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'pod', '-n', 'kube-system', 'kube-apiserver-cp-1', '-o', 'json'])).stdout);
    expect(pod.spec.containers[0].command).toContain('--etcd-servers=https://localhost:2379');
    expect(pod.metadata.labels).toMatchObject({ 'k8s-app': 'kube-apiserver', 'app.kubernetes.io/managed-by': 'Talos', tier: 'control-plane' });
    const names = rows((await kubectl(c.kubeconfigPath, ['get', 'pods', '-A', '-o', 'wide'])).stdout)
      .slice(1)
      .map((r) => r[1]!);
    expect(names.filter((n) => n.startsWith('etcd-'))).toEqual([]);
    expect(names).toContain('kube-scheduler-cp-3');
  });

  it('etcd (a host service) listens on every control-plane address; nodes show Talos', async () => {
    for (const h of c.hosts.slice(0, 3)) expect(await tcpState(h.address, 2379)).toBe('open');
    const wide = rows((await kubectl(c.kubeconfigPath, ['get', 'nodes', '-o', 'wide'])).stdout).slice(1);
    expect(wide[0]![7]).toBe('Talos (v1.9.1)');
    expect(c.vantages.nodes).toEqual([]);
  });

  it('a member down fails only the API server beside it', async () => {
    await c.stop();
    c = await startCluster('talos-member-down', { block: BLOCKS.simShapesTalos });
    expect((await anonymousGet(`${c.apiServers[1]!.url}/readyz/etcd`)).status).toBe(500);
    expect((await anonymousGet(`${c.apiServers[0]!.url}/readyz/etcd`)).status).toBe(200);
  });
});

describe('MicroK8s', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('microk8s', { block: BLOCKS.simShapesMicrok8s });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('the API is on :16443, nothing on 6443, 2379 or 2380; /readyz/etcd ok (dqlite through kine)', async () => {
    const h = c.hosts[0]!.address;
    expect(c.server).toBe(`https://${h}:16443`);
    expect(await tcpState(h, 16443)).toBe('open');
    for (const port of [6443, 2379, 2380]) expect(await tcpState(h, port)).toBe('refused');
    expect(await anonymousGet(`${c.server}/readyz/etcd`)).toEqual({ status: 200, body: 'ok' });
  });

  it('nodes carry the microk8s labels and no node-role; no control-plane pods', async () => {
    const body = rows((await kubectl(c.kubeconfigPath, ['get', 'nodes', '--show-labels'])).stdout).slice(1);
    expect(body.map((r) => r[2])).toEqual(['<none>', '<none>', '<none>', '<none>']);
    expect(labelsOf(body[0]![5]!)).toMatchObject({ 'microk8s.io/cluster': 'true', 'node.kubernetes.io/microk8s-controlplane': 'microk8s-controlplane' });
    const pods = (await kubectl(c.kubeconfigPath, ['get', 'pods', '-A', '-o', 'name'])).stdout;
    expect(pods).not.toMatch(/kube-apiserver|etcd-/);
  });

  it('the node keeps certs/ and credentials/client.config, which reaches the API', async () => {
    const files = c.vantages.nodes[0]!;
    expect(files.pkiDir.endsWith('/var/snap/microk8s/current/certs')).toBe(true);
    expect((await kubectl(files.adminKubeconfig!, ['get', 'nodes', '-o', 'name'])).code).toBe(0);
  });

  it('apiserver down: :16443 refuses everywhere, kubelets still answer', async () => {
    await c.stop();
    c = await startCluster('microk8s-apiserver-down', { block: BLOCKS.simShapesMicrok8s });
    for (const h of c.hosts.slice(0, 3)) expect(await tcpState(h.address, 16443)).toBe('refused');
    expect(await tcpState(c.hosts[0]!.address, 10250)).toBe('open');
  });
});

describe.skipIf(!withEtcd)('OpenShift', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('openshift', { block: BLOCKS.simShapesOpenshift });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('the control plane lives in openshift-kube-apiserver and openshift-etcd with their labels', async () => {
    const api = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'pod', '-n', 'openshift-kube-apiserver', 'kube-apiserver-cp-1', '-o', 'json'])).stdout);
    expect(api.metadata.labels).toMatchObject({ app: 'openshift-kube-apiserver', apiserver: 'true' });
    const members = c.etcdPlacement.map((p) => `https://${p.address}:2379`);
    expect(api.spec.containers[0].args[0]).toContain(`--etcd-servers=${[...members, 'https://localhost:2379'].join(',')}`);
    const etcd = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'pod', '-n', 'openshift-etcd', 'etcd-cp-2', '-o', 'json'])).stdout);
    expect(etcd.metadata.labels).toMatchObject({ app: 'etcd', 'k8s-app': 'etcd', etcd: 'true' });
    const kubeSystem = (await kubectl(c.kubeconfigPath, ['get', 'pods', '-n', 'kube-system', '-o', 'name'])).stdout;
    expect(kubeSystem.trim()).toBe('');
  });

  it('masters carry master and control-plane roles and the master taint', async () => {
    const body = rows((await kubectl(c.kubeconfigPath, ['get', 'nodes'])).stdout).slice(1);
    expect(body[0]![2]).toBe('control-plane,master');
    expect(body[3]![2]).toBe('worker');
    const taints = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'node', 'cp-1', '-o', 'jsonpath={.spec.taints}'])).stdout);
    expect(taints).toEqual([{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }]);
  });
});

describe('managed (EKS-like)', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('managed', { block: BLOCKS.simShapesManaged });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('the endpoint is :443 on an address that is no node; /version says -eks-', async () => {
    expect(c.server).toMatch(/:443$/);
    expect(c.hosts.map((h) => h.address)).not.toContain(new URL(c.server).hostname);
    const v = JSON.parse((await kubectl(c.kubeconfigPath, ['version', '-o', 'json'])).stdout);
    expect(v.serverVersion.gitVersion).toMatch(/^v1\.31\.4-eks-/);
  });

  it('no control-plane node or pod; provider labels on the workers', async () => {
    const body = rows((await kubectl(c.kubeconfigPath, ['get', 'nodes', '--show-labels'])).stdout).slice(1);
    expect(body.map((r) => r[2])).toEqual(['<none>', '<none>', '<none>']);
    expect(labelsOf(body[0]![5]!)['eks.amazonaws.com/nodegroup']).toBe('default');
    const pods = (await kubectl(c.kubeconfigPath, ['get', 'pods', '-A', '-o', 'name'])).stdout;
    expect(pods).not.toMatch(/kube-apiserver|etcd|kube-scheduler/);
    expect(c.etcd).toBeUndefined();
  });
});
