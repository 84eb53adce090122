// Does etcd still have a majority, and how many more failures can it take? Voting members
// are counted as etcd counts them: learners do not vote, members added but never started
// do. quorum = floor(voters / 2) + 1, fault tolerance = healthy voters - quorum.
//
// Where k8sdoc stands is never a finding: without an etcd client certificate the direct view
// is skipped (saying how to get it) and etcd is judged from outside, where an API server whose
// /readyz/etcd passes proves a majority whatever this machine can reach. A cluster whose
// datastore is not etcd (kine, dqlite, a managed control plane) gets one line saying so.
import { raise } from '../catalogue/raise.js';
import { datastoreWords, knownWithoutEtcd } from '../shape/datastore.js';
import { classifyVantageError } from '../shape/vantage-errors.js';
import type { Shape } from '../shape/types.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { Code } from '../catalogue/codes.js';
import type { EtcdView, MemberView } from '../observe/etcd-view.js';
import { credentialsRejected } from '../judge/etcd.js';
import type { IndirectView } from '../observe/etcd-indirect.js';
import { describeApiServerView } from '../judge/etcd.js';

export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

export interface QuorumFigures {
  members: number;
  voters: number;
  learners: number;
  healthy: number;
  quorum: number;
  tolerance: number;
  /** Name (or id) of the leader the healthy members agree on; null when none or no agreement. */
  leader: string | null;
}

function finding(code: Code, subject: string, message: string, data?: Record<string, unknown>, quorum?: 'present' | 'lost'): Finding {
  // Whether a majority is left decides which steps can work: no membership change without it.
  return raise({ code, subject, message, data, ...(quorum ? { about: { evidence: { quorum } } } : {}) });
}

function describeGone(m: MemberView): string {
  if (m.unstarted) return `${m.label} (added, never started)`;
  const why = m.answer && m.answer.status.kind !== 'ok' ? `: ${m.answer.status.kind}` : '';
  return `${m.label}${m.endpoint ? ` (${m.endpoint}${why})` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Leader ids each answering voter reports, by member label. */
function leaderReports(view: EtcdView): { label: string; leader: string }[] {
  return view.members.flatMap((m) => (m.voter && m.answer?.status.kind === 'ok' ? [{ label: m.label, leader: m.answer.status.value.leader }] : []));
}

function labelOfId(view: EtcdView, id: string): string {
  return view.members.find((m) => m.id === id)?.label ?? id;
}

export function quorumFigures(view: EtcdView): QuorumFigures {
  const voters = view.members.filter((m) => m.voter);
  const healthy = voters.filter((m) => m.up).length;
  const quorum = quorumOf(voters.length);
  const leaders = new Set(
    leaderReports(view)
      .map((r) => r.leader)
      .filter((l) => l !== '0'),
  );
  const leader = leaders.size === 1 ? labelOfId(view, [...leaders][0]!) : null;
  return {
    members: view.members.length,
    voters: voters.length,
    learners: view.members.length - voters.length,
    healthy,
    quorum,
    tolerance: healthy - quorum,
    leader,
  };
}

export function judgeQuorum(view: EtcdView): Finding[] {
  const f = quorumFigures(view);
  const gone = view.members.filter((m) => m.voter && !m.up);
  const data: Record<string, unknown> = { ...f, gone: gone.map((m) => m.label), membershipKnown: view.membershipKnown };
  const counted = `from this host: ${f.healthy} of ${plural(f.voters, 'voting member')} healthy${f.learners ? ` (+${plural(f.learners, 'learner')}, not voting)` : ''}`;
  const goneText = gone.length ? `; gone: ${gone.map(describeGone).join(', ')}` : '';
  const findings: Finding[] = [];

  if (f.healthy < f.quorum) {
    findings.push(finding('etcd-quorum-lost', 'etcd', `${counted}: quorum needs ${f.quorum}, the cluster is read-only${goneText}`, data, 'lost'));
  } else if (f.tolerance === 0) {
    const why = f.voters === 1 ? 'a single member tolerates no failure' : 'one more failure and the cluster becomes read-only';
    findings.push(finding('etcd-quorum-at-risk', 'etcd', `${counted}, quorum ${f.quorum}: ${why}${goneText}`, data, 'present'));
  } else {
    findings.push({
      status: 'ok',
      subject: 'etcd',
      message: `${counted}, quorum ${f.quorum}, tolerates ${plural(f.tolerance, 'more failure')}${f.leader ? `, leader ${f.leader}` : ''}`,
      data,
    });
  }

  // Only members that answer can tell us about the leader.
  const reports = leaderReports(view);
  const leaderless = reports.filter((r) => r.leader === '0');
  const majority = f.healthy >= f.quorum ? 'present' : 'lost';
  const named = new Set(reports.filter((r) => r.leader !== '0').map((r) => r.leader));
  if (leaderless.length > 0) {
    findings.push(
      finding(
        'etcd-no-leader',
        'etcd',
        `${leaderless.map((r) => r.label).join(', ')} ${leaderless.length === 1 ? 'reports' : 'report'} no leader`,
        { noLeader: leaderless.map((r) => r.label) },
        majority,
      ),
    );
  } else if (named.size > 1) {
    const seen = reports.map((r) => `${r.label} → ${labelOfId(view, r.leader)}`).join(', ');
    findings.push(
      finding(
        'etcd-no-leader',
        'etcd',
        `members disagree on the leader: ${seen}`,
        { leaders: Object.fromEntries(reports.map((r) => [r.label, labelOfId(view, r.leader)])) },
        majority,
      ),
    );
  }
  return findings;
}

/** The estimate from outside: members that complete a TLS handshake on their client port count as up. */
export function judgeQuorumIndirectly(view: IndirectView, reason: string): Finding[] {
  const members = view.members.length;
  const healthy = view.members.filter((m) => m.serving).length;
  const quorum = quorumOf(members);
  const gone = view.members.filter((m) => !m.serving);
  const data = {
    indirect: true,
    members,
    voters: members,
    healthy,
    quorum,
    tolerance: healthy - quorum,
    gone: gone.map((m) => m.endpoint),
    apiServer: view.apiServer,
  };
  const base = `from this host (indirect, ${reason}): ${healthy} of ${plural(members, 'member')} accept TLS on their client port, quorum ${quorum}`;
  const goneText = gone.length ? `; not serving: ${gone.map((m) => `${m.endpoint} (${m.tls.kind === 'ok' ? 'no certificate' : m.tls.kind})`).join(', ')}` : '';
  const message = `${base}${goneText}; ${describeApiServerView(view.apiServer)}`;
  if (healthy < quorum && view.apiServer.readyz?.ok) {
    // An API server that reads etcd proves a majority answers it: what this machine cannot
    // reach says something about where it stands, not about etcd.
    return [
      {
        status: 'ok',
        subject: 'etcd',
        message: `the API server reads etcd (/readyz/etcd ok), so a majority of the members answers it; from this host ${healthy} of ${plural(members, 'member')} accept TLS on their client port${goneText}`,
        data: { ...data, quorumFromApiServer: true },
      },
    ];
  }
  if (healthy < quorum) return [finding('etcd-quorum-lost', 'etcd', message, data, 'lost')];
  if (healthy - quorum === 0) return [finding('etcd-quorum-at-risk', 'etcd', message, data, 'present')];
  return [{ status: 'ok', subject: 'etcd', message, data }];
}

/** The direct view is skipped without a client certificate: a fact about this machine, said with how to see etcd after all. */
export function noCredentialsFinding(ctx: CheckContext): Finding {
  const tls = ctx.targets.etcdTls;
  const missing = [!tls.certFile && 'client certificate', !tls.keyFile && 'client key'].filter(Boolean).join(' and ');
  const first = ctx.targets.etcd[0];
  const vantage = classifyVantageError({
    noClientCertificate: true,
    target: { host: first?.host ?? 'etcd', port: first?.port ?? 2379, what: 'etcd' },
    distribution: ctx.targets.shape?.distribution ?? 'kubeadm',
  });
  const howToSee = vantage?.howToSee ?? 'pass --etcd-cacert, --etcd-cert and --etcd-key';
  return {
    status: 'skip',
    code: 'etcd-no-credentials',
    subject: 'etcd',
    message: `etcd's own view not read: no etcd ${missing || 'credentials'} on this machine (to see it: ${howToSee}); etcd is judged from outside: ports, served certificates and the API server`,
    data: { indirect: true, vantage: 'no-etcd-credentials' },
  };
}

