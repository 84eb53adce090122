// What the etcd members say about themselves, gathered once per run and shared by every
// etcd check. Every member is asked everything at once, on its own client; members that
// only appear in a member list (not among the endpoints given) are asked as soon as they
// are discovered, so a dead or hung member costs one --timeout, not one per question.
import { setMaxListeners } from 'node:events';
import type { ObserveScope } from './scope.js';
import { isCredentialFailure } from '../judge/etcd.js';
import { hostOf, normalizeUrl } from '../util/url.js';
import type { EtcdAlarm, EtcdEndpointProbe, EtcdMember, EtcdOutcome, EtcdStatus, Failure, ProbeDeadline } from '../probes/types.js';

export interface EndpointAnswer {
  endpoint: string;
  status: EtcdOutcome<EtcdStatus>;
  memberList: EtcdOutcome<EtcdMember[]>;
  alarms: EtcdOutcome<EtcdAlarm[]>;
  health: EtcdOutcome<{ healthy: boolean; reason?: string }>;
  /** Null when not asked (the quota came from --etcd-quota). */
  metrics: EtcdOutcome<string> | null;
  /** When the metrics answer arrived (performance.now()): the start of a rate window. */
  metricsAt?: number;
}

export interface MemberView {
  /** The member as the member list names it; null for an endpoint no member list mentions. */
  member: EtcdMember | null;
  /** Hex id: from the member list, else from the member's own status. */
  id: string | null;
  /** Name for messages: the member's name, else its endpoint's host. */
  label: string;
  /** The client URL asked; null when there was none to ask (an unstarted member). */
  endpoint: string | null;
  answer: EndpointAnswer | null;
  /** Voting member (not a learner). Unstarted members vote, as etcd counts them. */
  voter: boolean;
  /** Added with `member add` but never started: listed without a name and client URLs. */
  unstarted: boolean;
  /** It answered for itself (status), so it is up. */
  up: boolean;
}

export interface EtcdView {
  members: MemberView[];
  /** Whether any member list was obtained; without one the endpoints stand in for members. */
  membershipKnown: boolean;
  /** Every answer, by endpoint, including endpoints that match no member. */
  answers: EndpointAnswer[];
  /** Failures that are about our credentials (rejected client certificate, untrusted server). */
  credentialFailures: { endpoint: string; failure: Failure }[];
}

async function askEverything(probe: EtcdEndpointProbe, deadline: ProbeDeadline, wantMetrics: boolean): Promise<EndpointAnswer> {
  let metricsAt: number | undefined;
  const [status, memberList, alarms, health, metrics] = await Promise.all([
    probe.status(deadline),
    probe.memberList(deadline),
    probe.alarms(deadline),
    probe.health(deadline),
    wantMetrics
      ? probe.metrics(deadline).then((m) => {
          metricsAt = performance.now();
          return m;
        })
      : Promise.resolve(null),
  ]);
  return { endpoint: probe.endpoint, status, memberList, alarms, health, metrics, ...(metricsAt !== undefined ? { metricsAt } : {}) };
}

