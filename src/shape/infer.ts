// Which distribution built the cluster, what its datastore is, and where k8sdoc stands, from
// what discovery already read: node objects, kube-system and openshift-* pods, `/version`, the
// kubeconfig's server URL and which well-known files exist on this machine. Each conclusion
// keeps the facts it rests on, worded for the report header ("k3s: gitVersion v1.31.4+k3s1;
// node label node.kubernetes.io/instance-type=k3s"). `--distribution` overrides the guess.
//
// The signals, each as the distribution writes it (see distributions.ts for the sources):
// - `/version` and kubelet versions: `+k3s1`, `+rke2r1`, `-eks-…`, `-gke.…`.
// - providerID: `k3s://node`, `rke2://node` (their cloud providers), `kind://docker/…`.
// - node labels and annotations: instance-type `k3s`/`rke2`, `<program>.io/node-args`,
//   `microk8s.io/cluster`, `eks.amazonaws.com/nodegroup`, `cloud.google.com/gke-nodepool`,
//   `kubernetes.azure.com/cluster`, `node.openshift.io/os_id`; osImage `Talos (v…)`.
// - pods: kubeadm's `kubeadm.kubernetes.io/…` annotations on static pods, Talos's
//   `app.kubernetes.io/managed-by=Talos` on kube-apiserver, OpenShift's control plane in
//   openshift-kube-apiserver and openshift-etcd, RKE2's etcd pod run from /var/lib/rancher/rke2.
// - the kubeconfig server: `*.eks.amazonaws.com`, `*.azmk8s.io`, MicroK8s' port 16443.
// - local files: kubeadm manifests, the k3s/RKE2 server folders, MicroK8s' dqlite folder.
//
// Where k8sdoc stands is never read from a 127.x address: a service-account token means
// in-cluster; a distribution's control-plane files on this machine mean a control-plane node
// (which one: the manifest's advertise address or etcd name, else the host name, else one of
// this machine's own addresses matching a node); anything else is a jump host.
import { safeText } from '../util/terminal-text.js';
import { PROFILES } from './distributions.js';
import { datastoreOfSocket, isLoopbackHost, parseEtcdUrl } from './etcd-urls.js';
import { internalIP, podFlags, splitList } from './types.js';
import type { Datastore, Distribution, NodeFacts, PodFacts, Shape } from './types.js';

/** A static pod manifest read on this machine. */
export interface LocalManifest {
  path: string;
  pod: PodFacts;
  /** Found beside `--pki-dir` rather than in /etc/kubernetes/manifests: perhaps a copy. */
  besidePkiDir?: boolean;
}

export interface LocalFacts {
  /** The run authenticates with this pod's service-account token. */
  serviceAccount?: boolean;
  /** The node this pod runs on, when the downward API tells it (in-cluster only). */
  nodeName?: string;
  hostname?: string;
  /** This machine's own interface addresses; loopback ones are ignored. */
  addresses?: readonly string[];
  /** Which well-known paths (distributions.ts `LOCAL_MARKERS`, admin kubeconfigs, PKI folders) exist here. */
  existing?: readonly string[];
  manifests?: readonly LocalManifest[];
}

export interface ShapeEvidence {
  nodes?: readonly NodeFacts[];
  pods?: readonly PodFacts[];
  /** `/version` gitVersion. */
  gitVersion?: string | null;
  /** The kubeconfig's server URL. */
  server?: string | null;
  /** The subject CN of the kubeconfig's cluster CA (`k3s-server-ca@1700000000` on k3s). */
  clusterCaSubject?: string | null;
  local?: LocalFacts;
  override?: { distribution?: Distribution | null; datastore?: Datastore | null };
}

const STRONG = 3;
const WEAK = 1;

interface Signal {
  distribution: Distribution;
  weight: number;
  text: string;
  /** What the fact was seen on, to say "(3 nodes)" instead of repeating it. */
  on?: 'node' | 'pod';
}

