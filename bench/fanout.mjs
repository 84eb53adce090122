// Fan-out under partial failure, the whole `k8sdoc check` at once: 3 etcd members (one dead,
// one hung with SIGSTOP), 3 API servers (one accepting TCP and never answering), 50 kubelets
// (five hung). Every probe is bounded by --timeout and they run side by side, so the aim is a
// total within --timeout + 300 ms. Side by side on the same targets: `etcdctl endpoint status
// --cluster` and `kubectl get nodes`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSimulator, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIMEOUT_MS = 1000;
const BUDGET_MS = TIMEOUT_MS + 300;
// Address block 151 is reserved for this script in test/helpers/blocks.ts.
const BLOCK = 151;

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-fanout-'));
const { startCluster, etcdAvailable } = await loadSimulator({ 'cluster.js': ['startCluster'], 'etcd-cluster.js': ['etcdAvailable'] }, work);

/** Wall time of a child; asynchronous, because the simulator runs in this process. */
async function time(cmd, args, env) {
  const started = process.hrtime.bigint();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const status = await new Promise((r) => child.once('close', r));
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status, stdout, stderr };
}

// Worker names are zero-padded only from 100 workers on (src/sim/scenarios).
const HUNG_KUBELETS = ['worker-1', 'worker-12', 'worker-23', 'worker-34', 'worker-45'];
const withEtcd = etcdAvailable();
const haveKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

/**
 * Two shapes: the API servers and kubelets alone (etcd healthy, so the node list can be read
 * and every kubelet is probed), then everything at once (etcd without quorum as well: reads
 * fail, and the kubelets can only be found from flags and files).
 */
const SHAPES = [
  { title: '3 API servers (1 hung), 50 kubelets (5 hung), etcd healthy', etcd: {} },
  { title: '3 etcd members (1 dead, 1 hung), 3 API servers (1 hung), 50 kubelets (5 hung)', etcd: { kill: ['cp-3'], pause: ['cp-2'] } },
];

async function measureShape(shape) {
  const cluster = await startCluster(
    {
      name: 'fanout',
      description: shape.title,
      controlPlanes: 3,
      workers: 47,
      apiServer: { 'cp-3': { mode: 'hang' } },
      nodes: Object.fromEntries(HUNG_KUBELETS.map((n) => [n, { kubelet: 'hang' }])),
      ...(withEtcd ? { etcd: shape.etcd } : {}),
    },
    { block: BLOCK, etcd: withEtcd },
  );
  try {
    const env = { PATH: process.env.PATH, HOME: work };
    const k8sdoc = [resolve('bin/k8sdoc'), 'check', ...cluster.checkArgs, '--timeout', `${TIMEOUT_MS}ms`, '-o', 'json'];
    const kubectl = [
      'get',
      'nodes',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--request-timeout',
      `${TIMEOUT_MS / 1000}s`,
      '--cache-dir',
      join(work, 'kube-cache'),
    ];
    const etcdctl = withEtcd
      ? [
          '--endpoints',
          cluster.etcd.endpoints[0],
          '--cacert',
          cluster.etcd.clientTls.caFile,
          '--cert',
          cluster.etcd.clientTls.certFile,
          '--key',
          cluster.etcd.clientTls.keyFile,
          'endpoint',
          'status',
          '--cluster',
          '-w',
          'table',
        ]
      : null;
    const ours = [];
    const reported = [];
    const kube = [];
    const etcd = [];
    let last = null;
    for (let i = 0; i < RUNS; i++) {
      const run = await time(process.execPath, k8sdoc, env);
      const report = JSON.parse(run.stdout || 'null');
      if (!report) throw new Error(`k8sdoc printed no report (exit ${run.status}): ${run.stderr.slice(-500)}`);
      ours.push(run.ms);
      reported.push(report.durationMs);
      last = report;
      if (haveKubectl) kube.push(await time('kubectl', kubectl, env));
      if (etcdctl) etcd.push(await time('etcdctl', etcdctl, { ...env, ETCDCTL_API: '3' }));
    }
    const m = median(ours);
    const count = (code) => last.results.filter((r) => r.code === code).length;
    const slowest = Object.entries(last.results.reduce((acc, r) => ({ ...acc, [r.check]: Math.max(acc[r.check] ?? 0, r.durationMs ?? 0) }), {}))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([c, ms]) => `${c} ${ms} ms`);
    console.log(`\nfan-out: ${shape.title}; --timeout ${TIMEOUT_MS} ms; median of ${RUNS}`);
    console.log(`  k8sdoc check (every check, spawned)      median ${m.toFixed(0).padStart(6)} ms   (report durationMs median ${median(reported)} ms)`);
    console.log(
      `  last run: kubelet-unreachable ${count('kubelet-unreachable')}, apiserver-timeout ${count('apiserver-timeout')}, etcd-member-unreachable ${count('etcd-member-unreachable')}, report status ${last.status}; slowest checks: ${slowest.join(', ')}`,
    );
    if (kube.length) {
      const k = median(kube.map((r) => r.ms));
      console.log(
        `  kubectl get nodes (same kubeconfig)      median ${k.toFixed(0).padStart(6)} ms   exit ${kube.at(-1).status}   ratio k8sdoc/kubectl ${(m / k).toFixed(2)} x`,
      );
    }
    if (etcd.length) {
      const e = median(etcd.map((r) => r.ms));
      console.log(
        `  etcdctl endpoint status --cluster        median ${e.toFixed(0).padStart(6)} ms   exit ${etcd.at(-1).status}   ratio k8sdoc/etcdctl ${(m / e).toFixed(2)} x`,
      );
    }
    console.log(`  aim --timeout + 300 ms = ${BUDGET_MS} ms: ${m <= BUDGET_MS ? 'met' : `not met (${(m - BUDGET_MS).toFixed(0)} ms over)`}`);
  } finally {
    if (withEtcd && shape.etcd.pause) for (const name of shape.etcd.pause) cluster.etcd.resume(name);
    await cluster.stop();
  }
}

try {
  for (const shape of SHAPES) await measureShape(shape);
} finally {
  rmSync(work, { recursive: true, force: true });
}
