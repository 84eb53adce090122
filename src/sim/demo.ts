// What `k8sdoc demo` needs from the simulator: the scenario menu and a started cluster
// with the `check` flags that point at it. The CLI prints, runs check and cleans up.
//
// etcd members are real processes when the binary is installed, else the in-process
// stand-in, so that the first command of a fresh machine shows every scenario's true
// diagnosis. A running demo registers itself in a small file beside the temp dirs, so that a
// second one names it instead of failing on the addresses it holds.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type SimCluster } from './cluster.js';
import { etcdAvailable, type EtcdImplementation } from './etcd-cluster.js';
import { safeText } from '../util/terminal-text.js';
import { ALL_SCENARIO_NAMES, buildScenario, isScenarioName, type AnyScenarioName, type ShapeScenarioName } from './scenarios/index.js';
import type { Distribution } from './scenarios/spec.js';

/**
 * What `k8sdoc demo` shows without a scenario: a cluster as kubeadm really writes it (every API
 * server reads etcd at https://127.0.0.1:2379), seen from a jump host, so that the first run
 * shows k8sdoc finding the real members behind the loopback URL rather than the simulator's
 * convenient member list.
 */
export const DEFAULT_DEMO_SCENARIO: ShapeScenarioName = 'kubeadm';
/** `standin` or `etcd` forces the demo's etcd members; unset, real ones when the binary is found. */
export const DEMO_ETCD_ENV = 'K8SDOC_DEMO_ETCD';
/** An address block other than 0 for the demo: tests run it in their own block. */
export const DEMO_BLOCK_ENV = 'K8SDOC_DEMO_BLOCK';

export interface ScenarioSummary {
  name: AnyScenarioName;
  /** Who built the cluster (`kubeadm` for the scenarios that name none). */
  distribution: Distribution;
  description: string;
}

export function listScenarios(): ScenarioSummary[] {
  return ALL_SCENARIO_NAMES.map((name) => {
    const spec = buildScenario(name);
    return { name, distribution: spec.distribution ?? 'kubeadm', description: spec.description };
  });
}

export interface DemoOptions {
  /** Leave the cluster running after the check (the caller stops it on Ctrl-C). */
  keep?: boolean;
  /** Address block; the demo owns block 0. */
  block?: number;
  /** Real etcd members or the stand-in (default: demoEtcdImplementation). */
  etcd?: EtcdImplementation;
  /** Where running demos register themselves (default: the system temp dir). */
  registryDir?: string;
}

export interface Demo {
  cluster: SimCluster;
  /** Flags for `k8sdoc check` (without the word `check`) that point it at the cluster. */
  checkArgv: string[];
  /** One line for the top of the report: the scenario, and what the etcd members are. */
  header: string;
  /** Lines to show the user before the diagnosis. */
  notes: string[];
  /** Stops the cluster, removes its files and its registration. */
  stop(): Promise<void>;
}

export class UnknownScenarioError extends Error {
  constructor(name: string) {
    super(`unknown scenario '${name}': choose one of ${ALL_SCENARIO_NAMES.join(', ')} (k8sdoc demo --list)`);
  }
}

/** The demo cannot start as asked: its addresses are taken (by another demo, named, or another program), or the environment asks for an unknown etcd. */
export class DemoRefusedError extends Error {}

/** Which etcd the demo runs: forced by K8SDOC_DEMO_ETCD, else real members when `etcd` is installed. */
export function demoEtcdImplementation(env: NodeJS.ProcessEnv = process.env): EtcdImplementation {
  const forced = env[DEMO_ETCD_ENV];
  if (forced === 'standin' || forced === 'etcd') return forced;
  if (forced !== undefined && forced !== '')
    throw new DemoRefusedError(`${DEMO_ETCD_ENV}='${safeText(forced)}' is not valid: use standin or etcd, or unset it`);
  return etcdAvailable() ? 'etcd' : 'standin';
}

function demoBlock(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[DEMO_BLOCK_ENV];
  if (text === undefined || text === '') return 0;
  const block = Number(text);
  if (!Number.isInteger(block) || block < 0 || block > 511)
    throw new DemoRefusedError(`${DEMO_BLOCK_ENV}='${safeText(text)}' is not an address block: use 0 to 511, or unset it`);
  return block;
}

interface Registration {
  pid: number;
  scenario: string;
  keep: boolean;
  kubeconfig: string | null;
}

/** The addresses a block's hosts take, as a user would grep for them (see hostPlan). */
function blockRange(block: number): { cidr: string; prefix: string } {
  const base = `127.${block & 255}`;
  return block > 255 ? { cidr: `${base}.201.0-${base}.255.255`, prefix: `${base}.2` } : { cidr: `${base}.0.0/16`, prefix: `${base}.` };
}

