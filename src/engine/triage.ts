// Root-cause ranking: a small table of "A explains B" rules over catalogue codes. Findings
// that nothing else explains are the root causes, most likely first; each lists what it
// explains, directly or down a chain (quorum lost → member unreachable → its port refused).
import type { Code } from '../catalogue/codes.js';
import type { Result, RootCause } from './types.js';

/**
 * How a cause and an effect must be related for a rule to join them:
 * - `any`: wherever each is (lost etcd quorum explains every API server that is not ready);
 * - `host`: the same machine (node name or address) when both name one;
 * - `endpoint`: the same host and port (port 10250 refused and the kubelet unreachable are
 *   one fact seen by two checks);
 * - `backends`: the effect is at the kubeconfig's server (a load balancer, usually) and not
 *   one of the individual API servers behind it is healthy;
 * - `certificate`: the same certificate (serial number), read from a file and served on the wire.
 */
type Scope = 'any' | 'host' | 'endpoint' | 'backends' | 'certificate';

interface Rule {
  cause: readonly Code[];
  /** Extra condition on the cause: which certificate it is. */
  causeIf?: (cause: Result) => boolean;
  explains: readonly Code[];
  scope: Scope;
  why: string;
}

/** What a certificate finding is about, as far as the failures it can cause go. */
export type CertificateRole = 'cluster-ca' | 'apiserver-serving' | 'apiserver-etcd-client' | 'etcd' | 'etcd-healthcheck-client' | 'kubeconfig-client' | 'other';

const KUBEADM_FILE_ROLES: Readonly<Record<string, CertificateRole>> = {
  ca: 'cluster-ca',
  apiserver: 'apiserver-serving',
  'apiserver-etcd-client': 'apiserver-etcd-client',
  'etcd-ca': 'etcd',
  'etcd-server': 'etcd',
  'etcd-peer': 'etcd',
  'etcd-healthcheck-client': 'etcd-healthcheck-client',
};

const SERVED_ROLES: Readonly<Record<string, CertificateRole>> = {
  apiserver: 'apiserver-serving',
  'etcd-client': 'etcd',
  'etcd-peer': 'etcd',
};

/** Read from the structured data the certificate checks attach, never from message text. */
export function certificateRole(r: Result): CertificateRole {
  const data = r.data ?? {};
  switch (r.check) {
    case 'certs-served':
      return SERVED_ROLES[String(data['role'])] ?? 'other';
    case 'certs-files':
      return KUBEADM_FILE_ROLES[String(data['name'])] ?? 'other';
    case 'certs-kubeconfig':
      if (data['isCa'] === true) return 'cluster-ca';
      return String(data['source'] ?? '').includes('client certificate') ? 'kubeconfig-client' : 'other';
    default:
      return 'other';
  }
}

const certificateIs =
  (...roles: CertificateRole[]) =>
  (r: Result) =>
    roles.includes(certificateRole(r));

/** Certificates without which the control plane itself stops: the API server or etcd. */
const CONTROL_PLANE_CERTIFICATE = certificateIs('cluster-ca', 'apiserver-serving', 'apiserver-etcd-client', 'etcd');

const API_DOWN: readonly Code[] = [
  'apiserver-refused',
  'apiserver-timeout',
  'apiserver-not-ready',
  'apiserver-not-live',
  'apiserver-latency-high',
  'apiserver-bad-response',
];
const API_FAILING: readonly Code[] = [...API_DOWN, 'apiserver-tls-error'];
const CERT_INVALID: readonly Code[] = ['cert-expired', 'cert-not-yet-valid'];
const PORT_CLOSED: readonly Code[] = ['port-refused', 'port-timeout', 'port-unreachable'];
/** Findings that are about one port on one host, as the ports check also sees it. */
const SERVICE_DOWN: readonly Code[] = ['apiserver-refused', 'apiserver-timeout', 'kubelet-unreachable', 'etcd-member-unreachable'];

