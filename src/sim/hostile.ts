// Servers that answer like a broken or hostile API server: garbage instead of JSON, JSON cut
// short, a body too big to read, one byte a second, a redirect to another host, a reset in
// the middle of the TLS handshake, only TLS 1.0, a certificate for another name. Each one
// also records what reached it (the Authorization header, a client certificate), so a test
// can prove that credentials never went where they should not.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { closeServer, listen, trackSockets } from './faults.js';
import { issue, type Issued } from './pki.js';
import { RequestLog } from './request-log.js';
import { API_SERVER_PORT } from './api-server.js';
import { KUBE_VERSION } from './api-wire.js';

export const HOSTILE_MODES = [
  /** Answers every request well, like a real /version: the redirect target, and a control. */
  'bystander',
  /** 200 with an HTML error page, as a captive portal or a misrouted ingress sends. */
  'non-json',
  /** A complete HTTP answer whose JSON stops in the middle of a string. */
  'truncated-json',
  /** Promises a body with Content-Length, sends part of it, closes the connection. */
  'cut-mid-body',
  /** 200 and a JSON body of `hugeBodyBytes` (default 200 MB), chunked, no length announced. */
  'huge-body',
  /** 200 and a JSON body sent one byte every `dripIntervalMs` (default 1 s). */
  'drip',
  /** 302 to `redirectTo` with the same path. */
  'redirect',
  /** Reads the TLS ClientHello, then resets the connection (RST). */
  'reset-mid-tls',
  /** Speaks only TLS 1.0, with the legacy ciphers that takes. */
  'tls10-only',
  /** A certificate from the cluster CA, issued for another host name. */
  'wrong-name',
] as const;

export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileServerOptions {
  mode: HostileMode;
  host: string;
  port?: number;
  /** The CA that signs the served certificate: the one the kubeconfig trusts. */
  ca: Issued;
  /** Origin (`https://host:port`) a `redirect` server sends clients to. */
  redirectTo?: string;
  hugeBodyBytes?: number;
  /**
   * Cap the TLS version at 1.2: a 1.2 server has read the client's Certificate message before
   * the client sees the handshake finish, so `handshakes` records every certificate presented.
   */
  maxTlsVersion?: 'TLSv1.2';
  /** huge-body: announce the size with Content-Length, as a server that knows it would. */
  announceLength?: boolean;
  dripIntervalMs?: number;
  /** Where requests are recorded (the K8SDOC_SIM_REQUEST_LOG rule applies here too). */
  requestLog?: RequestLog;
}

/** What one request brought with it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** The Authorization header exactly as received, or null. */
  authorization: string | null;
  /** Subject of the client certificate presented in the handshake, or null. */
  clientCertificate: string | null;
  userAgent: string;
  /** Body bytes written for this request (huge-body, drip): how much the client pulled before it hung up. */
  bodyBytesSent: number;
}

export interface HostileServer {
  readonly mode: HostileMode;
  readonly url: string;
  /** Every HTTP request that reached the server, in order. */
  readonly seen: SeenRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  readonly connections: () => number;
  /** Client certificate subject of every completed TLS handshake (null: none presented), request or not. */
  readonly handshakes: (string | null)[];
  stop(): Promise<void>;
}

const DEFAULT_HUGE_BODY_BYTES = 200 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const VERSION_BODY = JSON.stringify(KUBE_VERSION);

const OTHER_NAME = 'some-other-host.invalid';

function servingNames(mode: HostileMode, host: string): { dnsNames: string[]; ipAddresses: string[] } {
  return mode === 'wrong-name' ? { dnsNames: [OTHER_NAME], ipAddresses: [] } : { dnsNames: ['localhost'], ipAddresses: [host] };
}

/** One JSON node-list fragment repeated: the body stays valid JSON until it is cut. */
function hugeBodyChunk(): Buffer {
  const item = '{"metadata":{"name":"node"}},';
  return Buffer.from(item.repeat(Math.ceil(CHUNK_BYTES / item.length)).slice(0, CHUNK_BYTES - (CHUNK_BYTES % item.length)));
}

