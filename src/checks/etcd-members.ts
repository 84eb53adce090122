// Is every member in the member list reachable on its own, and do the members agree with
// each other? Names the unreachable ones with id and URLs (the zombie case: a machine that
// is gone but still listed), flags an even number of voters, members whose member lists or
// cluster ids differ, and members whose raft log lags far behind the others.
import { raise } from '../catalogue/raise.js';
import { PORTS } from '../judge/ports.js';
import type { About, Check, Finding } from '../engine/types.js';
import type { Code } from '../catalogue/codes.js';
import type { EtcdView, MemberView } from '../observe/etcd-view.js';
import { credentialsRejected, isCredentialFailure, memberAbout, memberSubject } from '../judge/etcd.js';
import type { IndirectView } from '../observe/etcd-indirect.js';

/**
 * Entries a member may trail the most advanced one before it counts as lagging. Status
 * answers are taken a few milliseconds apart, so a busy cluster shows gaps of hundreds.
 */
export const RAFT_INDEX_GAP = 5_000;

function finding(code: Code, subject: string, message: string, data?: Record<string, unknown>, timedOut?: string[], about?: About): Finding {
  return raise({ code, subject, message, data, ...(about ? { about } : {}), ...(timedOut ? { timedOut } : {}) });
}

function memberData(m: MemberView): Record<string, unknown> {
  return {
    name: m.member?.name ?? null,
    id: m.id,
    clientURLs: m.member?.clientURLs ?? (m.endpoint ? [m.endpoint] : []),
    peerURLs: m.member?.peerURLs ?? [],
    isLearner: m.member?.isLearner ?? false,
  };
}

/** Whether a majority of the voters answers: a member can be removed only while one does. */
function majorityOf(view: EtcdView): 'present' | 'lost' {
  const voters = view.members.filter((m) => m.voter);
  return voters.filter((m) => m.up).length >= Math.floor(voters.length / 2) + 1 ? 'present' : 'lost';
}

function judgeMember(m: MemberView, quorum: 'present' | 'lost'): Finding {
  const subject = memberSubject(m);
  const gone: About = { ...memberAbout(m), evidence: { quorum } };
  const idText = m.id ? ` (id ${m.id})` : '';
  if (m.unstarted) {
    return finding(
      'etcd-member-unreachable',
      subject,
      `member ${m.id} (peer ${m.member?.peerURLs.join(', ')}) was added with 'member add' but never started: start etcd on that host with --initial-cluster-state=existing${quorum === 'present' ? `, or if it is not coming: etcdctl member remove ${m.id}` : ''}`,
      { ...memberData(m), unstarted: true },
      undefined,
      gone,
    );
  }
  const status = m.answer?.status;
  if (!status) return finding('etcd-member-unreachable', subject, `member ${m.label}${idText} lists no client URL to ask`, memberData(m), undefined, gone);
  if (status.kind !== 'ok') {
    if (isCredentialFailure(status)) {
      return finding(
        'etcd-auth-failed',
        subject,
        status.message,
        { ...memberData(m), failure: status.kind, detail: status.detail ?? null },
        undefined,
        memberAbout(m),
      );
    }
    // A member can be removed only while a majority answers: without it the way back is the members themselves.
    const zombie = !m.id
      ? ''
      : quorum === 'present'
        ? `; if that machine is gone for good: etcdctl member remove ${m.id}, otherwise bring it back`
        : '; bring it back: without quorum no member can be removed';
    const listed = m.member ? '' : ' (not in any member list: check --etcd)';
    return finding(
      'etcd-member-unreachable',
      subject,
      `member ${m.label}${idText} unreachable from this host${listed}: ${status.message.replace(`${m.endpoint}: `, '')}${m.member ? `; peer URL ${m.member.peerURLs.join(', ')}` : ''}${zombie}`,
      { ...memberData(m), failure: status.kind, detail: status.detail ?? null },
      status.kind === 'timeout' ? [`etcd ${m.endpoint}`] : undefined,
      gone,
    );
  }
  const s = status.value;
  return {
    status: 'ok',
    subject,
    about: memberAbout(m),
    message: `${s.isLearner ? 'learner' : 'voting member'} ${m.label} (id ${s.memberId}) answers this host: etcd ${s.version}, raft term ${s.raftTerm}, index ${s.raftIndex}`,
    data: { ...memberData(m), version: s.version, raftTerm: s.raftTerm, raftIndex: s.raftIndex, raftAppliedIndex: s.raftAppliedIndex, ms: status.ms },
  };
}

