// The shape table: `k8sdoc check --fail-on warn` against each distribution's shape as the
// simulator builds it (real etcd where the shape has etcd), from each place k8sdoc can stand
// there, healthy and with one fault, printed as a Markdown table: exit code, status, most likely
// cause, median wall time of RUNS spawned runs. A healthy cell that does not exit 0 is a bug
// unless the shape itself warrants the warning; the table says which and why.
//
// The vantages are those of test/integration/shapes-run.ts: a jump host with the kubeconfig
// only, the same with the etcd client certificate but no --etcd, a control-plane node (its
// --pki-dir and admin kubeconfig) and a pod with the k8sdoc service account. `kubectl get
// nodes` against the same cluster is measured alongside as the reference for each shape.
//
// Address blocks 341-349 are reserved for this script in test/helpers/blocks.ts, one per shape;
// a fault that needs a cluster of its own reuses its shape's block after the healthy one stopped.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSimulator, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.argv.slice(2);

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-shapes-'));
const { startCluster, etcdAvailable, vantageArgs } = await loadSimulator(
  { 'cluster.js': ['startCluster'], 'etcd-cluster.js': ['etcdAvailable'], 'vantage-args.js': ['vantageArgs'] },
  work,
);
if (!etcdAvailable()) {
  console.error('shapes-matrix: needs the etcd binary (apt-get install etcd-server): the shapes with etcd run real members');
  process.exit(2);
}

const ALL = ['jump-host', 'jump-host-etcd-certs', 'control-plane-node', 'in-cluster'];
const NO_NODE_FILES = ['jump-host', 'jump-host-etcd-certs', 'in-cluster'];
const NO_ETCD = ['jump-host', 'control-plane-node', 'in-cluster'];

/** Findings a healthy shape warrants by its design, and why. */
const WARRANTED = {
  'control-plane-not-ha': 'one k3s server (the SQLite datastore allows no second one): not highly available, true of the shape',
};

/**
 * Each shape: its healthy scenario, the vantages it offers, and one fault made on the running
 * cluster (`apply`) or in a cluster of its own (`scenario`).
 */
const SHAPES = [
  {
    label: 'kubeadm stacked',
    healthy: 'kubeadm',
    block: 341,
    vantages: ALL,
    fault: { name: 'etcd member on cp-3 killed', apply: (c) => killMemberOn(c, 'cp-3') },
  },
  {
    label: 'kubeadm external etcd',
    healthy: 'kubeadm-external-etcd',
    block: 342,
    vantages: ALL,
    fault: { name: 'external etcd-2 killed', apply: (c) => c.etcd.kill('etcd-2') },
  },
  { label: 'k3s SQLite', healthy: 'k3s', block: 343, vantages: NO_ETCD, fault: { name: 'the k3s server down', scenario: 'k3s-server-down' } },
  {
    label: 'k3s embedded etcd',
    healthy: 'k3s-etcd',
    block: 344,
    vantages: ALL,
    fault: { name: 'etcd member on cp-3 killed', apply: (c) => killMemberOn(c, 'cp-3') },
  },
  { label: 'RKE2', healthy: 'rke2', block: 345, vantages: ALL, fault: { name: 'etcd member on cp-3 killed', apply: (c) => killMemberOn(c, 'cp-3') } },
  {
    label: 'Talos',
    healthy: 'talos',
    block: 346,
    vantages: NO_NODE_FILES,
    fault: { name: 'etcd service on cp-2 killed', apply: (c) => killMemberOn(c, 'cp-2') },
  },
  { label: 'MicroK8s', healthy: 'microk8s', block: 347, vantages: NO_ETCD, fault: { name: 'every kubelite API down', scenario: 'microk8s-apiserver-down' } },
  {
    label: 'OpenShift',
    healthy: 'openshift',
    block: 348,
    vantages: NO_NODE_FILES,
    fault: { name: 'etcd member on cp-2 killed', apply: (c) => killMemberOn(c, 'cp-2') },
  },
  {
    label: 'managed (:443)',
    healthy: 'managed',
    block: 349,
    vantages: ['jump-host', 'in-cluster'],
    fault: { name: "worker-2's kubelet stopped", apply: (c) => c.setKubelet('worker-2', 'down') },
  },
];

async function killMemberOn(c, node) {
  const placement = c.etcdPlacement.find((p) => p.host === node);
  if (!placement) throw new Error(`no etcd member on ${node}`);
  await c.etcd.kill(placement.member);
}

function run(argv, env) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.once('close', (code) => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr }));
  });
}

