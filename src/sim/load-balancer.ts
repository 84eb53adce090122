// The TCP load balancer in front of the API servers (what HAProxy or keepalived+HAProxy
// does on a kubeadm HA cluster): TLS passes through untouched, backends are taken round
// robin, one that refuses the connection is skipped, and when none accepts the client's
// connection is closed, as HAProxy does with no backend left.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Backend {
  host: string;
  port: number;
  /**
   * The balancer's health check (HAProxy's `option httpchk GET /healthz` in kubeadm's HA
   * guide): a backend that fails it gets no connection. Without one, only a backend that
   * refuses is skipped.
   */
  healthy?: () => Promise<boolean>;
}

function connectTo(b: Backend): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: b.host, port: b.port });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export class SimLoadBalancer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private next = 0;
  /** Connections handed to each backend (host:port), to show the round robin. */
  readonly picks = new Map<string, number>();

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly backends: Backend[],
  ) {}

  get url(): string {
    return `https://${this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((client) => void this.accept(client));
    server.on('connection', (s) => this.track(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`load balancer cannot listen on ${this.host}:${this.port}: ${e.message}`)));
      server.listen({ host: this.host, port: this.port, exclusive: true }, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }

  private async accept(client: Socket): Promise<void> {
    client.pause();
    for (let tried = 0; tried < this.backends.length; tried++) {
      const backend = this.backends[this.next++ % this.backends.length]!;
      if (backend.healthy && !(await backend.healthy().catch(() => false))) continue;
      try {
        const upstream = await connectTo(backend);
        if (client.destroyed) {
          upstream.destroy();
          return;
        }
        this.track(upstream);
        const key = `${backend.host}:${backend.port}`;
        this.picks.set(key, (this.picks.get(key) ?? 0) + 1);
        client.pipe(upstream);
        upstream.pipe(client);
        client.once('close', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.resume();
        return;
      } catch {
        // Refused: try the next backend, as a health-checked HAProxy would.
      }
    }
    client.destroy();
  }
}
