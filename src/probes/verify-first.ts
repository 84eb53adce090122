// Before a client certificate is shown to a server, make sure the server is the one the
// kubeconfig trusts. Over TLS 1.2 a client sends its Certificate before it has seen the
// server's Finished, and Node judges the server's chain only once the handshake is over: with
// rejectUnauthorized alone, an impostor would still be shown our certificate (and learn whose
// it is). This handshake carries no credentials and sends nothing after it.
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { startDeadline } from './deadline.js';
import type { ProbeDeadline } from './types.js';

export interface ServerIdentity {
  host: string;
  port: number;
  /** The name the certificate must hold; the host when absent. */
  servername?: string;
  /** PEM CA bundle; the system store when absent. */
  ca?: string;
}

/** Null when the server's certificate verifies for the name; the handshake's error otherwise. */
export function verifyServerIdentity(server: ServerIdentity, deadline: ProbeDeadline): Promise<Error | null> {
  const name = server.servername ?? server.host;
  return new Promise((resolve) => {
    const socket = connect({
      host: server.host,
      port: server.port,
      servername: isIP(name) ? undefined : name,
      ca: server.ca,
      rejectUnauthorized: true,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = startDeadline(deadline, `tls ${server.host}:${server.port}`);
    const finish = (result: Error | null) => {
      timer.clear();
      socket.destroy();
      resolve(result);
    };
    timer.onExpire((err) => finish(err));
    socket.once('secureConnect', () => finish(null));
    socket.once('error', (err) => finish(err));
  });
}