/** Asks every endpoint, and every client URL the answers reveal, each once and all at once. */
async function askAll(ctx: ObserveScope, endpoints: string[]): Promise<EndpointAnswer[]> {
  const factory = ctx.probes.etcd!;
  // Five calls per member each listen on the signal until they end: a signal of our own,
  // without the default cap of 10 listeners (Node warns on stderr beyond it).
  const fanOut = new AbortController();
  setMaxListeners(0, fanOut.signal);
  const onAbort = () => fanOut.abort();
  if (ctx.signal.aborted) fanOut.abort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  const deadline: ProbeDeadline = { timeoutMs: ctx.options.timeoutMs, signal: fanOut.signal };
  const wantMetrics = !ctx.options.etcdQuotaFromFlag;
  const asked = new Map<string, Promise<EndpointAnswer>>();
  const ask = (url: string) => {
    const key = normalizeUrl(url);
    if (asked.has(key)) return;
    const answer = askEverything(factory.forEndpoint(url), deadline, wantMetrics).then((a) => {
      if (a.memberList.kind === 'ok') for (const m of a.memberList.value) for (const u of m.clientURLs) ask(u);
      return a;
    });
    asked.set(key, answer);
  };
  for (const url of endpoints) ask(url);
  // Answers can add endpoints while we wait: settle until nothing new was asked.
  let settled = 0;
  try {
    while (settled !== asked.size) {
      settled = asked.size;
      await Promise.all(asked.values());
    }
    return await Promise.all(asked.values());
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The member list to trust: the leader's own, else the first member's that answered. */
function referenceList(answers: EndpointAnswer[]): EtcdMember[] | null {
  const listed = answers.filter((a) => a.memberList.kind === 'ok');
  const leaderAnswer = listed.find((a) => a.status.kind === 'ok' && a.status.value.memberId === a.status.value.leader);
  const chosen = leaderAnswer ?? listed[0];
  return chosen && chosen.memberList.kind === 'ok' ? chosen.memberList.value : null;
}

export function buildView(answers: EndpointAnswer[]): EtcdView {
  const list = referenceList(answers);
  const byId = new Map<string, EndpointAnswer>();
  const byUrl = new Map<string, EndpointAnswer>();
  for (const a of answers) {
    if (a.status.kind === 'ok') byId.set(a.status.value.memberId, a);
    byUrl.set(normalizeUrl(a.endpoint), a);
  }
  const used = new Set<EndpointAnswer>();
  const members: MemberView[] = [];

  // etcd lists members by id; people look for them by name.
  const byName = [...(list ?? [])].sort((a, b) => (a.name || '\uffff').localeCompare(b.name || '\uffff') || a.id.localeCompare(b.id));
  for (const m of byName) {
    const answer = byId.get(m.id) ?? m.clientURLs.map((u) => byUrl.get(normalizeUrl(u))).find((a) => a !== undefined) ?? null;
    if (answer) used.add(answer);
    const unstarted = m.name === '' && m.clientURLs.length === 0;
    members.push({
      member: m,
      id: m.id,
      label: m.name || (unstarted ? `unstarted member ${m.id}` : m.id),
      endpoint: answer?.endpoint ?? m.clientURLs[0] ?? null,
      answer,
      voter: !m.isLearner,
      unstarted,
      up: answer?.status.kind === 'ok',
    });
  }
  // Endpoints no member list mentions: all of them when no member answered at all.
  for (const a of answers) {
    if (used.has(a)) continue;
    // An unstarted member has no client URL yet, but its host is in its peer URL: an endpoint
    // on that host (from --etcd-servers, say) is that member, not a stranger.
    const unstarted = members.find((m) => m.unstarted && m.answer === null && m.member!.peerURLs.some((u) => hostOf(u) === hostOf(a.endpoint)));
    if (unstarted && a.status.kind !== 'ok') {
      unstarted.answer = a;
      unstarted.endpoint = a.endpoint;
      continue;
    }
    members.push({
      member: null,
      id: a.status.kind === 'ok' ? a.status.value.memberId : null,
      label: hostOf(a.endpoint),
      endpoint: a.endpoint,
      answer: a,
      voter: a.status.kind === 'ok' ? !a.status.value.isLearner : true,
      unstarted: false,
      up: a.status.kind === 'ok',
    });
  }

  const credentialFailures = answers.flatMap((a) =>
    a.status.kind !== 'ok' && isCredentialFailure(a.status) ? [{ endpoint: a.endpoint, failure: a.status }] : [],
  );
  return { members, membershipKnown: list !== null, answers, credentialFailures };
}

/** Whether etcd can be asked directly; false means checks fall back to the indirect view. */
export function hasEtcdCredentials(ctx: ObserveScope): boolean {
  if (!ctx.probes.etcd) return false;
  const needsTls = ctx.targets.etcd.some((e) => e.url.startsWith('https:'));
  const { certFile, keyFile } = ctx.targets.etcdTls;
  return !needsTls || (certFile !== undefined && keyFile !== undefined);
}

/** The shared view; null when there are no credentials to ask etcd directly. */
export function etcdView(ctx: ObserveScope): Promise<EtcdView | null> {
  return ctx.memo.once('etcd:view', async () => {
    if (!hasEtcdCredentials(ctx)) return null;
    const answers = await askAll(
      ctx,
      ctx.targets.etcd.map((e) => e.url),
    );
    return buildView(answers);
  });
}

/**
 * Starts the shared view early, when nothing discovery does can change it: the endpoints from
 * --etcd and the client certificate and CA from the flags (discovery fills in kubeadm's files
 * only where the flags left a gap).
 */
export function prewarmEtcdView(ctx: ObserveScope): void {
  const final = ctx.options.etcd.length > 0 && (ctx.targets.etcdTls.caFile !== undefined || ctx.targets.etcd.every((e) => e.url.startsWith('http:')));
  if (final && hasEtcdCredentials(ctx)) void etcdView(ctx).catch(() => undefined);
}