export async function startHostileServer(o: HostileServerOptions): Promise<HostileServer> {
  const port = o.port ?? API_SERVER_PORT;
  const seen: SeenRequest[] = [];
  const handshakes: (string | null)[] = [];
  const requestLog = o.requestLog ?? new RequestLog();
  let connections = 0;
  const timers = new Set<NodeJS.Timeout>();

  const record = (req: IncomingMessage, status: number): SeenRequest => {
    const subject = clientSubject(req.socket as TLSSocket);
    const entry: SeenRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization ?? null,
      clientCertificate: subject,
      userAgent: req.headers['user-agent'] ?? '',
      bodyBytesSent: 0,
    };
    seen.push(entry);
    requestLog.record({
      at: new Date(),
      server: `${o.host}:${port}`,
      method: entry.method,
      path: entry.path,
      identity: subject ?? 'system:anonymous',
      groups: [],
      status,
      durationMs: 0,
      userAgent: entry.userAgent,
    });
    return entry;
  };

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    switch (o.mode) {
      case 'non-json': {
        record(req, 200);
        const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in to continue.</body></html>\n';
        res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
        res.end(page);
        return;
      }
      case 'truncated-json': {
        record(req, 200);
        const cut = VERSION_BODY.slice(0, Math.floor(VERSION_BODY.length / 2));
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(cut) });
        res.end(cut);
        return;
      }
      case 'cut-mid-body': {
        record(req, 200);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(VERSION_BODY) });
        res.write(VERSION_BODY.slice(0, 20), () => res.socket?.destroy());
        return;
      }
      case 'huge-body': {
        const entry = record(req, 200);
        sendHuge(res, o.hugeBodyBytes ?? DEFAULT_HUGE_BODY_BYTES, o.announceLength === true, (n) => (entry.bodyBytesSent += n));
        return;
      }
      case 'drip': {
        const entry = record(req, 200);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(VERSION_BODY) });
        res.flushHeaders();
        let i = 0;
        const timer = setInterval(() => {
          if (i >= VERSION_BODY.length || res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            res.end();
            return;
          }
          res.write(VERSION_BODY[i++]!);
          entry.bodyBytesSent += 1;
        }, o.dripIntervalMs ?? 1000);
        timers.add(timer);
        res.once('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'redirect': {
        record(req, 302);
        const location = `${o.redirectTo ?? 'https://127.0.0.1:6443'}${req.url ?? '/'}`;
        res.writeHead(302, { Location: location, 'Content-Type': 'text/html', 'Content-Length': 0 });
        res.end();
        return;
      }
      default: {
        record(req, 200);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(VERSION_BODY) });
        res.end(VERSION_BODY);
      }
    }
  };

  let server: Server | HttpsServer;
  if (o.mode === 'reset-mid-tls') {
    server = createTcpServer((socket: Socket) => {
      socket.on('error', () => undefined);
      // The ClientHello arrived: the handshake has begun, and now it breaks.
      socket.once('data', () => socket.resetAndDestroy());
    });
  } else {
    const serving = await issue(o.ca, { commonName: 'kube-apiserver', usage: 'server', ...servingNames(o.mode, o.host) });
    const legacy =
      o.mode === 'tls10-only'
        ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1' as const, ciphers: 'DEFAULT@SECLEVEL=0' }
        : o.maxTlsVersion
          ? { maxVersion: o.maxTlsVersion }
          : {};
    server = createHttpsServer(
      { cert: serving.certPem, key: serving.keyPem, ca: o.ca.certPem, requestCert: true, rejectUnauthorized: false, ...legacy },
      answer,
    );
    server.on('tlsClientError', () => undefined);
    server.on('secureConnection', (socket: TLSSocket) => handshakes.push(clientSubject(socket)));
  }
  server.on('connection', () => (connections += 1));
  const sockets = trackSockets(server);
  await listen(server, o.host, port);

  return {
    mode: o.mode,
    url: `https://${o.host}:${port}`,
    seen,
    connections: () => connections,
    handshakes,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      await closeServer(server, sockets);
    },
  };
}

function clientSubject(socket: TLSSocket): string | null {
  const peer = socket.getPeerCertificate?.();
  return peer && peer.subject ? `CN=${String(peer.subject.CN)}` : null;
}

/** Streams `total` bytes as fast as the client reads them, and stops when it hangs up. */
function sendHuge(res: ServerResponse, total: number, announce: boolean, sent: (n: number) => void): void {
  const chunk = hugeBodyChunk();
  res.writeHead(200, { 'Content-Type': 'application/json', ...(announce ? { 'Content-Length': total } : {}) });
  let written = 0;
  const pump = () => {
    while (written < total && !res.destroyed) {
      const piece = written === 0 ? Buffer.concat([Buffer.from('{"kind":"NodeList","items":['), chunk]) : chunk;
      const part = piece.subarray(0, Math.min(piece.length, total - written));
      written += part.length;
      sent(part.length);
      if (!res.write(part)) {
        res.once('drain', pump);
        return;
      }
    }
    if (written >= total && !res.destroyed) res.end();
  };
  pump();
}