export const RULES: readonly Rule[] = [
  {
    cause: ['etcd-quorum-lost'],
    explains: [...API_DOWN, 'etcd-no-leader', 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'without quorum etcd refuses reads and writes, so the API servers cannot serve or start',
  },
  {
    cause: ['etcd-alarm-nospace'],
    explains: ['apiserver-not-ready', 'apiserver-latency-high', 'etcd-db-near-quota'],
    scope: 'any',
    why: 'a NOSPACE alarm makes etcd read-only',
  },
  { cause: ['etcd-alarm-corrupt'], explains: ['apiserver-not-ready'], scope: 'any', why: 'a CORRUPT alarm stops writes' },
  { cause: ['etcd-no-leader'], explains: API_DOWN, scope: 'any', why: 'etcd without a leader cannot serve requests' },
  {
    cause: ['etcd-member-unreachable'],
    explains: ['etcd-quorum-at-risk', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'a lost member takes away the fault tolerance',
  },
  {
    cause: ['etcd-even-members'],
    explains: ['control-plane-not-ha'],
    scope: 'any',
    why: 'an even etcd membership is the reason an even control plane adds no fault tolerance',
  },
  {
    cause: CERT_INVALID,
    causeIf: certificateIs('apiserver-etcd-client'),
    explains: API_DOWN,
    scope: 'any',
    why: 'etcd rejects the API server: it reports not ready, then exits and restarts',
  },
  {
    cause: [...CERT_INVALID, 'cert-untrusted'],
    causeIf: certificateIs('apiserver-serving'),
    explains: ['apiserver-tls-error'],
    scope: 'host',
    why: 'clients reject the certificate the API server serves',
  },
  {
    cause: CERT_INVALID,
    causeIf: certificateIs('cluster-ca'),
    explains: ['apiserver-tls-error', 'apiserver-unauthorized', 'cert-untrusted'],
    scope: 'any',
    why: 'nothing the cluster CA signed verifies any more',
  },
  {
    cause: [...CERT_INVALID, 'cert-untrusted'],
    causeIf: certificateIs('etcd'),
    explains: ['etcd-quorum-lost', 'etcd-no-leader', 'etcd-member-unreachable', 'etcd-quorum-at-risk', 'etcd-auth-failed'],
    scope: 'host',
    why: 'etcd members and their clients reject the certificate',
  },
  {
    cause: CERT_INVALID,
    causeIf: certificateIs('etcd-healthcheck-client'),
    explains: ['etcd-auth-failed'],
    scope: 'any',
    why: 'etcd rejects the client certificate k8sdoc authenticates with',
  },
  {
    cause: CERT_INVALID,
    causeIf: certificateIs('kubeconfig-client'),
    explains: ['apiserver-unauthorized'],
    scope: 'any',
    why: 'the API server answers an expired client certificate with 401',
  },
  {
    cause: [...CERT_INVALID, 'cert-expiring'],
    explains: [...CERT_INVALID, 'cert-expiring'],
    scope: 'certificate',
    why: 'one certificate, found on disk and served on the wire',
  },
  { cause: API_FAILING, explains: API_FAILING, scope: 'backends', why: 'the load balancer has no healthy API server to forward to' },
  { cause: PORT_CLOSED, explains: SERVICE_DOWN, scope: 'endpoint', why: 'the same closed port, probed by two checks' },
  { cause: SERVICE_DOWN, explains: PORT_CLOSED, scope: 'endpoint', why: 'the same closed port, probed by two checks' },
  {
    cause: ['kubelet-unreachable', 'kubelet-unhealthy'],
    explains: ['node-not-ready', 'node-lease-stale'],
    scope: 'host',
    why: 'a stopped kubelet stops posting node status and renewing its lease',
  },
  {
    cause: ['node-memory-pressure', 'node-disk-pressure', 'node-pid-pressure'],
    explains: ['node-not-ready', 'kubelet-unhealthy'],
    scope: 'host',
    why: 'a host short of memory, disk or processes stalls its kubelet',
  },
  { cause: ['node-lease-stale'], explains: ['node-not-ready'], scope: 'host', why: 'the node controller marks a node NotReady when its lease stops renewing' },
  {
    cause: ['node-not-ready'],
    explains: ['node-unreachable'],
    scope: 'host',
    why: 'the node controller taints a node unreachable once its kubelet stops reporting',
  },
  {
    cause: ['etcd-wal-fsync-slow', 'etcd-backend-commit-slow'],
    explains: ['etcd-leader-changes', 'etcd-proposals-failed', 'apiserver-latency-high', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'a slow disk delays every etcd write: heartbeats miss, leaders change, and API requests wait on etcd',
  },
  {
    cause: ['etcd-peer-latency-high'],
    explains: ['etcd-leader-changes', 'etcd-proposals-failed', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'slow round trips between members delay heartbeats and proposals',
  },
  {
    cause: ['etcd-leader-changes'],
    explains: ['etcd-proposals-failed', 'apiserver-latency-high'],
    scope: 'any',
    why: 'proposals in flight fail and requests wait while etcd elects a leader',
  },
  {
    cause: ['etcd-quorum-lost', 'etcd-no-leader'],
    explains: ['etcd-leader-changes', 'etcd-proposals-failed', 'etcd-peer-latency-high'],
    scope: 'any',
    why: 'without quorum or leader, elections repeat and every proposal fails',
  },
  {
    cause: ['kubelet-serving-csr-pending'],
    explains: ['kubelet-unhealthy'],
    scope: 'host',
    why: 'a kubelet waiting for its serving certificate fails the TLS handshakes the API server proxies',
  },
];

type Matcher = (r: Result) => boolean;

/**
 * Among independent root causes, what to look at first: etcd ≻ control-plane certificates ≻
 * the API server process ≻ etcd members ≻ kubelets ≻ nodes ≻ other certificates ≻ the rest.
 */
const PRIORITY: readonly (readonly [Code, Matcher?])[] = [
  ['etcd-quorum-lost'],
  ['etcd-alarm-nospace'],
  ['etcd-alarm-corrupt'],
  ['etcd-no-leader'],
  // Writes rejected by an admission webhook: "changes are not applied" with etcd healthy.
  ['webhook-backend-down'],
  ['cert-expired', CONTROL_PLANE_CERTIFICATE],
  ['cert-not-yet-valid', CONTROL_PLANE_CERTIFICATE],
  ['apiserver-refused'],
  ['apiserver-timeout'],
  ['apiserver-tls-error'],
  ['apiserver-not-live'],
  ['apiserver-not-ready'],
  ['apiserver-unauthorized'],
  ['etcd-member-unreachable'],
  ['etcd-wal-fsync-slow'],
  ['etcd-peer-latency-high'],
  ['etcd-backend-commit-slow'],
  ['etcd-leader-changes'],
  ['coredns-unavailable'],
  ['kube-proxy-unavailable'],
  ['apiservice-unavailable'],
  ['kubelet-unreachable'],
  ['kubelet-unhealthy'],
  ['node-memory-pressure'],
  ['node-disk-pressure'],
  ['node-pid-pressure'],
  ['node-lease-stale'],
  ['node-not-ready'],
  ['node-unreachable'],
  ['kubelet-serving-csr-pending'],
  ['cert-expired'],
  ['cert-not-yet-valid'],
];

export function rank(r: Result): number {
  const i = PRIORITY.findIndex(([code, matches]) => code === r.code && (!matches || matches(r)));
  return i === -1 ? PRIORITY.length : i;
}

function hostOfUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

function endpointOfUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^\[|\]$/g, '')}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return null;
  }
}

