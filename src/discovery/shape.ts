// Knows the cluster's shape before anything is judged: who built it, where its state lives and
// where k8sdoc stands. The evidence is gathered once through the facts (the node list the
// other discoverers share, the control-plane pods of kube-system and OpenShift's namespaces,
// `/version`, the kubeconfig server, this machine's well-known files and the static pod
// manifests) and judged by the pure `inferShape`. The etcd discoverer reads the same pods to
// find endpoints that are true from here, so they are kept for it (`shapeEvidenceOf`).
import { X509Certificate } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { CheckContext } from '../engine/types.js';
import type { NodeSummary } from '../observe/nodes.js';
import { parseJsonBody } from '../probes/json-body.js';
import { LOCAL_MARKERS, profileOf, PROFILES } from '../shape/distributions.js';
import { inferShape, type LocalManifest } from '../shape/infer.js';
import type { NodeFacts, PodFacts } from '../shape/types.js';
import { parseYamlLazily } from '../util/yaml.js';
import type { Discoverer } from './discover.js';
import { manifestsDirOf } from './manifests.js';
import type { Endpoint, Targets } from './targets.js';
import type { KubeOutcome } from '../probes/types.js';

/** What the shape was read from, kept for the etcd discoverer. */
export interface ShapeEvidenceUsed {
  nodes: NodeFacts[];
  pods: PodFacts[];
  manifests: LocalManifest[];
}

const evidenceByTargets = new WeakMap<Targets, ShapeEvidenceUsed>();

/** The nodes, pods and manifests the shape discoverer read for these targets (empty before it ran). */
export function shapeEvidenceOf(targets: Targets): ShapeEvidenceUsed {
  return evidenceByTargets.get(targets) ?? { nodes: [], pods: [], manifests: [] };
}

export function nodeFactsOf(n: NodeSummary): NodeFacts {
  const s = n.shape;
  return {
    name: n.name,
    ...(s ? { labels: s.labels, annotations: s.annotations, taints: s.taints, addresses: s.addresses } : {}),
    ...(!s && n.address ? { addresses: [{ type: 'InternalIP', address: n.address }] } : {}),
    ...(n.kubeletVersion ? { kubeletVersion: n.kubeletVersion } : {}),
    ...(s?.osImage ? { osImage: s.osImage } : {}),
    ...(s?.providerID ? { providerID: s.providerID } : {}),
  };
}

interface RawPod {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { nodeName?: string; containers?: { name?: string; command?: string[]; args?: string[] }[] };
  status?: { hostIP?: string };
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

export function podFactsOf(raw: RawPod, namespace: string): PodFacts | null {
  const name = raw.metadata?.name;
  if (typeof name !== 'string') return null;
  const pick = (m: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(m ?? {}).filter(([k, v]) => typeof v === 'string' && !k.startsWith('kubectl.kubernetes.io/last-applied')));
  return {
    namespace: raw.metadata?.namespace ?? namespace,
    name,
    labels: pick(raw.metadata?.labels),
    annotations: pick(raw.metadata?.annotations),
    ...(typeof raw.spec?.nodeName === 'string' ? { nodeName: raw.spec.nodeName } : {}),
    ...(typeof raw.status?.hostIP === 'string' && raw.status.hostIP !== '' ? { hostIP: raw.status.hostIP } : {}),
    containers: (raw.spec?.containers ?? []).map((c) => ({
      ...(typeof c.name === 'string' ? { name: c.name } : {}),
      ...(strings(c.command) ? { command: strings(c.command)! } : {}),
      ...(strings(c.args) ? { args: strings(c.args)! } : {}),
    })),
  };
}

// The control plane's pods where each distribution puts them: kubeadm, RKE2 and Talos label
// their static pods tier=control-plane in kube-system; OpenShift runs them in its own namespaces.
const POD_LISTS: readonly { namespace: string; selector: string }[] = [
  { namespace: 'kube-system', selector: 'tier=control-plane' },
  { namespace: 'openshift-kube-apiserver', selector: 'apiserver=true' },
  { namespace: 'openshift-etcd', selector: 'app=etcd' },
];

async function controlPlanePods(ctx: CheckContext): Promise<PodFacts[]> {
  // One GET each: a label selector keeps these lists to the control plane's few pods.
  const lists = await Promise.all(
    POD_LISTS.map(async ({ namespace, selector }) => {
      const outcome = await ctx.facts.api.get(`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`);
      if (outcome.kind !== 'ok') return [];
      const parsed = parseJsonBody<{ items?: RawPod[] }>(outcome, `pods in ${namespace}`);
      return parsed.ok ? (parsed.value.items ?? []).flatMap((raw) => podFactsOf(raw, namespace) ?? []) : [];
    }),
  );
  return lists.flat();
}

function gitVersionOf(outcome: KubeOutcome): string | null {
  if (outcome.kind !== 'ok') return null;
  const parsed = parseJsonBody<{ gitVersion?: unknown }>(outcome, 'GET /version');
  return parsed.ok && typeof parsed.value.gitVersion === 'string' ? parsed.value.gitVersion : null;
}

/**
 * The first gitVersion any known API server gave: the kubeconfig's server, or one of the
 * masters the API need asked alongside it (the same memoised /version answers, nothing new is
 * asked). Waiting for the kubeconfig's server alone would hold discovery a whole --timeout
 * when it is a balancer that handed the request to a hung master.
 */
function gitVersion(ctx: CheckContext): Promise<string | null> {
  const servers = [ctx.targets.kubeServer, ...ctx.targets.apiServers].filter((e): e is Endpoint => e !== null);
  if (servers.length === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    let pending = servers.length;
    for (const e of servers) {
      void ctx.facts.api.version(e).then(
        (outcome) => {
          const version = gitVersionOf(outcome);
          if (version !== null) resolve(version);
          else if (--pending === 0) resolve(null);
        },
        () => {
          if (--pending === 0) resolve(null);
        },
      );
    }
  });
}