function judgeEven(view: EtcdView): Finding[] {
  const voters = view.members.filter((m) => m.voter).length;
  if (voters === 0 || voters % 2 !== 0 || !view.membershipKnown) return [];
  const tolerates = voters - (Math.floor(voters / 2) + 1);
  return [
    finding(
      'etcd-even-members',
      'etcd',
      `${voters} voting members tolerate ${tolerates} failure${tolerates === 1 ? '' : 's'}, no more than ${voters - 1} would: the extra member adds load and one more machine that can fail, not safety`,
      { voters, tolerance: tolerates },
    ),
  ];
}

function judgeAgreement(view: EtcdView): Finding[] {
  const findings: Finding[] = [];
  const lists = view.answers.flatMap((a) =>
    a.memberList.kind === 'ok'
      ? [
          {
            endpoint: a.endpoint,
            ids: a.memberList.value
              .map((m) => m.id)
              .sort()
              .join(','),
          },
        ]
      : [],
  );
  const distinct = new Set(lists.map((l) => l.ids));
  if (distinct.size > 1) {
    const views = Object.fromEntries(lists.map((l) => [l.endpoint, l.ids.split(',')]));
    const text = lists.map((l) => `${l.endpoint} lists ${l.ids.split(',').length}`).join(', ');
    findings.push(finding('etcd-members-disagree', 'etcd', `members disagree on the member list: ${text}`, { memberLists: views }));
  }
  const clusters = new Map<string, string[]>();
  for (const a of view.answers) {
    if (a.status.kind !== 'ok') continue;
    clusters.set(a.status.value.clusterId, [...(clusters.get(a.status.value.clusterId) ?? []), a.endpoint]);
  }
  if (clusters.size > 1) {
    const text = [...clusters].map(([id, eps]) => `cluster ${id}: ${eps.join(', ')}`).join('; ');
    findings.push(
      finding('etcd-members-disagree', 'etcd', `the endpoints belong to different etcd clusters: ${text}`, { clusters: Object.fromEntries(clusters) }),
    );
  }
  return findings;
}

function judgeRaft(view: EtcdView): Finding[] {
  const up = view.members.flatMap((m) => (m.answer?.status.kind === 'ok' ? [{ m, s: m.answer.status.value }] : []));
  if (up.length === 0) return [];
  const findings: Finding[] = [];
  const maxIndex = up.reduce((max, x) => (BigInt(x.s.raftIndex) > max ? BigInt(x.s.raftIndex) : max), 0n);
  const maxTerm = up.reduce((max, x) => (BigInt(x.s.raftTerm) > max ? BigInt(x.s.raftTerm) : max), 0n);
  for (const { m, s } of up) {
    const behind = maxIndex - BigInt(s.raftIndex);
    const unapplied = BigInt(s.raftIndex) - BigInt(s.raftAppliedIndex);
    const termBehind = BigInt(s.raftTerm) < maxTerm;
    if (behind > BigInt(RAFT_INDEX_GAP) || unapplied > BigInt(RAFT_INDEX_GAP) || (termBehind && behind > 0n)) {
      const parts = [
        behind > 0n ? `${behind} entries behind the most advanced member (index ${s.raftIndex} vs ${maxIndex})` : '',
        termBehind ? `on raft term ${s.raftTerm} while others are on ${maxTerm}` : '',
        unapplied > BigInt(RAFT_INDEX_GAP) ? `${unapplied} committed entries not yet applied` : '',
      ].filter(Boolean);
      findings.push(
        finding(
          'etcd-raft-lagging',
          memberSubject(m),
          `${m.label} lags: ${parts.join(', ')}`,
          {
            raftTerm: s.raftTerm,
            raftIndex: s.raftIndex,
            raftAppliedIndex: s.raftAppliedIndex,
            maxRaftTerm: maxTerm.toString(),
            maxRaftIndex: maxIndex.toString(),
          },
          undefined,
          memberAbout(m),
        ),
      );
    }
  }
  return findings;
}

