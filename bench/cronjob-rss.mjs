// Peak memory of the CronJob's own command (deploy/cronjob.yaml's args) against the simulator's
// `large` scenario (5,000 nodes, 3 control-plane nodes with kubelets): the figure the CronJob's
// memory request and limit are set from. Peak RSS from /usr/bin/time -v, median and maximum of
// BENCH_RUNS runs; the bare `node -e 0` peak beside it as the reference.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadSimulator, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// Address block 184 is reserved for this script in test/helpers/blocks.ts.
const BLOCK = 184;
if (!existsSync('/usr/bin/time')) throw new Error('needs /usr/bin/time (Debian package time) for peak RSS');

const cronJob = parseAllDocuments(readFileSync('deploy/cronjob.yaml', 'utf8'))
  .map((d) => d.toJSON())
  .find((d) => d.kind === 'CronJob');
const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
const args = container.args;
// The container's own environment (NODE_OPTIONS bounds the heap there).
const containerEnv = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-cronjob-'));
const { startCluster } = await loadSimulator({ 'cluster.js': ['startCluster'] }, work);

async function peakRss(argv, extraEnv = {}) {
  const child = spawn('/usr/bin/time', ['-v', ...argv], { env: { PATH: process.env.PATH, HOME: work, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  await new Promise((r) => child.once('close', r));
  return Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)[1]) / 1024;
}

const cluster = await startCluster('large', { block: BLOCK, workDir: join(work, 'cluster') });
try {
  const bin = resolve('bin/k8sdoc');
  const ours = [];
  const bare = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(await peakRss([process.execPath, bin, ...args, '--kubeconfig', cluster.kubeconfigPath], containerEnv));
    bare.push(await peakRss([process.execPath, '-e', '0']));
  }
  const fmt = (v) => `${v.toFixed(0)} MB`;
  console.log(
    `cronjob env ${JSON.stringify(containerEnv)}, args (${args.join(' ')}) on 5,000 nodes: peak RSS median ${fmt(median(ours))}, max ${fmt(Math.max(...ours))} (${RUNS} runs)`,
  );
  console.log(`bare node -e 0: peak RSS median ${fmt(median(bare))}; ratio ${(median(ours) / median(bare)).toFixed(1)}x`);
} finally {
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
