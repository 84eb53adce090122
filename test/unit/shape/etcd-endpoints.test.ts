import { describe, expect, it } from 'vitest';
import { resolveEtcdEndpoints } from '../../../src/shape/etcd-endpoints.js';
import type { EtcdEndpointsInput } from '../../../src/shape/etcd-endpoints.js';
import { isLoopbackHost } from '../../../src/shape/etcd-urls.js';
import {
  CP,
  CP6,
  k3sNode,
  kubeadmApiServer,
  kubeadmCluster,
  kubeadmEtcd,
  kubeadmNode,
  microk8sNode,
  openshiftApiServer,
  openshiftEtcd,
  openshiftEtcdServers,
  openshiftNode,
  rke2ApiServer,
  rke2Etcd,
  talosApiServer,
  talosNode,
} from './fixtures.js';

const JUMP = { vantage: 'jump-host' } as const;
const REAL = ['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://10.0.0.13:2379'];

interface Row {
  name: string;
  input: EtcdEndpointsInput;
  urls: string[];
  datastore: string;
  /** Text every note together must contain. */
  note?: RegExp;
}

const kubeadm = kubeadmCluster();
const kubeadm6 = kubeadmCluster(CP6);

const rows: Row[] = [
  {
    name: 'kubeadm stacked from a jump host: each loopback is the host of its own API server',
    input: { shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' }, nodes: kubeadm.nodes, pods: kubeadm.pods },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
  {
    name: 'kubeadm stacked from a jump host when only the API server pods are readable',
    input: { shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' }, nodes: kubeadm.nodes, pods: CP.map((h) => kubeadmApiServer(h)) },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
  {
    name: 'kubeadm stacked from cp-1: its own manifest adds no fourth member',
    input: {
      shape: { vantage: 'control-plane-node', localNode: 'cp-1', distribution: 'kubeadm', datastore: 'etcd-stacked' },
      nodes: kubeadm.nodes,
      pods: kubeadm.pods,
      localManifests: [kubeadmApiServer(CP[0]!), kubeadmEtcd(CP[0]!)],
    },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
  {
    name: 'kubeadm stacked from cp-1 with the API server unreadable: only its manifests',
    input: {
      shape: { vantage: 'control-plane-node', localNode: 'cp-1', distribution: 'kubeadm', datastore: 'etcd-stacked' },
      nodes: [kubeadmNode(CP[0]!)],
      localManifests: [kubeadmApiServer(CP[0]!), kubeadmEtcd(CP[0]!)],
    },
    urls: ['https://10.0.0.11:2379'],
    datastore: 'etcd-stacked',
  },
  {
    name: 'kubeadm IPv6: https://[::1]:2379 is each API server node’s own address',
    input: { shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' }, nodes: kubeadm6.nodes, pods: CP6.map((h) => kubeadmApiServer(h)) },
    urls: ['https://[fd00::11]:2379', 'https://[fd00::12]:2379', 'https://[fd00::13]:2379'],
    datastore: 'etcd-stacked',
  },
  {
    name: 'kubeadm external etcd: endpoints that are not nodes are kept as written',
    input: {
      shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-external' },
      nodes: kubeadm.nodes,
      pods: CP.map((h) => kubeadmApiServer(h, 'https://10.0.1.21:2379,https://10.0.1.22:2379,https://10.0.1.23:2379')),
    },
    urls: ['https://10.0.1.21:2379', 'https://10.0.1.22:2379', 'https://10.0.1.23:2379'],
    datastore: 'etcd-external',
  },
  {
    name: 'Talos: https://localhost:2379 on each API server, no etcd pods',
    input: { shape: { ...JUMP, distribution: 'talos', datastore: 'etcd-stacked' }, nodes: CP.map(talosNode), pods: CP.map((h) => talosApiServer(h)) },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
  {
    name: 'Talos 1.13: https://127.0.0.1:2379',
    input: {
      shape: { ...JUMP, distribution: 'talos', datastore: 'etcd-stacked' },
      nodes: CP.map(talosNode),
      pods: CP.map((h) => talosApiServer(h, 'https://127.0.0.1:2379')),
    },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
  {
    name: 'OpenShift: every member plus localhost, no member twice',
    input: {
      shape: { ...JUMP, distribution: 'openshift', datastore: 'etcd-stacked' },
      nodes: CP.map(openshiftNode),
      pods: [...CP.map(openshiftApiServer), ...CP.map(openshiftEtcd)],
      apiServers: CP.map((h) => ({ name: `kube-apiserver-${h.name}`, node: h.name, hostIP: h.ip, etcdServers: openshiftEtcdServers() })),
    },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
  {
    name: 'k3s with SQLite: unix://kine.sock is no etcd',
    input: {
      shape: { ...JUMP, distribution: 'k3s', datastore: 'unknown' },
      nodes: [k3sNode(CP[0]!)],
      apiServers: [{ name: 'k3s server cp-1', node: 'cp-1', etcdServers: ['unix://kine.sock'] }],
    },
    urls: [],
    datastore: 'kine-sqlite',
    note: /no etcd to check: .*unix:\/\/kine\.sock \(kine-sqlite\)/,
  },
  {
    name: 'k3s with SQLite, known from the shape alone (the API server runs in the k3s process)',
    input: { shape: { ...JUMP, distribution: 'k3s', datastore: 'kine-sqlite' }, nodes: [k3sNode(CP[0]!)] },
    urls: [],
    datastore: 'kine-sqlite',
    note: /no etcd to check: the datastore is kine-sqlite/,
  },
  {
    name: 'MicroK8s: the API server talks to dqlite through unix://…/kine.sock:12379',
    input: {
      shape: { ...JUMP, distribution: 'microk8s', datastore: 'unknown' },
      nodes: [microk8sNode(CP[0]!)],
      apiServers: [{ name: 'kubelite on cp-1', node: 'cp-1', etcdServers: ['unix:///var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379'] }],
    },
    urls: [],
    datastore: 'dqlite',
    note: /dqlite/,
  },
  {
    name: 'RKE2 with an external SQL datastore: unixs:// kine socket',
    input: {
      shape: { ...JUMP, distribution: 'rke2', datastore: 'unknown' },
      nodes: CP.map((h) => k3sNode(h, { program: 'rke2', args: ['server', '--datastore-endpoint', '********'] })),
      pods: CP.map((h) => rke2ApiServer(h, 'unixs:///var/lib/rancher/rke2/server/kine.sock')),
    },
    urls: [],
    datastore: 'kine-sql',
    note: /unixs:\/\/\/var\/lib\/rancher\/rke2\/server\/kine\.sock \(kine-sql\)/,
  },
  {
    name: 'managed control plane: no pods, provider-managed',
    input: { shape: { ...JUMP, distribution: 'eks', datastore: 'managed' }, nodes: [] },
    urls: [],
    datastore: 'managed',
    note: /no etcd to check: the datastore is managed/,
  },
  {
    name: 'k3s embedded etcd: the nodes’ etcd.k3s.cattle.io/node-address annotations',
    input: {
      shape: { ...JUMP, distribution: 'k3s', datastore: 'etcd-embedded' },
      nodes: CP.map((h) => k3sNode(h, { etcd: true, args: ['server', '--cluster-init'] })),
    },
    urls: REAL,
    datastore: 'etcd-embedded',
  },
  {
    name: 'RKE2: etcd pods with only --config-file, API servers on 127.0.0.1',
    input: {
      shape: { ...JUMP, distribution: 'rke2', datastore: 'etcd-stacked' },
      nodes: CP.map((h) => k3sNode(h, { program: 'rke2', etcd: true })),
      pods: [...CP.map((h) => rke2ApiServer(h)), ...CP.map(rke2Etcd)],
    },
    urls: REAL,
    datastore: 'etcd-stacked',
  },
];

describe('resolveEtcdEndpoints', () => {
  it.each(rows)('$name', ({ input, urls, datastore, note }) => {
    const out = resolveEtcdEndpoints(input);
    expect(out.endpoints.map((e) => e.url).sort()).toEqual([...urls].sort());
    expect(out.datastore).toBe(datastore);
    // Never the machine k8sdoc runs on.
    expect(out.endpoints.filter((e) => isLoopbackHost(e.host))).toEqual([]);
    if (note) expect(out.notes.join('\n')).toMatch(note);
  });

  it('says where a mapped loopback came from, for messages', () => {
    const out = resolveEtcdEndpoints({
      shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' },
      nodes: kubeadm.nodes,
      pods: CP.map((h) => kubeadmApiServer(h)),
    });
    const cp1 = out.endpoints.find((e) => e.node === 'cp-1');
    expect(cp1?.source).toBe("from kube-apiserver-cp-1's --etcd-servers (127.0.0.1 → cp-1's 10.0.0.11)");
  });

  it('keeps the advertised URL of a member and records the API server’s view of it as another source', () => {
    const out = resolveEtcdEndpoints({ shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' }, nodes: kubeadm.nodes, pods: kubeadm.pods });
    const cp2 = out.endpoints.find((e) => e.node === 'cp-2')!;
    expect(cp2.source).toBe("from etcd-cp-2's kubeadm.kubernetes.io/etcd.advertise-client-urls");
    expect(cp2.alsoFrom).toContain("from kube-apiserver-cp-2's --etcd-servers (127.0.0.1 → cp-2's 10.0.0.12)");
  });

  it('counts each member once when the member list names it under its advertise URL and the API server under its host address', () => {
    const members = CP.map((h, i) => ({
      id: ['8e9e05c52164694d', '91bc3c398fb3c146', 'fd422379fda50e48'][i]!,
      name: h.name,
      peerURLs: [`https://${h.ip}:2380`],
      clientURLs: [`https://etcd-${h.name}.cluster.internal:2379`],
    }));
    const out = resolveEtcdEndpoints({
      shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' },
      nodes: kubeadm.nodes,
      pods: CP.map((h) => kubeadmApiServer(h)),
      members,
    });
    expect(out.endpoints).toHaveLength(3);
    expect(out.endpoints.map((e) => e.memberId).sort()).toEqual(members.map((m) => m.id).sort());
    expect(out.endpoints.map((e) => e.url).sort()).toEqual(members.map((m) => m.clientURLs[0]).sort());
    expect(out.endpoints.find((e) => e.memberId === '8e9e05c52164694d')!.alsoFrom).toEqual([
      "from kube-apiserver-cp-1's --etcd-servers (127.0.0.1 → cp-1's 10.0.0.11)",
    ]);
  });

  it('matches a k3s member to its node by its name <node>-<8 hex> and leaves out URLs of no member', () => {
    const out = resolveEtcdEndpoints({
      shape: { ...JUMP, distribution: 'k3s', datastore: 'etcd-embedded' },
      nodes: CP.map((h) => k3sNode(h, { etcd: true })),
      apiServers: [{ name: 'stale flag', etcdServers: ['https://10.0.9.9:2379'] }],
      members: CP.map((h, i) => ({ id: `a${i}`, name: `${h.name}-0a1b2c3d`, peerURLs: [`https://${h.ip}:2380`], clientURLs: [`https://${h.ip}:2379`] })),
    });
    expect(out.endpoints.map((e) => e.url).sort()).toEqual(REAL);
    expect(out.notes.join('\n')).toMatch(/10\.0\.9\.9:2379 .* is not in the member list/);
  });

  it('reaches a member that advertises only loopback at its peer address', () => {
    const out = resolveEtcdEndpoints({
      shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' },
      nodes: kubeadm.nodes,
      members: [{ id: '1', name: 'cp-1', peerURLs: ['https://10.0.0.11:2380'], clientURLs: ['https://127.0.0.1:2379'] }],
    });
    expect(out.endpoints.map((e) => e.url)).toEqual(['https://10.0.0.11:2379']);
  });

  it('on cp-1 with the API server down, its own manifests give its member, the loopback mapped by --advertise-address', () => {
    const out = resolveEtcdEndpoints({
      shape: { vantage: 'control-plane-node', localNode: 'cp-1', distribution: 'kubeadm', datastore: 'etcd-stacked' },
      localManifests: [kubeadmApiServer(CP[0]!)],
    });
    expect(out.endpoints.map((e) => [e.url, e.node, e.source])).toEqual([
      ['https://10.0.0.11:2379', 'cp-1', "from this node's kube-apiserver-cp-1 manifest's --etcd-servers (127.0.0.1 → cp-1's 10.0.0.11)"],
    ]);
  });

  it('does not use a loopback URL whose carrier’s address is unknown, and says so', () => {
    const out = resolveEtcdEndpoints({
      shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' },
      apiServers: [{ name: 'kube-apiserver-cp-9', etcdServers: ['https://127.0.0.1:2379'] }],
    });
    expect(out.endpoints).toEqual([]);
    expect(out.notes.join('\n')).toMatch(/127\.0\.0\.1:2379' in kube-apiserver-cp-9's --etcd-servers is this pod's own machine/);
  });

  it('escapes control characters a hostile pod name carries into the source', () => {
    const pod = { ...kubeadmApiServer(CP[0]!), name: 'kube-apiserver-\u001b[2Jx' };
    const out = resolveEtcdEndpoints({ shape: { ...JUMP, distribution: 'kubeadm', datastore: 'etcd-stacked' }, nodes: kubeadm.nodes, pods: [pod] });
    expect(out.endpoints[0]!.source).toContain('kube-apiserver-\\x1b[2Jx');
    expect(out.endpoints[0]!.source).not.toContain('\u001b');
  });
});
