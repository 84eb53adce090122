import { X509Certificate } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect, DEFAULT_CIPHERS, type DetailedPeerCertificate } from 'node:tls';
import { hostPort } from '../util/url.js';
import { describeCertificate } from './certificate.js';
import { startDeadline } from './deadline.js';
import { classifyNetworkError, describeTlsCode } from './errors.js';
import type { ServedCertificate, TlsInspectOptions, TlsInspection } from './types.js';

/** Walks issuerCertificate links; a self-signed root points to itself, so stop there. */
function servedChain(leaf: DetailedPeerCertificate): ServedCertificate[] {
  const chain: ServedCertificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(describeCertificate(new X509Certificate(current.raw)));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * An inspection handshake: no client certificate, no token, nothing sent after the
 * handshake. It reads the served chain even when it is expired or untrusted, and says
 * separately whether it verifies against `ca` and for the host name.
 */
export function inspectTls(host: string, port: number, options: TlsInspectOptions): Promise<TlsInspection> {
  return inspectTlsVia(host, port, options);
}

/**
 * The inspection handshake, through `tunnel` when the server is reached through a proxy (the
 * tunnel's time counts against the same deadline).
 */
export async function inspectTlsVia(
  host: string,
  port: number,
  options: TlsInspectOptions,
  tunnel?: (deadline: TlsInspectOptions) => Promise<Socket>,
): Promise<TlsInspection> {
  const what = `tls ${hostPort(host, port)}`;
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let through: Socket | undefined;
  if (tunnel) {
    try {
      through = await tunnel(options);
    } catch (err) {
      const failure = classifyNetworkError(err as Error, what);
      return { kind: failure.kind, ms: ms(), chain: [], verifyError: null, failure };
    }
  }
  const left = { ...options, timeoutMs: Math.max(1, options.timeoutMs - ms()) };
  const servername = options.servername ?? host;
  return new Promise((resolve) => {
    const socket = connect({
      ...(through ? { socket: through } : { host, port }),
      // SNI must not carry an IP address.
      servername: isIP(servername) ? undefined : servername,
      ca: options.ca,
      rejectUnauthorized: false,
      // Reading the chain of an old server must work too (a TLS 1.0 proxy, SHA-1 signatures):
      // nothing secret is sent over this handshake, and whether it verifies is judged apart.
      minVersion: 'TLSv1',
      ciphers: `${DEFAULT_CIPHERS}:@SECLEVEL=0`,
      ALPNProtocols: ['http/1.1'],
    });
    const deadline = startDeadline(left, what);
    const finish = (result: TlsInspection) => {
      deadline.clear();
      socket.destroy();
      resolve(result);
    };
    deadline.onExpire((err) => {
      const failure = classifyNetworkError(err, what);
      finish({ kind: failure.kind, ms: ms(), chain: [], verifyError: null, failure });
    });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      const chain = peer && peer.raw ? servedChain(peer) : [];
      let verifyError: string | null = null;
      if (!socket.authorized) {
        const code = String(socket.authorizationError ?? 'UNKNOWN');
        verifyError = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `certificate is not valid for ${servername}` : describeTlsCode(code);
      } else if (peer && peer.raw) {
        const identity = checkServerIdentity(servername, peer);
        if (identity) verifyError = `certificate is not valid for ${servername}`;
      }
      finish({ kind: 'ok', ms: ms(), chain, verifyError, protocol: socket.getProtocol() ?? undefined });
    });
    socket.once('error', (err) => {
      const failure = classifyNetworkError(err, what);
      finish({ kind: failure.kind, ms: ms(), chain: [], verifyError: null, failure });
    });
  });
}
