// k3s (SQLite and embedded etcd) and RKE2 built as they really are, proven with the real
// kubectl and with what listens on each host.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { anonymousGet, kubectl, labelsOf, rows, servedCert, tcpState } from './sim-shapes-helpers.js';

const withEtcd = etcdAvailable();

describe('k3s with SQLite: one server, two agents', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('k3s', { block: BLOCKS.simShapesK3s });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('kubectl version shows the +k3s1 build', async () => {
    const r = await kubectl(c.kubeconfigPath, ['version', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).serverVersion.gitVersion).toBe('v1.31.4+k3s1');
  });

  it('get nodes --show-labels: the server carries k3s roles "true" and instance-type k3s, agents no role', async () => {
    const r = await kubectl(c.kubeconfigPath, ['get', 'nodes', '--show-labels']);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...body] = rows(r.stdout);
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'LABELS']);
    expect(body.map((row) => row.slice(0, 3))).toEqual([
      ['cp-1', 'Ready', 'control-plane,master'],
      ['worker-1', 'Ready', '<none>'],
      ['worker-2', 'Ready', '<none>'],
    ]);
    const server = labelsOf(body[0]![5]!);
    expect(server).toMatchObject({
      'node-role.kubernetes.io/control-plane': 'true',
      'node-role.kubernetes.io/master': 'true',
      'node.kubernetes.io/instance-type': 'k3s',
    });
    expect(server['node-role.kubernetes.io/etcd']).toBeUndefined();
    expect(labelsOf(body[1]![5]!)['node.kubernetes.io/instance-type']).toBe('k3s');
  });

  it('node annotations carry k3s.io/node-args as JSON argv', async () => {
    const r = await kubectl(c.kubeconfigPath, ['get', 'node', 'cp-1', '-o', 'json']);
    const a = JSON.parse(r.stdout).metadata.annotations as Record<string, string>;
    expect(JSON.parse(a['k3s.io/node-args']!)).toEqual(['server']);
    expect(a['k3s.io/internal-ip']).toBe(c.hosts[0]!.address);
    expect(a['k3s.io/hostname']).toBe('cp-1');
    expect(a['k3s.io/node-config-hash']).toMatch(/^[A-Z2-7]+=*$/);
    const agent = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'node', 'worker-1', '-o', 'json'])).stdout).metadata.annotations;
    expect(JSON.parse(agent['k3s.io/node-args'])[0]).toBe('agent');
  });

  it('get pods -A -o wide: the bundled add-ons, no control-plane pod', async () => {
    const r = await kubectl(c.kubeconfigPath, ['get', 'pods', '-A', '-o', 'wide']);
    expect(r.code, r.stderr).toBe(0);
    const names = rows(r.stdout)
      .slice(1)
      .map((row) => row[1]!);
    for (const prefix of ['coredns-', 'local-path-provisioner-', 'metrics-server-', 'traefik-']) expect(names.some((n) => n.startsWith(prefix))).toBe(true);
    expect(names.filter((n) => /^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)-/.test(n))).toEqual([]);
  });

  it(':6443 serves the supervisor certificate (CN and O k3s); nothing listens on 2379, 2380 or 2381; /readyz/etcd is ok (kine)', async () => {
    const server = c.hosts[0]!.address;
    const cert = await servedCert(server, 6443);
    expect(cert.subject.CN).toBe('k3s');
    expect(cert.subject.O).toBe('k3s');
    for (const port of [2379, 2380, 2381]) expect(await tcpState(server, port)).toBe('refused');
    expect(await anonymousGet(`https://${server}:6443/readyz/etcd`)).toEqual({ status: 200, body: 'ok' });
    expect(c.etcd).toBeUndefined();
  });

  it("the server's files: server/tls without etcd/, and k3s.yaml that reaches the API", async () => {
    const files = c.vantages.nodes[0]!;
    expect(files.pkiDir.endsWith('/var/lib/rancher/k3s/server/tls')).toBe(true);
    for (const f of ['server-ca.crt', 'client-ca.crt', 'serving-kube-apiserver.crt', 'client-admin.crt']) expect(existsSync(`${files.pkiDir}/${f}`)).toBe(true);
    expect(existsSync(`${files.pkiDir}/etcd`)).toBe(false);
    expect(files.etcdClient).toBeNull();
    expect(files.adminKubeconfig!.endsWith('/etc/rancher/k3s/k3s.yaml')).toBe(true);
    const r = await kubectl(files.adminKubeconfig!, ['get', 'nodes', '-o', 'name']);
    expect(r.stdout.trim().split('\n')).toEqual(['node/cp-1', 'node/worker-1', 'node/worker-2']);
  });
});