function registryFile(dir: string, block: number): string {
  return join(dir, `k8sdoc-demo-${block}.json`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRegistration(file: string): Registration | null {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<Registration>;
    if (typeof r.pid !== 'number' || !Number.isInteger(r.pid) || r.pid <= 0) return null;
    return { pid: r.pid, scenario: String(r.scenario ?? '?'), keep: r.keep === true, kubeconfig: typeof r.kubeconfig === 'string' ? r.kubeconfig : null };
  } catch {
    return null;
  }
}

function busyMessage(r: Registration): string {
  const stop = `stop it with Ctrl-C where it runs or kill ${r.pid}`;
  if (r.keep && r.kubeconfig) {
    return `a demo cluster started with --keep is still running (pid ${r.pid}, scenario ${r.scenario}): ${stop}, or use it with k8sdoc check --kubeconfig ${r.kubeconfig}`;
  }
  return `another k8sdoc demo is running (pid ${r.pid}, scenario ${r.scenario}) on the same addresses: wait for it to end, or ${stop}`;
}

/**
 * Claims the block for this process: fails naming the demo that holds it, and forgets a
 * registration whose process is gone (killed with SIGKILL, say).
 */
function claim(file: string, scenario: string, keep: boolean): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, scenario, keep, kubeconfig: null }), { flag: 'wx', mode: 0o600 });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return; // No registry (read-only temp dir): the listen error still speaks.
      const other = readRegistration(file);
      if (other && alive(other.pid)) throw new DemoRefusedError(busyMessage(other));
      rmSync(file, { force: true });
    }
  }
}

export async function startDemo(name: string, o: DemoOptions = {}): Promise<Demo> {
  if (!isScenarioName(name)) throw new UnknownScenarioError(name);
  const block = o.block ?? demoBlock();
  const etcd = o.etcd ?? demoEtcdImplementation();
  const why = o.etcd ? 'as asked' : process.env[DEMO_ETCD_ENV] ? `${DEMO_ETCD_ENV}=${etcd}` : 'no etcd binary found';
  const file = registryFile(o.registryDir ?? tmpdir(), block);
  claim(file, name, o.keep === true);
  const release = () => {
    if (readRegistration(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', release);

  let cluster: SimCluster;
  try {
    cluster = await startCluster(name, { block, etcd: etcd === 'standin' ? 'standin' : true });
  } catch (e) {
    release();
    process.removeListener('exit', release);
    const message = (e as Error).message;
    if (/EADDRINUSE/.test(message)) {
      const where = /cannot listen on (\S+:\d+)/.exec(message)?.[1] ?? `an address in ${blockRange(block).cidr}`;
      throw new DemoRefusedError(
        `${where} is already in use by another program: the demo needs ${blockRange(block).cidr} on ports 6443, 2379, 2380 and 10250; stop what listens there (ss -ltnp | grep ${blockRange(block).prefix}) and try again`,
      );
    }
    throw e;
  }
  if (o.keep) writeFileSync(file, JSON.stringify({ pid: process.pid, scenario: name, keep: true, kubeconfig: cluster.kubeconfigPath }), { mode: 0o600 });

  const members = cluster.etcd?.members.length ?? 0;
  const etcdWords =
    cluster.etcd?.implementation === 'standin'
      ? `etcd: ${members} stand-in ${members === 1 ? 'member' : 'members'} (${why})`
      : `etcd: ${members} real ${members === 1 ? 'member' : 'members'}`;
  // Short enough for an 80-column terminal; the notes below say the rest.
  const header = `k8sdoc demo · ${name} · ${cluster.hosts.length} hosts on ${blockRange(block).cidr} · ${etcdWords}`;
  const notes = [
    `scenario ${name}: ${cluster.scenario.description}`,
    `started in ${(cluster.startupMs / 1000).toFixed(1)} s on ${cluster.hosts.length} simulated hosts (${blockRange(block).cidr})`,
  ];
  if (cluster.etcd?.implementation === 'standin') {
    notes.push(
      `etcd members are an in-process stand-in (${why}) that answers etcd's client API with the scenario's state; install etcd-server to run real members`,
    );
  }
  const checkArgv = [...cluster.checkArgs];
  const kubeletHosts = cluster.kubelets.map((k) => k.host);
  if (kubeletHosts.length > 0 && kubeletHosts.length < cluster.hosts.length) {
    // Hosts without a simulated kubelet would read as thousands of dead kubelets.
    checkArgv.push('--hosts', kubeletHosts.join(','));
    notes.push(
      `only ${kubeletHosts.length} of ${cluster.hosts.length} nodes run a simulated kubelet: kubelets and ports are probed on those hosts (--hosts); every node is still judged from the API`,
    );
  }
  if (o.keep) {
    notes.push(`kubeconfig: ${cluster.kubeconfigPath}`);
    notes.push(`try: kubectl --kubeconfig ${cluster.kubeconfigPath} get nodes`);
    notes.push(`or:  k8sdoc check ${checkArgv.join(' ')}`);
    notes.push('press Ctrl-C to stop the cluster and remove its files');
  }
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopped ??= cluster.stop().finally(() => {
      release();
      process.removeListener('exit', release);
    });
    return stopped;
  };
  return { cluster, checkArgv, header, notes, stop };
}
