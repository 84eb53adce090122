// A simulated kubelet's secure port, <node address>:10250, as a kubeadm node runs it:
// anonymous requests get 401, a client certificate from the cluster CA with admin rights
// (the API server's apiserver-kubelet-client) gets `ok` from /healthz. Can be stopped
// (connection refused) or hung (TCP accepted, no TLS answer).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { identityFromCertificate, type Identity } from './api-access.js';
import { ModalListener, type ListenMode } from './faults.js';
import type { RequestLog } from './request-log.js';

export const KUBELET_PORT = 10250;

export interface KubeletOptions {
  nodeName: string;
  host: string;
  port?: number;
  clientCaPem: string;
  serving: { certPem: string; keyPem: string };
  requestLog: RequestLog;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class SimKubelet {
  readonly nodeName: string;
  readonly host: string;
  readonly port: number;
  private readonly listener: ModalListener;

  constructor(private readonly o: KubeletOptions) {
    this.nodeName = o.nodeName;
    this.host = o.host;
    this.port = o.port ?? KUBELET_PORT;
    this.listener = new ModalListener(this.host, this.port, () => this.makeServer());
  }

  get mode(): ListenMode {
    return this.listener.mode;
  }

  get url(): string {
    return `https://${this.host}:${this.port}`;
  }

  setMode(mode: ListenMode): Promise<void> {
    return this.listener.setMode(mode);
  }

  stop(): Promise<void> {
    return this.listener.close();
  }

  private makeServer(): Server {
    const server = createServer(
      { cert: this.o.serving.certPem, key: this.o.serving.keyPem, ca: this.o.clientCaPem, requestCert: true, rejectUnauthorized: false },
      (req, res) => this.handle(req, res),
    );
    server.on('tlsClientError', () => undefined);
    return server;
  }

  private authenticate(req: IncomingMessage): Identity | null {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    if (!peer || !peer.subject || !socket.authorized) return null;
    return identityFromCertificate(asList(peer.subject.CN)[0] ?? '', asList(peer.subject.O));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = Date.now();
    const identity = this.authenticate(req);
    const path = new URL(req.url ?? '/', 'https://sim.invalid').pathname;
    let status: number;
    let body: string;
    if (!identity) {
      status = 401;
      body = 'Unauthorized';
    } else if (identity.rules !== 'all') {
      // The kubelet's webhook authorizer asks the API server; only admins pass here.
      status = 403;
      body = `Forbidden (user=${identity.user}, verb=get, resource=nodes, subresource=proxy)`;
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      status = 405;
      body = 'Method Not Allowed';
    } else if (path === '/healthz') {
      status = 200;
      body = 'ok';
    } else {
      status = 404;
      body = '404 page not found';
    }
    this.o.requestLog.record({
      at: new Date(started),
      server: `${this.host}:${this.port}`,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      identity: identity?.user ?? 'system:anonymous',
      userAgent: req.headers['user-agent'] ?? '',
      groups: identity?.groups ?? ['system:unauthenticated'],
      status,
      durationMs: Date.now() - started,
    });
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}
