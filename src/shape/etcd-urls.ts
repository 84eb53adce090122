// Reading the URLs found in `--etcd-servers`, `--advertise-client-urls` and member lists: what
// kind of address each names (loopback, a unix socket, a host), without ever resolving a name.
import type { Datastore } from './types.js';

export type EtcdUrl =
  | { kind: 'tcp'; url: string; scheme: 'http' | 'https'; host: string; port: number; loopback: boolean }
  | { kind: 'socket'; url: string; scheme: 'unix' | 'unixs'; path: string }
  | { kind: 'invalid'; url: string; reason: string };

const ETCD_CLIENT_PORT = 2379;

/**
 * The machine's own loopback as distributions write it: `127.0.0.1`, `localhost`, `::1` (any
 * spelling, IPv4-mapped too). Another 127/8 address names a host of its own and is taken at
 * its word: no distribution writes one for "this machine", and the simulator gives each of its
 * hosts one (127.<block>.0.11 …), which must read as the separate machines they stand for.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '127.0.0.1') return true;
  // IPv4-mapped loopback, as written (::ffff:127.0.0.1) and as URL parsing normalises it (::ffff:7f00:1).
  if (h === '::ffff:127.0.0.1' || h === '::ffff:7f00:1') return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(h) || h === '::1';
}

export function parseEtcdUrl(raw: string): EtcdUrl {
  const url = raw.trim();
  const socket = /^(unixs?):\/\/(.+)$/i.exec(url);
  if (socket) return { kind: 'socket', url, scheme: socket[1]!.toLowerCase() as 'unix' | 'unixs', path: socket[2]! };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'invalid', url, reason: 'not a URL' };
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') return { kind: 'invalid', url, reason: `unsupported scheme ${scheme}://` };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return { kind: 'invalid', url, reason: 'no host' };
  const port = parsed.port === '' ? ETCD_CLIENT_PORT : Number(parsed.port);
  return { kind: 'tcp', url, scheme, host, port, loopback: isLoopbackHost(host) };
}

/** host:port with brackets around IPv6, as URLs write it. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * What a unix-socket storage URL says about the datastore. MicroK8s points the API server at
 * k8s-dqlite's kine socket (`unix://…/var/kubernetes/backend/kine.sock:12379`); k3s's default
 * SQLite kine is `unix://kine.sock`; RKE2 with kine (an external SQL database, or SQLite with
 * `--disable-etcd`) uses TLS on the socket: `unixs://…/server/kine.sock`. `externalSql` says
 * whether the servers' arguments show `--datastore-endpoint` (null: not seen).
 */
export function datastoreOfSocket(url: Extract<EtcdUrl, { kind: 'socket' }>, externalSql: boolean | null = null): Datastore {
  if (/microk8s|\/var\/kubernetes\/backend\//.test(url.path)) return 'dqlite';
  if (externalSql !== null) return externalSql ? 'kine-sql' : 'kine-sqlite';
  // RKE2 puts TLS on the socket for an external database, and for SQLite only with --disable-etcd.
  return url.scheme === 'unixs' ? 'kine-sql' : 'kine-sqlite';
}
