// The cluster's nodes, listed once per run and shared by discovery and every node, kubelet
// and port check. Pages of 500 (limit + continue, as kubectl does) keep 5,000 nodes from
// becoming one huge response, and each node is cut down to what the checks judge, so the
// memory held is a few hundred bytes a node rather than the whole object.
import { PORTS } from '../judge/ports.js';
import { parseJsonBody } from '../probes/json-body.js';
import { deadline, type ObserveScope } from './scope.js';

export const LIST_PAGE_SIZE = 500;
const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

export interface NodeSummary {
  name: string;
  /** InternalIP, else ExternalIP, else null. */
  address: string | null;
  controlPlane: boolean;
  unschedulable: boolean;
  kubeletPort: number;
  kubeletVersion: string | null;
  conditions: NodeCondition[];
  /** The node's taints (key and effect). */
  taints?: { key: string; effect: string; timeAdded?: string }[];
  /** metadata.creationTimestamp. */
  createdAt?: string;
  /**
   * What the cluster's shape is read from (src/shape): only the labels and annotations that
   * name a distribution, a role or an etcd member, so that 5,000 nodes stay small.
   */
  shape?: NodeShapeFacts;
}

/** The parts of a node the shape inference reads (src/shape/types.ts NodeFacts). */
export interface NodeShapeFacts {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: { key: string; value?: string; effect?: string }[];
  addresses: { type: string; address: string }[];
  providerID?: string;
  osImage?: string;
}

// Label and annotation keys that tell a distribution, a role or an etcd member apart; the
// rest (often large: kubeadm's cri-socket, CNI annotations) is dropped.
const SHAPE_KEY =
  /^(node-role\.kubernetes\.io\/|node\.kubernetes\.io\/(instance-type|microk8s-|exclude-from-external)|microk8s\.io\/|eks\.amazonaws\.com\/|cloud\.google\.com\/gke-nodepool|kubernetes\.azure\.com\/cluster|node\.openshift\.io\/os_id|k3s\.io\/|rke2\.io\/|etcd\.(k3s|rke2)\.cattle\.io\/|kubeadm\.alpha\.kubernetes\.io\/|talos\.dev\/)/;

function shapeKeys(map: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (SHAPE_KEY.test(k) && typeof v === 'string') out[k] = v.length > 4096 ? v.slice(0, 4096) : v;
  return out;
}

export type NodeListOutcome =
  | {
      kind: 'ok';
      nodes: NodeSummary[];
      pages: number;
      ms: number;
      /** The server's clock (Date header), to judge ages without client clock skew. */ serverNow: Date | null;
    }
  | { kind: 'forbidden'; message: string }
  | { kind: 'failed'; message: string; timedOut: boolean };

interface RawNode {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string };
  spec?: { unschedulable?: boolean; providerID?: string; taints?: { key?: string; value?: string; effect?: string; timeAdded?: string }[] };
  status?: {
    addresses?: { type?: string; address?: string }[];
    conditions?: NodeCondition[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
    nodeInfo?: { kubeletVersion?: string; osImage?: string };
  };
}

interface RawList<T> {
  items?: T[];
  metadata?: { continue?: string };
}

