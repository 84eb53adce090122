// The ways a simulated server can fail at the network level, behind one switch:
// `up` serves, `down` is not listening (connection refused), `hang` accepts TCP and never
// says a word (a wedged process or a stopped host behind a live socket). Every socket is
// tracked so that closing really frees the port and leaves no half-open connection.
import { createServer, type Server, type Socket } from 'node:net';

export type ListenMode = 'up' | 'down' | 'hang';

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(new Error(`cannot listen on ${host}:${port}: ${e.message}`));
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Tracks the server's sockets so close() can end them instead of waiting for clients. */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  const add = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  server.on('connection', add);
  // TLS servers hand out TLSSocket wrappers on 'secureConnection'; the raw socket seen
  // on 'connection' is the one to destroy, so nothing else is needed.
  return sockets;
}

export async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await closed;
}

/** A server that accepts connections and never answers: the `hang` fault. */
export class HangingListener {
  private readonly server: Server;
  private readonly sockets: Set<Socket>;
  /** Connections whose first bytes were a TLS handshake record (a ClientHello): a bare TCP connect is not one. */
  tlsHandshakes = 0;

  private constructor(server: Server, sockets: Set<Socket>) {
    this.server = server;
    this.sockets = sockets;
  }

  static async start(host: string, port: number): Promise<HangingListener> {
    const counted = { listener: null as HangingListener | null };
    const server = createServer((socket) => {
      // Swallow resets from impatient clients: hanging is the whole point.
      socket.on('error', () => undefined);
      socket.once('data', (chunk: Buffer) => {
        if (chunk[0] === 0x16 && counted.listener) counted.listener.tlsHandshakes += 1;
      });
    });
    const sockets = trackSockets(server);
    await listen(server, host, port);
    return (counted.listener = new HangingListener(server, sockets));
  }

  close(): Promise<void> {
    return closeServer(this.server, this.sockets);
  }
}

/**
 * One address:port whose behaviour can be switched at run time between serving, refusing
 * and hanging. `makeServer` builds a fresh serving server each time the mode becomes `up`.
 */
export class ModalListener {
  private current: ListenMode = 'down';
  private serving: { server: Server; sockets: Set<Socket> } | null = null;
  private hanging: HangingListener | null = null;
  // Mode changes are queued so that two quick switches never race for the port.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly makeServer: () => Server,
  ) {}

  get mode(): ListenMode {
    return this.current;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  setMode(mode: ListenMode): Promise<void> {
    const next = this.queue.then(() => this.apply(mode));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): Promise<void> {
    return this.setMode('down');
  }

  private async apply(mode: ListenMode): Promise<void> {
    if (mode === this.current) return;
    await this.release();
    if (mode === 'up') {
      const server = this.makeServer();
      const sockets = trackSockets(server);
      await listen(server, this.host, this.port);
      this.serving = { server, sockets };
    } else if (mode === 'hang') {
      this.hanging = await HangingListener.start(this.host, this.port);
    }
    this.current = mode;
  }

  private async release(): Promise<void> {
    if (this.serving) {
      await closeServer(this.serving.server, this.serving.sockets);
      this.serving = null;
    }
    if (this.hanging) {
      await this.hanging.close();
      this.hanging = null;
    }
    this.current = 'down';
  }
}
