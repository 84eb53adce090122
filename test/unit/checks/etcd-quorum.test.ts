// Quorum arithmetic as etcd does it, judged over fake members: every size from 1 to 7 with
// every number of healthy members, learners that do not vote, unstarted members that do.
import { describe, expect, it } from 'vitest';
import { etcdQuorum, quorumOf } from '../../../src/checks/etcd-quorum.js';
import { servedEtcdCertificate, fakeContext, membersWithHealthy, urlOf, type FakeMember } from '../../helpers/etcd-fakes.js';

describe('etcd-quorum', () => {
  it('quorum is a strict majority of voting members', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(quorumOf)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  for (let n = 1; n <= 7; n++) {
    for (let healthy = 0; healthy <= n; healthy++) {
      const quorum = Math.floor(n / 2) + 1;
      const expected = healthy < quorum ? 'etcd-quorum-lost' : healthy === quorum ? 'etcd-quorum-at-risk' : undefined;
      it(`${healthy} of ${n} healthy → ${expected ?? 'ok'}`, async () => {
        const members = membersWithHealthy(n, healthy);
        // With nobody answering there is no member list: the endpoints stand in for the members.
        const [first] = await etcdQuorum.run(fakeContext({ members }));
        expect(first!.code).toBe(expected);
        expect(first!.status).toBe(expected === 'etcd-quorum-lost' ? 'crit' : expected ? 'warn' : 'ok');
        expect(first!.data).toMatchObject({ members: n, voters: n, learners: 0, healthy, quorum, tolerance: healthy - quorum });
        if (expected === 'etcd-quorum-lost') {
          for (const gone of members.slice(healthy)) expect(first!.message).toContain(gone.name);
        }
      });
    }
  }

  it('names the gone members and says the cluster is read-only when quorum is lost', async () => {
    const [f] = await etcdQuorum.run(fakeContext({ members: membersWithHealthy(3, 1) }));
    expect(f!.message).toMatch(
      /^from this host: 1 of 3 voting members healthy: quorum needs 2, the cluster is read-only; gone: m2 \(https:\/\/m2\.test:2379: refused\), m3/,
    );
    expect(f!.data).toMatchObject({ gone: ['m2', 'm3'], leader: 'm1' });
  });

  it('warns with "one more failure" when tolerance is 0', async () => {
    const [f] = await etcdQuorum.run(fakeContext({ members: membersWithHealthy(3, 2) }));
    expect(f!.message).toContain('one more failure and the cluster becomes read-only');
    expect(f!.message).toContain('gone: m3');
  });

  it('does not count learners as voters', async () => {
    const members: FakeMember[] = [...membersWithHealthy(3, 3), { name: 'l1', learner: true, state: 'refused' }];
    const [f] = await etcdQuorum.run(fakeContext({ members }));
    expect(f!.status).toBe('ok');
    expect(f!.data).toMatchObject({ members: 4, voters: 3, learners: 1, healthy: 3, quorum: 2, tolerance: 1 });
    expect(f!.message).toContain('+1 learner');
  });

  it('counts a member added but never started as a voter that is down', async () => {
    const members: FakeMember[] = [...membersWithHealthy(3, 3), { name: 'm4', unstarted: true }];
    const [f] = await etcdQuorum.run(fakeContext({ members }));
    expect(f!.code).toBe('etcd-quorum-at-risk');
    expect(f!.data).toMatchObject({ members: 4, voters: 4, healthy: 3, quorum: 3, tolerance: 0 });
    expect(f!.message).toMatch(/added, never started/);
  });

  it("takes an endpoint on an unstarted member's host to be that member, not a sixth one", async () => {
    const members: FakeMember[] = [...membersWithHealthy(4, 4), { name: 'm5', unstarted: true }];
    const endpoints = ['m1', 'm2', 'm3', 'm4', 'm5'].map(urlOf);
    const [f] = await etcdQuorum.run(fakeContext({ members, endpoints }));
    expect(f!.data).toMatchObject({ members: 5, voters: 5, healthy: 4, quorum: 3, tolerance: 1 });
  });

  it('finds members only listed, not given as endpoints, and asks them too', async () => {
    const members = membersWithHealthy(3, 2);
    const [f] = await etcdQuorum.run(fakeContext({ members, endpoints: [urlOf('m1')] }));
    expect(f!.data).toMatchObject({ voters: 3, healthy: 2, gone: ['m3'] });
  });

  it('reports a member that sees no leader', async () => {
    const members: FakeMember[] = [{ name: 'm1', leader: '' }, { name: 'm2' }, { name: 'm3' }];
    const findings = await etcdQuorum.run(fakeContext({ members }));
    const noLeader = findings.find((x) => x.code === 'etcd-no-leader');
    expect(noLeader).toMatchObject({ status: 'crit', message: 'm1 reports no leader' });
  });

  it('reports members that disagree on the leader', async () => {
    const members: FakeMember[] = [
      { name: 'm1', leader: 'm1' },
      { name: 'm2', leader: 'm2' },
      { name: 'm3', leader: 'm1' },
    ];
    const findings = await etcdQuorum.run(fakeContext({ members }));
    expect(findings.find((x) => x.code === 'etcd-no-leader')!.message).toBe('members disagree on the leader: m1 → m1, m2 → m2, m3 → m1');
    expect(findings[0]!.data).toMatchObject({ leader: null });
  });

  it('without credentials says so once and estimates quorum from ports and the API server, marked indirect', async () => {
    const ctx = fakeContext({
      members: membersWithHealthy(3, 3),
      credentials: false,
      tls: (host) =>
        host === 'm1.test'
          ? { kind: 'ok', ms: 1, chain: [servedEtcdCertificate()], verifyError: null }
          : { kind: 'refused', ms: 1, chain: [], verifyError: null },
      // The API server answers (/version), so what it says of etcd is asked.
      kube: { '/version': { status: 200, body: '{}' }, '/readyz/etcd': { status: 500, body: '[-]etcd failed: reason withheld\n' } },
    });
    const findings = await etcdQuorum.run(ctx);
    expect(findings.map((f) => f.code)).toEqual(['etcd-no-credentials', 'etcd-quorum-lost']);
    expect(findings[1]!.message).toMatch(/^from this host \(indirect, no client certificate\): 1 of 3 members accept TLS/);
    expect(findings[1]!.message).toContain('/readyz/etcd: failing');
    expect(findings[1]!.data).toMatchObject({ indirect: true, healthy: 1, quorum: 2 });
  });
});
