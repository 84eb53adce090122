// `check --wait` as a pipeline uses it after a change: one etcd member is down (both
// etcd-quorum-at-risk and etcd-member-unreachable are warnings, hence --fail-on warn).
// In one cluster the member comes back after a few seconds and the wait ends with exit 0;
// in the other it never does and the wait ends at its deadline with exit 1 and the last
// full report. On a terminal the wait says, run by run, what still fails.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { BIN, emptyHome, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const RESTART_AFTER_MS = 3000;
const ETCD_FLAGS = ['--only', 'etcd', '--fail-on', 'warn', '--timeout', '1s'];

/** Runs the CLI with stdout and stderr on a pseudo-terminal (util-linux `script`), output merged. */
function runInTerminal(args: string[]): Promise<CliRun> {
  const started = performance.now();
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: emptyHome(), TERM: 'xterm' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: '', ms: Math.round(performance.now() - started) });
    });
  });
}

describe.skipIf(!etcdAvailable())('--wait: a member that comes back', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('zombie-etcd', { block: BLOCKS.waitHeals });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('re-runs until the restarted member is healthy, exits 0, and says how long it took', async () => {
    const running = runCli(['check', ...cluster.checkArgs, ...ETCD_FLAGS, '--wait', '40s', '-o', 'json'], { killAfterMs: 55_000 });
    await new Promise((r) => setTimeout(r, RESTART_AFTER_MS));
    await cluster.etcd!.restart('cp-3');
    const run = await running;
    const report = parseJsonReport(run);
    expect(run.code, run.stderr).toBe(0);
    expect(report.wait).toMatchObject({ passed: true, neverPassed: [] });
    expect(report.wait!.attempts).toBeGreaterThanOrEqual(2);
    expect(report.wait!.elapsedMs).toBeGreaterThanOrEqual(RESTART_AFTER_MS - 500);
    expect(report.wait!.elapsedMs).toBeLessThan(30_000);
    expect(report.results.find((r) => r.check === 'etcd-quorum')).toMatchObject({ status: 'ok', data: { healthy: 3, tolerance: 1 } });
    expect(run.stderr.trim()).toBe(`k8sdoc: --wait: passed after ${(report.wait!.elapsedMs / 1000).toFixed(1)}s (${report.wait!.attempts} runs)`);
    console.info(`--wait healed: exit 0 after ${report.wait!.elapsedMs} ms, ${report.wait!.attempts} runs (member restarted at ${RESTART_AFTER_MS} ms)`);
  });
});

describe.skipIf(!etcdAvailable())('--wait: a member that stays down', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('zombie-etcd', { block: BLOCKS.waitNeverHeals });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('exits 1 at the deadline with the last full report, naming the checks that never passed', async () => {
    const run = await runCli(['check', ...cluster.checkArgs, ...ETCD_FLAGS, '--wait', '5s', '-o', 'json'], { killAfterMs: 30_000 });
    const report = parseJsonReport(run);
    expect(run.code).toBe(1);
    expect(run.ms).toBeGreaterThanOrEqual(5000);
    expect(run.ms).toBeLessThan(15_000);
    expect(report.wait!.passed).toBe(false);
    expect(report.wait!.attempts).toBeGreaterThanOrEqual(2);
    // The quorum at risk is explained by the lost member, so only the member's check fails the run.
    expect(report.wait!.neverPassed).toEqual(expect.arrayContaining(['etcd-members']));
    expect(report.results.find((r) => r.code === 'etcd-quorum-at-risk')).toMatchObject({ status: 'warn', subject: 'etcd' });
    expect(run.stderr.trim()).toMatch(/^k8sdoc: --wait: still failing after \d+\.\ds \(\d+ runs\): .*etcd-members.*; never passed: .*etcd-members/);
  });

  it('prints no progress when stderr is not a terminal, even in table output', async () => {
    const run = await runCli(['check', ...cluster.checkArgs, ...ETCD_FLAGS, '--wait', '1s'], { killAfterMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('checks done');
  });

  it('on a terminal: a live line of checks done, then run by run what still fails and why', async () => {
    const run = await runInTerminal(['check', ...cluster.checkArgs, ...ETCD_FLAGS, '--wait', '3s']);
    expect(run.code).toBe(1);
    // The live line redraws in place: carriage return, erase line, then the text.
    expect(run.stdout).toMatch(new RegExp(String.raw`\r\u001b\[Kk8sdoc: \d+/\d+ checks done`));
    expect(run.stdout).toMatch(/k8sdoc: run 1 at \d+\.\ds: \d+ checks? still failing, \d+\.\ds left/);
    expect(run.stdout).toMatch(/ {2}etcd-members: etcd member cp-3[^\n]*/);
    expect(run.stdout).toMatch(/k8sdoc: run \d+ at \d+\.\ds: \d+ checks? still failing, time is up/);
    expect(run.stdout).toContain('Summary:');
  });

  it('on a terminal with -o json: nothing but the report and the verdict', async () => {
    const run = await runInTerminal(['check', ...cluster.checkArgs, ...ETCD_FLAGS, '--wait', '1s', '-o', 'json']);
    expect(run.stdout).not.toContain('checks done');
    expect(run.stdout).not.toContain('\x1b[K');
  });
});
