// Judgement of what etcd said (or did not say): pure functions over the etcd views.
import type { About, Finding } from '../engine/types.js';
import type { EtcdView, MemberView } from '../observe/etcd-view.js';
import type { ApiServerEtcdView } from '../observe/etcd-indirect.js';

export function isCredentialFailure(outcome: { kind: string }): boolean {
  return outcome.kind === 'unauthorized' || outcome.kind === 'forbidden' || outcome.kind === 'tls';
}

/** What a check that needs the direct view reports without etcd client credentials (etcd-quorum says why, once). */
export const NO_CREDENTIALS_SKIP: readonly Finding[] = [
  { status: 'skip', subject: 'etcd', message: 'needs an etcd client certificate (see etcd-no-credentials)' },
];

/** A view nobody could be asked in: every failure is about our credentials. */
export function credentialsRejected(view: EtcdView): boolean {
  return view.answers.length > 0 && view.answers.every((a) => isCredentialFailure(a.status));
}

export function memberSubject(m: MemberView): string {
  return m.endpoint ? `etcd member ${m.label} (${m.endpoint})` : `etcd member ${m.label}`;
}

/** One line on what the API server says, for messages. */
export function describeApiServerView(view: ApiServerEtcdView): string {
  const parts: string[] = [];
  if (view.readyz) parts.push(`as the API server sees it: /readyz/etcd: ${view.readyz.ok ? 'ok' : `failing (${view.readyz.detail})`}`);
  else parts.push('API server view unavailable');
  if (view.pods && view.pods.length > 0) parts.push(`etcd pods ready: ${view.pods.filter((p) => p.ready).length} of ${view.pods.length}`);
  return parts.join('; ');
}

/** The member a finding is about, typed for triage and for the fix steps' `etcdctl member …`. */
export function memberAbout(m: MemberView): About {
  const clientURLs = m.member?.clientURLs ?? (m.endpoint ? [m.endpoint] : []);
  const member = {
    ...(m.id ? { id: m.id } : {}),
    ...(m.member?.name ? { name: m.member.name } : {}),
    clientURLs,
    peerURLs: m.member?.peerURLs ?? [],
  };
  return { member, ...(m.endpoint ? { endpoint: m.endpoint } : clientURLs[0] ? { endpoint: clientURLs[0] } : {}) };
}
