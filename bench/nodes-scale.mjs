// 500, 2,000 and 5,000 nodes: `k8sdoc check --only nodes` side by side with `kubectl get
// nodes -o json` on the same simulated API server, interleaved run by run. k8sdoc lists nodes
// and their leases in pages of 500 and judges each node; kubectl only lists and prints. Aim:
// not slower than kubectl, peak memory (RSS, from /usr/bin/time -v) under 300 MB at 5,000
// nodes, and time and memory growing linearly or better with the node count.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSimulator, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.NODES_SIZES ?? '500,2000,5000').split(',').map(Number);
const RSS_BUDGET_MB = 300;
// Address block 88 is reserved for this script in test/helpers/blocks.ts.
const BLOCK = 88;

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-nodes-'));
// The simulator is TypeScript: bundle what this script needs, the way the CLI build does.
const { startCluster, buildScenario } = await loadSimulator({ 'cluster.js': ['startCluster'], 'scenarios/index.js': ['buildScenario'] }, work);

const timeV = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command (under /usr/bin/time -v when present): wall ms and peak RSS in MB. The simulator runs in this process, so it must not block: spawn asynchronously. */
async function measure(cmd, args, env) {
  const { spawn } = await import('node:child_process');
  const argv = timeV ? [timeV, ['-v', cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv[1], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const status = await new Promise((r) => child.once('close', r));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return { ms, status, stdout, stderr, rssMb: rss ? Number(rss[1]) / 1024 : null };
}

const kubectlAvailable = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
let exitCode = 0;
const growth = [];

async function measureSize(nodes) {
  const spec = { ...buildScenario('large'), name: `large-${nodes}`, workers: nodes - 3 };
  const cluster = await startCluster(spec, { block: BLOCK, etcd: false });
  try {
    console.log(`\n${cluster.hosts.length} nodes, started in ${cluster.startupMs} ms; median of ${RUNS} interleaved runs`);
    const env = { PATH: process.env.PATH, HOME: work };
    const ours = [];
    const theirs = [];
    const rss = [];
    const kubectlRss = [];
    const reported = [];
    const cacheDir = join(work, 'kube-cache');
    const kubectlArgs = ['get', 'nodes', '-o', 'json', '--kubeconfig', cluster.kubeconfigPath, '--cache-dir', cacheDir];
    // kubectl caches API discovery; warm it once, as a user's kubectl would be.
    if (kubectlAvailable) await measure('kubectl', kubectlArgs, env);
    for (let i = 0; i < RUNS; i++) {
      const run = await measure(
        process.execPath,
        [resolve('bin/k8sdoc'), 'check', '--kubeconfig', cluster.kubeconfigPath, '--only', 'nodes', '-o', 'json'],
        env,
      );
      const report = JSON.parse(run.stdout.slice(0, run.stdout.lastIndexOf('}') + 1) || 'null');
      if (!report) throw new Error(`k8sdoc printed no report (exit ${run.status}): ${run.stderr.slice(-500)}`);
      const judged = report.results.filter((r) => r.check === 'nodes-ready').length;
      if (judged !== cluster.hosts.length) throw new Error(`k8sdoc judged ${judged} nodes, expected ${cluster.hosts.length}`);
      ours.push(run.ms);
      reported.push(report.durationMs);
      if (run.rssMb !== null) rss.push(run.rssMb);
      if (kubectlAvailable) {
        const k = await measure('kubectl', kubectlArgs, env);
        if (k.status !== 0) throw new Error(`kubectl failed: ${k.stderr.slice(-500)}`);
        theirs.push(k.ms);
        if (k.rssMb !== null) kubectlRss.push(k.rssMb);
      }
    }
    const listRequests = cluster.requestLog.entries((e) => e.path.startsWith('/api/v1/nodes?'));
    const largest = Math.max(...listRequests.map((e) => Number(/limit=(\d+)/.exec(e.path)?.[1] ?? Infinity)));
    console.log(`  k8sdoc check --only nodes            median ${median(ours).toFixed(0).padStart(6)} ms   (report durationMs median ${median(reported)} ms)`);
    if (rss.length > 0)
      console.log(
        `  k8sdoc peak RSS                      median ${median(rss).toFixed(0).padStart(6)} MB   max ${Math.max(...rss).toFixed(0)} MB (budget ${RSS_BUDGET_MB} MB)`,
      );
    if (kubectlAvailable) {
      console.log(
        `  kubectl get nodes -o json            median ${median(theirs).toFixed(0).padStart(6)} ms${kubectlRss.length > 0 ? `   peak RSS median ${median(kubectlRss).toFixed(0)} MB` : ''}`,
      );
      const ratio = median(ours) / median(theirs);
      console.log(`  ratio k8sdoc / kubectl               ${ratio.toFixed(2).padStart(9)} x   (aim: <= 1)`);
    } else {
      console.log('  kubectl not installed: no side-by-side figure');
    }
    console.log(`  node list requests: ${listRequests.length}, largest page asked: limit=${largest}; writes sent: ${cluster.requestLog.writes().length}`);
    if (nodes >= 5000 && rss.length > 0 && Math.max(...rss) > RSS_BUDGET_MB) exitCode = 1;
    growth.push({ nodes, ms: median(ours), rssMb: rss.length > 0 ? median(rss) : null, kubectlMs: theirs.length > 0 ? median(theirs) : null });
  } finally {
    await cluster.stop();
  }
}

try {
  for (const nodes of SIZES) await measureSize(nodes);
  if (growth.length > 1) {
    const [a, b] = [growth[0], growth[growth.length - 1]];
    const factor = b.nodes / a.nodes;
    console.log(
      `\ngrowth ${a.nodes} -> ${b.nodes} nodes (x${factor}): time x${(b.ms / a.ms).toFixed(2)}${a.kubectlMs ? ` (kubectl x${(b.kubectlMs / a.kubectlMs).toFixed(2)})` : ''}, peak RSS x${a.rssMb ? (b.rssMb / a.rssMb).toFixed(2) : '?'}; linear or better: ${b.ms / a.ms <= factor * 1.1 ? 'yes' : 'no'}`,
    );
    for (const g of growth)
      console.log(
        `  ${String(g.nodes).padStart(5)} nodes: ${g.ms.toFixed(0).padStart(6)} ms, ${(g.ms / g.nodes).toFixed(3)} ms/node, RSS ${g.rssMb?.toFixed(0) ?? '?'} MB`,
      );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