/**
 * A majority seen from outside: an API server that reads etcd proves one, and so do enough
 * members serving TLS; lost only when the API server's etcd check fails too (this machine may
 * just not reach them).
 */
function indirectMajority(view: IndirectView): 'present' | 'lost' | undefined {
  const serving = view.members.filter((m) => m.serving).length;
  if (view.apiServer.readyz?.ok || serving >= Math.floor(view.members.length / 2) + 1) return 'present';
  return view.apiServer.readyz && !view.apiServer.readyz.ok ? 'lost' : undefined;
}

function judgeIndirectly(view: IndirectView): Finding[] {
  const quorum = indirectMajority(view);
  return view.members.map((m) => {
    const subject = `etcd member ${m.host} (${m.endpoint})`;
    const peer = m.peer.kind === 'ok' ? `peer port ${PORTS.etcdPeer} open` : `peer port ${PORTS.etcdPeer}: ${m.peer.kind}`;
    const leaf = m.tls.chain[0];
    const data = {
      indirect: true,
      endpoint: m.endpoint,
      client: m.client.kind,
      peer: m.peer.kind,
      tls: m.tls.kind,
      servedSubject: leaf?.subject ?? null,
      servedNotAfter: leaf?.notAfter.toISOString() ?? null,
      verifyError: m.tls.verifyError,
    };
    const indirectAbout: About = { endpoint: m.endpoint, host: m.host, port: m.clientPort, member: { clientURLs: [m.endpoint] } };
    if (!m.serving) {
      const why =
        m.client.kind !== 'ok'
          ? `client port ${m.clientPort}: ${m.client.kind}`
          : `accepts TCP on ${m.clientPort} but completes no TLS handshake (${m.tls.kind})`;
      return finding(
        'etcd-member-unreachable',
        subject,
        `from this host (indirect): ${why}; ${peer}`,
        data,
        m.tls.kind === 'timeout' || m.client.kind === 'timeout' ? [`etcd ${m.endpoint}`] : undefined,
        quorum ? { ...indirectAbout, evidence: { quorum } } : indirectAbout,
      );
    }
    const served = leaf ? `serves ${leaf.subject}, valid until ${leaf.notAfter.toISOString().slice(0, 10)}` : 'serves TLS';
    return {
      status: 'ok' as const,
      subject,
      about: indirectAbout,
      message: `from this host (indirect): accepts TLS on ${m.clientPort} (${served}); ${peer}`,
      data,
    };
  });
}

export const etcdMembers: Check = {
  prewarm: (ctx) => ctx.facts.etcd.prewarm(),
  id: 'etcd-members',
  component: 'etcd',
  title: 'Every etcd member answers on its own, the members agree, none lags behind',
  needs: ['etcd'],
  codes: ['etcd-member-unreachable', 'etcd-even-members', 'etcd-members-disagree', 'etcd-raft-lagging', 'etcd-auth-failed'],
  async run(ctx) {
    const view = await ctx.facts.etcd.view();
    if (view === null) return judgeIndirectly(await ctx.facts.etcd.indirect());
    const quorum = majorityOf(view);
    const perMember = view.members.map((m) => judgeMember(m, quorum));
    if (credentialsRejected(view)) return [...perMember, ...judgeIndirectly(await ctx.facts.etcd.indirect())];
    return [...perMember, ...judgeEven(view), ...judgeAgreement(view), ...judgeRaft(view)];
  },
};