export function summariseNode(raw: RawNode): NodeSummary | null {
  const name = raw.metadata?.name;
  if (typeof name !== 'string' || name === '') return null;
  const labels = raw.metadata?.labels ?? {};
  const addresses = raw.status?.addresses ?? [];
  const addressOf = (type: string) => addresses.find((a) => a.type === type && typeof a.address === 'string' && a.address !== '')?.address;
  const port = raw.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return {
    name,
    address: addressOf('InternalIP') ?? addressOf('ExternalIP') ?? null,
    controlPlane: CONTROL_PLANE_LABELS.some((l) => l in labels),
    unschedulable: raw.spec?.unschedulable === true,
    kubeletPort: typeof port === 'number' && port > 0 ? port : PORTS.kubelet,
    kubeletVersion: raw.status?.nodeInfo?.kubeletVersion ?? null,
    conditions: (raw.status?.conditions ?? []).map((c) => ({
      type: String(c.type),
      status: String(c.status),
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
      lastHeartbeatTime: c.lastHeartbeatTime,
    })),
    shape: {
      labels: shapeKeys(labels),
      annotations: shapeKeys(raw.metadata?.annotations),
      taints: (raw.spec?.taints ?? []).flatMap((t) =>
        typeof t.key === 'string' ? [{ key: t.key, ...(t.value ? { value: t.value } : {}), ...(t.effect ? { effect: t.effect } : {}) }] : [],
      ),
      addresses: addresses.flatMap((a) => (typeof a.type === 'string' && typeof a.address === 'string' ? [{ type: a.type, address: a.address }] : [])),
      ...(typeof raw.spec?.providerID === 'string' ? { providerID: raw.spec.providerID } : {}),
      ...(typeof raw.status?.nodeInfo?.osImage === 'string' ? { osImage: raw.status.nodeInfo.osImage } : {}),
    },
    taints: (raw.spec?.taints ?? []).map((t) => ({
      key: String(t.key),
      effect: String(t.effect),
      ...(typeof t.timeAdded === 'string' ? { timeAdded: t.timeAdded } : {}),
    })),
    ...(typeof raw.metadata?.creationTimestamp === 'string' ? { createdAt: raw.metadata.creationTimestamp } : {}),
  };
}

export function serverDate(headers: Record<string, string | string[] | undefined>): Date | null {
  const value = headers['date'];
  const date = typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

export type PagedListOutcome<T> =
  | { kind: 'ok'; items: T[]; pages: number; ms: number; serverNow: Date | null }
  | { kind: 'forbidden'; message: string }
  | { kind: 'failed'; message: string; timedOut: boolean };

/**
 * Lists a collection page by page, keeping only what `keep` returns of each item. A continue
 * token that expired mid-way (410 Gone) restarts the listing once, as the list would
 * otherwise mix two versions of the collection.
 */
export async function listPaged<Raw, T>(ctx: ObserveScope, path: string, keep: (raw: Raw) => T | null, forbiddenReason: string): Promise<PagedListOutcome<T>> {
  const kube = ctx.probes.kube;
  if (!kube) return { kind: 'failed', message: 'no kubeconfig: cannot ask the API server', timedOut: false };
  const started = performance.now();
  for (let attempt = 0; attempt < 2; attempt++) {
    const items: T[] = [];
    let serverNow: Date | null = null;
    let token: string | undefined;
    let pages = 0;
    let expired = false;
    do {
      const query = `limit=${LIST_PAGE_SIZE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const page = await kube.get(`${path}${path.includes('?') ? '&' : '?'}${query}`, deadline(ctx));
      if (page.kind === 'forbidden') return { kind: 'forbidden', message: forbiddenReason };
      if (page.kind === 'http' && page.status === 410 && token) {
        expired = true;
        break;
      }
      if (page.kind !== 'ok') return { kind: 'failed', message: page.message, timedOut: page.kind === 'timeout' };
      const parsed = parseJsonBody<RawList<Raw>>(page, `GET ${path}`);
      if (!parsed.ok) return { kind: 'failed', message: parsed.message, timedOut: false };
      serverNow ??= serverDate(page.headers);
      for (const raw of parsed.value.items ?? []) {
        const kept = keep(raw);
        if (kept !== null) items.push(kept);
      }
      pages += 1;
      token = parsed.value.metadata?.continue || undefined;
    } while (token);
    if (!expired) return { kind: 'ok', items, pages, ms: Math.round(performance.now() - started), serverNow };
  }
  return { kind: 'failed', message: `GET ${path}: the continue token expired twice (the collection changes too fast to list)`, timedOut: false };
}

/**
 * Every node, listed once per run (discovery and all checks share the one list). A caller
 * without the `nodes` need asks NEEDS.api first: an API server known to be down or hung would
 * cost another --timeout for the same answer.
 */
export function nodeList(ctx: ObserveScope): Promise<NodeListOutcome> {
  return ctx.memo.once('nodes:list', async () => {
    const outcome = await listPaged<RawNode, NodeSummary>(ctx, '/api/v1/nodes', summariseNode, 'needs list nodes (RBAC: the credentials may not list nodes)');
    if (outcome.kind !== 'ok') return outcome;
    return { kind: 'ok', nodes: outcome.items, pages: outcome.pages, ms: outcome.ms, serverNow: outcome.serverNow };
  });
}