describe('k3s server down', () => {
  it("the server's API and kubelet refuse, the agents' kubelets answer", async () => {
    const c = await startCluster('k3s-server-down', { block: BLOCKS.simShapesK3s });
    try {
      const [server, agent] = [c.hosts[0]!.address, c.hosts[1]!.address];
      expect(await tcpState(server, 6443)).toBe('refused');
      expect(await tcpState(server, 10250)).toBe('refused');
      expect(await tcpState(agent, 10250)).toBe('open');
      const r = await kubectl(c.kubeconfigPath, ['get', 'nodes']);
      expect(r.stderr).toContain('connection refused');
    } finally {
      await c.stop();
    }
  });
});

describe.skipIf(!withEtcd)('k3s HA with embedded etcd', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('k3s-etcd', { block: BLOCKS.simShapesK3sEtcd });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('members are named <node>-<8 hex> and run with heartbeat 500 ms, election 5000 ms', async () => {
    expect(c.etcd!.members.map((m) => m.name)).toEqual(c.etcdPlacement.map((p) => p.member));
    for (const p of c.etcdPlacement) expect(p.member).toMatch(new RegExp(`^${p.host}-[0-9a-f]{8}$`));
    const config = parse(readFileSync(`${c.vantages.nodes[1]!.root}/var/lib/rancher/k3s/server/db/etcd/config`, 'utf8'));
    expect(config).toMatchObject({
      'heartbeat-interval': 500,
      'election-timeout': 5000,
      'listen-client-urls': `https://127.0.0.1:2379,https://${c.hosts[1]!.address}:2379`,
    });
  });

  it('servers carry the etcd role and the etcd.k3s.cattle.io annotations', async () => {
    const r = await kubectl(c.kubeconfigPath, ['get', 'node', 'cp-2', '-o', 'json']);
    const meta = JSON.parse(r.stdout).metadata;
    expect(meta.labels['node-role.kubernetes.io/etcd']).toBe('true');
    expect(meta.annotations['etcd.k3s.cattle.io/node-name']).toBe(c.etcdPlacement[1]!.member);
    expect(meta.annotations['etcd.k3s.cattle.io/node-address']).toBe(c.hosts[1]!.address);
    expect(JSON.parse(meta.annotations['k3s.io/node-args'])).toEqual(['server', '--server', `https://${c.hosts[0]!.address}:6443`, '--token', '********']);
  });

  it("each server's etcd listens on its address (standing for 127.0.0.1 too); its client certificate from server/tls/etcd works", async () => {
    for (const p of c.etcdPlacement) {
      expect(await tcpState(p.address, 2379)).toBe('open');
      expect(await tcpState(p.address, 2380)).toBe('open');
    }
    const tls = c.vantages.nodes[0]!.etcdClient!;
    expect(tls.certFile.endsWith('/server/tls/etcd/client.crt')).toBe(true);
    expect(c.vantages.jumpHost.etcdClient).toEqual(tls);
  });
});

