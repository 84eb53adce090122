// Many hung kubelets and a run budget, as the CronJob meets them: every worker's port 10250
// accepts TCP and never completes a TLS handshake. Half the workers stopped heartbeating (lease
// stale, Ready Unknown): each is reported dead from the control plane's word, without waiting
// for a dial per node. The other half still renew their leases, so only a dial can tell, and
// there are more dials than the --deadline leaves time for: the kubelet check keeps what it
// found, says how many it could not probe, and the report says the deadline was reached. The
// API servers' health is judged all the same: it never queues behind the kubelet dials. The
// checks that read the kubelets' serving certificates follow the same dial plan and share its
// handshakes, counted at the hung kubelets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { HangingListener } from '../../src/sim/faults.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { workerName, type NodeSpec } from '../../src/sim/scenarios/spec.js';
import { BLOCKS } from '../helpers/blocks.js';
import { BIN, emptyHome, parseJsonReport, runCli } from '../helpers/cli.js';
import { spawn } from 'node:child_process';

const WORKERS = 240;
const STOPPED = 120;
let cluster: SimCluster;
const hanging: HangingListener[] = [];

beforeAll(async () => {
  const nodes: Record<string, NodeSpec> = {};
  for (let i = 0; i < STOPPED; i++) nodes[workerName(i, WORKERS)] = { kubelet: 'hang', stoppedPostingMinutesAgo: 7 };
  cluster = await startCluster(
    { ...buildScenario('healthy'), name: 'hung-kubelets', workers: WORKERS, kubelets: 'control-plane', nodes },
    { block: BLOCKS.hungKubelets, etcd: false },
  );
  // The simulator runs kubelets on the control plane only; every worker's port hangs.
  const workers = cluster.hosts.filter((h) => h.name.startsWith('worker-'));
  hanging.push(...(await Promise.all(workers.map((h) => HangingListener.start(h.address, 10250)))));
}, 120_000);

afterAll(async () => {
  await Promise.all(hanging.map((l) => l.close()));
  await cluster?.stop();
});