/** A cluster-provided value, safe to print and short enough for a header line. */
function shown(value: string, max = 80): string {
  const text = safeText(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function versionSignal(version: string, what: string): Signal | null {
  const v = shown(version);
  if (/\+k3s\d*/.test(version)) return { distribution: 'k3s', weight: STRONG, text: `${what} ${v}` };
  if (/\+rke2r?\d*/.test(version)) return { distribution: 'rke2', weight: STRONG, text: `${what} ${v}` };
  if (/-eks-/.test(version)) return { distribution: 'eks', weight: STRONG, text: `${what} ${v}` };
  if (/-gke\./.test(version)) return { distribution: 'gke', weight: STRONG, text: `${what} ${v}` };
  return null;
}

function nodeSignals(node: NodeFacts): Signal[] {
  const out: Signal[] = [];
  const labels = node.labels ?? {};
  const annotations = node.annotations ?? {};
  const add = (distribution: Distribution, weight: number, text: string) => out.push({ distribution, weight, text, on: 'node' });
  const kubelet = node.kubeletVersion ? versionSignal(node.kubeletVersion, 'kubelet version') : null;
  if (kubelet) out.push({ ...kubelet, on: 'node' });
  const provider = node.providerID ?? '';
  if (provider.startsWith('k3s://')) add('k3s', STRONG, 'providerID k3s://');
  if (provider.startsWith('rke2://')) add('rke2', STRONG, 'providerID rke2://');
  if (provider.startsWith('kind://')) add('kind', STRONG + 2, `providerID ${shown(provider.split('/').slice(0, 3).join('/'))}/…`);
  const instanceType = labels['node.kubernetes.io/instance-type'];
  if (instanceType === 'k3s' || instanceType === 'rke2') add(instanceType, STRONG, `node label node.kubernetes.io/instance-type=${instanceType}`);
  if ('k3s.io/node-args' in annotations) add('k3s', STRONG, 'node annotation k3s.io/node-args');
  if ('rke2.io/node-args' in annotations) add('rke2', STRONG, 'node annotation rke2.io/node-args');
  if ('microk8s.io/cluster' in labels) add('microk8s', STRONG, `node label microk8s.io/cluster=${shown(labels['microk8s.io/cluster']!)}`);
  if ('node.kubernetes.io/microk8s-controlplane' in labels) add('microk8s', STRONG, 'node label node.kubernetes.io/microk8s-controlplane');
  if ('eks.amazonaws.com/nodegroup' in labels) add('eks', STRONG, 'node label eks.amazonaws.com/nodegroup');
  if ('eks.amazonaws.com/compute-type' in labels) add('eks', STRONG, 'node label eks.amazonaws.com/compute-type');
  if ('cloud.google.com/gke-nodepool' in labels) add('gke', STRONG, 'node label cloud.google.com/gke-nodepool');
  if ('kubernetes.azure.com/cluster' in labels) add('aks', STRONG, 'node label kubernetes.azure.com/cluster');
  if ('node.openshift.io/os_id' in labels) add('openshift', STRONG, `node label node.openshift.io/os_id=${shown(labels['node.openshift.io/os_id']!)}`);
  if (/^Talos\b/.test(node.osImage ?? '')) add('talos', STRONG, `node OS ${shown(node.osImage!)}`);
  return out;
}

function podSignals(pod: PodFacts): Signal[] {
  const out: Signal[] = [];
  const labels = pod.labels ?? {};
  const annotations = pod.annotations ?? {};
  const add = (distribution: Distribution, weight: number, text: string) => out.push({ distribution, weight, text, on: 'pod' });
  if (pod.namespace === 'openshift-kube-apiserver' || pod.namespace === 'openshift-etcd') add('openshift', STRONG, `pods in ${pod.namespace}`);
  if (labels['app.kubernetes.io/managed-by'] === 'Talos') add('talos', STRONG, 'pod label app.kubernetes.io/managed-by=Talos');
  for (const key of ['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint', 'kubeadm.kubernetes.io/etcd.advertise-client-urls']) {
    if (key in annotations) add('kubeadm', STRONG, `pod annotation ${key}`);
  }
  const words = (pod.containers ?? []).flatMap((c) => [...(c.command ?? []), ...(c.args ?? [])]).join(' ');
  if (/\/var\/lib\/rancher\/rke2\//.test(words)) add('rke2', STRONG, 'pods run from /var/lib/rancher/rke2');
  if (pod.namespace === 'kube-system' && labels.tier === 'control-plane' && labels.component) {
    add('kubeadm', WEAK, 'pod label tier=control-plane');
  }
  return out;
}

function serverSignals(server: string): Signal[] {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return [];
  }
  const host = url.hostname.toLowerCase();
  const shownServer = shown(`${url.protocol}//${url.host}`);
  if (host.endsWith('.eks.amazonaws.com')) return [{ distribution: 'eks', weight: STRONG, text: `kubeconfig server ${shownServer}` }];
  if (host.endsWith('.azmk8s.io')) return [{ distribution: 'aks', weight: STRONG, text: `kubeconfig server ${shownServer}` }];
  if (url.port === '16443') return [{ distribution: 'microk8s', weight: WEAK, text: `kubeconfig server on port 16443` }];
  return [];
}

/**
 * k3s and RKE2 name their cluster CA `<program>-server-ca@<epoch>` (pkg/daemons/control/deps):
 * the kubeconfig alone tells them apart, even when no API server answers.
 */
function caSignals(subject: string): Signal[] {
  const m = /^(k3s|rke2)-server-ca@\d+$/.exec(subject);
  return m ? [{ distribution: m[1] as 'k3s' | 'rke2', weight: STRONG, text: `kubeconfig CA ${shown(subject)}` }] : [];
}

const LOCAL_DISTRIBUTIONS = ['kubeadm', 'k3s', 'rke2', 'microk8s'] as const;

function localSignals(local: LocalFacts | undefined): Signal[] {
  const existing = new Set(local?.existing ?? []);
  const out: Signal[] = [];
  for (const d of LOCAL_DISTRIBUTIONS) {
    const found = PROFILES[d].controlPlaneMarkers.find((p) => existing.has(p));
    if (found) out.push({ distribution: d, weight: STRONG, text: `${found} exists on this machine` });
  }
  return out;
}

/** Signals grouped per distribution; the same fact seen on several nodes counts once, with the count said. */
function tally(signals: Signal[]): Map<Distribution, { score: number; texts: string[] }> {
  type Fact = { weight: number; count: number; on?: 'node' | 'pod' };
  const byDistribution = new Map<Distribution, Map<string, Fact>>();
  for (const s of signals) {
    const facts = byDistribution.get(s.distribution) ?? new Map<string, Fact>();
    const known = facts.get(s.text);
    if (known) known.count += 1;
    else facts.set(s.text, { weight: s.weight, count: 1, ...(s.on ? { on: s.on } : {}) });
    byDistribution.set(s.distribution, facts);
  }
  const out = new Map<Distribution, { score: number; texts: string[] }>();
  for (const [d, facts] of byDistribution) {
    let score = 0;
    const texts: string[] = [];
    for (const [text, { weight, count, on }] of facts) {
      score += weight;
      texts.push(count > 1 && on ? `${text} (${count} ${on}s)` : text);
    }
    out.set(d, { score, texts });
  }
  return out;
}

// When two distributions score alike, the one built on the other wins: kind runs kubeadm, RKE2
// runs on k3s code, OpenShift and Talos write static pods like kubeadm's.
const PRECEDENCE: readonly Distribution[] = ['kind', 'openshift', 'talos', 'rke2', 'k3s', 'microk8s', 'eks', 'gke', 'aks', 'kubeadm'];

function chooseDistribution(evidence: ShapeEvidence): { distribution: Distribution; line: string } {
  const override = evidence.override?.distribution;
  if (override) return { distribution: override, line: `${override}: set by --distribution` };
  const signals: Signal[] = [];
  const git = evidence.gitVersion ? versionSignal(evidence.gitVersion, 'gitVersion') : null;
  if (git) signals.push(git);
  for (const node of evidence.nodes ?? []) signals.push(...nodeSignals(node));
  for (const pod of evidence.pods ?? []) signals.push(...podSignals(pod));
  for (const m of evidence.local?.manifests ?? [])
    signals.push(...podSignals(m.pod).map((s) => ({ ...s, text: `${s.text} in ${shown(m.path)}`, on: undefined })));
  if (evidence.server) signals.push(...serverSignals(evidence.server));
  if (evidence.clusterCaSubject) signals.push(...caSignals(evidence.clusterCaSubject));
  signals.push(...localSignals(evidence.local));
  const scores = tally(signals);
  let best: Distribution = 'unknown';
  let bestScore = 0;
  for (const d of PRECEDENCE) {
    const score = scores.get(d)?.score ?? 0;
    // kind is kubeadm in containers: its providerID settles it even against many kubeadm facts.
    if (score > bestScore || (d === 'kind' && score > 0)) {
      best = d;
      bestScore = d === 'kind' && score > 0 ? Number.POSITIVE_INFINITY : score;
    }
  }
  if (best === 'unknown') return { distribution: 'unknown', line: 'unknown: no distribution-specific label, annotation, pod, version or file seen' };
  return { distribution: best, line: `${best}: ${scores.get(best)!.texts.slice(0, 4).join('; ')}` };
}

const MANAGED: ReadonlySet<Distribution> = new Set(['eks', 'gke', 'aks']);

function isEtcdPod(pod: PodFacts): boolean {
  const labels = pod.labels ?? {};
  if (pod.namespace === 'openshift-etcd') return labels.app === 'etcd' || labels.etcd === 'true' || /^etcd-/.test(pod.name);
  return pod.namespace === 'kube-system' && (labels.component === 'etcd' || /^etcd-/.test(pod.name));
}

function isApiServerPod(pod: PodFacts): boolean {
  const labels = pod.labels ?? {};
  if (pod.namespace === 'openshift-kube-apiserver') return labels.app === 'openshift-kube-apiserver' || labels.apiserver === 'true';
  return pod.namespace === 'kube-system' && (labels.component === 'kube-apiserver' || /^kube-apiserver-/.test(pod.name));
}

/** The node-args / node-env annotations of k3s and RKE2 servers (values of secrets are redacted as ********). */
function serverArgs(nodes: readonly NodeFacts[], program: 'k3s' | 'rke2'): { args: string[]; env: Record<string, string> }[] {
  const out: { args: string[]; env: Record<string, string> }[] = [];
  for (const node of nodes) {
    const raw = node.annotations?.[`${program}.io/node-args`];
    if (!raw) continue;
    let args: unknown;
    let env: unknown = {};
    try {
      args = JSON.parse(raw);
      env = JSON.parse(node.annotations?.[`${program}.io/node-env`] ?? '{}');
    } catch {
      continue;
    }
    if (!Array.isArray(args) || args[0] !== 'server') continue;
    out.push({ args: args.map(String), env: typeof env === 'object' && env !== null ? (env as Record<string, string>) : {} });
  }
  return out;
}

function chooseDatastore(distribution: Distribution, evidence: ShapeEvidence): { datastore: Datastore; line: string } {
  const override = evidence.override?.datastore;
  if (override) return { datastore: override, line: `datastore ${override}: set by override` };
  if (MANAGED.has(distribution)) return { datastore: 'managed', line: `datastore managed: ${distribution} runs the control plane and its etcd out of sight` };
  const nodes = evidence.nodes ?? [];
  // This node's manifests add what the API server could not show; the same pod counts once.
  const seen = new Set<string>();
  const pods = [...(evidence.pods ?? []), ...(evidence.local?.manifests ?? []).map((m) => m.pod)].filter((p) => {
    const key = `${p.namespace}/${p.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const etcdPods = pods.filter(isEtcdPod);
  const nodeAddresses = new Set(nodes.flatMap((n) => (n.addresses ?? []).map((a) => a.address)));

  // What the API servers are told to use, the strongest fact when a pod or manifest shows it.
  const servers = pods.filter(isApiServerPod).flatMap((p) => splitList(podFlags(p).get('etcd-servers')).map((u) => ({ url: parseEtcdUrl(u), pod: p })));
  const program = distribution === 'k3s' || distribution === 'rke2' ? distribution : null;
  const serverNodes = program ? serverArgs(nodes, program) : [];
  const externalSql =
    serverNodes.length === 0
      ? null
      : serverNodes.some((s) => s.args.includes('--datastore-endpoint') || `${program!.toUpperCase()}_DATASTORE_ENDPOINT` in s.env);
  const socket = servers.find((s) => s.url.kind === 'socket');
  if (socket && socket.url.kind === 'socket') {
    const datastore = datastoreOfSocket(socket.url, externalSql);
    return { datastore, line: `datastore ${datastore}: ${shown(socket.pod.name)} --etcd-servers=${shown(socket.url.url)}` };
  }

  if (distribution === 'microk8s')
    return { datastore: 'dqlite', line: 'datastore dqlite: MicroK8s keeps its state in dqlite unless set up with external etcd' };
  if (distribution === 'talos')
    return { datastore: 'etcd-stacked', line: 'datastore etcd-stacked: Talos runs etcd as a host service on each control-plane node' };

  if (program) {
    const etcdNodes = nodes.filter(
      (n) => n.labels?.['node-role.kubernetes.io/etcd'] === 'true' || `etcd.${program}.cattle.io/node-address` in (n.annotations ?? {}),
    );
    const kind: Datastore = program === 'rke2' ? 'etcd-stacked' : 'etcd-embedded';
    if (etcdNodes.length > 0) {
      const first = etcdNodes[0]!;
      const how =
        first.labels?.['node-role.kubernetes.io/etcd'] === 'true'
          ? 'node label node-role.kubernetes.io/etcd=true'
          : `node annotation etcd.${program}.cattle.io/node-address`;
      return { datastore: kind, line: `datastore ${kind}: ${how} on ${etcdNodes.length} node(s)` };
    }
    if (etcdPods.length > 0) return { datastore: kind, line: `datastore ${kind}: etcd pods ${etcdPods.map((p) => shown(p.name)).join(', ')}` };
    if (externalSql) {
      return {
        datastore: 'kine-sql',
        line: `datastore kine-sql: a server runs with --datastore-endpoint (its value is redacted; an external etcd would need --etcd)`,
      };
    }
    if (serverNodes.some((s) => s.args.includes('--cluster-init'))) {
      return { datastore: kind, line: `datastore ${kind}: a server runs with --cluster-init` };
    }
    if (serverNodes.length > 0) {
      if (program === 'k3s')
        return { datastore: 'kine-sqlite', line: 'datastore kine-sqlite: k3s servers without --cluster-init or --datastore-endpoint, and no etcd node label' };
      return { datastore: 'etcd-stacked', line: 'datastore etcd-stacked: RKE2 runs etcd unless given --datastore-endpoint or --disable-etcd' };
    }
    return { datastore: 'unknown', line: `datastore unknown: no ${program} server node, etcd label or API server pod seen` };
  }

  if (etcdPods.length > 0) {
    return {
      datastore: 'etcd-stacked',
      line: `datastore etcd-stacked: etcd pods ${etcdPods
        .slice(0, 5)
        .map((p) => shown(p.name))
        .join(', ')}`,
    };
  }
  const tcp = servers.flatMap((s) => (s.url.kind === 'tcp' ? [{ ...s.url, pod: s.pod }] : []));
  if (tcp.length > 0) {
    const remote = tcp.filter((u) => !u.loopback && !nodeAddresses.has(u.host));
    if (remote.length === tcp.length) {
      return {
        datastore: 'etcd-external',
        line: `datastore etcd-external: --etcd-servers names ${[...new Set(remote.map((u) => shown(u.host)))].join(', ')}, none of them a node`,
      };
    }
    if (tcp.some((u) => u.loopback || nodeAddresses.has(u.host))) {
      return {
        datastore: 'etcd-stacked',
        line: `datastore etcd-stacked: --etcd-servers=${shown(tcp[0]!.url)} on ${shown(tcp[0]!.pod.name)} (etcd on the control-plane nodes)`,
      };
    }
  }
  if (distribution === 'kubeadm' || distribution === 'kind' || distribution === 'openshift') {
    return { datastore: 'unknown', line: 'datastore unknown: neither etcd pods nor an API server pod could be read' };
  }
  return { datastore: 'unknown', line: 'datastore unknown: no API server pod, etcd pod or datastore label seen' };
}

function sameHost(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.split('.')[0] === y.split('.')[0];
}

/** The node a manifest describes: etcd's --name, or the API server's advertise address. */
function nodeOfManifest(manifest: LocalManifest, nodes: readonly NodeFacts[]): { node: string; how: string } | null {
  const flags = podFlags(manifest.pod);
  const name = flags.get('name');
  // kubeadm names each etcd member after its node; with no node list (API server down) the name is all there is.
  if (name && (nodes.length === 0 || nodes.some((n) => n.name === name))) return { node: name, how: `etcd --name=${shown(name)} in ${shown(manifest.path)}` };
  const endpoint = manifest.pod.annotations?.['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'];
  const address = flags.get('advertise-address') ?? endpoint?.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (address && !isLoopbackHost(address)) {
    const node = nodes.find((n) => (n.addresses ?? []).some((a) => a.address === address));
    if (node) return { node: node.name, how: `advertise address ${shown(address)} in ${shown(manifest.path)}` };
  }
  return null;
}

function localNodeByHost(local: LocalFacts, nodes: readonly NodeFacts[]): { node: string; how: string } | null {
  if (local.hostname) {
    const byName = nodes.find(
      (n) =>
        sameHost(n.name, local.hostname!) || Object.entries(n.annotations ?? {}).some(([k, v]) => /\.io\/hostname$/.test(k) && sameHost(v, local.hostname!)),
    );
    if (byName) return { node: byName.name, how: `host name ${shown(local.hostname)}` };
  }
  const own = (local.addresses ?? []).filter((a) => !isLoopbackHost(a));
  for (const node of nodes) {
    const hit = (node.addresses ?? []).find((a) => own.includes(a.address) && !isLoopbackHost(a.address));
    if (hit) return { node: node.name, how: `this machine's address ${shown(hit.address)}` };
  }
  return null;
}

function chooseVantage(distribution: Distribution, evidence: ShapeEvidence): Pick<Shape, 'vantage' | 'localNode'> & { line: string } {
  const local = evidence.local ?? {};
  const nodes = evidence.nodes ?? [];
  if (local.serviceAccount) {
    const node = local.nodeName && nodes.some((n) => n.name === local.nodeName) ? local.nodeName : undefined;
    return {
      vantage: 'in-cluster',
      ...(node ? { localNode: node } : {}),
      line: `vantage in-cluster: authenticated with this pod's service-account token${node ? ` (on node ${shown(node)})` : ''}`,
    };
  }
  const existing = new Set(local.existing ?? []);
  const markers: string[] = [];
  for (const d of LOCAL_DISTRIBUTIONS) {
    const profile = PROFILES[d];
    if (profile.workerMarkers.some((p) => existing.has(p))) continue;
    markers.push(...profile.controlPlaneMarkers.filter((p) => existing.has(p)));
  }
  const realManifests = (local.manifests ?? []).filter((m) => !m.besidePkiDir);
  const copies = (local.manifests ?? []).filter((m) => m.besidePkiDir);

  const identified = [...realManifests, ...copies].map((m) => ({ m, found: nodeOfManifest(m, nodes) })).find((x) => x.found !== null);
  const byHost = localNodeByHost(local, nodes);

  if (markers.length > 0 || realManifests.length > 0) {
    const fromManifest = identified && !identified.m.besidePkiDir ? identified.found : null;
    const which = fromManifest ?? byHost;
    const files = [...new Set([...markers, ...realManifests.map((m) => m.path)])].map((p) => shown(p)).join(', ');
    return {
      vantage: 'control-plane-node',
      ...(which ? { localNode: which.node } : {}),
      line: `vantage control-plane node${which ? ` ${shown(which.node)} (by ${which.how})` : ''}: ${files} on this machine`,
    };
  }
  // Manifests beside --pki-dir are this node's own only when they describe this machine; a copy
  // of another node's /etc/kubernetes on a jump host says nothing about where k8sdoc runs.
  if (copies.length > 0) {
    const described = identified?.found;
    if (described && byHost && described.node === byHost.node) {
      return {
        vantage: 'control-plane-node',
        localNode: described.node,
        line: `vantage control-plane node ${shown(described.node)}: manifests beside --pki-dir describe this machine (${byHost.how})`,
      };
    }
    return {
      vantage: 'jump-host',
      line: `vantage jump-host: the manifests beside --pki-dir ${described ? `describe ${shown(described.node)}, not this machine` : 'do not name this machine'} (read as a copy)`,
    };
  }
  const managed = MANAGED.has(distribution) ? ' (the control plane is the provider’s)' : '';
  return { vantage: 'jump-host', line: `vantage jump-host: no service-account token and no control-plane files on this machine${managed}` };
}

export function inferShape(evidence: ShapeEvidence): Shape {
  const { distribution, line: distributionLine } = chooseDistribution(evidence);
  const { datastore, line: datastoreLine } = chooseDatastore(distribution, evidence);
  const vantage = chooseVantage(distribution, evidence);
  return {
    distribution,
    datastore,
    vantage: vantage.vantage,
    ...(vantage.localNode ? { localNode: vantage.localNode } : {}),
    evidence: [distributionLine, datastoreLine, vantage.line],
  };
}

/** The control-plane node addresses as the shape sees them (InternalIP of each), for callers that need them. */
export function nodeAddress(nodes: readonly NodeFacts[], name: string): string | undefined {
  return internalIP(nodes.find((n) => n.name === name));
}
