// SIGINT (Ctrl-C) and SIGTERM (Kubernetes, CI runners, `timeout`) in the middle of a run: the
// probes stop, what finished is printed marked interrupted in every format, and the exit code
// is 130 or 143 as a shell expects. Before, SIGTERM ended the process with nothing written and
// SIGINT's partial table ended "→ OK". The run is mid-flight for certain: the signal is sent
// only once the CLI has connected to a server that accepts and never answers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { createCa, kubeconfigYaml } from '../../src/sim/pki.js';
import type { ScenarioSpec } from '../../src/sim/scenarios/spec.js';
import { BLOCKS } from '../helpers/blocks.js';
import { BIN, emptyHome, parseJsonReport, type CliRun } from '../helpers/cli.js';
import { clusterPerTest } from '../helpers/cluster-per-test.js';

const plan = hostPlan(BLOCKS.signals);
const INTERRUPTED = 'not finished: the run was interrupted';
const EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-signals-'));
const promtool = spawnSync('promtool', ['--version']).status === 0;

/** A server that accepts TCP and never answers, telling when the first client is in. */
class HungServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private onFirst: (() => void) | null = null;
  connected = new Promise<void>((resolve) => (this.onFirst = resolve));

  async start(host: string, port: number): Promise<this> {
    this.server = createServer((socket) => {
      socket.on('error', () => undefined);
      this.sockets.add(socket);
      this.onFirst?.();
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, host, resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Runs the CLI, sends `signal` once `hung` has a connection, and collects the outcome. */
function interruptWhenConnected(args: string[], hung: HungServer, signal: NodeJS.Signals, shell = false): Promise<CliRun & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: emptyHome() };
    // `exec` so that the shell's redirection is set up and the signal reaches k8sdoc itself.
    const child = shell
      ? spawn('sh', ['-c', `exec "${process.execPath}" "${BIN}" ${args.join(' ')}`], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    void hung.connected.then(() => child.kill(signal));
    child.once('error', reject);
    child.once('close', (code, sig) => {
      clearTimeout(killer);
      resolve({ code, signal: sig, stdout, stderr, ms: 0 });
    });
  });
}

describe('an API server that hangs: interrupted during the run, every format', () => {
  const apiHost = plan.spare(0);
  let hung: HungServer;
  let kubeconfig: string;
  beforeAll(async () => {
    const ca = await createCa('kubernetes');
    kubeconfig = join(dir, 'hung.conf');
    writeFileSync(kubeconfig, kubeconfigYaml({ server: `https://${apiHost}:6443`, caPem: ca.certPem, user: { token: 'signals-token' } }));
  });
  afterEach(async () => {
    await hung?.stop();
  });
  // --timeout 60s: without the signal the run would sit there for a minute.
  const args = (format: string) => ['check', '--kubeconfig', kubeconfig, '-o', format, '--timeout', '60s'];

  it.each(['SIGTERM', 'SIGINT'] as const)('JSON on %s: valid, interrupted: true, stopped checks say so, exit 128+n', async (signal) => {
    hung = await new HungServer().start(apiHost, 6443);
    const run = await interruptWhenConnected(args('json'), hung, signal);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(EXIT[signal]);
    const report = parseJsonReport(run);
    expect(report.interrupted).toBe(true);
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.filter((r) => r.message === INTERRUPTED).length).toBeGreaterThan(0);
    // An aborted probe is not a finding about the cluster.
    expect(report.results.filter((r) => r.status === 'crit' || r.status === 'error')).toEqual([]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('table on SIGINT: says interrupted, and the verdict is not OK', async () => {
    hung = await new HungServer().start(apiHost, 6443);
    const run = await interruptWhenConnected(args('table'), hung, 'SIGINT');
    expect(run.code, run.stderr).toBe(130);
    const summary = run.stdout.split('\n').find((l) => l.startsWith('Summary:'))!;
    expect(summary).toMatch(/→ INTERRUPTED/);
    expect(summary).not.toMatch(/→ OK/);
    expect(run.stdout).toContain(INTERRUPTED);
  });

  it('JUnit on SIGTERM into a file (`-o junit > k8sdoc.xml`): the file holds well-formed XML with the stopped checks skipped', async () => {
    hung = await new HungServer().start(apiHost, 6443);
    const file = join(dir, 'k8sdoc.xml');
    const run = await interruptWhenConnected([...args('junit'), '>', file], hung, 'SIGTERM', true);
    expect(run.code, run.stderr).toBe(143);
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as {
      testsuites: { '@_tests': string; '@_skipped': string; testsuite: { testcase: { skipped?: { '@_message': string } }[] }[] };
    };
    const cases = doc.testsuites.testsuite.flatMap((s) => s.testcase);
    expect(cases.length).toBe(Number(doc.testsuites['@_tests']));
    expect(cases.filter((c) => c.skipped?.['@_message'] === INTERRUPTED).length).toBeGreaterThan(0);
  });

  it('Prometheus on SIGTERM: valid exposition with k8sdoc_run_interrupted 1', async () => {
    hung = await new HungServer().start(apiHost, 6443);
    const run = await interruptWhenConnected(args('prometheus'), hung, 'SIGTERM');
    expect(run.code, run.stderr).toBe(143);
    expect(run.stdout.split('\n')).toContain('k8sdoc_run_interrupted 1');
    expect(run.stdout).toMatch(/^# TYPE k8sdoc_run_interrupted gauge$/m);
    if (promtool) {
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: run.stdout, encoding: 'utf8' });
      expect(lint.status, `${lint.stdout}${lint.stderr}`).toBe(0);
    }
  });
});

describe('a hung kubelet in a working cluster: what finished is kept', () => {
  const start = clusterPerTest({ block: BLOCKS.signals, etcd: false });
  let hung: HungServer | null = null;
  afterAll(async () => {
    await hung?.stop();
  });

  it('SIGTERM while a kubelet port hangs: the API server results stay, the kubelet check is marked stopped', async () => {
    // worker-1's kubelet is not the simulator's: a listener that accepts and never answers
    // (a hung kubelet); the signal goes once k8sdoc has dialled it.
    const spec: ScenarioSpec = {
      name: 'hung-kubelet',
      description: 'worker-1 kubelet hangs',
      controlPlanes: 1,
      workers: 1,
      nodes: { 'worker-1': { kubelet: 'down' } },
    };
    const cluster = await start(spec);
    const worker = cluster.hosts.find((h) => h.name === 'worker-1')!;
    hung = await new HungServer().start(worker.address, 10250);
    const run = await interruptWhenConnected(['check', '--kubeconfig', cluster.kubeconfigPath, '-o', 'json', '--timeout', '60s'], hung, 'SIGTERM');
    expect(run.code, run.stderr).toBe(143);
    const report: Report = parseJsonReport(run);
    expect(report.interrupted).toBe(true);
    // The node list came before the kubelet dial: its judgement finished and is reported.
    // The API server answered long before discovery listed the nodes whose ports were then
    // dialled: its result finished and is reported as it was, not as stopped.
    const reachable = report.results.find((r) => r.check === 'apiserver-reachable');
    expect(reachable?.status).toBe('ok');
    expect(reachable?.message).toMatch(/reachable, Kubernetes v/);
    expect(report.results.find((r) => r.check === 'kubelet')?.message).toBe(INTERRUPTED);
  });
});
