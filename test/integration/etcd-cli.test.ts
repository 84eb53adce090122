// `k8sdoc check --only etcd` as a user runs it (spawned, built package) against real etcd
// members with real TLS: healthy, wrong or no credentials, a hung member, one member and
// then two members gone. One cluster walks through the states in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { createCa, issue } from '../../src/sim/pki.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report, ReportResult } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';
import { startEtcdFixture, type EtcdFixture } from '../helpers/etcd-fixture.js';

const TIMEOUT_MS = 1000;

function find(results: ReportResult[], check: string, code?: string): ReportResult[] {
  return results.filter((r) => r.check === check && (code === undefined || r.code === code));
}

describe.skipIf(!etcdAvailable())('k8sdoc check --only etcd against real etcd', () => {
  let fx: EtcdFixture;
  let tlsFlags: string[];
  const check = (extra: string[] = [], credentials = tlsFlags) =>
    runCli(['check', '--only', 'etcd', '--etcd', fx.cluster.endpoints.join(','), '--timeout', `${TIMEOUT_MS}ms`, ...credentials, ...extra]);

  beforeAll(async () => {
    fx = await startEtcdFixture(BLOCKS.etcdCli, 3);
    const t = fx.cluster.clientTls;
    tlsFlags = ['--etcd-cacert', t.caFile, '--etcd-cert', t.certFile, '--etcd-key', t.keyFile];
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('healthy: ok, tolerance 1, every member answers, exit 0', async () => {
    // The default --timeout: a healthy member answers in tens of milliseconds, and this case
    // must not turn into a timeout test on a loaded machine (a later --timeout wins).
    const run = await check(['-o', 'json', '--timeout', '3s']);
    const report = parseJsonReport(run);
    expect(run.code, `${problemsOf(report)}\n${fx.cluster.logTail()}`).toBe(0);
    expect(report.status).toBe('ok');
    const [quorum] = find(report.results, 'etcd-quorum');
    expect(quorum).toMatchObject({ status: 'ok', data: { members: 3, voters: 3, learners: 0, healthy: 3, quorum: 2, tolerance: 1 } });
    expect(fx.cluster.members.map((m) => m.name)).toContain((quorum!.data as { leader: string }).leader);
    const members = find(report.results, 'etcd-members');
    expect(members.map((m) => m.status)).toEqual(['ok', 'ok', 'ok']);
    expect(members.map((m) => (m.data as { id: string }).id).sort()).toEqual(fx.cluster.members.map((m) => m.id).sort());
    expect(find(report.results, 'etcd-alarms')[0]).toMatchObject({ status: 'ok' });
    expect(find(report.results, 'etcd-db-size')[0]!.message).toMatch(/quota/);
  });

  it('a client certificate from another CA: a clear authentication finding per member, not a crash', async () => {
    const strangerCa = await createCa('stranger');
    const stranger = await issue(strangerCa, { commonName: 'intruder', usage: 'client' });
    const cert = join(fx.workDir, 'stranger.crt');
    const key = join(fx.workDir, 'stranger.key');
    writeFileSync(cert, stranger.certPem);
    writeFileSync(key, stranger.keyPem, { mode: 0o600 });
    const run = await check(['-o', 'json'], ['--etcd-cacert', fx.cluster.clientTls.caFile, '--etcd-cert', cert, '--etcd-key', key]);
    const report = parseJsonReport(run);
    const auth = find(report.results, 'etcd-members', 'etcd-auth-failed');
    expect(auth).toHaveLength(3);
    expect(auth[0]).toMatchObject({ status: 'crit' });
    expect(auth[0]!.message).toContain('rejected our client certificate');
    expect(auth[0]!.fix!.join('\n')).toContain('healthcheck-client.crt');
    expect(report.results.every((r) => r.status !== 'error')).toBe(true);
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });

  it('no client certificate: says so once and judges etcd indirectly from ports and certificates', async () => {
    const run = await check(['-o', 'json'], []);
    const report = parseJsonReport(run);
    expect(report.results.filter((r) => r.code === 'etcd-no-credentials')).toHaveLength(1);
    const quorum = find(report.results, 'etcd-quorum').find((r) => r.code !== 'etcd-no-credentials')!;
    expect(quorum).toMatchObject({ status: 'ok', data: { indirect: true, members: 3, healthy: 3, quorum: 2 } });
    expect(quorum.message).toMatch(/^from this host \(indirect, no client certificate\): 3 of 3 members accept TLS/);
    const members = find(report.results, 'etcd-members');
    expect(members.map((m) => m.message.slice(0, 47))).toEqual(Array(3).fill('from this host (indirect): accepts TLS on 2379 '));
    expect(members[0]!.message).toContain('serves CN=etcd-server');
    expect(find(report.results, 'etcd-alarms')[0]).toMatchObject({ status: 'skip' });
  });

  it('a hung member (SIGSTOP): the run finishes within --timeout + 1 s and names it', async () => {
    fx.cluster.pause('m2');
    try {
      const run = await check(['-o', 'json']);
      const report = parseJsonReport(run);
      expect(run.stderr).toBe('');
      expect(run.ms).toBeLessThan(TIMEOUT_MS + 1000 + 400); // + node start-up of the spawned CLI
      expect(report.durationMs).toBeLessThan(TIMEOUT_MS + 1000);
      const [hung] = find(report.results, 'etcd-members', 'etcd-member-unreachable');
      expect(hung!.subject).toBe(`etcd member m2 (${fx.cluster.members[1]!.clientUrl})`);
      expect(hung!.message).toMatch(/did not answer the TLS handshake within 1000 ms/);
      expect(hung!.timedOut).toEqual([`etcd ${fx.cluster.members[1]!.clientUrl}`]);
      expect(find(report.results, 'etcd-quorum')[0]).toMatchObject({ code: 'etcd-quorum-at-risk', data: { healthy: 2, tolerance: 0, gone: ['m2'] } });
    } finally {
      fx.cluster.resume('m2');
    }
  });

  it('one member killed (zombie): at risk, and the gone member is named with id and remove advice; the table shows its symptom, cause and fix with the risk it explains', async () => {
    await fx.cluster.kill('m3');
    const m3 = fx.cluster.members[2]!;
    const report = parseJsonReport(await check(['-o', 'json']));
    const [quorum] = find(report.results, 'etcd-quorum');
    expect(quorum).toMatchObject({
      status: 'warn',
      code: 'etcd-quorum-at-risk',
      data: { members: 3, voters: 3, healthy: 2, quorum: 2, tolerance: 0, gone: ['m3'] },
    });
    expect(quorum!.message).toContain('one more failure and the cluster becomes read-only');
    const [gone] = find(report.results, 'etcd-members', 'etcd-member-unreachable');
    expect(gone!.message).toContain(`member m3 (id ${m3.id}) unreachable from this host: connection refused`);
    expect(gone!.message).toContain(`etcdctl member remove ${m3.id}`);
    expect(gone!.data).toMatchObject({ name: 'm3', id: m3.id, clientURLs: [m3.clientUrl], peerURLs: [m3.peerUrl], failure: 'refused' });

    const run = await check(['--no-color']);
    // Wrapped to the terminal's width: read each paragraph as one line.
    const table = { stdout: run.stdout.replace(/\n +/g, ' ') };
    // The gone member is the root cause: its symptom, cause and fix are printed, and the
    // quorum at risk it leads to is listed under it rather than repeated.
    expect(table.stdout).toMatch(/^CRIT {2}most likely cause: etcd-member-unreachable on etcd member m3 /m);
    expect(table.stdout).toContain('Explains: WARN etcd-quorum-at-risk  etcd');
    expect(table.stdout).toContain("Symptom: etcdctl reports 'unhealthy cluster'"); // symptom
    expect(table.stdout).toContain('the machine was deleted but the member is still in the member list (zombie member)'); // cause
    // fix: the member list, with the endpoints and files this run used (the table may wrap it).
    const t = fx.cluster.clientTls;
    // A command broken for the width continues with ` \` on the next line: joined, it is one line.
    expect(table.stdout.replace(/ \\\s+/g, ' ').replace(/ /g, '')).toContain(
      `$etcdctl--endpoints=${fx.cluster.endpoints.join(',')}--cacert=${t.caFile}--cert=${t.certFile}--key=${t.keyFile}memberlist-wtable`,
    );
  });

  it('two members killed: quorum lost, names both, exit 1', async () => {
    await fx.cluster.kill('m2');
    const run = await check(['-o', 'json']);
    const report = parseJsonReport(run);
    expect(run.code, run.stdout).toBe(1);
    expect(report.status).toBe('crit');
    const [quorum] = find(report.results, 'etcd-quorum');
    expect(quorum).toMatchObject({ status: 'crit', code: 'etcd-quorum-lost', data: { healthy: 1, quorum: 2, gone: ['m2', 'm3'] } });
    expect(quorum!.message).toMatch(/^from this host: 1 of 3 voting members healthy: quorum needs 2, the cluster is read-only; gone: m2 .*, m3 /);
    expect(report.rootCauses[0]).toMatchObject({ code: 'etcd-quorum-lost' });
  });

  it('the member left alone gives up its leader after an election timeout: etcd-no-leader, explained by the lost quorum', async () => {
    // m2 and m3 are gone (previous case). m1 stops trusting a leader it cannot hear from (or,
    // as leader, steps down without a quorum) within an election timeout, then campaigns.
    let report: Report | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      report = parseJsonReport(await check(['-o', 'json']));
      if (find(report.results, 'etcd-quorum', 'etcd-no-leader').length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const [noLeader] = find(report!.results, 'etcd-quorum', 'etcd-no-leader');
    expect(noLeader, JSON.stringify(find(report!.results, 'etcd-quorum'))).toMatchObject({
      status: 'crit',
      message: 'm1 reports no leader',
      data: { noLeader: ['m1'] },
    });
    expect(report!.rootCauses[0]).toMatchObject({ code: 'etcd-quorum-lost' });
    expect(report!.rootCauses[0]!.explains).toContain('etcd-no-leader');
  });
});
