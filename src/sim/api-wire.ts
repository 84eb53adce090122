// The Kubernetes API's wire shapes that the simulator answers with: Status errors,
// discovery documents, list pagination tokens and the meta.k8s.io/v1 Table form that
// kubectl asks for. Kept pure so that the shapes are tested without a server.

export const KUBE_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;

/** /version as a server built at `gitVersion` answers it (`v1.31.4+k3s1`, `v1.31.4-eks-2d5f260`). */
export function versionInfo(gitVersion: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  // Providers that patch the server mark the minor with `+` (EKS `31+`).
  const patched = /-eks-|-gke\./.test(gitVersion);
  return { ...KUBE_VERSION, major: m?.[1] ?? '1', minor: `${m?.[2] ?? '0'}${patched ? '+' : ''}`, gitVersion };
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export function statusError(code: number, reason: string | undefined, message: string, details?: StatusBody['details']): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: the AGE column. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    const years = Math.floor(hours / 24 / 365);
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** metav1.Time: RFC 3339 in whole seconds. */
export function kubeTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime (lease renewTime): RFC 3339 with microseconds. */
export function kubeMicroTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

// The apiserver's continue token: base64url (no padding) of
// {"v":"meta.k8s.io/v1","rv":<list resourceVersion>,"start":"<last key>\u0000"}.
interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export function encodeContinue(resourceVersion: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: resourceVersion, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

export function decodeContinue(token: string): { resourceVersion: number; startAfter: string } | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string' || !parsed.start.endsWith('\u0000')) return null;
    return { resourceVersion: parsed.rv, startAfter: parsed.start.slice(0, -1) };
  } catch {
    return null;
  }
}

/** One page of a list sorted by key, as etcd and the apiserver return it. */
export interface Page<T> {
  items: T[];
  continue?: string;
  remainingItemCount?: number;
}

export function paginate<T>(sorted: readonly T[], keyOf: (item: T) => string, limit: number, startAfter: string | null, resourceVersion: number): Page<T> {
  let start = 0;
  if (startAfter !== null) {
    // Keys are unique and sorted: the first key past the token's start.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(sorted[mid]!) <= startAfter) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  if (limit <= 0 || start + limit >= sorted.length) return { items: sorted.slice(start) };
  const items = sorted.slice(start, start + limit);
  return { items, continue: encodeContinue(resourceVersion, keyOf(items[items.length - 1]!)), remainingItemCount: sorted.length - start - limit };
}

/** Does the Accept header ask for the server-side Table rendering (kubectl get does)? */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export function column(name: string, description: string, o: { format?: string; priority?: number; type?: string } = {}): TableColumn {
  return { name, type: o.type ?? 'string', format: o.format ?? '', description, priority: o.priority ?? 0 };
}

export interface ObjectWithMeta {
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export interface TableBody {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumn[];
  rows: { cells: unknown[]; object?: unknown }[];
}

export function table<T extends ObjectWithMeta>(
  columns: TableColumn[],
  objects: readonly T[],
  cells: (o: T) => unknown[],
  o: { include: IncludeObject; kind: string; apiVersion: string; listMeta?: TableBody['metadata'] },
): TableBody {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: o.listMeta ?? {},
    columnDefinitions: columns,
    rows: objects.map((obj) => {
      const row: { cells: unknown[]; object?: unknown } = { cells: cells(obj) };
      if (o.include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
      else if (o.include === 'Object') row.object = { kind: o.kind, apiVersion: o.apiVersion, ...obj };
      return row;
    }),
  };
}

// --- discovery -------------------------------------------------------------------

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

const FULL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const CORE_V1_RESOURCES: ApiResource[] = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    namespaced: false,
    kind: 'Namespace',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
  },
  { name: 'namespaces/status', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
  { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: FULL_VERBS, shortNames: ['no'] },
  { name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  { name: 'nodes/status', singularName: '', namespaced: false, kind: 'Node', verbs: ['get', 'patch', 'update'] },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: FULL_VERBS, shortNames: ['po'], categories: ['all'] },
  { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
  { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] },
];

export const COORDINATION_V1_RESOURCES: ApiResource[] = [{ name: 'leases', singularName: 'lease', namespaced: true, kind: 'Lease', verbs: FULL_VERBS }];

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

const COORDINATION_GROUP = {
  name: 'coordination.k8s.io',
  versions: [{ groupVersion: 'coordination.k8s.io/v1', version: 'v1' }],
  preferredVersion: { groupVersion: 'coordination.k8s.io/v1', version: 'v1' },
};

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [COORDINATION_GROUP] };
}

export function apiGroup(name: string) {
  return name === COORDINATION_GROUP.name ? { kind: 'APIGroup', apiVersion: 'v1', ...COORDINATION_GROUP } : null;
}

export function apiResourceList(groupVersion: string) {
  const resources = groupVersion === 'v1' ? CORE_V1_RESOURCES : groupVersion === 'coordination.k8s.io/v1' ? COORDINATION_V1_RESOURCES : null;
  return resources ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources } : null;
}
