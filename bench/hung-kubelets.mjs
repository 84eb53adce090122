// 5,000 nodes, 4,997 of them with a hung kubelet (port 10250 accepts TCP, never completes TLS;
// the kubelet stopped posting status 7 minutes ago, so its lease is stale and Ready Unknown),
// at the CronJob's own arguments (deploy/cronjob.yaml: --timeout 5s, default concurrency and
// deadline). Wall time, peak RSS (/usr/bin/time -v) and what the report counts: every dead
// kubelet must be reported, within the budget. Bare `node -e 0` is measured alongside as the
// reference. Medians of BENCH_RUNS runs. BENCH_BASE=<path of another checkout's bin/k8sdoc>
// runs that build interleaved with this one (before/after).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadSimulator, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// Address block 319 is reserved for this script in test/helpers/blocks.ts.
const BLOCK = 319;
const timeV = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const cronJob = parseAllDocuments(readFileSync('deploy/cronjob.yaml', 'utf8'))
  .map((d) => d.toJSON())
  .find((d) => d.kind === 'CronJob');
const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
// BENCH_EXTRA_ARGS (space-separated) adds flags, e.g. `--skip certs-served` to time the rest alone.
const args = [...container.args, ...(process.env.BENCH_EXTRA_ARGS ?? '').split(' ').filter(Boolean)];
// BENCH_NO_CONTAINER_ENV=1 leaves out the container's env (NODE_OPTIONS' heap ceiling), to see what the run needs unbounded.
const containerEnv = process.env.BENCH_NO_CONTAINER_ENV ? {} : Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-hung-kubelets-'));
const { startCluster, buildScenario, HangingListener, workerName } = await loadSimulator(
  { 'cluster.js': ['startCluster'], 'scenarios/index.js': ['buildScenario'], 'faults.js': ['HangingListener'], 'scenarios/spec.js': ['workerName'] },
  work,
);

function measure(argv, env) {
  return new Promise((done) => {
    const full = timeV ? [timeV, '-v', ...argv] : argv;
    const started = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.once('close', (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      done({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr, rssMb: rss ? Number(rss[1]) / 1024 : null });
    });
  });
}

const spec = buildScenario('large');
const nodes = {};
for (let i = 0; i < spec.workers; i++) nodes[workerName(i, spec.workers)] = { kubelet: 'hang', stoppedPostingMinutesAgo: 7 };
const cluster = await startCluster({ ...spec, nodes }, { block: BLOCK, etcd: false, workDir: join(work, 'cluster') });
const workers = cluster.hosts.filter((h) => h.name.startsWith('worker-'));
const hanging = await Promise.all(workers.map((h) => HangingListener.start(h.address, 10250)));
try {
  const env = { PATH: process.env.PATH, HOME: join(work, 'home'), ...containerEnv };
  const ours = [];
  const rss = [];
  const bare = [];
  const bareRss = [];
  let last;
  const base = [];
  const baseRss = [];
  let baseLast;
  for (let i = 0; i < RUNS; i++) {
    if (process.env.BENCH_BASE) {
      const b = await measure([process.execPath, resolve(process.env.BENCH_BASE), ...args, '--kubeconfig', cluster.kubeconfigPath], env);
      if (b.stdout.trim() === '') throw new Error(`BENCH_BASE printed no report (exit ${b.code}): ${b.stderr.slice(-2000)}`);
      baseLast = JSON.parse(b.stdout);
      base.push(b.ms);
      if (b.rssMb !== null) baseRss.push(b.rssMb);
    }
    const run = await measure([process.execPath, resolve('bin/k8sdoc'), ...args, '--kubeconfig', cluster.kubeconfigPath], env);
    if (run.stdout.trim() === '') throw new Error(`k8sdoc printed no report (exit ${run.code}): ${run.stderr.slice(-2000)}`);
    last = JSON.parse(run.stdout);
    ours.push(run.ms);
    if (run.rssMb !== null) rss.push(run.rssMb);
    const b = await measure([process.execPath, '-e', '0'], env);
    bare.push(b.ms);
    if (b.rssMb !== null) bareRss.push(b.rssMb);
  }
  if (process.env.BENCH_REPORT) (await import('node:fs')).writeFileSync(process.env.BENCH_REPORT, JSON.stringify(last));
  /** Dead kubelets reported, those judged without a dial, and the summary of a report. */
  const tally = (report) => {
    const dead = new Set(report.results.filter((r) => r.check === 'kubelet' && r.code === 'kubelet-unreachable').map((r) => r.data.node));
    const byLease = report.results.filter((r) => r.check === 'kubelet' && r.data?.kubelet === 'not-probed').length;
    const errors = report.results.filter((r) => r.status === 'error').map((r) => r.check);
    return `dead kubelets reported ${dead.size} of ${workers.length}, ${byLease} without a dial; errors: ${errors.join(', ') || 'none'}; deadlineReached ${JSON.stringify(report.deadlineReached?.checks ?? [])}`;
  };
  if (baseLast) {
    console.log(
      `  BENCH_BASE wall        median ${median(base).toFixed(0).padStart(7)} ms   report durationMs ${baseLast.durationMs} ms; peak RSS median ${median(baseRss).toFixed(0)} MB`,
    );
    console.log(`  BENCH_BASE ${tally(baseLast)}`);
    console.log(`  this build ${tally(last)}`);
  }
  const dead = new Set(last.results.filter((r) => r.check === 'kubelet' && r.code === 'kubelet-unreachable').map((r) => r.data.node));
  const missing = workers.filter((h) => !dead.has(h.name)).length;
  const byLease = last.results.filter((r) => r.check === 'kubelet' && r.data?.kubelet === 'not-probed').length;
  const deadline = args.includes('--deadline') ? 'as given' : '10 x --timeout';
  console.log(`5,000 nodes, ${workers.length} hung kubelets, args: ${args.join(' ')} (deadline ${deadline}); median of ${RUNS} runs`);
  console.log(`  k8sdoc wall             median ${median(ours).toFixed(0).padStart(7)} ms   report durationMs ${last.durationMs} ms`);
  console.log(`  node -e 0 (reference)   median ${median(bare).toFixed(0).padStart(7)} ms   ratio ${(median(ours) / median(bare)).toFixed(1)}x`);
  if (rss.length > 0)
    console.log(
      `  peak RSS                median ${median(rss).toFixed(0).padStart(7)} MB   max ${Math.max(...rss).toFixed(0)} MB; node -e 0 ${median(bareRss).toFixed(0)} MB`,
    );
  console.log(`  report: status ${last.status}, summary ${JSON.stringify(last.summary)}, deadlineReached ${JSON.stringify(last.deadlineReached ?? null)}`);
  console.log(`  dead kubelets reported ${dead.size} of ${workers.length} (missing ${missing}); ${byLease} judged from lease and Ready without a dial`);
} finally {
  await Promise.all(hanging.map((l) => l.close()));
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
