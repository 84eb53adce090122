// Runs the built CLI against a simulated shape from each place k8sdoc can stand
// (test/helpers/shape-expectations.ts names them), and reads its JSON report.
import type { SimCluster } from '../../src/sim/cluster.js';
import type { Report } from '../../src/engine/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import type { AnyScenarioName } from '../../src/sim/scenarios/index.js';
import { expectationFor, type ShapeExpectation, type Vantage } from '../helpers/shape-expectations.js';
import { emptyHome, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';
import { vantageArgs } from '../../src/sim/vantage-args.js';

export interface Diagnosis {
  run: CliRun;
  report: Report;
}

export async function diagnose(c: SimCluster, vantage: Vantage, extra: string[] = [], options: { shell?: string } = {}): Promise<Diagnosis> {
  const args = vantageArgs(c, vantage);
  if (!args) throw new Error(`${c.scenario.name} offers no ${vantage} vantage`);
  const argv = ['check', ...args, '-o', 'json', '--fail-on', 'warn', '--timeout', '2s', ...extra];
  const run = options.shell ? await runShell(options.shell, argv) : await runCli(argv, { killAfterMs: 60_000 });
  return { run, report: parseJsonReport(run) };
}

/** The CLI through `sh -c '<prefix>; exec node bin/k8sdoc …'`, e.g. to lower `ulimit -n` first. */
async function runShell(prefix: string, argv: string[]): Promise<CliRun> {
  const { BIN } = await import('../helpers/cli.js');
  const quoted = [process.execPath, BIN, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { spawn } = await import('node:child_process');
  const { emptyHome } = await import('../helpers/cli.js');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${prefix}; exec ${quoted}`], { env: { PATH: process.env.PATH, HOME: emptyHome() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** warn and crit results, as `code subject` lines. */
export function problems(report: Report): string[] {
  return report.results.filter((r) => r.status === 'warn' || r.status === 'crit').map((r) => `${r.status} ${r.code ?? '-'} ${r.subject}: ${r.message}`);
}

/** One HOME per vantage, kept across runs: a run that lists the nodes writes the discovery cache a later run (API down) reads. */
export function homes(): Record<Vantage, string> {
  return { 'jump-host': emptyHome(), 'jump-host-etcd-certs': emptyHome(), 'control-plane-node': emptyHome(), 'in-cluster': emptyHome() };
}

export async function diagnoseIn(c: SimCluster, vantage: Vantage, home: string, extra: string[] = []): Promise<Diagnosis> {
  const args = vantageArgs(c, vantage);
  if (!args) throw new Error(`${c.scenario.name} offers no ${vantage} vantage`);
  const run = await runCli(['check', ...args, '-o', 'json', '--fail-on', 'warn', '--timeout', '2s', ...extra], { env: { HOME: home }, killAfterMs: 60_000 });
  return { run, report: parseJsonReport(run) };
}

/** Kills the etcd member that runs on `node` (member names differ per distribution). */
export async function killMemberOn(c: SimCluster, node: string): Promise<void> {
  const placement = c.etcdPlacement.find((p) => p.host === node);
  if (!placement || !c.etcd) throw new Error(`no etcd member on ${node}`);
  await c.etcd.kill(placement.member);
}

/** Two election timeouts at etcd's default 1 s, with room for a loaded machine. */
const QUORUM_NOTICED_MS = 3_000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Asserts a diagnosis against the shape's expectation: the exit code with --fail-on warn, the
 * lead cause (naming the node, by name or address), and no warn or crit outside what the shape
 * or the fault warrants; never a loopback of this machine as an etcd member.
 */
export function expectDiagnosis(c: SimCluster, d: Diagnosis, e: ShapeExpectation, faultNode?: string): void {
  const shown = `exit ${d.run.code}\n${problems(d.report).join('\n')}\n${d.run.stderr.slice(0, 1000)}`;
  expect(d.run.code, shown).toBe(e.exitCode);
  const unexpected = d.report.results.filter((r) => (r.status === 'warn' || r.status === 'crit') && !e.allowed.includes(r.code ?? ''));
  expect(
    unexpected.map((r) => `${r.code} ${r.subject}: ${r.message}`),
    shown,
  ).toEqual([]);
  for (const code of e.never)
    expect(
      d.report.results.filter((r) => r.code === code && r.status !== 'ok' && r.status !== 'skip').map((r) => r.subject),
      shown,
    ).toEqual([]);
  const lead = d.report.rootCauses[0];
  if (e.leadCause === null) {
    // A healthy shape may still carry what the shape itself warrants (single-server k3s).
    if (e.allowed.length === 0) expect(lead, shown).toBeUndefined();
  } else {
    // The same closed port is seen by two checks (the port and the member behind it): either may
    // lead, as long as the lead names the fault and explains the expected cause.
    if (lead?.code !== e.leadCause) expect(lead?.explains, shown).toContain(e.leadCause);
    if (e.leadSubject) {
      const address = c.hosts.find((h) => h.name === faultNode)?.address;
      const subject = address ? new RegExp(`${e.leadSubject.source}|${escapeRegExp(address)}`) : e.leadSubject;
      expect(lead?.subject, shown).toMatch(subject);
    }
    for (const code of e.leadExplains ?? []) expect(lead?.explains, shown).toContain(code);
  }
  const members = d.report.results.filter((r) => r.component === 'etcd').map((r) => r.subject);
  expect(
    members.filter((s) => /127\.0\.0\.1|localhost|\[::1\]/.test(s)),
    shown,
  ).toEqual([]);
}

export interface ShapeSuite {
  /** The healthy shape (a SHAPE_SCENARIO_NAMES entry). */
  healthy: AnyScenarioName;
  block: number;
  /** etcd faults made on the same cluster, in order (each adds to the one before): member killed on `node`. */
  kills?: { scenario: AnyScenarioName; node: string }[];
  /** Faults that need a cluster of their own (a server down from the start), on the next block. */
  separate?: { scenario: AnyScenarioName; node: string; block: number }[];
}

/** One cluster per shape shared by its vantages: healthy first (writing each vantage's discovery cache), then its faults. */
export function describeShape(s: ShapeSuite): void {
  const healthy = expectationFor(s.healthy);
  describe.skipIf(!etcdAvailable())(`${s.healthy}`, () => {
    let c: SimCluster;
    const home = homes();
    beforeAll(async () => {
      c = await startCluster(s.healthy, { block: s.block });
    }, 60_000);
    afterAll(async () => {
      await c?.stop();
    });

    for (const v of healthy.vantages) {
      it(`healthy, from ${v}: ${healthy.exitCode === 0 ? 'exit 0 with --fail-on warn' : `only ${healthy.allowed.join(', ')}`}`, async () => {
        const d = await diagnoseIn(c, v, home[v]);
        expectDiagnosis(c, d, healthy);
        expect(d.report.cluster?.distribution).toBe(DISTRIBUTION_OF[c.distribution]);
      }, 60_000);
    }
    for (const fault of s.kills ?? []) {
      const e = expectationFor(fault.scenario);
      for (const v of e.vantages) {
        it(`${fault.scenario} (member on ${fault.node} killed), from ${v}: ${e.leadCause} leads`, async () => {
          if (!c.etcd!.members.find((m) => m.host === c.hosts.find((h) => h.name === fault.node)?.address && m.state === 'killed')) {
            await killMemberOn(c, fault.node);
            // The member left alone notices the lost majority only after an election timeout
            // (etcd's CheckQuorum); until then the API servers still read through it, and
            // /readyz/etcd passing rightly forbids concluding that quorum is lost.
            if (e.leadCause === 'etcd-quorum-lost') await new Promise((r) => setTimeout(r, QUORUM_NOTICED_MS));
          }
          expectDiagnosis(c, await diagnoseIn(c, v, home[v]), e, fault.node);
        }, 60_000);
      }
    }
  });
  for (const fault of s.separate ?? []) {
    const e = expectationFor(fault.scenario);
    describe(fault.scenario, () => {
      let c: SimCluster;
      beforeAll(async () => {
        c = await startCluster(fault.scenario, { block: fault.block });
      }, 60_000);
      afterAll(async () => {
        await c?.stop();
      });
      for (const v of e.vantages) {
        it(`from ${v}: ${e.leadCause} leads`, async () => {
          expectDiagnosis(c, await diagnoseIn(c, v, emptyHome()), e, fault.node);
        }, 60_000);
      }
    });
  }
}

/** The simulator's distribution names as the report's `cluster.distribution` says them. */
const DISTRIBUTION_OF: Record<SimCluster['distribution'], string> = {
  kubeadm: 'kubeadm',
  k3s: 'k3s',
  rke2: 'rke2',
  talos: 'talos',
  microk8s: 'microk8s',
  openshift: 'openshift',
  managed: 'eks',
};
