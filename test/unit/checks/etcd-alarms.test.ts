// etcd-alarms judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { etcdAlarms } from '../../../src/checks/etcd-alarms.js';
import { fakeContext, fakeId, membersWithHealthy, type FakeMember } from '../../helpers/etcd-fakes.js';

describe('etcd-alarms', () => {
  it('ok when no alarm is raised', async () => {
    expect(await etcdAlarms.run(fakeContext({ members: membersWithHealthy(3, 3) }))).toEqual([
      { status: 'ok', subject: 'etcd', message: 'no alarm raised (asked 3 members)' },
    ]);
  });

  it('NOSPACE from the alarm list is critical, names the member and says the cluster is read-only', async () => {
    const members: FakeMember[] = membersWithHealthy(3, 3).map((m) => ({ ...m, alarms: [{ member: 'm2', alarm: 'NOSPACE' }] }));
    const [f, ...rest] = await etcdAlarms.run(fakeContext({ members }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ status: 'crit', code: 'etcd-alarm-nospace', data: { alarm: 'NOSPACE', member: 'm2', memberId: fakeId('m2') } });
    expect(f!.message).toMatch(/^NOSPACE alarm raised on member m2 .*read-only/);
    expect((f!.data as { reportedBy: string[] }).reportedBy).toHaveLength(3);
  });

  it('CORRUPT from a member status error (decimal member id) is critical', async () => {
    const m3Decimal = BigInt(`0x${fakeId('m3')}`).toString(10);
    const members: FakeMember[] = [{ name: 'm1' }, { name: 'm2' }, { name: 'm3', errors: [`memberID:${m3Decimal} alarm:CORRUPT `] }];
    const [f] = await etcdAlarms.run(fakeContext({ members }));
    expect(f).toMatchObject({ status: 'crit', code: 'etcd-alarm-corrupt', data: { member: 'm3' } });
  });

  it('skips, rather than claiming no alarm, when no member answered', async () => {
    const [f] = await etcdAlarms.run(fakeContext({ members: membersWithHealthy(3, 0) }));
    expect(f!.status).toBe('skip');
  });
});
