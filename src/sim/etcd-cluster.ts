// Real etcd members on loopback for tests and `k8sdoc demo`: each member on its own address
// with the real ports (2379 client, 2380 peer), TLS with client-certificate auth on both
// sides exactly as kubeadm configures it, and the failures a cluster meets in the wild:
// a killed member, a hung host (SIGSTOP), an unstarted or learner member, a full database.
//
// The harness writes to its own etcd (member add, filling the database) through the
// gRPC gateway; the probe under test never does.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayClient } from './etcd-gateway.js';
import { startEtcdStandin } from './etcd-standin.js';
import type { KubeadmPki } from './pki.js';

export interface EtcdMemberSpec {
  name: string;
  host: string;
}

export type EtcdMemberState = 'running' | 'killed' | 'paused' | 'unstarted';

export interface EtcdClusterMember {
  name: string;
  host: string;
  clientUrl: string;
  peerUrl: string;
  pid: number | null;
  state: EtcdMemberState;
  /** Hex id as etcdctl prints it; known once the member has been added or has answered. */
  id: string | null;
  isLearner: boolean;
}

/** Real etcd processes, or the demo's in-process stand-in (etcd-standin.ts) where no binary is installed. */
export type EtcdImplementation = 'etcd' | 'standin';

export interface EtcdClusterOptions {
  members: EtcdMemberSpec[];
  /** Default `etcd`: the tests keep real members; the demo falls back to the stand-in. */
  implementation?: EtcdImplementation;
  pki: KubeadmPki;
  workDir: string;
  /** Small quotas let a test fill the database for real (see raiseNospace). */
  quotaBackendBytes?: number;
  /** Bound on waiting for the members to elect a leader (default 20 s). */
  startTimeoutMs?: number;
  /** Raft timings as the distribution sets them (k3s and RKE2: 500 ms and 5000 ms); default etcd's own. */
  heartbeatMs?: number;
  electionMs?: number;
}

