// Kubelet and port probes over 5,000 hosts whose kubelet port drops every packet (a firewall):
// each probe costs one --timeout, so the run can be no faster than
// hosts × timeout ÷ concurrency, and should be no slower. Also: with all kubelets answering,
// how long the same fan-out takes. The kubelet and ports checks share one TCP probe per
// host:port, so 10250 is dialled once per host, not twice.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './lib.mjs';

const HOSTS = 5000;
const TIMEOUT_MS = 200;
const CONCURRENCY = 128;
const RUNS = 3;
// Address block 89 is reserved for this script in test/helpers/blocks.ts (127.89.0.0/16).
const addresses = Array.from({ length: HOSTS }, (_, i) => `127.89.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
const KUBELET_PORT = 10250;

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-fanout-'));

/**
 * Listeners on every address in a child process that is then stopped (SIGSTOP), each with its
 * accept queue filled: the kernel drops further SYNs, as a DROP firewall rule does, no root needed.
 */
async function blackHoles() {
  const script = `const net = require('net'); const hosts = ${JSON.stringify(addresses)}; let n = 0;
    for (const h of hosts) net.createServer().listen({ host: h, port: ${KUBELET_PORT}, backlog: 1 }, () => { if (++n === hosts.length) process.stdout.write('ready'); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.once('data', r));
  child.kill('SIGSTOP');
  const fillers = [];
  for (const h of addresses) for (let i = 0; i < 2; i++) fillers.push(connect(KUBELET_PORT, h).on('error', () => undefined));
  await new Promise((r) => setTimeout(r, 500));
  return {
    // The addresses are free again only once the process is gone.
    async stop() {
      for (const f of fillers) f.destroy();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Plain TCP listeners that accept at once: the port answers (the TLS handshake then fails fast). */
async function openPorts() {
  const servers = await Promise.all(
    addresses.map(
      (h) =>
        new Promise((r) => {
          const s = createServer((c) => c.destroy());
          s.listen(KUBELET_PORT, h, () => r(s));
        }),
    ),
  );
  return { stop: () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))) };
}

async function runK8sdoc() {
  const args = [
    resolve('bin/k8sdoc'),
    'check',
    '--only',
    'kubelet,ports',
    '--hosts',
    addresses.join(','),
    '--timeout',
    `${TIMEOUT_MS}ms`,
    '--concurrency',
    String(CONCURRENCY),
    '-o',
    'json',
  ];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, HOME: work }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const status = await new Promise((r) => child.once('close', r));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!out.trim()) throw new Error(`k8sdoc printed nothing (exit ${status}): ${err.slice(-500)}`);
  return { ms, report: JSON.parse(out) };
}

function count(report, check, code) {
  return report.results.filter((r) => r.check === check && (code === undefined ? r.status === 'ok' : r.code === code)).length;
}

const bound = (HOSTS * TIMEOUT_MS) / CONCURRENCY;
let exitCode = 0;
try {
  console.log(
    `\nprobe fan-out: ${HOSTS} hosts via --hosts (4 ports each: 6443, 2379, 2380 refuse; 10250 as below), --timeout ${TIMEOUT_MS} ms, --concurrency ${CONCURRENCY}, median of ${RUNS}`,
  );
  const holes = await blackHoles();
  const dropped = [];
  let last;
  try {
    for (let i = 0; i < RUNS; i++) {
      last = await runK8sdoc();
      dropped.push(last.ms);
    }
  } finally {
    await holes.stop();
  }
  const timeouts = count(last.report, 'kubelet', 'kubelet-unreachable');
  const kubeletTimeouts = last.report.results.filter((r) => r.check === 'ports' && r.data.port === KUBELET_PORT && r.code === 'port-timeout').length;
  if (timeouts !== HOSTS || kubeletTimeouts !== HOSTS)
    throw new Error(`expected ${HOSTS} kubelet and port timeouts on ${KUBELET_PORT}, got ${timeouts} and ${kubeletTimeouts}`);
  // A refusing port answers in microseconds; one judged a timeout means the event loop stalled
  // past --timeout before the refusal was read (GC under 25,000 sockets and findings).
  const misjudged = last.report.results.filter((r) => r.check === 'ports' && r.data.port !== KUBELET_PORT && r.code !== 'port-refused').length;
  const m = median(dropped);
  console.log(
    `  10250 dropped (firewall)      median ${m.toFixed(0).padStart(6)} ms   bound hosts × timeout ÷ concurrency = ${bound.toFixed(0)} ms   ratio ${(m / bound).toFixed(2)} x`,
  );
  console.log(
    `    ${timeouts} kubelet-unreachable + ${kubeletTimeouts} port-timeout from ${HOSTS} dials of 10250 (shared); ${HOSTS * 3 - misjudged} of ${HOSTS * 3} refusing ports judged port-refused, ${misjudged} misjudged`,
  );

  const open = await openPorts();
  const answering = [];
  try {
    for (let i = 0; i < RUNS; i++) answering.push((await runK8sdoc()).ms);
  } finally {
    await open.stop();
  }
  console.log(`  10250 accepts (then resets)   median ${median(answering).toFixed(0).padStart(6)} ms   (${HOSTS * 4} TCP probes + ${HOSTS} TLS handshakes)`);
  // Slower than 1.5 × the bound would mean probes are not kept in flight up to --concurrency.
  if (m > bound * 1.5) exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