function urlsIn(data: Record<string, unknown>): unknown[] {
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return [data['endpoint'], ...list(data['clientURLs']), ...list(data['peerURLs'])];
}

/** Places and endpoints are asked for many times per finding; work them out once. */
function memo(compute: (r: Result) => string[]): (r: Result) => string[] {
  const cache = new WeakMap<Result, string[]>();
  return (r) => {
    let value = cache.get(r);
    if (value === undefined) {
      value = compute(r);
      cache.set(r, value);
    }
    return value;
  };
}

/** The machines a finding is about: node names and addresses. */
const placesOf = memo((r) => {
  const data = r.data ?? {};
  const places = [data['node'], data['host'], ...urlsIn(data).map(hostOfUrl)];
  return [...new Set(places.filter((p): p is string => typeof p === 'string' && p !== ''))];
});

/** The host:port pairs a finding is about. */
const endpointsOf = memo((r) => {
  const data = r.data ?? {};
  const direct = typeof data['host'] === 'string' && typeof data['port'] === 'number' ? [`${data['host']}:${data['port']}`] : [];
  const fromUrls = urlsIn(data).map(endpointOfUrl);
  return [...new Set([...direct, ...fromUrls].filter((e): e is string => e !== null))];
});

/** A certificate's identity: issuer and serial, as the certificate checks record them. */
function serialOf(r: Result): string | null {
  const serial = r.data?.['serial'];
  return typeof serial === 'string' && serial !== '' ? `${String(r.data?.['issuer'] ?? '')}#${serial}` : null;
}

function isKubeconfigServer(r: Result): boolean {
  return r.data?.['source'] === 'kubeconfig';
}

function individualApiServer(r: Result): string | null {
  const endpoint = r.data?.['endpoint'];
  return r.component === 'apiserver' && typeof endpoint === 'string' && !isKubeconfigServer(r) ? endpoint : null;
}

/** Whether every individual API server probed (besides the kubeconfig's server) has a problem. */
function noHealthyBackend(results: readonly Result[]): boolean {
  const all = new Set<string>();
  const failing = new Set<string>();
  for (const r of results) {
    const endpoint = individualApiServer(r);
    if (endpoint === null) continue;
    all.add(endpoint);
    if ((r.status === 'warn' || r.status === 'crit') && r.code && API_FAILING.includes(r.code)) failing.add(endpoint);
  }
  return all.size > 0 && [...all].every((e) => failing.has(e));
}

/** Findings of some codes, indexed so that a rule finds its candidates without trying every pair. */
class FindingIndex {
  private readonly byCode = new Map<Code, Result[]>();
  private readonly byPlace = new Map<string, Result[]>();
  private readonly placeless: Result[] = [];
  private readonly byEndpoint = new Map<string, Result[]>();
  private readonly bySerial = new Map<string, Result[]>();

