// Before a client certificate is shown to a server, make sure the server is the one the
// kubeconfig trusts. Over TLS 1.2 a client sends its Certificate before it has seen the
// server's Finished, and Node judges the server's chain only once the handshake is over: with
// rejectUnauthorized alone, an impostor would still be shown our certificate (and learn whose
// it is). This handshake carries no credentials and sends nothing after it.
import { isIP, type Socket } from 'node:net';
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
  /** A proxy tunnel to the server, when it is reached through one. */
  tunnel?: (deadline: ProbeDeadline) => Promise<Socket>;
}

/** Null when the server's certificate verifies for the name; the handshake's error otherwise. */
export function verifyServerIdentity(server: ServerIdentity, deadline: ProbeDeadline): Promise<Error | null> {
  const name = server.servername ?? server.host;
  const handshake = (socket?: Socket): Promise<Error | null> =>
    new Promise((resolve) => {
      const tls = connect({
        ...(socket ? { socket } : { host: server.host, port: server.port }),
        servername: isIP(name) ? undefined : name,
        ca: server.ca,
        rejectUnauthorized: true,
        ALPNProtocols: ['http/1.1'],
      });
      const timer = startDeadline(deadline, `tls ${server.host}:${server.port}`);
      const finish = (result: Error | null) => {
        timer.clear();
        tls.destroy();
        resolve(result);
      };
      timer.onExpire((err) => finish(err));
      tls.once('secureConnect', () => finish(null));
      tls.once('error', (err) => finish(err));
    });
  if (!server.tunnel) return handshake();
  return server.tunnel(deadline).then(handshake, (err: Error) => err);
}
