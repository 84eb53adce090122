// Files as observed in one run: the read-only file probe, and certificate files read and
// parsed once (the served-certificate check compares endpoints with the same files the
// file check reads).
import { join } from 'node:path';
import { certificatesIn, type CertificateFileRead } from '../judge/certificate.js';
import type { ObserveScope } from './scope.js';

export type { CertificateFileRead } from '../judge/certificate.js';

/** Reads a certificate file once per run. */
export function certificateFile(scope: ObserveScope, path: string): Promise<CertificateFileRead> {
  return scope.memo.once(`file:certificates:${path}`, async () => {
    const read = await scope.probes.files.read(path);
    if (read.kind === 'ok') return certificatesIn(read.data, path);
    if (read.kind === 'missing') return { kind: 'missing', message: read.message };
    if (read.kind === 'not-a-file') return { kind: 'invalid', message: read.message };
    return { kind: 'unreadable', message: read.message };
  });
}

export interface TrustAnchor {
  /** PEM of the CA; null when none is known (trust is then not judged). */
  pem: string | null;
  /** For messages: which CA, or why there is none. */
  label: string;
}

/** The etcd CA: --etcd-cacert (or what discovery found), else the one in the PKI folder. */
export function etcdCa(scope: ObserveScope): Promise<TrustAnchor> {
  return scope.memo.once('file:etcd-ca', async () => {
    const { targets } = scope;
    const file = targets.etcdTls.caFile ?? (targets.pkiDir ? join(targets.pkiDir, 'etcd/ca.crt') : null);
    if (file === null) return { pem: null, label: 'no etcd CA known' };
    const read = await certificateFile(scope, file);
    return read.kind === 'ok'
      ? { pem: read.certificates.map((c) => c.pem).join('\n'), label: `the etcd CA ${file}` }
      : { pem: null, label: `no etcd CA (${read.message})` };
  });
}
