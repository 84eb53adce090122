// An in-process stand-in for etcd members, for `k8sdoc demo` on a machine without the etcd
// binary. It answers what k8sdoc and the simulated API servers ask of etcd — the v3 JSON
// gateway's maintenance status, member list, alarm list and linearizable range, plus /metrics,
// /health and /version — over real TLS with the cluster's own etcd certificates and
// client-certificate authentication, on each member's own loopback address and real ports.
//
// The answers copy etcd 3.4's gateway byte for byte where k8sdoc reads them: 64-bit numbers as
// decimal strings, empty fields left out, `errors` in the status naming a missing leader and
// raised alarms, and, once a majority of voters is gone, the alarm list and quorum reads held
// for etcd's request timeout before failing with etcd's own error text; a learner refuses what
// etcd refuses a learner. A killed member listens on nothing; a paused one keeps its
// connections open and answers nothing, as a stopped process does.
//
// Nothing is stored: the stand-in is read-only to clients (writes are refused), and the
// harness changes its state directly (kill, pause, NOSPACE), as the real harness would by
// signals and writes.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { EtcdCluster, EtcdClusterMember, EtcdClusterOptions, EtcdMemberSpec } from './etcd-cluster.js';
import { listen } from './faults.js';

const CLIENT_PORT = 2379;
const PEER_PORT = 2380;
/** The etcd release whose gateway answers these copy. */
export const STANDIN_ETCD_VERSION = '3.4.23';
const CLUSTER_VERSION = '3.4.0';
// etcd's request timeout: 5 s plus two election timeouts (1 s each with the default flags).
// A read that needs a leader waits this long, then fails.
export const STANDIN_REQUEST_TIMEOUT_MS = 7_000;
// etcd's own default quota, reported in /metrics when none was configured.
const DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;
// A fresh member's bbolt file and the part of it in use, as etcd 3.4 reports them.
const FRESH_DB_SIZE = 20_480;
const FRESH_DB_IN_USE = 16_384;
const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * One member port: a TCP listener that hands connections to a TLS server while the member
 * runs, and, while it is paused, keeps every connection open without a word (new ones after
 * the TCP handshake, established ones mid-request), as a stopped process does.
 */
class MemberPort {
  private server: TcpServer | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly heldSockets: Socket[] = [];
  private readonly heldRequests: (() => void)[] = [];
  private paused = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly tls: Server,
  ) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createTcpServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      if (this.paused) this.heldSockets.push(socket);
      else this.tls.emit('connection', socket);
    });
    await listen(server, this.host, this.port);
    this.server = server;
  }

  async down(): Promise<void> {
    this.paused = false;
    this.heldSockets.length = 0;
    this.heldRequests.length = 0;
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const socket of this.heldSockets.splice(0)) if (!socket.destroyed) this.tls.emit('connection', socket);
    for (const answer of this.heldRequests.splice(0)) answer();
  }

  /** Answers now, or when the member resumes. */
  handle(answer: () => void): void {
    if (this.paused) this.heldRequests.push(answer);
    else answer();
  }
}

interface MemberState {
  member: EtcdClusterMember;
  id: bigint;
  client: MemberPort;
  peer: MemberPort;
  dbSize: number;
  dbSizeInUse: number;
  leaderChanges: number;
}

interface Alarm {
  memberId: bigint;
  alarm: 'NOSPACE' | 'CORRUPT';
}

function randomId(): bigint {
  for (;;) {
    const id = randomBytes(8).readBigUInt64BE();
    if (id !== 0n) return id;
  }
}

/** Prometheus text as Go's client formats a float: the shortest form, exponent from 1e6 up. */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = value.toExponential().split('e') as [string, string];
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

function gauge(name: string, help: string, value: number | string, labels = ''): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${typeof value === 'number' ? goFloat(value) : value}\n`;
}

function counter(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${goFloat(value)}\n`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A gRPC error as the gateway turns it into HTTP: the status code and etcd's words. */
function sendGrpcError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { error: message, message, code });
}

function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        resolve(parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
    req.on('error', () => resolve({}));
  });
}

