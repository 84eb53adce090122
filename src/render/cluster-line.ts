// One line of the report header for the cluster's shape: who built it, where its state lives,
// where k8sdoc stood, and what that was read from. The same words read in every human format;
// JSON carries the shape itself (`cluster`).
import type { ClusterShape, Report } from '../engine/types.js';
import { safeText } from '../util/terminal-text.js';

const DISTRIBUTION_WORDS: Readonly<Record<string, string>> = {
  kubeadm: 'kubeadm',
  k3s: 'k3s',
  rke2: 'RKE2',
  talos: 'Talos',
  microk8s: 'MicroK8s',
  openshift: 'OpenShift',
  kind: 'kind',
  eks: 'EKS',
  gke: 'GKE',
  aks: 'AKS',
  unknown: 'distribution unknown',
};

const DATASTORE_WORDS: Readonly<Record<string, string>> = {
  'etcd-stacked': 'stacked etcd',
  'etcd-external': 'external etcd',
  'etcd-embedded': 'embedded etcd',
  'kine-sqlite': 'kine over SQLite (no etcd)',
  'kine-sql': 'kine over SQL (no etcd)',
  dqlite: 'dqlite (no etcd)',
  managed: 'datastore run by the provider',
  unknown: 'datastore unknown',
};

/**
 * What each piece of evidence was read from, in the order a reader checks them. The evidence
 * lines are prose written by shape inference; these are their sources, named once each.
 */
const SOURCES: readonly [RegExp, string][] = [
  [/\bset by --distribution\b/, '--distribution'],
  [/\bgitVersion\b/, '/version'],
  [/\bnode label\b/, 'node labels'],
  [/\bnode annotation\b|\bnode-args\b|--cluster-init|--datastore-endpoint|servers without/, 'node annotations'],
  [/\bproviderID\b/, 'node providerID'],
  [/\bnode OS\b/, 'node OS image'],
  [/\bkubelet version\b/, 'kubelet version'],
  [/\bpod annotation\b/, 'pod annotations'],
  [/\bpod label\b|\bpods in openshift-|\bpods run from\b/, 'pod labels'],
  [/--etcd-servers\b/, 'kube-apiserver pod flags'],
  [/\betcd pods\b/, 'etcd pods'],
  [/\bkubeconfig server\b/, 'kubeconfig server'],
  [/\bservice-account token\b/, "the pod's service-account token"],
  [/\bmanifests beside --pki-dir\b|\bin \/\S*manifests\b/, 'static pod manifests'],
  [/\bexists on this machine\b|: [^:]*\bfiles? on this machine\b/, 'files on this machine'],
];

/** The sources the shape was read from (`node labels`, `kube-apiserver pod flags`, …), each once. */
export function shapeSources(shape: ClusterShape): string[] {
  const out: string[] = [];
  for (const line of shape.evidence) {
    // "no token and no control-plane files here" is how a jump host is recognised: an absence, not a source.
    if (/^vantage jump-host: no /.test(line)) continue;
    for (const [pattern, source] of SOURCES) if (pattern.test(line) && !out.includes(source)) out.push(source);
  }
  return out;
}

function membersOf(report: Report): number | null {
  for (const r of report.results) {
    if (r.check !== 'etcd-quorum' && r.check !== 'etcd-members') continue;
    const members = r.data?.['members'];
    if (typeof members === 'number' && Number.isInteger(members) && members > 0) return members;
  }
  return null;
}

function vantageWords(shape: ClusterShape): string {
  switch (shape.vantage) {
    case 'jump-host':
      return 'seen from a jump host';
    case 'control-plane-node':
      return shape.localNode ? `seen from control-plane node ${shape.localNode}` : 'seen from a control-plane node';
    case 'in-cluster':
      return 'seen from inside the cluster';
    default:
      return `seen from ${shape.vantage}`;
  }
}

/**
 * `Cluster: kubeadm · stacked etcd (3 members) · seen from a jump host  (from: pod annotations, …)`,
 * safe for a terminal (the caller escapes further for Markdown); null when the report has no shape.
 */
export function clusterLine(report: Report): string | null {
  const shape = report.cluster;
  if (!shape) return null;
  const forced = shape.evidence.some((l) => /\bset by --distribution\b/.test(l));
  const distribution = `${DISTRIBUTION_WORDS[shape.distribution] ?? shape.distribution}${forced ? ' (set by --distribution)' : ''}`;
  const members = shape.datastore.startsWith('etcd-') ? membersOf(report) : null;
  const datastore = `${DATASTORE_WORDS[shape.datastore] ?? shape.datastore}${members ? ` (${members} ${members === 1 ? 'member' : 'members'})` : ''}`;
  const sources = shapeSources(shape).filter((s) => s !== '--distribution');
  const from = sources.length > 0 ? `  (from: ${sources.join(', ')})` : '';
  return safeText(`Cluster: ${distribution} · ${datastore} · ${vantageWords(shape)}${from}`);
}
