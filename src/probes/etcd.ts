// Asks each etcd member about itself, one client per endpoint so that no answer ever comes
// from a different member than the one named. Every call has one deadline and no retry:
// a dead member costs a refused connection, a hung one (SIGSTOP, swapping) costs at most
// the timeout, and the caller asks all members at once.
//
// The transport is etcd's gRPC gateway (JSON over HTTPS on the client port) rather than the
// etcd3/grpc-js client: grpc-js sets the TLS server name to the IP literal (Node prints a
// DEP0123 warning on every run against kubeadm's IP endpoints), flattens Node's error codes
// into status strings ("Waiting for LB pick" for a hung member), and /metrics needs HTTPS
// anyway. node:https keeps the error codes and tells a hung process (TCP accepted, TLS never
// answered) from a dead one.
import { request, Agent } from 'node:https';
import { request as plainRequest, Agent as PlainAgent, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { EtcdAlarm, EtcdEndpointProbe, EtcdMember, EtcdOutcome, EtcdProbeFactory, EtcdStatus, Failure, ProbeDeadline } from './types.js';
import { classifyNetworkError } from './errors.js';
import { readFileSync } from 'node:fs';
import type { EtcdTls } from '../discovery/targets.js';

export interface EtcdClientCredentials {
  /** PEM CA bundle the members' serving certificates must chain to. */
  ca?: string | Buffer;
  /** PEM client certificate and key (kubeadm: etcd/healthcheck-client). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

// Member answers are small; a cap keeps a hostile or confused server from filling memory.
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const SOCKETS_PER_MEMBER = 4;
// OpenSSL's names for the alerts a server sends when it does not accept the client certificate.
const CLIENT_CERT_REJECTED =
  /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_EXPIRED|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)/;

/** etcd's 64-bit ids come as decimal strings over JSON; etcdctl prints them in hex. */
export function etcdIdToHex(decimal: unknown): string {
  if (decimal === undefined || decimal === null || decimal === '') return '0';
  try {
    return BigInt(String(decimal)).toString(16);
  } catch {
    return String(decimal);
  }
}

type Phase = 'connect' | 'handshake' | 'answer';

interface RawAnswer {
  status: number;
  body: string;
  ms: number;
}

type RawOutcome = ({ kind: 'ok' } & RawAnswer) | (Failure & { ms: number; phase: Phase });

function timeoutFailure(endpoint: string, phase: Phase, timeoutMs: number): Failure {
  const messages: Record<Phase, string> = {
    connect: `${endpoint}: no TCP connection within ${timeoutMs} ms (host down or packets dropped)`,
    handshake: `${endpoint}: accepts TCP but did not answer the TLS handshake within ${timeoutMs} ms (process hung, stopped or overloaded)`,
    answer: `${endpoint}: connected but sent no answer within ${timeoutMs} ms`,
  };
  return { kind: 'timeout', message: messages[phase], detail: `timeout in ${phase}` };
}

/** Turns a gateway error body ({"error","code","message"}) into a failure. */
function gatewayFailure(endpoint: string, status: number, body: string): Failure {
  let message = body.trim().slice(0, 200);
  try {
    const parsed = JSON.parse(body) as { error?: string; message?: string };
    message = parsed.message ?? parsed.error ?? message;
  } catch {
    // Not JSON: keep the text as it came.
  }
  if (status === 401) return { kind: 'unauthorized', message: `${endpoint}: ${message}`, detail: 'HTTP 401' };
  if (status === 403) return { kind: 'forbidden', message: `${endpoint}: ${message}`, detail: 'HTTP 403' };
  return { kind: 'http', message: `${endpoint}: HTTP ${status}: ${message}`, detail: `HTTP ${status}` };
}

class GatewayEndpointProbe implements EtcdEndpointProbe {
  private readonly url: URL;
  private readonly agent: Agent | PlainAgent;

  constructor(
    readonly endpoint: string,
    credentials: EtcdClientCredentials,
  ) {
    this.url = new URL(endpoint);
    const secure = this.url.protocol === 'https:';
    this.agent = secure
      ? new Agent({ ca: credentials.ca, cert: credentials.cert, key: credentials.key, keepAlive: true, maxSockets: SOCKETS_PER_MEMBER })
      : new PlainAgent({ keepAlive: true, maxSockets: SOCKETS_PER_MEMBER });
  }

  /** One HTTP exchange, bounded by the deadline from the moment it is asked for. */
  private exchange(method: 'GET' | 'POST', path: string, payload: unknown, deadline: ProbeDeadline): Promise<RawOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const secure = this.url.protocol === 'https:';
    if (deadline.signal?.aborted) {
      return Promise.resolve({ kind: 'aborted', message: `${this.endpoint}: run aborted`, ms: 0, phase: 'connect' });
    }
    return new Promise((resolve) => {
      const body = payload === undefined ? undefined : JSON.stringify(payload);
      const options = {
        method,
        agent: this.agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      };
      const target = new URL(path, this.url);
      const req: ClientRequest = secure ? request(target, options) : plainRequest(target, options);
      let phase: Phase = 'connect';
      let settled = false;
      const finish = (outcome: RawOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        deadline.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const fail = (failure: Failure) => {
        finish({ ...failure, ms: elapsed(), phase });
        req.destroy();
      };
      const onAbort = () => fail({ kind: 'aborted', message: `${this.endpoint}: run aborted` });
      const timer = setTimeout(() => fail(timeoutFailure(this.endpoint, phase, deadline.timeoutMs)), deadline.timeoutMs);
      deadline.signal?.addEventListener('abort', onAbort, { once: true });

      req.on('socket', (socket: Socket) => {
        // A reused keep-alive socket has done its handshake already.
        if (!socket.connecting) {
          phase = 'answer';
          return;
        }
        socket.once('connect', () => {
          if (phase === 'connect') phase = secure ? 'handshake' : 'answer';
        });
        socket.once('secureConnect', () => {
          phase = 'answer';
        });
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            fail({ kind: 'bad-response', message: `${this.endpoint}${path}: answer larger than ${MAX_BODY_BYTES} bytes` });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => finish({ kind: 'ok', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }));
        res.on('error', (e) => fail(this.classify(e)));
      });
      req.on('error', (e) => fail(this.classify(e)));
      req.end(body);
    });
  }

  private classify(error: unknown): Failure {
    const failure = classifyNetworkError(error, this.endpoint);
    // A TLS alert from the member about *our* certificate is an authentication failure,
    // not a broken server: the fix is a different client certificate.
    if (failure.kind === 'tls' && CLIENT_CERT_REJECTED.test(failure.detail ?? '')) {
      return { kind: 'unauthorized', message: `${this.endpoint}: the member rejected our client certificate (${failure.detail})`, detail: failure.detail };
    }
    return failure;
  }

  /** POSTs to a gateway RPC and parses the JSON answer. */
  private async rpc<T>(path: string, payload: unknown, deadline: ProbeDeadline, convert: (json: Record<string, unknown>) => T): Promise<EtcdOutcome<T>> {
    const raw = await this.exchange('POST', path, payload, deadline);
    if (raw.kind !== 'ok') return stripPhase(raw);
    if (raw.status !== 200) return { ...gatewayFailure(this.endpoint, raw.status, raw.body), ms: raw.ms };
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(raw.body) as Record<string, unknown>;
    } catch {
      return { kind: 'bad-response', message: `${this.endpoint}${path}: answer is not JSON`, ms: raw.ms };
    }
    return { kind: 'ok', value: convert(json), ms: raw.ms };
  }

  status(deadline: ProbeDeadline): Promise<EtcdOutcome<EtcdStatus>> {
    return this.rpc('/v3/maintenance/status', {}, deadline, (j) => {
      const header = (j.header ?? {}) as Record<string, unknown>;
      return {
        endpoint: this.endpoint,
        memberId: etcdIdToHex(header.member_id),
        clusterId: etcdIdToHex(header.cluster_id),
        leader: etcdIdToHex(j.leader),
        version: String(j.version ?? ''),
        dbSize: Number(j.dbSize ?? 0),
        dbSizeInUse: Number(j.dbSizeInUse ?? 0),
        raftTerm: String(j.raftTerm ?? '0'),
        raftIndex: String(j.raftIndex ?? '0'),
        raftAppliedIndex: String(j.raftAppliedIndex ?? '0'),
        isLearner: j.isLearner === true,
        errors: Array.isArray(j.errors) ? j.errors.map(String) : [],
      };
    });
  }

  memberList(deadline: ProbeDeadline): Promise<EtcdOutcome<EtcdMember[]>> {
    return this.rpc('/v3/cluster/member/list', {}, deadline, (j) => {
      const members = Array.isArray(j.members) ? (j.members as Record<string, unknown>[]) : [];
      return members.map((m) => ({
        id: etcdIdToHex(m.ID),
        name: String(m.name ?? ''),
        peerURLs: Array.isArray(m.peerURLs) ? m.peerURLs.map(String) : [],
        clientURLs: Array.isArray(m.clientURLs) ? m.clientURLs.map(String) : [],
        isLearner: m.isLearner === true,
      }));
    });
  }

  alarms(deadline: ProbeDeadline): Promise<EtcdOutcome<EtcdAlarm[]>> {
    // action GET only reads the alarm list: it never raises or clears one.
    return this.rpc('/v3/maintenance/alarm', { action: 'GET' }, deadline, (j) => {
      const alarms = Array.isArray(j.alarms) ? (j.alarms as Record<string, unknown>[]) : [];
      return alarms.map((a) => ({ memberId: etcdIdToHex(a.memberID), alarm: String(a.alarm ?? 'NONE') }));
    });
  }

  async health(deadline: ProbeDeadline): Promise<EtcdOutcome<{ healthy: boolean; reason?: string }>> {
    // What `etcdctl endpoint health` does: a linearizable read of the key "health", which
    // only completes when the member can reach a quorum.
    const raw = await this.exchange('POST', '/v3/kv/range', { key: Buffer.from('health').toString('base64') }, deadline);
    if (raw.kind !== 'ok') {
      // Connected, asked, and no answer in time: the member is up but cannot commit.
      if (raw.kind === 'timeout' && raw.phase === 'answer') {
        return {
          kind: 'ok',
          value: { healthy: false, reason: `linearizable read did not complete within ${deadline.timeoutMs} ms (no quorum reachable)` },
          ms: raw.ms,
        };
      }
      return stripPhase(raw);
    }
    if (raw.status === 200) return { kind: 'ok', value: { healthy: true }, ms: raw.ms };
    const failure = gatewayFailure(this.endpoint, raw.status, raw.body);
    // With etcd auth enabled the read may be denied: the member still answered through raft.
    if (/permission denied/i.test(failure.message)) return { kind: 'ok', value: { healthy: true }, ms: raw.ms };
    if (failure.kind === 'http') return { kind: 'ok', value: { healthy: false, reason: failure.message.replace(`${this.endpoint}: `, '') }, ms: raw.ms };
    return { ...failure, ms: raw.ms };
  }

  async metrics(deadline: ProbeDeadline): Promise<EtcdOutcome<string>> {
    const raw = await this.exchange('GET', '/metrics', undefined, deadline);
    if (raw.kind !== 'ok') return stripPhase(raw);
    if (raw.status !== 200) return { ...gatewayFailure(this.endpoint, raw.status, raw.body), ms: raw.ms };
    return { kind: 'ok', value: raw.body, ms: raw.ms };
  }

  close(): void {
    this.agent.destroy();
  }
}