describe('hung kubelets within the run budget', () => {
  it('reports every kubelet that stopped heartbeating, keeps the dials that finished, names the rest, and judges the API servers', async () => {
    const run = await runCli(
      ['check', '--kubeconfig', cluster.kubeconfigPath, '--skip', 'etcd,certs', '--timeout', '1s', '--concurrency', '8', '--deadline', '6s', '-o', 'json'],
      { killAfterMs: 60_000 },
    );
    const report = parseJsonReport(run);
    expect(run.code).toBe(1);
    const kubelet = report.results.filter((r) => r.check === 'kubelet');
    expect(kubelet.every((r) => r.status !== 'error')).toBe(true);

    // Every worker that stopped heartbeating: a dead kubelet, dialled (the sample) or not.
    for (let i = 0; i < STOPPED; i++) {
      const name = workerName(i, WORKERS);
      const r = kubelet.find((k) => k.data?.['node'] === name);
      expect(r, name).toMatchObject({ status: 'crit', code: 'kubelet-unreachable' });
      const node = report.results.find((k) => k.check === 'nodes-ready' && k.data?.['node'] === name);
      expect(node, name).toMatchObject({ status: 'crit', code: 'node-not-ready' });
    }
    const byLease = kubelet.filter((r) => r.data?.['kubelet'] === 'not-probed');
    expect(byLease.length).toBeGreaterThan(STOPPED / 2);
    expect(byLease[0]!.message).toMatch(
      /stopped renewing its lease (6m5\ds|7m(\d+s)?) ago and node worker-\d+ is NotReady \(Ready=Unknown, NodeStatusUnknown\).* not dialled/,
    );

    // The workers still heartbeating: a hung kubelet for each dial that finished, and one line
    // for those the budget left no time for; together they are every such worker.
    const running = new Set(
      cluster.hosts
        .filter((h) => h.name.startsWith('worker-'))
        .slice(STOPPED)
        .map((h) => h.address),
    );
    const dialled = kubelet.filter((r) => running.has(String(r.data?.['host'])));
    expect(dialled.every((r) => r.status === 'crit' && r.data?.['kubelet'] === 'timeout')).toBe(true);
    const cut = kubelet.find((r) => r.status === 'skip' && /not probed within the budget/.test(r.message));
    expect(cut).toBeDefined();
    const notProbed = cut!.data?.['notProbed'] as number;
    expect(cut!.message).toMatch(new RegExp(`^${notProbed} kubelets not probed within the budget \\(--deadline 6s\\)`));
    // (On a loaded machine the control plane's own kubelets may be among those not probed.)
    const cutWorkers = (cut!.data?.['hosts'] as string[]).filter((h) => running.has(h));
    expect(dialled.length + cutWorkers.length).toBe(WORKERS - STOPPED);
    expect(report.deadlineReached).toEqual({ deadlineMs: 6000, checks: expect.arrayContaining(['kubelet']) });

    // The API servers' health came through in time, whatever the kubelets cost.
    const health = report.results.filter((r) => r.check === 'apiserver-health');
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((r) => r.status === 'ok')).toBe(true);
  });

  it('certs-served and kubelet-certificates dial only what the plan dials, each kubelet at most once, and keep their findings at the deadline', async () => {
    for (const l of hanging) l.tlsHandshakes = 0;
    const run = await runCli(
      ['check', '--kubeconfig', cluster.kubeconfigPath, '--only', 'kubelet,certs', '--timeout', '1s', '--concurrency', '8', '--deadline', '6s', '-o', 'json'],
      { killAfterMs: 60_000 },
    );
    const report = parseJsonReport(run);
    const served = report.results.filter((r) => r.check === 'certs-served');
    const kubeletCerts = report.results.filter((r) => r.check === 'kubelet-certificates');
    expect(served.length).toBeGreaterThan(0);
    expect(kubeletCerts.length).toBeGreaterThan(0);
    expect([...served, ...kubeletCerts].filter((r) => r.status === 'error')).toEqual([]);
    // Hundreds of targets awaited within one check's budget are not a listener leak.
    expect(run.stderr).not.toMatch(/MaxListenersExceededWarning/);

    // Counted at the hung kubelets themselves: one TLS handshake at most per kubelet for the
    // three checks, and none to a stopped kubelet past the sample (one round of --concurrency).
    const handshakes = hanging.map((l) => l.tlsHandshakes);
    expect(Math.max(...handshakes)).toBeLessThanOrEqual(1);
    const stoppedDialled = handshakes.slice(0, STOPPED).filter((n) => n > 0).length;
    expect(stoppedDialled).toBeLessThanOrEqual(8);
    const notDialled = served.find((r) => r.subject === 'kubelet serving certificates');
    expect(notDialled?.message).toMatch(new RegExp(`^${STOPPED - 8} kubelet serving certificates not inspected: the lease and the Ready condition say`));

    // What the budget left no time for is counted, not lost, and the report names the checks.
    const cut = served.find((r) => r.data?.['notFinished'] !== undefined);
    expect(cut?.message).toMatch(/^\d+ served certificates not inspected within the budget \(--deadline 6s\)/);
    expect(kubeletCerts.find((r) => r.data?.['notFinished'] !== undefined)?.message).toMatch(
      /^\d+ kubelet serving certificates not read within the budget \(--deadline 6s\)/,
    );
    expect(report.deadlineReached?.checks).toEqual(expect.arrayContaining(['kubelet', 'certs-served', 'kubelet-certificates']));
  });

  it('under ulimit -n 64 with --concurrency 512: the probes fit the open-file limit, no EMFILE reads as a dead host', async () => {
    const args = [
      'check',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--only',
      'kubelet,apiserver',
      '--timeout',
      '1s',
      '--concurrency',
      '512',
      '--deadline',
      '4s',
      '-o',
      'json',
      '--debug',
    ];
    const quoted = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((done) => {
      const child = spawn('sh', ['-c', `ulimit -n 64 && exec ${quoted}`], { env: { PATH: process.env.PATH, HOME: emptyHome() } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.once('close', (code) => done({ code, stdout, stderr, ms: 0 }));
    });
    expect(run.stderr).toContain('--concurrency 512 capped to 16 by the open-file limit (ulimit -n)');
    const report = parseJsonReport(run);
    expect(JSON.stringify(report.results)).not.toMatch(/EMFILE|too many open files/i);
    expect(report.results.filter((r) => r.check === 'apiserver-health').every((r) => r.status === 'ok')).toBe(true);
    const dead = new Set(report.results.filter((r) => r.check === 'kubelet' && r.code === 'kubelet-unreachable').map((r) => r.data?.['node']));
    for (let i = 0; i < STOPPED; i++) expect(dead.has(workerName(i, WORKERS)), workerName(i, WORKERS)).toBe(true);
  });
});
