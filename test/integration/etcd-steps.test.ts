// The etcdctl steps of a report, pasted as printed, run against the cluster the run looked at:
// a real three-member etcd with real TLS, one member killed, k8sdoc run with the client
// certificate, then every filled etcdctl step of its JSON run with bash. Only read-only verbs
// are run (endpoint status, member list, alarm list, hashkv); the others (defrag, compact,
// alarm disarm, member remove, snapshot restore) are only parsed with bash -n.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CODES, entryFor } from '../../src/catalogue/index.js';
import { fillSteps } from '../../src/catalogue/fill.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import type { About } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';
import { startEtcdFixture, type EtcdFixture } from '../helpers/etcd-fixture.js';

const READ_ONLY = /^etcdctl (?:--\S+ )+(?:endpoint (?:status|health|hashkv)|member list|alarm list)\b/;
const WRITES = /\b(?:defrag|compact|disarm|remove|restore|snapshot|put|del)\b/;

function runs(line: string): { code: number | null; output: string } {
  const r = spawnSync('bash', ['-c', line], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
}

function parses(line: string): boolean {
  return spawnSync('bash', ['-n'], { input: `${line}\n` }).status === 0;
}

describe.skipIf(!etcdAvailable())('etcdctl steps filled with the run’s endpoints and files, run against real etcd', () => {
  let fx: EtcdFixture;
  let flags: string[];

  beforeAll(async () => {
    fx = await startEtcdFixture(BLOCKS.etcdSteps, 3);
    const t = fx.cluster.clientTls;
    flags = ['--etcd', fx.cluster.endpoints.join(','), '--etcd-cacert', t.caFile, '--etcd-cert', t.certFile, '--etcd-key', t.keyFile];
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('every read-only etcdctl step of every etcd entry and variant runs as filled on a healthy cluster', () => {
    const t = fx.cluster.clientTls;
    const etcd = { endpoints: fx.cluster.endpoints, cacert: t.caFile, cert: t.certFile, key: t.keyFile };
    const m1 = fx.cluster.members[0]!;
    const about: About = { member: { id: m1.id!, name: m1.name, clientURLs: [m1.clientUrl] }, endpoint: m1.clientUrl, host: m1.host };
    const lines = new Set<string>();
    for (const code of ALL_CODES) {
      const entry = entryFor(code);
      for (const fix of [entry.fix, ...(entry.variants ?? []).flatMap((v) => (v.fix ? [v.fix] : []))])
        for (const step of fillSteps(fix, entry.component, about, { distribution: 'kubeadm', etcd }))
          if (step.kind === 'command' && step.filled && step.text.includes('etcdctl --endpoints=')) lines.add(step.text);
    }
    const readOnly = [...lines].filter((l) => READ_ONLY.test(l) && !WRITES.test(l));
    expect(readOnly.length).toBeGreaterThanOrEqual(5);
    for (const line of readOnly) {
      const r = runs(line);
      expect(r.code, `${line}\n${r.output}`).toBe(0);
    }
    for (const line of lines) expect(parses(line), line).toBe(true);
  });

  it('one member killed: every filled etcdctl step of the report carries the run’s flags and runs', async () => {
    await fx.cluster.kill('m3');
    const run = await runCli(['check', '--only', 'etcd', '-o', 'json', '--timeout', '2s', ...flags]);
    const report = parseJsonReport(run);
    expect(
      report.results.some((r) => r.code === 'etcd-member-unreachable'),
      problemsOf(report),
    ).toBe(true);
    const gone = report.results.find((r) => r.code === 'etcd-member-unreachable')!;
    expect(gone.about?.evidence?.quorum).toBe('present');
    expect(gone.variant).toBe('quorum kept');
    const t = fx.cluster.clientTls;
    const steps = report.results.flatMap((r) => r.steps ?? []).filter((s) => s.kind === 'command' && s.filled && s.text.startsWith('etcdctl'));
    expect(steps.length).toBeGreaterThan(0);
    for (const { text } of steps) {
      expect(text).toContain(`--cacert=${t.caFile} --cert=${t.certFile} --key=${t.keyFile}`);
      if (READ_ONLY.test(text) && !WRITES.test(text)) {
        const r = runs(text);
        expect(r.code, `${text}\n${r.output}`).toBe(0);
      } else expect(parses(text), text).toBe(true);
    }
    // The run's own endpoints, all three, as it was given them.
    expect(steps.some((s) => s.text.includes(`--endpoints=${fx.cluster.endpoints.join(',')} `))).toBe(true);
    // The member list really names the dead member, so the step answers the question it asks.
    const list = steps.find((s) => s.text.includes('member list'))!;
    expect(runs(list.text).output).toContain(fx.cluster.members[2]!.id!);
    expect(run.stdout).not.toContain('PRIVATE KEY');
  });
});