export interface EtcdCluster {
  implementation: EtcdImplementation;
  /** Live view: entries change state as the test kills, pauses and restarts members. */
  members: EtcdClusterMember[];
  /** Client URLs of every member the cluster knows, started or not. */
  endpoints: string[];
  clientTls: { caFile: string; certFile: string; keyFile: string };
  kill(name: string): Promise<void>;
  pause(name: string): void;
  resume(name: string): void;
  restart(name: string): Promise<void>;
  addMember(spec: EtcdMemberSpec, o?: { learner?: boolean; start?: boolean }): Promise<void>;
  raiseNospace(): Promise<void>;
  /** The last lines each member logged (warnings and errors), for a failing test's message. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
// etcd's own defaults. Shorter ones (50/500 ms) made tests quicker but, on a two-core CI
// machine busy with the whole suite, a late heartbeat started an election in a cluster a
// test expected healthy (seen once in CI); a real cluster runs with these anyway.
const HEARTBEAT_MS = 100;
const ELECTION_MS = 1000;
const DEFAULT_START_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

export function etcdAvailable(): boolean {
  const found = spawnSync('etcd', ['--version'], { stdio: 'ignore', timeout: 5_000 });
  return found.status === 0;
}

// Every child this module started, so that a failed or aborted test leaves nothing behind.
const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function killEverythingNow(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    } catch {
      // Already gone: nothing to clean.
    }
  }
  liveChildren.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

function onFatalSignal(signal: NodeJS.Signals): void {
  killEverythingNow();
  // Only re-raise when no one else handles the signal (the demo's Ctrl-C handler does).
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onFatalSignal);
    process.kill(process.pid, signal);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killEverythingNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onFatalSignal);
}

function hexId(decimal: unknown): string {
  return BigInt(String(decimal)).toString(16);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startEtcdCluster(o: EtcdClusterOptions): Promise<EtcdCluster> {
  if (o.implementation === 'standin') return startEtcdStandin(o);
  if (o.members.length === 0) throw new Error('an etcd cluster needs at least one member');
  installExitHook();
  const baseDir = join(o.workDir, 'etcd');
  mkdirSync(baseDir, { recursive: true });
  liveDirs.add(baseDir);

  const clientTls = {
    caFile: o.pki.path('etcd/ca', 'crt'),
    certFile: o.pki.path('etcd/healthcheck-client', 'crt'),
    keyFile: o.pki.path('etcd/healthcheck-client', 'key'),
  };
  const gateway = new GatewayClient({
    ca: readFileSync(clientTls.caFile),
    cert: readFileSync(clientTls.certFile),
    key: readFileSync(clientTls.keyFile),
  });
  const children = new Map<string, ChildProcess>();
  const clusterToken = `k8sdoc-sim-${process.pid}-${Date.now()}`;
  const startTimeoutMs = o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  const toMember = (spec: EtcdMemberSpec): EtcdClusterMember => ({
    name: spec.name,
    host: spec.host,
    clientUrl: `https://${spec.host}:${CLIENT_PORT}`,
    peerUrl: `https://${spec.host}:${PEER_PORT}`,
    pid: null,
    state: 'unstarted',
    id: null,
    isLearner: false,
  });
  const members = o.members.map(toMember);
  const endpoints = members.map((m) => m.clientUrl);

  const find = (name: string): EtcdClusterMember => {
    const m = members.find((x) => x.name === name);
    if (!m) throw new Error(`no etcd member named ${name} (members: ${members.map((x) => x.name).join(', ')})`);
    return m;
  };
  const dataDir = (m: EtcdClusterMember) => join(baseDir, `${m.name}.data`);
  const logFile = (m: EtcdClusterMember) => join(baseDir, `${m.name}.log`);

  function launch(m: EtcdClusterMember, initialCluster: string, state: 'new' | 'existing'): void {
    const args = [
      `--name=${m.name}`,
      `--data-dir=${dataDir(m)}`,
      `--listen-client-urls=${m.clientUrl}`,
      `--advertise-client-urls=${m.clientUrl}`,
      `--listen-peer-urls=${m.peerUrl}`,
      `--initial-advertise-peer-urls=${m.peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-state=${state}`,
      `--initial-cluster-token=${clusterToken}`,
      `--cert-file=${o.pki.path('etcd/server', 'crt')}`,
      `--key-file=${o.pki.path('etcd/server', 'key')}`,
      '--client-cert-auth=true',
      `--trusted-ca-file=${o.pki.path('etcd/ca', 'crt')}`,
      `--peer-cert-file=${o.pki.path('etcd/peer', 'crt')}`,
      `--peer-key-file=${o.pki.path('etcd/peer', 'key')}`,
      '--peer-client-cert-auth=true',
      `--peer-trusted-ca-file=${o.pki.path('etcd/ca', 'crt')}`,
      `--heartbeat-interval=${o.heartbeatMs ?? HEARTBEAT_MS}`,
      `--election-timeout=${o.electionMs ?? ELECTION_MS}`,
      // etcd refuses 'member add' until every member has been connected for 5 s; tests add
      // members right after start (and an unstarted one on purpose), so skip that guard.
      '--strict-reconfig-check=false',
      '--logger=zap',
      '--log-level=warn',
      ...(o.quotaBackendBytes ? [`--quota-backend-bytes=${o.quotaBackendBytes}`] : []),
    ];
    const log = openSync(logFile(m), 'a');
    const child = spawn('etcd', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    liveChildren.add(child);
    children.set(m.name, child);
    m.pid = child.pid ?? null;
    m.state = 'running';
    child.on('exit', () => {
      liveChildren.delete(child);
      if (children.get(m.name) === child) {
        children.delete(m.name);
        m.pid = null;
        m.state = 'killed';
      }
    });
  }

  /** The member's own view through the gateway, or null while it cannot answer. */
  async function statusOf(m: EtcdClusterMember): Promise<{ leader: string; memberId: string } | null> {
    try {
      const r = await gateway.post(m.clientUrl, '/v3/maintenance/status', {}, 1_000);
      if (r.status !== 200) return null;
      const header = r.body.header as { member_id?: string } | undefined;
      return { leader: hexId(r.body.leader ?? '0'), memberId: hexId(header?.member_id ?? '0') };
    } catch {
      return null;
    }
  }

