// etcd-db-size judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { etcdDbSize, metricValue } from '../../../src/checks/etcd-db-size.js';
import { fakeContext, membersWithHealthy, type FakeMember } from '../../helpers/etcd-fakes.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('etcd-db-size', () => {
  it('reads the quota from Prometheus text', () => {
    expect(metricValue('# HELP x\netcd_server_quota_backend_bytes 2.147483648e+09\n', 'etcd_server_quota_backend_bytes')).toBe(2 * GiB);
    expect(metricValue('other 1\n', 'etcd_server_quota_backend_bytes')).toBeNull();
  });

  it('ok well below the default quota, with the largest database in the message', async () => {
    const [f] = await etcdDbSize.run(
      fakeContext({ members: membersWithHealthy(3, 3).map((m, i) => ({ ...m, dbSize: (i + 1) * 100 * MiB, dbSizeInUse: (i + 1) * 90 * MiB })) }),
    );
    expect(f).toMatchObject({ status: 'ok', message: 'largest database 300 MiB on m3: 14.6 % of the 2.0 GiB quota' });
  });

  it('warns above 80 % and is critical above 95 %, per member', async () => {
    const members: FakeMember[] = [
      { name: 'm1', dbSize: 1.7 * GiB, dbSizeInUse: 1.7 * GiB },
      { name: 'm2', dbSize: 1.96 * GiB, dbSizeInUse: 1.9 * GiB },
      { name: 'm3', dbSize: 1 * GiB, dbSizeInUse: 1 * GiB },
    ];
    const findings = await etcdDbSize.run(fakeContext({ members }));
    expect(findings.map((f) => [f.subject, f.status, f.code])).toEqual([
      ['etcd member m1 (https://m1.test:2379)', 'warn', 'etcd-db-near-quota'],
      ['etcd member m2 (https://m2.test:2379)', 'crit', 'etcd-db-near-quota'],
    ]);
    expect(findings[1]!.data).toMatchObject({ quotaSource: 'default', percent: 98 });
  });

  it('a member with NOSPACE raised is critical whatever its file size says (etcd decided it is full)', async () => {
    const members: FakeMember[] = [
      { name: 'm1', dbSize: 1.9 * GiB, dbSizeInUse: 1.9 * GiB, alarms: [{ member: 'm1', alarm: 'NOSPACE' }] },
      { name: 'm2', dbSize: 1.7 * GiB, dbSizeInUse: 1.7 * GiB, alarms: [{ member: 'm1', alarm: 'NOSPACE' }] },
    ];
    const findings = await etcdDbSize.run(fakeContext({ members }));
    expect(findings.map((f) => [f.subject, f.status, (f.data as { nospace: boolean }).nospace])).toEqual([
      ['etcd member m1 (https://m1.test:2379)', 'crit', true],
      ['etcd member m2 (https://m2.test:2379)', 'warn', false],
    ]);
    expect(findings[0]!.message).toContain('etcd has raised NOSPACE for it: writes are refused');
  });

  it("prefers the member's own quota from /metrics, unless --etcd-quota was given", async () => {
    const members: FakeMember[] = [{ name: 'm1', dbSize: 900 * MiB, dbSizeInUse: 900 * MiB, quotaFromMetrics: 1 * GiB }];
    const fromMetrics = await etcdDbSize.run(fakeContext({ members }));
    expect(fromMetrics[0]).toMatchObject({ status: 'warn', data: { quotaSource: 'metrics', quotaBytes: GiB } });
    const fromFlag = await etcdDbSize.run(fakeContext({ members, options: { etcdQuotaBytes: 8 * GiB, etcdQuotaFromFlag: true } }));
    expect(fromFlag[0]).toMatchObject({ status: 'ok' });
  });

  it('hints at defragmenting a database that is mostly unused space', async () => {
    const members: FakeMember[] = [{ name: 'm1', dbSize: 800 * MiB, dbSizeInUse: 200 * MiB }];
    const [f] = await etcdDbSize.run(fakeContext({ members }));
    expect(f).toMatchObject({ status: 'warn', code: 'etcd-db-fragmented' });
    expect(f!.message).toBe('only 200 MiB of the 800 MiB file is in use: etcdctl defrag --endpoints=https://m1.test:2379 would return 600 MiB');
  });
});
