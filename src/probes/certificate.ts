// Reading X.509 certificates (served chains and PEM files) into one plain shape.
import { X509Certificate } from 'node:crypto';
import type { ServedCertificate } from './types.js';

function sansOf(cert: X509Certificate): string[] {
  const text = cert.subjectAltName;
  if (!text) return [];
  return text.split(/,\s*/).map((s) => s.replace(/^IP Address:/, 'IP:'));
}

/** One-line distinguished name: `CN=kube-apiserver, O=…`. */
function oneLine(dn: string): string {
  return dn
    .split('\n')
    .filter((p) => p !== '')
    .join(', ');
}

export function describeCertificate(cert: X509Certificate): ServedCertificate {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    sans: sansOf(cert),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    serial: cert.serialNumber.toLowerCase(),
    fingerprint256: cert.fingerprint256,
    selfSigned: cert.subject === cert.issuer && cert.checkIssued(cert),
    isCa: cert.ca,
    pem: cert.toString(),
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export interface PemBlocks {
  certificates: ServedCertificate[];
  /** Other block types found (PRIVATE KEY, RSA PRIVATE KEY …): a certificate file holding a key is a finding. */
  otherTypes: string[];
  /** Certificate blocks that did not parse. */
  invalid: number;
}

/** Reads every block of a PEM bundle: a bundle holds several certificates. */
export function parsePemBundle(text: string): PemBlocks {
  const result: PemBlocks = { certificates: [], otherTypes: [], invalid: 0 };
  for (const match of text.matchAll(PEM_BLOCK)) {
    const type = match[1]!;
    if (type !== 'CERTIFICATE') {
      result.otherTypes.push(type);
      continue;
    }
    try {
      result.certificates.push(describeCertificate(new X509Certificate(match[0])));
    } catch {
      result.invalid += 1;
    }
  }
  return result;
}