  constructor(problems: readonly Result[]) {
    for (const r of problems) {
      push(this.byCode, r.code!, r);
      const places = placesOf(r);
      if (places.length === 0) this.placeless.push(r);
      for (const p of places) push(this.byPlace, p, r);
      for (const e of endpointsOf(r)) push(this.byEndpoint, e, r);
      const serial = serialOf(r);
      if (serial !== null) push(this.bySerial, serial, r);
    }
  }

  withCodes(codes: readonly Code[]): Result[] {
    return codes.flatMap((c) => this.byCode.get(c) ?? []);
  }

  /** Candidates for a rule's effects, before the codes are filtered. */
  near(cause: Result, scope: Scope): Iterable<Result> {
    if (scope === 'certificate') {
      const serial = serialOf(cause);
      return serial === null ? [] : (this.bySerial.get(serial) ?? []);
    }
    if (scope === 'endpoint') return new Set(endpointsOf(cause).flatMap((e) => this.byEndpoint.get(e) ?? []));
    if (scope === 'host') {
      const places = placesOf(cause);
      if (places.length === 0) return [...this.byCode.values()].flat();
      return new Set([...places.flatMap((p) => this.byPlace.get(p) ?? []), ...this.placeless]);
    }
    return [...this.byCode.values()].flat();
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** cause → the findings it explains directly. */
function explanationEdges(problems: readonly Result[], all: readonly Result[]): Map<Result, Set<Result>> {
  const index = new FindingIndex(problems);
  const backendsDown = noHealthyBackend(all);
  const edges = new Map<Result, Set<Result>>();
  for (const rule of RULES) {
    if (rule.scope === 'backends' && !backendsDown) continue;
    for (const cause of index.withCodes(rule.cause)) {
      if (rule.causeIf && !rule.causeIf(cause)) continue;
      if (rule.scope === 'backends' && individualApiServer(cause) === null) continue;
      for (const effect of index.near(cause, rule.scope)) {
        if (effect === cause || !rule.explains.includes(effect.code!)) continue;
        if (rule.scope === 'backends' && !isKubeconfigServer(effect)) continue;
        const set = edges.get(cause) ?? new Set<Result>();
        set.add(effect);
        edges.set(cause, set);
      }
    }
  }
  return edges;
}

/** Strongly connected components (Tarjan): findings that explain each other are one fact. */
function components(nodes: readonly Result[], edges: Map<Result, Set<Result>>): Map<Result, number> {
  const index = new Map<Result, number>();
  const low = new Map<Result, number>();
  const onStack = new Set<Result>();
  const stack: Result[] = [];
  const component = new Map<Result, number>();
  let counter = 0;
  let components = 0;
  const visit = (v: Result): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      let w: Result;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.set(w, components);
      } while (w !== v);
      components += 1;
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return component;
}

/** Which of several findings that are one fact speaks for it: the highest-priority one. */
function byPriority(a: Result, b: Result): number {
  return rank(a) - rank(b) || a.check.localeCompare(b.check) || a.subject.localeCompare(b.subject);
}

function reachable(from: readonly Result[], edges: Map<Result, Set<Result>>): Result[] {
  const seen = new Set<Result>(from);
  const queue = [...from];
  while (queue.length > 0) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return [...seen];
}

export function triage(results: readonly Result[]): RootCause[] {
  const problems = results.filter((r) => (r.status === 'warn' || r.status === 'crit') && r.code !== undefined);
  const edges = explanationEdges(problems, results);
  const component = components(problems, edges);
  const explainedFromOutside = new Set<number>();
  for (const [cause, effects] of edges) {
    for (const effect of effects) if (component.get(effect) !== component.get(cause)) explainedFromOutside.add(component.get(effect)!);
  }
  const position = new Map(problems.map((r, i) => [r, i]));
  const members = new Map<number, Result[]>();
  for (const r of problems) push(members, component.get(r)!, r);
  const roots = [...members.entries()]
    .filter(([id]) => !explainedFromOutside.has(id))
    .map(([, group]) => {
      const sorted = [...group].sort(byPriority);
      const root = sorted[0]!;
      const explained = reachable(group, edges).filter((r) => r !== root);
      explained.sort((a, b) => position.get(a)! - position.get(b)!);
      return { root, explained };
    });
  roots.sort(
    (a, b) =>
      (a.root.status === 'crit' ? 0 : 1) - (b.root.status === 'crit' ? 0 : 1) ||
      rank(a.root) - rank(b.root) ||
      b.explained.length - a.explained.length ||
      a.root.subject.localeCompare(b.root.subject),
  );
  return roots.map(({ root, explained }) => ({
    code: root.code!,
    subject: root.subject,
    explains: [...new Set(explained.map((e) => e.code!))],
    explainsFindings: explained.map((e) => ({ code: e.code!, subject: e.subject })),
  }));
}
