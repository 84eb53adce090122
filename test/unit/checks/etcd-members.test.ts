// etcd-members over fake members: who is unreachable (with id, URLs and the zombie fix),
// even voter counts, member lists that differ, raft logs far apart, rejected credentials.
import { describe, expect, it } from 'vitest';
import { etcdMembers, RAFT_INDEX_GAP } from '../../../src/checks/etcd-members.js';
import { servedEtcdCertificate, fakeContext, fakeId, membersWithHealthy, type FakeMember } from '../../helpers/etcd-fakes.js';

const codes = (findings: { code?: string }[]) => findings.map((f) => f.code).filter(Boolean);

describe('etcd-members', () => {
  it('all members answering: one ok line per member and nothing else', async () => {
    const findings = await etcdMembers.run(fakeContext({ members: membersWithHealthy(3, 3) }));
    expect(findings.map((f) => f.status)).toEqual(['ok', 'ok', 'ok']);
    expect(findings[0]!.message).toBe(`voting member m1 (id ${fakeId('m1')}) answers this host: etcd 3.5.9, raft term 2, index 100`);
  });

  it('names an unreachable member with id and URLs, and the member remove command for a machine that is gone', async () => {
    const findings = await etcdMembers.run(fakeContext({ members: membersWithHealthy(3, 2) }));
    const gone = findings.find((f) => f.code === 'etcd-member-unreachable')!;
    expect(gone.subject).toBe('etcd member m3 (https://m3.test:2379)');
    expect(gone.message).toContain(`member m3 (id ${fakeId('m3')}) unreachable from this host: refused`);
    expect(gone.message).toContain('peer URL https://m3.test:2380');
    expect(gone.message).toContain(`etcdctl member remove ${fakeId('m3')}`);
    expect(gone.data).toMatchObject({
      name: 'm3',
      id: fakeId('m3'),
      clientURLs: ['https://m3.test:2379'],
      peerURLs: ['https://m3.test:2380'],
      failure: 'refused',
    });
  });

  it('marks a hung member as timed out', async () => {
    const members: FakeMember[] = [{ name: 'm1' }, { name: 'm2', state: 'timeout' }, { name: 'm3' }];
    const hung = (await etcdMembers.run(fakeContext({ members }))).find((f) => f.code === 'etcd-member-unreachable')!;
    expect(hung.timedOut).toEqual(['etcd https://m2.test:2379']);
  });

  it('flags an even number of voters, but not when a learner makes the count even', async () => {
    expect(codes(await etcdMembers.run(fakeContext({ members: membersWithHealthy(4, 4) })))).toEqual(['etcd-even-members']);
    const withLearner: FakeMember[] = [...membersWithHealthy(3, 3), { name: 'l1', learner: true }];
    expect(codes(await etcdMembers.run(fakeContext({ members: withLearner })))).toEqual([]);
  });

  it('reports an unstarted member with how to start or remove it', async () => {
    const members: FakeMember[] = [...membersWithHealthy(3, 3), { name: 'm4', unstarted: true }];
    const findings = await etcdMembers.run(fakeContext({ members }));
    expect(codes(findings)).toEqual(['etcd-member-unreachable', 'etcd-even-members']);
    const unstarted = findings.find((f) => f.code === 'etcd-member-unreachable')!;
    expect(unstarted.message).toContain("was added with 'member add' but never started");
    expect(unstarted.message).toContain(`etcdctl member remove ${fakeId('m4')}`);
    expect(unstarted.data).toMatchObject({ unstarted: true });
  });

  it('reports members whose member lists differ', async () => {
    const members: FakeMember[] = [{ name: 'm1' }, { name: 'm2' }, { name: 'm3', sees: ['m1', 'm3'] }];
    const disagree = (await etcdMembers.run(fakeContext({ members }))).find((f) => f.code === 'etcd-members-disagree')!;
    expect(disagree.message).toBe(
      'members disagree on the member list: https://m1.test:2379 lists 3, https://m2.test:2379 lists 3, https://m3.test:2379 lists 2',
    );
  });

  it('reports endpoints that belong to different clusters', async () => {
    const members: FakeMember[] = [{ name: 'm1' }, { name: 'm2' }, { name: 'm3', clusterId: 'beef' }];
    const findings = await etcdMembers.run(fakeContext({ members }));
    expect(findings.find((f) => f.code === 'etcd-members-disagree' && f.message.includes('different etcd clusters'))!.message).toContain(
      'cluster beef: https://m3.test:2379',
    );
  });

  it('reports a member whose raft index is far behind, not one a few entries behind', async () => {
    const members: FakeMember[] = [
      { name: 'm1', raftIndex: 50_000 },
      { name: 'm2', raftIndex: 49_990 },
      { name: 'm3', raftIndex: 50_000 - RAFT_INDEX_GAP - 1 },
    ];
    const lagging = (await etcdMembers.run(fakeContext({ members }))).filter((f) => f.code === 'etcd-raft-lagging');
    expect(lagging.map((f) => f.subject)).toEqual(['etcd member m3 (https://m3.test:2379)']);
    expect(lagging[0]!.message).toBe(`m3 lags: ${RAFT_INDEX_GAP + 1} entries behind the most advanced member (index ${50_000 - RAFT_INDEX_GAP - 1} vs 50000)`);
  });

  it('a rejected client certificate is an authentication failure per member, and the members are still looked at from outside', async () => {
    const members: FakeMember[] = membersWithHealthy(3, 3).map((m) => ({ ...m, state: 'unauthorized' as const }));
    const findings = await etcdMembers.run(fakeContext({ members }));
    expect(codes(findings)).toEqual(['etcd-auth-failed', 'etcd-auth-failed', 'etcd-auth-failed']);
    expect(findings.filter((f) => f.status === 'ok').map((f) => f.message.slice(0, 48))).toEqual(
      Array(3).fill('from this host (indirect): accepts TLS on 2379 ('),
    );
  });

  it('without credentials probes each member from outside: refused client port is unreachable, marked indirect', async () => {
    const ctx = fakeContext({
      members: membersWithHealthy(3, 3),
      credentials: false,
      tcp: (host, port) => (host === 'm2.test' ? { kind: 'refused', message: 'refused', ms: 1 } : { kind: 'ok', ms: port }),
      tls: (host) =>
        host === 'm2.test'
          ? { kind: 'refused', ms: 1, chain: [], verifyError: null }
          : { kind: 'ok', ms: 1, chain: [servedEtcdCertificate()], verifyError: null },
    });
    const findings = await etcdMembers.run(ctx);
    expect(findings.map((f) => [f.status, f.code])).toEqual([
      ['ok', undefined],
      ['crit', 'etcd-member-unreachable'],
      ['ok', undefined],
    ]);
    expect(findings[1]!.message).toBe('from this host (indirect): client port 2379: refused; peer port 2380: refused');
    expect(findings[0]!.message).toBe('from this host (indirect): accepts TLS on 2379 (serves CN=etcd-server, valid until 2030-01-01); peer port 2380 open');
  });
});