export async function startEtcdStandin(o: EtcdClusterOptions): Promise<EtcdCluster> {
  if (o.members.length === 0) throw new Error('an etcd cluster needs at least one member');
  const clientTls = {
    caFile: o.pki.path('etcd/ca', 'crt'),
    certFile: o.pki.path('etcd/healthcheck-client', 'crt'),
    keyFile: o.pki.path('etcd/healthcheck-client', 'key'),
  };
  // Read from disk, as etcd reads its flags' files: a scenario's certificate on disk is the one served.
  const ca = readFileSync(o.pki.path('etcd/ca', 'crt'));
  const serving = { cert: readFileSync(o.pki.path('etcd/server', 'crt')), key: readFileSync(o.pki.path('etcd/server', 'key')) };
  const peering = { cert: readFileSync(o.pki.path('etcd/peer', 'crt')), key: readFileSync(o.pki.path('etcd/peer', 'key')) };
  const quotaBytes = o.quotaBackendBytes ?? DEFAULT_QUOTA_BYTES;

  const clusterId = randomId();
  const states: MemberState[] = [];
  const members: EtcdClusterMember[] = [];
  const endpoints: string[] = [];
  const alarms: Alarm[] = [];
  let leader: MemberState | null = null;
  let term = 1;
  let revision = 1;
  // Raft's commit index: the initial configuration entries, then one per proposal.
  let commitIndex = 0;
  const held = new Set<NodeJS.Timeout>();

  const find = (name: string): MemberState => {
    const s = states.find((x) => x.member.name === name);
    if (!s) throw new Error(`no etcd member named ${name} (members: ${members.map((x) => x.name).join(', ')})`);
    return s;
  };
  const voters = () => states.filter((s) => !s.member.isLearner);
  const hasQuorum = () => {
    const all = voters();
    return all.filter((s) => s.member.state === 'running').length >= Math.floor(all.length / 2) + 1;
  };

  /** Raft's outcome after any change: a leader while a majority of voters runs, none otherwise. */
  function settle(): void {
    if (!hasQuorum()) {
      leader = null;
      return;
    }
    if (leader && leader.member.state === 'running' && !leader.member.isLearner) return;
    leader = voters().find((s) => s.member.state === 'running') ?? null;
    term++;
    commitIndex++;
    for (const s of states) if (s.member.state === 'running') s.leaderChanges++;
  }

  /** Answers after etcd's request timeout, unless the client gave up first. */
  function holdThenFail(req: IncomingMessage, res: ServerResponse, answer: () => void): void {
    const timer = setTimeout(() => {
      held.delete(timer);
      if (!res.destroyed) answer();
    }, STANDIN_REQUEST_TIMEOUT_MS);
    held.add(timer);
    const drop = () => {
      clearTimeout(timer);
      held.delete(timer);
    };
    req.socket.once('close', drop);
  }

  const header = (s: MemberState, withRevision = true) => ({
    cluster_id: clusterId.toString(),
    member_id: s.id.toString(),
    ...(withRevision ? { revision: String(revision) } : {}),
    raft_term: String(term),
  });

  function status(s: MemberState): Record<string, unknown> {
    const errors = [...(leader ? [] : ['etcdserver: no leader']), ...alarms.map((a) => `memberID:${a.memberId} alarm:${a.alarm} `)];
    return {
      header: header(s),
      version: STANDIN_ETCD_VERSION,
      dbSize: String(s.dbSize),
      ...(leader ? { leader: leader.id.toString() } : {}),
      raftIndex: String(commitIndex),
      raftTerm: String(term),
      raftAppliedIndex: String(commitIndex),
      ...(errors.length > 0 ? { errors } : {}),
      dbSizeInUse: String(s.dbSizeInUse),
      ...(s.member.isLearner ? { isLearner: true } : {}),
    };
  }

  function memberList(s: MemberState): Record<string, unknown> {
    const listed = [...states].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      header: header(s, false),
      members: listed.map((x) => {
        const started = x.member.state !== 'unstarted';
        return {
          ID: x.id.toString(),
          ...(started ? { name: x.member.name } : {}),
          peerURLs: [x.member.peerUrl],
          ...(started ? { clientURLs: [x.member.clientUrl] } : {}),
          ...(x.member.isLearner ? { isLearner: true } : {}),
        };
      }),
    };
  }

  function metrics(s: MemberState): string {
    return [
      gauge('etcd_debugging_mvcc_db_total_size_in_bytes', 'Total size of the underlying database physically allocated in bytes.', s.dbSize),
      gauge('etcd_mvcc_db_total_size_in_bytes', 'Total size of the underlying database physically allocated in bytes.', s.dbSize),
      gauge('etcd_mvcc_db_total_size_in_use_in_bytes', 'Total size of the underlying database logically in use in bytes.', s.dbSizeInUse),
      gauge('etcd_server_has_leader', 'Whether or not a leader exists. 1 is existence, 0 is not.', leader ? 1 : 0),
      gauge('etcd_server_id', "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.", 1, `{server_id="${s.id.toString(16)}"}`),
      gauge('etcd_server_is_leader', 'Whether or not this member is a leader. 1 if is, 0 otherwise.', leader === s ? 1 : 0),
      counter('etcd_server_leader_changes_seen_total', 'The number of leader changes seen.', s.leaderChanges),
      gauge('etcd_server_quota_backend_bytes', 'Current backend storage quota size in bytes.', quotaBytes),
      gauge(
        'etcd_server_version',
        "Which version is running. 1 for 'server_version' label with current version.",
        1,
        `{server_version="${STANDIN_ETCD_VERSION}"}`,
      ),
    ].join('');
  }

  async function serveClient(s: MemberState, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/version') return sendJson(res, 200, { etcdserver: STANDIN_ETCD_VERSION, etcdcluster: CLUSTER_VERSION });
    if (req.method === 'GET' && path === '/metrics') return sendText(res, 200, metrics(s), 'text/plain; version=0.0.4; charset=utf-8');
    if (req.method === 'GET' && path === '/health') {
      // etcd's /health: false without a leader or with any alarm raised.
      return leader && alarms.length === 0 ? sendText(res, 200, '{"health":"true"}') : sendText(res, 503, '{"health":"false"}\n');
    }
    if (req.method !== 'POST' || !path.startsWith('/v3/')) return sendText(res, 404, '404 page not found\n');
    const body = await readBody(req);
    // A learner serves only its status and serializable reads, as etcd allows.
    const learnerServes = path === '/v3/maintenance/status' || (path === '/v3/kv/range' && body.serializable === true);
    if (s.member.isLearner && !learnerServes) return sendGrpcError(res, 503, 14, 'etcdserver: rpc not supported for learner');
    switch (path) {
      case '/v3/maintenance/status':
        return sendJson(res, 200, status(s));
      case '/v3/cluster/member/list':
        // etcd 3.4 answers the member list from the member's own store, leader or not.
        return sendJson(res, 200, memberList(s));
      case '/v3/maintenance/alarm': {
        const action = body.action ?? 'GET';
        if (action !== 'GET' && action !== 0) return sendGrpcError(res, 501, 12, 'the demo etcd stand-in only reads: alarms cannot be changed');
        // The alarm list goes through raft: without a leader the proposal never commits.
        if (!hasQuorum()) return holdThenFail(req, res, () => sendGrpcError(res, 500, 2, 'context deadline exceeded'));
        commitIndex++;
        return sendJson(res, 200, alarms.length === 0 ? {} : { alarms: alarms.map((a) => ({ memberID: a.memberId.toString(), alarm: a.alarm })) });
      }
      case '/v3/kv/range':
        // Nothing is stored, so every range is empty. A linearizable read needs the leader's
        // read index; a serializable one is answered locally.
        if (body.serializable !== true && !hasQuorum()) {
          return holdThenFail(req, res, () => sendGrpcError(res, 503, 14, 'etcdserver: request timed out'));
        }
        return sendJson(res, 200, { header: header(s) });
      default:
        return sendGrpcError(res, 501, 12, `the demo etcd stand-in does not answer ${path}`);
    }
  }

  function servePeer(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && (req.url ?? '/').split('?')[0] === '/version') {
      return sendJson(res, 200, { etcdserver: STANDIN_ETCD_VERSION, etcdcluster: CLUSTER_VERSION });
    }
    sendText(res, 404, '404 page not found\n');
  }

  const tlsServer = (pair: { cert: Buffer; key: Buffer }, handler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    // Client-certificate authentication on both ports, as kubeadm configures etcd.
    const server = createServer({ ...pair, ca, requestCert: true, rejectUnauthorized: true }, handler);
    server.on('tlsClientError', () => undefined);
    // Go's server keeps idle keep-alive connections open; Node's would close them after 5 s, and
    // a client's next request would then meet a fresh handshake where etcd gives none.
    server.keepAliveTimeout = 0;
    return server;
  };

  function addState(spec: EtcdMemberSpec, learner: boolean): MemberState {
    const member: EtcdClusterMember = {
      name: spec.name,
      host: spec.host,
      clientUrl: `https://${spec.host}:${CLIENT_PORT}`,
      peerUrl: `https://${spec.host}:${PEER_PORT}`,
      pid: null,
      state: 'unstarted',
      id: null,
      isLearner: learner,
    };
    const id = randomId();
    member.id = id.toString(16);
    const client: MemberPort = new MemberPort(
      spec.host,
      CLIENT_PORT,
      tlsServer(serving, (req, res) =>
        client.handle(() => {
          serveClient(s, req, res).catch(() => {
            if (!res.headersSent) sendText(res, 500, 'internal error\n');
          });
        }),
      ),
    );
    const peer: MemberPort = new MemberPort(
      spec.host,
      PEER_PORT,
      tlsServer(peering, (req, res) => peer.handle(() => servePeer(req, res))),
    );
    const s: MemberState = { member, id, client, peer, dbSize: FRESH_DB_SIZE, dbSizeInUse: FRESH_DB_IN_USE, leaderChanges: 0 };
    states.push(s);
    members.push(member);
    endpoints.push(member.clientUrl);
    return s;
  }

  async function setListening(s: MemberState, mode: 'up' | 'down'): Promise<void> {
    if (mode === 'up') await Promise.all([s.client.up(), s.peer.up()]);
    else await Promise.all([s.client.down(), s.peer.down()]);
  }

  async function start(s: MemberState): Promise<void> {
    await setListening(s, 'up');
    s.member.state = 'running';
    commitIndex++;
    settle();
  }

  const cluster: EtcdCluster = {
    implementation: 'standin',
    members,
    endpoints,
    clientTls,

    async kill(name) {
      const s = find(name);
      if (s.member.state !== 'running' && s.member.state !== 'paused') return;
      await setListening(s, 'down');
      s.member.state = 'killed';
      settle();
    },

    pause(name) {
      const s = find(name);
      if (s.member.state !== 'running') throw new Error(`etcd member ${name} is not running (state ${s.member.state})`);
      s.member.state = 'paused';
      s.client.pause();
      s.peer.pause();
      settle();
    },

    resume(name) {
      const s = find(name);
      if (s.member.state !== 'paused') throw new Error(`etcd member ${name} is not paused (state ${s.member.state})`);
      s.member.state = 'running';
      settle();
      s.client.resume();
      s.peer.resume();
    },

    async restart(name) {
      const s = find(name);
      if (s.member.state === 'running' || s.member.state === 'paused') await cluster.kill(name);
      await start(s);
    },

    async addMember(spec, opts = {}) {
      if (members.some((x) => x.name === spec.name || x.host === spec.host)) throw new Error(`etcd member ${spec.name} or host ${spec.host} already exists`);
      if (!hasQuorum()) throw new Error('cannot add an etcd member: no leader (quorum lost)');
      const s = addState(spec, opts.learner ?? false);
      commitIndex++;
      if (opts.start === false) {
        // A voter added but never started can cost the quorum, as in etcd.
        settle();
        return;
      }
      await start(s);
    },

    async raiseNospace() {
      if (!o.quotaBackendBytes) throw new Error('raiseNospace needs a cluster started with a small quotaBackendBytes');
      const via = states.find((s) => s.member.state === 'running');
      if (!via) throw new Error('cannot fill etcd: no member is running');
      if (!hasQuorum()) throw new Error('cannot fill etcd: no leader (quorum lost)');
      // What filling with small writes leaves: every member's file at its quota, most of it in
      // use, and the alarm raised by the member the writes went through.
      for (const s of states) {
        if (s.member.state === 'unstarted') continue;
        s.dbSize = quotaBytes;
        s.dbSizeInUse = Math.round(quotaBytes * 0.86);
      }
      const writes = Math.ceil(quotaBytes / (32 * 1024));
      revision += writes;
      commitIndex += writes + 1;
      if (!alarms.some((a) => a.alarm === 'NOSPACE')) alarms.push({ memberId: via.id, alarm: 'NOSPACE' });
    },

    logTail() {
      return members.map((m) => `--- ${m.name} (${m.state}, in-process stand-in: no log)`).join('\n');
    },

    async stop() {
      for (const timer of held) clearTimeout(timer);
      held.clear();
      await Promise.all(states.map((s) => setListening(s, 'down')));
      for (const m of members) if (m.state !== 'unstarted') m.state = 'killed';
      leader = null;
    },
  };

  try {
    for (const spec of o.members) addState(spec, false);
    commitIndex = states.length;
    for (const s of states) {
      await setListening(s, 'up');
      s.member.state = 'running';
    }
    settle();
    // Every member's own publish entry, as in etcd's first moments.
    commitIndex += states.length;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