describe.skipIf(!withEtcd)('RKE2', () => {
  let c: SimCluster;
  beforeAll(async () => {
    c = await startCluster('rke2', { block: BLOCKS.simShapesRke2 });
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('kubectl version shows +rke2r1; nodes carry rke2 labels and annotations', async () => {
    const v = JSON.parse((await kubectl(c.kubeconfigPath, ['version', '-o', 'json'])).stdout);
    expect(v.serverVersion.gitVersion).toBe('v1.31.4+rke2r1');
    const meta = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'node', 'cp-1', '-o', 'json'])).stdout).metadata;
    expect(meta.labels).toMatchObject({
      'node.kubernetes.io/instance-type': 'rke2',
      'node-role.kubernetes.io/etcd': 'true',
      'node-role.kubernetes.io/control-plane': 'true',
    });
    expect(meta.annotations['etcd.rke2.cattle.io/node-address']).toBe(c.hosts[0]!.address);
    expect(JSON.parse(meta.annotations['rke2.io/node-args'])).toEqual(['server']);
  });

  it('get pods -A -o wide: static etcd, apiserver, kube-proxy and cloud-controller-manager pods on their hosts', async () => {
    const r = await kubectl(c.kubeconfigPath, ['get', 'pods', '-A', '-o', 'wide']);
    expect(r.code, r.stderr).toBe(0);
    const body = rows(r.stdout).slice(1);
    const byName = new Map(body.map((row) => [row[1]!, row]));
    for (const n of ['cp-1', 'cp-2', 'cp-3'])
      for (const comp of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cloud-controller-manager', 'kube-proxy'])
        expect(byName.has(`${comp}-${n}`)).toBe(true);
    for (const n of ['worker-1', 'worker-2']) expect(byName.has(`kube-proxy-${n}`)).toBe(true);
    expect(byName.get('kube-apiserver-cp-2')![6]).toBe(c.hosts[1]!.address);
  });

  it("the etcd pod's command is only etcd --config-file; the API server reads https://127.0.0.1:2379", async () => {
    const etcd = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'pod', '-n', 'kube-system', 'etcd-cp-1', '-o', 'json'])).stdout);
    const container = etcd.spec.containers[0];
    expect([...container.command, ...container.args]).toEqual(['etcd', '--config-file=/var/lib/rancher/rke2/server/db/etcd/config']);
    const api = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'pod', '-n', 'kube-system', 'kube-apiserver-cp-1', '-o', 'json'])).stdout);
    expect(api.spec.containers[0].args).toContain('--etcd-servers=https://127.0.0.1:2379');
    expect(api.status.hostIP).toBe(c.hosts[0]!.address);
  });

  it('the supervisor answers on :9345 and every server runs an etcd member', async () => {
    for (const h of c.hosts.filter((x) => x.role === 'control-plane')) {
      expect(await tcpState(h.address, 9345)).toBe('open');
      expect(await tcpState(h.address, 2379)).toBe('open');
    }
    expect(c.vantages.nodes[0]!.adminKubeconfig!.endsWith('/etc/rancher/rke2/rke2.yaml')).toBe(true);
  });
});

describe.skipIf(!withEtcd)('RKE2 with a member down', () => {
  it("cp-3's API server fails /readyz/etcd (its only etcd is the dead local member), the others pass", async () => {
    const c = await startCluster('rke2-member-down', { block: BLOCKS.simShapesRke2 });
    try {
      const [a1, , a3] = c.apiServers;
      expect((await anonymousGet(`${a1!.url}/readyz/etcd`)).status).toBe(200);
      expect((await anonymousGet(`${a3!.url}/readyz/etcd`)).status).toBe(500);
      const pods = JSON.parse((await kubectl(c.kubeconfigPath, ['get', 'pods', '-n', 'kube-system', '-o', 'json'])).stdout).items as {
        metadata: { name: string };
        status: { containerStatuses: { ready: boolean }[] };
      }[];
      const ready = (name: string) => pods.find((p) => p.metadata.name === name)!.status.containerStatuses[0]!.ready;
      expect([ready('etcd-cp-3'), ready('kube-apiserver-cp-3'), ready('kube-apiserver-cp-1')]).toEqual([false, false, true]);
    } finally {
      await c.stop();
    }
  });
});
