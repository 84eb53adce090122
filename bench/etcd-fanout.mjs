// One of three etcd members dead, one hung (SIGSTOP): `k8sdoc check --only etcd --timeout 1s`
// must finish within the timeout + 300 ms, because every member is asked at once and a hung
// one costs exactly one timeout. Side by side with `etcdctl endpoint status --cluster` on the
// same cluster, which asks the members one after another and waits out its own timeouts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSimulator, median, timeOnce } from './lib.mjs';

const RUNS = 5;
const TIMEOUT_MS = 1000;
const BUDGET_MS = TIMEOUT_MS + 300;
// Address block 49 is reserved for this script in test/helpers/blocks.ts.
const BLOCK = 49;

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-etcd-'));
// The harness is TypeScript; bundle it for this script the way the CLI build does.
const { etcdAvailable, hostPlan, startEtcdCluster, writeKubeadmPki } = await loadSimulator(
  { 'etcd-cluster.js': ['etcdAvailable', 'startEtcdCluster'], 'hosts.js': ['hostPlan'], 'pki.js': ['writeKubeadmPki'] },
  work,
);

if (!etcdAvailable()) {
  console.log('etcd is not installed (apt-get install etcd-server etcd-client): benchmark skipped');
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

const plan = hostPlan(BLOCK);
const members = [0, 1, 2].map((i) => ({ name: `m${i + 1}`, host: plan.controlPlane(i) }));
const pki = await writeKubeadmPki(join(work, 'pki'), { apiServerHosts: members.map((m) => m.host), etcdHosts: members.map((m) => m.host) });
const cluster = await startEtcdCluster({ members, pki, workDir: work });
let exitCode = 0;
try {
  await cluster.kill('m3');
  cluster.pause('m2');
  const tls = cluster.clientTls;
  const k8sdoc = [
    resolve('bin/k8sdoc'),
    'check',
    '--only',
    'etcd',
    '--etcd',
    cluster.endpoints.join(','),
    '--timeout',
    `${TIMEOUT_MS}ms`,
    '--etcd-cacert',
    tls.caFile,
    '--etcd-cert',
    tls.certFile,
    '--etcd-key',
    tls.keyFile,
    '-o',
    'json',
  ];
  const etcdctl = [
    `--endpoints=${cluster.endpoints[0]}`,
    `--cacert=${tls.caFile}`,
    `--cert=${tls.certFile}`,
    `--key=${tls.keyFile}`,
    'endpoint',
    'status',
    '--cluster',
    '-w',
    'table',
  ];
  const ours = [];
  const theirs = [];
  const reported = [];
  for (let i = 0; i < RUNS; i++) {
    const run = timeOnce(process.execPath, k8sdoc, { env: { PATH: process.env.PATH, HOME: work } });
    ours.push(run.ms);
    if (!run.stdout.trim()) throw new Error(`k8sdoc printed nothing (exit ${run.status}): ${run.stderr}`);
    const report = JSON.parse(run.stdout);
    reported.push(report.durationMs);
    const named = report.results
      .filter((r) => r.code === 'etcd-member-unreachable')
      .map((r) => r.data.name)
      .sort();
    if (named.join(',') !== 'm2,m3') throw new Error(`k8sdoc did not name m2 and m3 as unreachable: ${named}`);
    theirs.push(timeOnce('etcdctl', etcdctl, { env: { ...process.env, ETCDCTL_API: '3' } }).ms);
  }
  const oursMedian = median(ours);
  const theirsMedian = median(theirs);
  console.log(`\netcd fan-out: 3 members, m3 killed, m2 hung (SIGSTOP), --timeout ${TIMEOUT_MS} ms, median of ${RUNS}`);
  console.log(`  k8sdoc check --only etcd (spawned, wall)   ${oursMedian.toFixed(0).padStart(6)} ms   (report durationMs median ${median(reported)} ms)`);
  console.log(`  etcdctl endpoint status --cluster          ${theirsMedian.toFixed(0).padStart(6)} ms   (its default dial/command timeouts)`);
  console.log(`  ratio etcdctl / k8sdoc                     ${(theirsMedian / oursMedian).toFixed(1).padStart(6)} x`);
  const within = oursMedian <= BUDGET_MS;
  console.log(`  budget timeout + 300 ms = ${BUDGET_MS} ms: ${within ? 'met' : 'MISSED'}`);
  if (!within) exitCode = 1;
} finally {
  cluster.resume('m2');
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