/** RUNS spawned runs of check from `vantage`; the last run's report, the median wall time. */
async function cell(c, vantage, home) {
  const args = vantageArgs(c, vantage);
  const argv = [process.execPath, resolve('bin/k8sdoc'), 'check', ...args, '-o', 'json', '--fail-on', 'warn', '--timeout', '2s'];
  const env = { PATH: process.env.PATH, HOME: home };
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = await run(argv, env);
    times.push(last.ms);
  }
  let report = null;
  try {
    report = JSON.parse(last.stdout);
  } catch {
    // Exit 2 and the like: the row says what stderr said.
  }
  return { code: last.code, report, stderr: last.stderr.trim(), ms: median(times) };
}

async function reference(c, home) {
  const times = [];
  for (let i = 0; i < RUNS; i++)
    times.push((await run(['kubectl', '--kubeconfig', c.vantages.jumpHost.kubeconfig, 'get', 'nodes'], { PATH: process.env.PATH, HOME: home })).ms);
  return median(times);
}

const md = (s) => String(s).replace(/\|/g, '\\|');

function row(shape, vantage, state, r, kubectlMs) {
  const problems = r.report ? r.report.results.filter((x) => x.status === 'warn' || x.status === 'crit') : [];
  const lead = r.report?.rootCauses?.[0];
  const explains = lead?.explains?.length ? ` (explains ${lead.explains.join(', ')})` : '';
  const cause = lead ? `${lead.code} on ${lead.subject}${explains}` : r.report ? '-' : `(no report: ${r.stderr.split('\n')[0]})`;
  let note = '';
  if (state === 'healthy' && r.code !== 0) {
    const unwarranted = problems.filter((p) => !WARRANTED[p.code]);
    note =
      unwarranted.length > 0
        ? `**BUG**: ${unwarranted.map((p) => `${p.status} ${p.code} on ${p.subject}: ${p.message}`).join('; ')}`
        : [...new Set(problems.map((p) => `${p.code}: ${WARRANTED[p.code]}`))].join('; ');
  }
  const status = r.report ? r.report.status.toUpperCase() : '-';
  return `| ${md(shape)} | ${vantage} | ${md(state)} | ${r.code} | ${status} | ${md(cause)} | ${Math.round(r.ms)} ms (${(r.ms / kubectlMs).toFixed(1)}× kubectl) | ${md(note)} |`;
}

const rows = [];
const homeFor = () => mkdtempSync(join(work, 'home-'));
try {
  for (const s of SHAPES) {
    if (ONLY.length > 0 && !ONLY.some((o) => s.healthy.includes(o))) continue;
    process.stderr.write(`shapes-matrix: ${s.label}\n`);
    // One HOME per vantage, kept from the healthy run to the fault: a jump host's discovery
    // cache is what it has when the API server is gone.
    const homes = Object.fromEntries(s.vantages.map((v) => [v, homeFor()]));
    let c = await startCluster(s.healthy, { block: s.block, workDir: join(work, `${s.healthy}-healthy`) });
    let kubectlMs;
    try {
      kubectlMs = await reference(c, homeFor());
      for (const v of s.vantages) rows.push(row(s.label, v, 'healthy', await cell(c, v, homes[v]), kubectlMs));
      if (s.fault.apply) {
        await s.fault.apply(c);
        for (const v of s.vantages) rows.push(row(s.label, v, `fault: ${s.fault.name}`, await cell(c, v, homes[v]), kubectlMs));
      }
    } finally {
      await c.stop();
    }
    if (s.fault.scenario) {
      c = await startCluster(s.fault.scenario, { block: s.block, workDir: join(work, `${s.fault.scenario}`) });
      try {
        for (const v of s.vantages) rows.push(row(s.label, v, `fault: ${s.fault.name}`, await cell(c, v, homes[v]), kubectlMs));
      } finally {
        await c.stop();
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(
  `k8sdoc check --fail-on warn --timeout 2s, per shape and vantage; time: median wall of ${RUNS} spawned runs, and its ratio to \`kubectl get nodes\` against the same cluster`,
);
console.log('');
console.log('| shape | vantage | cluster | exit | status | most likely cause | time | healthy but not exit 0: which finding, and why the shape warrants it |');
console.log('|---|---|---|---:|---|---|---:|---|');
for (const r of rows) console.log(r);
const bugs = rows.filter((r) => r.includes('**BUG**')).length;
if (bugs > 0) console.log(`\n${bugs} healthy cell(s) with a finding the shape does not warrant`);
process.exit(bugs > 0 ? 1 : 0);
