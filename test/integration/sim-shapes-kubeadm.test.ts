// kubeadm as kubeadm really writes it (stacked and with an external etcd), proven with the
// real kubectl and with what listens on each host.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { anonymousGet, kubectl, labelsOf, rows, tcpState } from './sim-shapes-helpers.js';

const withEtcd = etcdAvailable();

async function podJson(c: SimCluster, ns: string, name: string) {
  const r = await kubectl(c.kubeconfigPath, ['get', 'pod', '-n', ns, name, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    spec: { containers: { command: string[] }[] };
    status: { hostIP: string; containerStatuses: { ready: boolean }[] };
  };
}

describe.skipIf(!withEtcd)('kubeadm stacked HA as kubeadm writes it', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('kubeadm', { block: BLOCKS.simShapesKubeadm });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('every kube-apiserver pod reads https://127.0.0.1:2379 and carries the advertise-address annotation and its hostIP', async () => {
    for (const [i, n] of ['cp-1', 'cp-2', 'cp-3'].entries()) {
      const pod = await podJson(c, 'kube-system', `kube-apiserver-${n}`);
      expect(pod.spec.containers[0]!.command).toContain('--etcd-servers=https://127.0.0.1:2379');
      expect(pod.metadata.annotations['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint']).toBe(`${c.hosts[i]!.address}:6443`);
      expect(pod.metadata.labels).toEqual({ component: 'kube-apiserver', tier: 'control-plane' });
      expect(pod.status.hostIP).toBe(c.hosts[i]!.address);
    }
  });

  it("etcd pods listen on 127.0.0.1 and the node's address, advertise the address, and keep --initial-cluster as of their join", async () => {
    const ips = c.hosts.slice(0, 3).map((h) => h.address);
    for (const [i, n] of ['cp-1', 'cp-2', 'cp-3'].entries()) {
      const pod = await podJson(c, 'kube-system', `etcd-${n}`);
      const cmd = pod.spec.containers[0]!.command;
      expect(cmd).toContain(`--listen-client-urls=https://127.0.0.1:2379,https://${ips[i]}:2379`);
      expect(cmd).toContain(`--advertise-client-urls=https://${ips[i]}:2379`);
      expect(cmd).toContain('--listen-metrics-urls=http://127.0.0.1:2381');
      const initial = cmd.find((x) => x.startsWith('--initial-cluster='))!;
      expect(initial.split(',')).toHaveLength(i + 1);
      expect(cmd.includes('--initial-cluster-state=existing')).toBe(i > 0);
      expect(pod.metadata.annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls']).toBe(`https://${ips[i]}:2379`);
    }
  });

  it('get nodes --show-labels: control-plane role "" and exclude-from-external-load-balancers; taints on control-plane nodes', async () => {
    const r = await kubectl(c.kubeconfigPath, ['get', 'nodes', '--show-labels']);
    const body = rows(r.stdout).slice(1);
    const cp1 = labelsOf(body[0]![5]!);
    expect(cp1['node-role.kubernetes.io/control-plane']).toBe('');
    expect(cp1['node.kubernetes.io/exclude-from-external-load-balancers']).toBe('');
    const taints = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'node', 'cp-2', '-o', 'jsonpath={.spec.taints}'])).stdout);
    expect(taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it("each member listens on its node's address (standing for its 127.0.0.1); every API server is ready", async () => {
    for (const h of c.hosts.slice(0, 3)) expect(await tcpState(h.address, 2379)).toBe('open');
    for (const a of c.apiServers) expect((await anonymousGet(`${a.url}/readyz/etcd`)).status).toBe(200);
  });

  it('each control-plane node has /etc/kubernetes with admin.conf, pki/etcd/healthcheck-client and its own manifests', () => {
    expect(c.vantages.nodes.map((n) => n.node)).toEqual(['cp-1', 'cp-2', 'cp-3']);
    const cp2 = c.vantages.nodes[1]!;
    for (const f of ['admin.conf', 'pki/etcd/healthcheck-client.crt', 'pki/etcd/ca.crt', 'manifests/etcd.yaml', 'manifests/kube-apiserver.yaml'])
      expect(existsSync(`${cp2.root}/etc/kubernetes/${f}`)).toBe(true);
    expect(c.vantages.inCluster.env.KUBERNETES_SERVICE_PORT).toBe('6443');
  });
});

describe.skipIf(!withEtcd)('kubeadm faults as kubeadm writes it', () => {
  it('member down: etcd-cp-3 crashes, kube-apiserver-cp-3 is not ready, kubectl through the balancer still works', async () => {
    const c = await startCluster('kubeadm-member-down', { block: BLOCKS.simShapesKubeadm });
    try {
      expect((await anonymousGet(`${c.apiServers[2]!.url}/readyz/etcd`)).status).toBe(500);
      expect((await anonymousGet(`${c.apiServers[0]!.url}/readyz/etcd`)).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await kubectl(c.kubeconfigPath, ['get', 'nodes', '-o', 'name'])).code).toBe(0);
      expect((await podJson(c, 'kube-system', 'kube-apiserver-cp-3')).status.containerStatuses[0]!.ready).toBe(false);
    } finally {
      await c.stop();
    }
  });

  it('quorum lost: no API server reads etcd', async () => {
    const c = await startCluster('kubeadm-quorum-lost', { block: BLOCKS.simShapesKubeadm });
    try {
      for (const a of c.apiServers) expect((await anonymousGet(`${a.url}/readyz/etcd`)).status).toBe(500);
    } finally {
      await c.stop();
    }
  });
});

describe.skipIf(!withEtcd)('kubeadm with an external etcd', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('kubeadm-external-etcd', { block: BLOCKS.simShapesKubeadmExternal });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('--etcd-servers lists the etcd hosts, which are not nodes; no etcd pods; nothing on 2379 on the nodes', async () => {
    const pod = await podJson(c, 'kube-system', 'kube-apiserver-cp-1');
    const expected = c.etcdPlacement.map((p) => `https://${p.address}:2379`).join(',');
    expect(pod.spec.containers[0]!.command).toContain(`--etcd-servers=${expected}`);
    const nodeAddresses = c.hosts.map((h) => h.address);
    for (const p of c.etcdPlacement) {
      expect(nodeAddresses).not.toContain(p.address);
      expect(await tcpState(p.address, 2379)).toBe('open');
    }
    const pods = (await kubectl(c.kubeconfigPath, ['get', 'pods', '-A', '-o', 'name'])).stdout;
    expect(pods).not.toMatch(/pod\/etcd-/);
    expect(await tcpState(c.hosts[0]!.address, 2379)).toBe('refused');
  });
});
