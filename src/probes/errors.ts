// Every low-level error becomes one of our outcome kinds, with a line that is safe to print.
import type { Failure } from './types.js';

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

// A server that offers only TLS 1.0 or 1.1 is an old proxy or load balancer in front of the
// API server; kubectl (Go 1.22 and later) and Node refuse those versions by default.
const LEGACY_TLS = 'the server offers only TLS 1.0 or 1.1; Kubernetes clients need TLS 1.2 or newer';

const TLS_DESCRIPTIONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate chain ends in an untrusted self-signed CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate signed by unknown authority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not valid for this host name',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: LEGACY_TLS,
  ERR_SSL_UNSUPPORTED_PROTOCOL: LEGACY_TLS,
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: LEGACY_TLS,
  ERR_SSL_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED: LEGACY_TLS,
};

/**
 * The `detail` of a request that was never sent because its credential could not be had (an
 * exec or auth-provider plugin failed): nothing about the server, everything about the client.
 */
export const CREDENTIALS_FAILED = 'credentials';

export class ProbeTimeoutError extends Error {
  override readonly name = 'ProbeTimeoutError';
  constructor(
    readonly timeoutMs: number,
    what: string,
  ) {
    super(`${what} did not answer within ${timeoutMs} ms`);
  }
}

/**
 * node:https reports OpenSSL failures as a bare EPROTO; the reason is inside the message
 * ("…:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:…").
 */
function describeProtocolError(message: string): string {
  if (/protocol version|unsupported protocol|no protocols available|legacy sigalg/i.test(message)) return LEGACY_TLS;
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1];
  return reason ? `protocol error (${reason})` : 'protocol error';
}

export function describeTlsCode(code: string): string {
  return TLS_DESCRIPTIONS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

/** Classifies an error thrown by net, tls, http or dns into a Failure. */
export function classifyNetworkError(err: unknown, what: string): Failure {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  if (err instanceof ProbeTimeoutError) return { kind: 'timeout', message: err.message, detail: 'timeout' };
  if (e?.name === 'AbortError' || code === 'ABORT_ERR') return { kind: 'aborted', message: `${what}: aborted`, detail: 'aborted' };
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', message: `${what}: connection refused`, detail: code };
    case 'ETIMEDOUT':
      return { kind: 'timeout', message: `${what}: timed out`, detail: code };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return { kind: 'dns', message: `${what}: host name does not resolve (${code})`, detail: code };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return { kind: 'unreachable', message: `${what}: no route to host (${code})`, detail: code };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset', message: `${what}: connection reset by peer`, detail: code };
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return {
      kind: 'tls',
      message: `${what}: TLS handshake failed: ${code === 'EPROTO' ? describeProtocolError(e?.message ?? '') : describeTlsCode(code)}`,
      detail: code,
    };
  }
  if (/socket disconnected before secure TLS connection/i.test(e?.message ?? '')) {
    return { kind: 'reset', message: `${what}: connection closed during the TLS handshake`, detail: code || 'ECONNRESET' };
  }
  return { kind: 'error', message: `${what}: ${firstLine(e?.message ?? String(err))}`, detail: code || undefined };
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