/** The one line for a datastore that is not etcd: what it is, and what the API server says of it. */
export async function datastoreState(ctx: CheckContext, shape: Shape): Promise<Finding> {
  const words = datastoreWords(shape.datastore, shape.distribution);
  const readyz = (await ctx.facts.etcd.indirect()).apiServer.readyz;
  const data = { datastore: shape.datastore, distribution: shape.distribution, readyzEtcd: readyz ? (readyz.ok ? 'ok' : 'failing') : null };
  if (readyz?.ok)
    return { status: 'ok', subject: 'datastore', message: `no etcd to check: the datastore is ${words}; the API server reads it (/readyz/etcd ok)`, data };
  const api = readyz ? `the API server's /readyz/etcd fails (${readyz.detail}): see apiserver-health` : 'the API server did not answer /readyz/etcd';
  return { status: 'skip', subject: 'datastore', message: `no etcd to check: the datastore is ${words}; ${api}`, data };
}

export const etcdQuorum: Check = {
  prewarm: (ctx) => ctx.facts.etcd.prewarm(),
  id: 'etcd-quorum',
  component: 'etcd',
  title: 'etcd has a majority of voting members, with fault tolerance to spare',
  // No need of etcd endpoints: without them this check still says what the datastore is.
  needs: [],
  codes: ['etcd-quorum-lost', 'etcd-quorum-at-risk', 'etcd-no-leader', 'etcd-no-credentials'],
  async run(ctx) {
    if (ctx.targets.etcd.length === 0) {
      const shape = ctx.targets.shape;
      if (shape && knownWithoutEtcd(shape)) return [await datastoreState(ctx, shape)];
      return [{ status: 'skip', subject: 'etcd', message: 'no etcd endpoints known (pass --etcd https://<host>:2379)' }];
    }
    const view = await ctx.facts.etcd.view();
    if (view === null) return [noCredentialsFinding(ctx), ...judgeQuorumIndirectly(await ctx.facts.etcd.indirect(), 'no client certificate')];
    if (credentialsRejected(view)) return judgeQuorumIndirectly(await ctx.facts.etcd.indirect(), 'etcd rejected our credentials');
    return judgeQuorum(view);
  },
};
