// Membership shapes and a full database, on real etcd via the spawned CLI: four voters (even),
// a member added but never started, a learner (not a voter), NOSPACE by real writes.
import { afterEach, describe, expect, it } from 'vitest';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import type { Report, ReportResult } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';
import { startEtcdFixture, type EtcdFixture } from '../helpers/etcd-fixture.js';

async function diagnose(fx: EtcdFixture): Promise<{ code: number | null; report: Report }> {
  const t = fx.cluster.clientTls;
  const run = await runCli([
    'check',
    '--only',
    'etcd',
    '--etcd',
    fx.cluster.endpoints.join(','),
    '--timeout',
    '3s',
    '--etcd-cacert',
    t.caFile,
    '--etcd-cert',
    t.certFile,
    '--etcd-key',
    t.keyFile,
    '-o',
    'json',
  ]);
  const report = parseJsonReport(run);
  return { code: run.code, report };
}

const byCode = (report: Report, code: string): ReportResult[] => report.results.filter((r) => r.code === code);
const quorumOf = (report: Report) => report.results.find((r) => r.check === 'etcd-quorum')!;

describe.skipIf(!etcdAvailable())('etcd membership shapes and NOSPACE', () => {
  let fx: EtcdFixture | undefined;
  afterEach(async () => {
    await fx?.dispose();
    fx = undefined;
  });

  it('four voters are flagged as even; a fifth added but never started counts as a voter that is down', async () => {
    fx = await startEtcdFixture(BLOCKS.etcdChecks, 4);
    const even = await diagnose(fx);
    expect(byCode(even.report, 'etcd-even-members')[0]).toMatchObject({ status: 'warn', data: { voters: 4, tolerance: 1 } });
    expect(byCode(even.report, 'etcd-even-members')[0]!.symptom).toBeTruthy();
    expect(quorumOf(even.report)).toMatchObject({ status: 'ok', data: { voters: 4, healthy: 4, quorum: 3, tolerance: 1 } });

    await fx.cluster.addMember(fx.spec(4), { start: false });
    const added = fx.cluster.members[4]!;
    expect(added.state).toBe('unstarted');
    const withUnstarted = await diagnose(fx);
    expect(quorumOf(withUnstarted.report)).toMatchObject({ status: 'ok', data: { members: 5, voters: 5, healthy: 4, quorum: 3, tolerance: 1 } });
    expect(byCode(withUnstarted.report, 'etcd-even-members')).toEqual([]);
    const [unstarted] = byCode(withUnstarted.report, 'etcd-member-unreachable');
    expect(unstarted!.message).toContain(`member ${added.id} (peer ${added.peerUrl}) was added with 'member add' but never started`);
    expect(unstarted!.data).toMatchObject({ id: added.id, unstarted: true, peerURLs: [added.peerUrl] });
  });

  it('a learner is listed and answers, but is not counted as a voter', async () => {
    fx = await startEtcdFixture(BLOCKS.etcdChecks, 3);
    await fx.cluster.addMember(fx.spec(3), { learner: true });
    const { code, report } = await diagnose(fx);
    expect(code, `${problemsOf(report)}\n${fx.cluster.logTail()}`).toBe(0);
    expect(quorumOf(report)).toMatchObject({ status: 'ok', data: { members: 4, voters: 3, learners: 1, healthy: 3, quorum: 2, tolerance: 1 } });
    expect(quorumOf(report).message).toContain('(+1 learner, not voting)');
    const learner = report.results.find((r) => r.check === 'etcd-members' && r.subject.startsWith('etcd member m4'))!;
    expect(learner).toMatchObject({ status: 'ok', data: { isLearner: true } });
    expect(learner.message).toMatch(/^learner m4/);
    expect(byCode(report, 'etcd-even-members')).toEqual([]);
  });

  it('NOSPACE raised by real writes against a small quota: alarm critical, database over its quota', async () => {
    const quota = 2 * 1024 * 1024;
    fx = await startEtcdFixture(BLOCKS.etcdChecks, 3, { quotaBackendBytes: quota });
    await fx.cluster.raiseNospace();
    const { code, report } = await diagnose(fx);
    expect(code).toBe(1);
    const [nospace] = byCode(report, 'etcd-alarm-nospace');
    expect(nospace).toMatchObject({ status: 'crit', data: { alarm: 'NOSPACE' } });
    expect(nospace!.message).toContain('the cluster is read-only');
    expect(nospace!.steps!.map((s) => s.text).join('\n')).toMatch(/etcdctl --endpoints=\S+ .*alarm disarm/);
    // etcd raises NOSPACE for whichever member first hit the quota (the one that served the put,
    // or a follower whose apply failed): that member is crit whatever its file size says; the
    // others, a few writes behind, are at least near the quota.
    const full = byCode(report, 'etcd-db-near-quota');
    const alarmed = full.find((f) => f.data?.['member'] === nospace!.data?.['member']);
    expect(alarmed, JSON.stringify(full)).toMatchObject({ status: 'crit', data: { nospace: true, quotaBytes: quota, quotaSource: 'metrics' } });
    expect(alarmed!.message).toContain('etcd has raised NOSPACE for it: writes are refused');
    for (const f of full) expect(['warn', 'crit']).toContain(f.status);
  });
});
