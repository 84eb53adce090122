// What was observed of how a failure showed itself, typed for the catalogue's variants: how far
// TCP got, how the TLS layer failed, which credential the request carried. Pure: it reads the
// failure a probe classified and what discovery knows of the kubeconfig.
import type { KubeconfigCertificates } from '../discovery/targets.js';
import type { Evidence } from '../engine/types.js';
import type { Failure } from '../probes/types.js';

type TlsEvidence = NonNullable<Evidence['tls']>;

/**
 * How a handshake failed, from the OpenSSL reason Node reports (`ERR_SSL_…`, or EPROTO with the
 * reason in the message): a server that answered in plain HTTP (`wrong version number`), an
 * alert the server sent (it rejected us: a client certificate it requires, a CA it does not
 * know), a protocol the two sides do not share (TLS version, ALPN: an HTTP/2-only server),
 * a record or certificate chain larger than a client accepts, or a certificate that does not
 * verify (expired, not yet valid, another CA, another name).
 */
export function tlsEvidenceOf(failure: Pick<Failure, 'kind' | 'message' | 'detail'>): TlsEvidence | undefined {
  if (failure.kind === 'timeout') return 'handshake-timeout';
  if (failure.kind !== 'tls') return undefined;
  const code = (failure.detail ?? '').toUpperCase();
  const text = `${code} ${failure.message}`.toUpperCase().replace(/[\s_]+/g, ' ');
  if (/WRONG VERSION NUMBER|HTTP REQUEST|UNKNOWN PROTOCOL/.test(text)) return 'not-tls';
  if (
    /NO APPLICATION PROTOCOL|PROTOCOL VERSION|UNSUPPORTED PROTOCOL|NO PROTOCOLS AVAILABLE|LEGACY SIGALG|TLS 1\.0 OR 1\.1|NO SHARED CIPHER|NO CIPHERS/.test(text)
  )
    return 'protocol';
  if (/EXCESSIVE MESSAGE SIZE|PACKET LENGTH TOO LONG|RECORD OVERFLOW|DATA LENGTH TOO LONG|ENCRYPTED LENGTH TOO LONG|OVERSIZED/.test(text)) return 'oversized';
  if (/ALERT/.test(text)) return 'alert';
  if (/CERT HAS EXPIRED|HAS EXPIRED/.test(text)) return 'expired';
  if (/NOT YET VALID/.test(text)) return 'not-yet-valid';
  if (/ALTNAME|NOT VALID FOR/.test(text)) return 'name-mismatch';
  if (/SELF SIGNED|UNABLE TO (VERIFY|GET ISSUER)|UNKNOWN AUTHORITY|UNTRUSTED|CERT SIGNATURE FAILURE|INVALID CA/.test(text)) return 'unknown-authority';
  return undefined;
}

/** The verdict on a chain that was served but does not verify, from the words of the TLS probe. */
export function verifyEvidenceOf(verifyError: string): TlsEvidence {
  if (/expired/i.test(verifyError)) return 'expired';
  if (/not yet valid/i.test(verifyError)) return 'not-yet-valid';
  if (/not valid for/i.test(verifyError)) return 'name-mismatch';
  return 'unknown-authority';
}

/**
 * The credential the kubeconfig's user sends, as the API probe picks it: a plugin first (exec,
 * auth-provider), then a bearer token, then a client certificate, then basic auth.
 */
export function credentialEvidenceOf(kc: KubeconfigCertificates | null | undefined): Evidence['credential'] {
  if (!kc) return undefined;
  if (kc.otherAuth === 'exec plugin') return 'exec';
  if (kc.otherAuth === 'auth provider') return 'auth-provider';
  if (kc.otherAuth === 'bearer token' || kc.otherAuth === 'service account token') return 'token';
  if (kc.clientCertPem !== null || kc.clientCertFile !== null) return 'client-certificate';
  if (kc.otherAuth === 'basic auth') return 'basic';
  return 'none';
}
