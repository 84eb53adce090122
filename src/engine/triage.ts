// Root-cause ranking: a small table of "A explains B" rules over catalogue codes. Findings
// that nothing else explains are the root causes, most likely first.
import type { Code } from '../catalogue/codes.js';
import type { Result, RootCause } from './types.js';

/**
 * How a cause and an effect must relate: `any` (one cause explains the effect wherever it is)
 * or `node` (the same node or host: `data.node` or `data.host` equal).
 */
type Scope = 'any' | 'node';

interface Rule {
  cause: readonly Code[];
  /** Extra condition on the cause, e.g. only the apiserver-etcd-client certificate. */
  when?: (cause: Result) => boolean;
  explains: readonly Code[];
  scope: Scope;
  why: string;
}

const API_DOWN: readonly Code[] = ['apiserver-refused', 'apiserver-timeout', 'apiserver-not-ready', 'apiserver-not-live', 'apiserver-latency-high', 'apiserver-bad-response'];

const certNamed = (...names: string[]) => (r: Result) => {
  const source = String(r.data?.['source'] ?? r.subject);
  return names.some((n) => source.includes(n));
};

export const RULES: readonly Rule[] = [
  { cause: ['etcd-quorum-lost'], explains: [...API_DOWN, 'etcd-no-leader', 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'apiserver-tls-error'], scope: 'any', why: 'without quorum etcd refuses reads and writes, so the API server cannot serve or start' },
  { cause: ['etcd-alarm-nospace'], explains: ['apiserver-not-ready', 'apiserver-latency-high', 'etcd-db-near-quota'], scope: 'any', why: 'a NOSPACE alarm makes etcd read-only' },
  { cause: ['etcd-alarm-corrupt'], explains: ['apiserver-not-ready'], scope: 'any', why: 'a CORRUPT alarm stops writes' },
  { cause: ['etcd-no-leader'], explains: API_DOWN, scope: 'any', why: 'etcd without a leader cannot serve requests' },
  { cause: ['etcd-member-unreachable'], explains: ['etcd-quorum-at-risk', 'etcd-raft-lagging'], scope: 'any', why: 'a lost member takes away the fault tolerance' },
  { cause: ['cert-expired', 'cert-not-yet-valid'], when: certNamed('apiserver-etcd-client'), explains: [...API_DOWN, 'apiserver-tls-error'], scope: 'any', why: 'the API server cannot authenticate to etcd and exits' },
  { cause: ['cert-expired', 'cert-not-yet-valid', 'cert-untrusted'], when: certNamed('apiserver', '6443'), explains: ['apiserver-tls-error', 'apiserver-refused'], scope: 'any', why: 'clients reject the served certificate' },
  { cause: ['cert-expired', 'cert-not-yet-valid', 'cert-untrusted'], when: certNamed('etcd', '2379', '2380'), explains: ['etcd-member-unreachable', 'etcd-auth-failed'], scope: 'any', why: 'etcd peers and clients reject the certificate' },
  { cause: ['cert-expired', 'cert-not-yet-valid'], when: certNamed('kubeconfig', 'admin.conf', 'client certificate'), explains: ['apiserver-unauthorized'], scope: 'any', why: 'an expired client certificate is rejected with 401' },
  { cause: ['kubelet-unreachable'], explains: ['node-not-ready', 'node-lease-stale', 'port-refused', 'port-timeout'], scope: 'node', why: 'a stopped kubelet stops posting node status' },
  { cause: ['node-memory-pressure'], explains: ['node-not-ready'], scope: 'node', why: 'a host out of memory stalls the kubelet' },
  { cause: ['node-lease-stale'], explains: ['node-not-ready'], scope: 'node', why: 'the node controller marks a node NotReady when its lease stops renewing' },
  { cause: ['port-refused'], explains: ['kubelet-unreachable', 'etcd-member-unreachable', 'apiserver-refused'], scope: 'node', why: 'nothing listens on that host\'s port' },
  { cause: ['port-timeout'], explains: ['kubelet-unreachable', 'etcd-member-unreachable', 'apiserver-timeout'], scope: 'node', why: 'packets to that host\'s port are dropped' },
];

/** Among root causes, what to look at first: quorum ≻ certificates ≻ processes ≻ the rest. */
const PRIORITY: readonly Code[] = [
  'etcd-quorum-lost',
  'etcd-alarm-nospace',
  'etcd-alarm-corrupt',
  'etcd-no-leader',
  'cert-expired',
  'cert-not-yet-valid',
  'apiserver-refused',
  'apiserver-timeout',
  'apiserver-tls-error',
  'apiserver-unauthorized',
  'etcd-member-unreachable',
  'kubelet-unreachable',
  'node-memory-pressure',
  'node-not-ready',
];

function hostOf(r: Result): string | null {
  const v = r.data?.['node'] ?? r.data?.['host'];
  return typeof v === 'string' ? v : null;
}

function explainsBy(rule: Rule, cause: Result, effect: Result): boolean {
  if (cause === effect || !cause.code || !effect.code) return false;
  if (!rule.cause.includes(cause.code) || !rule.explains.includes(effect.code)) return false;
  if (rule.when && !rule.when(cause)) return false;
  if (rule.scope === 'node') {
    const a = hostOf(cause);
    return a !== null && a === hostOf(effect);
  }
  return true;
}

function rank(r: Result): number {
  const i = PRIORITY.indexOf(r.code!);
  return i === -1 ? PRIORITY.length : i;
}

export function triage(results: readonly Result[]): RootCause[] {
  const problems = results.filter((r) => (r.status === 'warn' || r.status === 'crit') && r.code !== undefined);
  const explainedBy = new Map<Result, Result[]>();
  for (const effect of problems) {
    for (const cause of problems) {
      if (RULES.some((rule) => explainsBy(rule, cause, effect))) {
        const list = explainedBy.get(effect) ?? [];
        list.push(cause);
        explainedBy.set(effect, list);
      }
    }
  }
  // A finding is a root cause unless something that is not itself explained by it explains it
  // (mutual explanations, like port-refused and kubelet-unreachable on one host, keep the
  // higher-priority one).
  const roots = problems.filter((r) => {
    const causes = explainedBy.get(r) ?? [];
    return !causes.some((c) => {
      const mutual = (explainedBy.get(c) ?? []).includes(r);
      return !mutual || rank(c) < rank(r) || (rank(c) === rank(r) && c.check < r.check);
    });
  });
  const rootCauses = roots.map((root) => ({
    root,
    explained: problems.filter((p) => (explainedBy.get(p) ?? []).includes(root)),
  }));
  rootCauses.sort(
    (a, b) =>
      (a.root.status === 'crit' ? 0 : 1) - (b.root.status === 'crit' ? 0 : 1) ||
      rank(a.root) - rank(b.root) ||
      b.explained.length - a.explained.length ||
      a.root.subject.localeCompare(b.root.subject),
  );
  return rootCauses.map(({ root, explained }) => ({
    code: root.code!,
    subject: root.subject,
    explains: [...new Set(explained.map((e) => e.code!))],
    explainsFindings: explained.map((e) => ({ code: e.code!, subject: e.subject })),
  }));
}