  async function waitUntil(what: string, ms: number, ready: () => Promise<boolean>, watched: EtcdClusterMember[]): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      const dead = watched.find((m) => m.state === 'killed');
      if (dead) throw new Error(`etcd member ${dead.name} exited while waiting for ${what}:\n${tail(logFile(dead), 15)}`);
      if (await ready()) return;
      if (Date.now() > deadline) {
        const logs = watched.map((m) => `--- ${m.name}\n${tail(logFile(m), 8)}`).join('\n');
        throw new Error(`etcd: ${what} did not happen within ${ms} ms\n${logs}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits until the member answers and knows a leader, and records its id. */
  async function waitForLeader(watched: EtcdClusterMember[], ms: number): Promise<void> {
    await waitUntil(
      `a leader seen by ${watched.map((m) => m.name).join(', ')}`,
      ms,
      async () => {
        const seen = await Promise.all(watched.map(statusOf));
        seen.forEach((s, i) => {
          if (s && s.memberId !== '0') watched[i]!.id = s.memberId;
        });
        return seen.every((s) => s !== null && s.leader !== '0');
      },
      watched,
    );
  }

  function running(): EtcdClusterMember[] {
    return members.filter((m) => m.state === 'running');
  }

  function signalChild(name: string, signal: NodeJS.Signals): ChildProcess {
    const child = children.get(name);
    if (!child) throw new Error(`etcd member ${name} is not running (state ${find(name).state})`);
    child.kill(signal);
    return child;
  }

  const cluster: EtcdCluster = {
    implementation: 'etcd',
    members,
    endpoints,
    clientTls,

    async kill(name) {
      const m = find(name);
      const child = children.get(name);
      if (!child) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
      m.state = 'killed';
      // A real cluster that keeps quorum re-elects within an election timeout; wait for that,
      // so a scenario starts in its steady state rather than mid-election.
      const voters = members.filter((x) => !x.isLearner);
      const rest = voters.filter((x) => x.state === 'running');
      if (rest.length >= Math.floor(voters.length / 2) + 1) {
        await waitUntil(
          'a new leader among the running members',
          startTimeoutMs,
          async () => (await Promise.all(rest.map(statusOf))).every((st) => st !== null && st.leader !== '0' && st.leader !== m.id),
          rest,
        );
      }
    },

    pause(name) {
      signalChild(name, 'SIGSTOP');
      find(name).state = 'paused';
    },

    resume(name) {
      signalChild(name, 'SIGCONT');
      find(name).state = 'running';
    },

    async restart(name) {
      const m = find(name);
      if (children.has(name)) await cluster.kill(name);
      // The data dir already holds the membership: the initial-cluster flags are ignored.
      launch(m, `${m.name}=${m.peerUrl}`, 'existing');
      const voters = members.filter((x) => !x.isLearner);
      const quorum = Math.floor(voters.length / 2) + 1;
      if (voters.filter((x) => x.state === 'running').length >= quorum) {
        await waitForLeader([m], startTimeoutMs);
      } else {
        await waitUntil(`${name} answering`, startTimeoutMs, async () => (await statusOf(m)) !== null, [m]);
      }
    },

    async addMember(spec, opts = {}) {
      const m = toMember(spec);
      if (members.some((x) => x.name === m.name || x.host === m.host)) throw new Error(`etcd member ${m.name} or host ${m.host} already exists`);
      const via = running()[0];
      if (!via) throw new Error('cannot add an etcd member: no member is running');
      const added = await gateway.post(via.clientUrl, '/v3/cluster/member/add', { peerURLs: [m.peerUrl], isLearner: opts.learner ?? false }, 5_000);
      if (added.status !== 200) throw new Error(`etcd member add ${m.name} failed: ${JSON.stringify(added.body)}`);
      const newMember = added.body.member as { ID: string };
      m.id = hexId(newMember.ID);
      m.isLearner = opts.learner ?? false;
      members.push(m);
      endpoints.push(m.clientUrl);
      if (opts.start === false) return;
      const initialCluster = [...members.filter((x) => x.state !== 'unstarted'), m].map((x) => `${x.name}=${x.peerUrl}`).join(',');
      launch(m, initialCluster, 'existing');
      await waitForLeader([m], startTimeoutMs);
    },

    async raiseNospace() {
      if (!o.quotaBackendBytes) throw new Error('raiseNospace needs a cluster started with a small quotaBackendBytes');
      const via = running()[0];
      if (!via) throw new Error('cannot fill etcd: no member is running');
      // Small values: etcd refuses the write that would cross the quota, so the smaller the
      // writes, the closer the database ends to its quota (large ones left it anywhere above
      // 70 %, and the size finding flapped between warn and crit).
      const value = Buffer.alloc(32 * 1024, 'x').toString('base64');
      const deadline = Date.now() + 30_000;
      for (let i = 0; Date.now() < deadline; i++) {
        const key = Buffer.from(`/k8sdoc-sim/fill/${i}`).toString('base64');
        const put = await gateway.post(via.clientUrl, '/v3/kv/put', { key, value }, 5_000);
        const error = JSON.stringify(put.body);
        if (put.status !== 200 && /space exceeded/i.test(error)) return;
        if (put.status !== 200) throw new Error(`etcd put failed before NOSPACE: ${error}`);
        const alarms = await gateway.post(via.clientUrl, '/v3/maintenance/alarm', { action: 'GET' }, 5_000);
        if (JSON.stringify(alarms.body).includes('NOSPACE')) return;
      }
      throw new Error('etcd did not raise NOSPACE within 30 s of writes');
    },

    logTail(lines = 10) {
      return members
        .filter((m) => m.state !== 'unstarted')
        .map((m) => `--- ${m.name} (${m.state})\n${tail(logFile(m), lines)}`)
        .join('\n');
    },

    async stop() {
      const kills = [...children.entries()].map(async ([, child]) => {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited;
      });
      await Promise.all(kills);
      gateway.close();
      for (const m of members) if (m.state !== 'unstarted') m.state = 'killed';
      rmSync(baseDir, { recursive: true, force: true });
      liveDirs.delete(baseDir);
    },
  };

  try {
    const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
    for (const m of members) launch(m, initialCluster, 'new');
    await waitForLeader(members, startTimeoutMs);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
