// On call from a jump host while every API server is hung (TLS answers, no request does):
// the whole `k8sdoc check` against --timeout. The jump host ran k8sdoc before, so its
// discovery cache knows the masters and the run asks each of them besides the kubeconfig's
// server. Aim: within --timeout + 300 ms. Medians of interleaved runs, with bare `node -e 0`
// measured alongside as the reference for start-up cost on this machine. BENCH_BASE=<path of
// another checkout's bin/k8sdoc> runs that build interleaved with this one (before/after).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSimulator, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIMEOUT_MS = Number(process.env.ONCALL_TIMEOUT_MS ?? 1000);
// Longer than any run: the API servers never answer while the benchmark measures.
const HUNG_MS = 120_000;
// Address block 318 is reserved for this script in test/helpers/blocks.ts.
const BLOCK = 318;

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-oncall-'));
const { startCluster, buildScenario } = await loadSimulator({ 'cluster.js': ['startCluster'], 'scenarios/index.js': ['buildScenario'] }, work);

function timed(argv, env) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.once('close', (code) => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout }));
  });
}

const cluster = await startCluster(buildScenario('healthy'), { block: BLOCK, etcd: false });
try {
  const home = join(work, 'home');
  const env = { PATH: process.env.PATH, HOME: home };
  const checkArgs = ['check', '--kubeconfig', cluster.kubeconfigPath, '--timeout', `${TIMEOUT_MS}ms`, '-o', 'json'];
  const args = [process.execPath, resolve('bin/k8sdoc'), ...checkArgs];
  const baseArgs = process.env.BENCH_BASE ? [process.execPath, resolve(process.env.BENCH_BASE), ...checkArgs] : null;
  // The jump host's earlier run, while the cluster was healthy: it fills the discovery cache.
  await timed(args, env);
  for (const a of cluster.apiServers) a.faults.slowMs = HUNG_MS;
  const ours = [];
  const reported = [];
  const bare = [];
  const base = [];
  const baseReported = [];

  for (let i = 0; i < RUNS; i++) {
    cluster.requestLog.clear();
    const run = await timed(args, env);
    const report = JSON.parse(run.stdout);
    if (report.status !== 'crit') throw new Error(`expected crit with every API server hung, got ${report.status}`);
    ours.push(run.ms);
    reported.push(report.durationMs);
    bare.push((await timed([process.execPath, '-e', '0'], env)).ms);
    if (baseArgs) {
      cluster.requestLog.clear();
      const b = await timed(baseArgs, env);
      base.push(b.ms);
      baseReported.push(JSON.parse(b.stdout).durationMs);
    }
  }
  const m = median(ours);
  console.log(
    `every API server hung, --timeout ${TIMEOUT_MS} ms, discovery cache knows ${cluster.apiServers.length} masters; median of ${RUNS} interleaved runs`,
  );
  console.log(`  k8sdoc check (wall, spawned)     median ${m.toFixed(0).padStart(6)} ms   ratio to --timeout ${(m / TIMEOUT_MS).toFixed(2)}x`);
  console.log(
    `  k8sdoc report durationMs         median ${median(reported).toFixed(0).padStart(6)} ms   ratio to --timeout ${(median(reported) / TIMEOUT_MS).toFixed(2)}x`,
  );
  if (base.length > 0) {
    console.log(
      `  BENCH_BASE check (wall, spawned) median ${median(base).toFixed(0).padStart(6)} ms   ratio to --timeout ${(median(base) / TIMEOUT_MS).toFixed(2)}x`,
    );
    console.log(
      `  BENCH_BASE report durationMs     median ${median(baseReported).toFixed(0).padStart(6)} ms   ratio to --timeout ${(median(baseReported) / TIMEOUT_MS).toFixed(2)}x`,
    );
  }
  console.log(`  node -e 0 (reference)            median ${median(bare).toFixed(0).padStart(6)} ms`);
  console.log(
    `  wall minus node start-up         median ${(m - median(bare)).toFixed(0).padStart(6)} ms   aim: <= --timeout + 300 ms = ${TIMEOUT_MS + 300} ms`,
  );
} finally {
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
// The simulator's hung handlers would keep the process alive until they time out.
process.exit(0);