function stripPhase(raw: Failure & { ms: number; phase: Phase }): Failure & { ms: number } {
  const { phase: _phase, ...failure } = raw;
  return failure;
}

/** One probe per endpoint, created on first use and closed together. */
export function createEtcdProbeFactory(credentials: EtcdClientCredentials): EtcdProbeFactory {
  const probes = new Map<string, GatewayEndpointProbe>();
  return {
    forEndpoint(endpoint) {
      let probe = probes.get(endpoint);
      if (!probe) {
        probe = new GatewayEndpointProbe(endpoint, credentials);
        probes.set(endpoint, probe);
      }
      return probe;
    },
    async close() {
      for (const probe of probes.values()) probe.close();
      probes.clear();
    },
  };
}

/** Every call fails the same way: the client could not even be set up. */
function unusableProbe(endpoint: string, failure: Failure): EtcdEndpointProbe {
  const fail = async () => ({ ...failure, ms: 0 });
  return { endpoint, status: fail, memberList: fail, alarms: fail, health: fail, metrics: fail };
}

/**
 * The run's factory. Discovery fills in the TLS files (kubeadm's defaults) after the probes
 * are made, so the files are read on first use; a file that cannot be read turns every call
 * into a failure that names it, not a crash.
 */
export function createEtcdProbeFactoryForTls(tls: EtcdTls): EtcdProbeFactory {
  let inner: EtcdProbeFactory | null = null;
  let failure: Failure | null = null;
  const load = () => {
    if (inner || failure) return;
    const read = (path: string | undefined, what: string) => {
      if (!path) return undefined;
      try {
        return readFileSync(path);
      } catch (e) {
        throw new Error(`cannot read the etcd ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    };
    try {
      inner = createEtcdProbeFactory({ ca: read(tls.caFile, 'CA file'), cert: read(tls.certFile, 'client certificate'), key: read(tls.keyFile, 'client key') });
    } catch (e) {
      failure = { kind: 'error', message: (e as Error).message };
    }
  };
  return {
    forEndpoint(endpoint) {
      load();
      return failure ? unusableProbe(endpoint, failure) : inner!.forEndpoint(endpoint);
    },
    async close() {
      await inner?.close();
    },
  };
}