/** Which well-known paths exist here: the distributions' markers, admin kubeconfigs and PKI folders. */
async function existingPaths(ctx: CheckContext): Promise<string[]> {
  const paths = new Set<string>(LOCAL_MARKERS);
  for (const d of ['kubeadm', 'k3s', 'rke2', 'microk8s'] as const) {
    for (const p of PROFILES[d].adminKubeconfigs) paths.add(p);
    const pki = PROFILES[d].pkiDir;
    if (pki) paths.add(pki);
  }
  const found = await Promise.all(
    [...paths].map(async (p) => {
      const st = await ctx.facts.files.stat(p);
      return st !== null ? p : null;
    }),
  );
  return found.filter((p): p is string => p !== null);
}

async function readManifest(ctx: CheckContext, path: string): Promise<PodFacts | null> {
  const read = await ctx.facts.files.read(path);
  if (read.kind !== 'ok') return null;
  try {
    const doc = (await parseYamlLazily(read.data.toString('utf8'))) as RawPod | null;
    return doc && typeof doc === 'object' ? podFactsOf({ ...doc, metadata: { namespace: 'kube-system', ...doc.metadata } }, 'kube-system') : null;
  } catch {
    return null;
  }
}

async function localManifests(ctx: CheckContext): Promise<LocalManifest[]> {
  const dir = manifestsDirOf(ctx.targets.pkiDir);
  const besidePkiDir = ctx.options.pkiDir !== null;
  const found = await Promise.all(
    ['kube-apiserver', 'etcd'].map(async (component): Promise<LocalManifest | null> => {
      const path = join(dir, `${component}.yaml`);
      const pod = await readManifest(ctx, path);
      return pod ? { path, pod, ...(besidePkiDir ? { besidePkiDir } : {}) } : null;
    }),
  );
  return found.filter((m): m is LocalManifest => m !== null);
}

function ownAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

interface Gathered {
  nodeList: Awaited<ReturnType<CheckContext['facts']['nodes']>> | null;
  pods: PodFacts[];
  version: string | null;
  existing: string[];
  manifests: LocalManifest[];
}

const gatheredByTargets = new WeakMap<Targets, Promise<Gathered>>();

/**
 * The evidence, asked once per run. Nothing the discoverers before this one add (hosts, API
 * servers) changes what it asks, so it starts with discovery: the control-plane pod lists go
 * out with the node list instead of after it.
 */
function gather(targets: Targets, ctx: CheckContext): Promise<Gathered> {
  let gathered = gatheredByTargets.get(targets);
  if (!gathered) {
    gathered = (async () => {
      const apiUp = ctx.facts.api.configured && (await ctx.facts.api.unavailable()) === null;
      const [nodeList, pods, version, existing, manifests] = await Promise.all([
        apiUp ? ctx.facts.nodes() : null,
        apiUp ? controlPlanePods(ctx) : [],
        apiUp ? gitVersion(ctx) : null,
        existingPaths(ctx),
        localManifests(ctx),
      ]);
      return { nodeList, pods, version, existing, manifests };
    })();
    gatheredByTargets.set(targets, gathered);
  }
  return gathered;
}

/** The CN of the first certificate of a PEM bundle, or null when there is none or it does not parse. */
function caCommonName(pem: string | null): string | null {
  if (!pem) return null;
  try {
    return /(?:^|\n)CN=([^\n]*)/.exec(new X509Certificate(pem).subject)?.[1] ?? null;
  } catch {
    return null;
  }
}

export async function discoverShape(targets: Targets, ctx: CheckContext): Promise<void> {
  const { nodeList, pods, version, existing, manifests } = await gather(targets, ctx);
  const nodes = nodeList?.kind === 'ok' ? nodeList.nodes.map(nodeFactsOf) : [];
  evidenceByTargets.set(targets, { nodes, pods, manifests });
  const shape = inferShape({
    nodes,
    pods,
    gitVersion: version,
    server: targets.kubeServer?.url ?? null,
    clusterCaSubject: caCommonName(targets.clusterCa),
    local: {
      // kubeconfig.ts names the service account's configuration `in-cluster`.
      serviceAccount: targets.context === 'in-cluster',
      hostname: hostname(),
      addresses: ownAddresses(),
      existing,
      manifests,
    },
    ...(ctx.options.distribution ? { override: { distribution: ctx.options.distribution } } : {}),
  });
  targets.shape = shape;
  targets.notes.push(`shape: ${shape.evidence.join('; ')}`);
}

/** The etcd client certificate the distribution keeps in its PKI folder, relative to `--pki-dir`. */
export function etcdClientFilesIn(targets: Targets): { caFile: string; certFile: string; keyFile: string } | null {
  const profile = profileOf(targets.shape?.distribution ?? 'unknown') ?? PROFILES.kubeadm;
  if (!targets.pkiDir || !profile.etcdClient) return null;
  const dir = targets.pkiDir;
  const c = profile.etcdClient;
  return { caFile: join(dir, c.caFile), certFile: join(dir, c.certFile), keyFile: join(dir, c.keyFile) };
}

export const shapeDiscoverer: Discoverer = {
  name: 'shape',
  start: (targets, ctx) => {
    // A failure here is the discoverer's to report when it awaits the same promise.
    gather(targets, ctx).catch(() => undefined);
  },
  discover: discoverShape,
};
