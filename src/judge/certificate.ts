// Pure judgement of certificates, shared by the served, file and kubeconfig checks: validity
// against --warn-days/--crit-days, a CA that expires before what it signed, and an endpoint
// still serving an older certificate than the renewed file on disk. A distribution that
// renews its leaves by itself at start (k3s, RKE2) is judged with that renewal in mind. No I/O here.
import { raise, severityOf } from '../catalogue/raise.js';
import { X509Certificate } from 'node:crypto';
import type { Code } from '../catalogue/codes.js';
import type { About, CertificateRole, CheckContext, Finding, Level } from '../engine/types.js';
import type { RenewalContext } from '../shape/pki-layout.js';
import { describeCertificate, parsePemBundle } from '../probes/certificate.js';
import type { ServedCertificate } from '../probes/types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface Thresholds {
  warnDays: number;
  critDays: number;
}

/** A certificate and where it was found. */
export interface LocatedCertificate {
  cert: ServedCertificate;
  /** Short name for the kubeadm-like table: `apiserver`, `admin.conf`, `etcd-ca`. */
  name: string;
  /**
   * `file /etc/kubernetes/pki/apiserver-etcd-client.crt`, `endpoint 10.0.0.1:6443 (apiserver)`:
   * triage matches certificate findings to what they break by these words.
   */
  source: string;
  /** Host of a served certificate: triage ties it to the same host's other findings. */
  host?: string;
  /** Port a served certificate was read on. */
  port?: number;
  /** What the certificate is for, as the check that found it knows: triage reads it from `about`. */
  role?: CertificateRole;
  /** The file it was read from, when it came from one (for the fix steps). */
  path?: string;
}

/** What a certificate finding is about, typed for triage: the certificate's identity and role, and where it was served. */
export function certificateAbout(located: LocatedCertificate): About {
  const { cert } = located;
  return {
    certificate: { serial: cert.serial, issuer: cert.issuer, role: located.role ?? 'other', ...(located.path !== undefined ? { path: located.path } : {}) },
    ...(located.host !== undefined ? { host: located.host } : {}),
    ...(located.port !== undefined ? { port: located.port } : {}),
  };
}

export interface Verdict {
  status: Level;
  code?: Code;
  /** The catalogue grade of `code` that gave `status`. */
  grade?: string;
  message: string;
}

/** Whole days until expiry, negative once expired (−3: expired three days ago). */
export function daysLeft(cert: Pick<ServedCertificate, 'notAfter'>, now: Date): number {
  return Math.trunc((cert.notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** kubeadm's residual-time style: `9y`, `364d`, `4d23h`, `5h12m`, `40m`. */
export function residualTime(ms: number): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY_MS);
  const hours = Math.floor((abs % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((abs % HOUR_MS) / MINUTE_MS);
  if (days > 730) return `${Math.floor(days / 365)}y`;
  if (days >= 10) return `${days}d`;
  if (days >= 1) return `${days}d${hours}h`;
  if (hours >= 1) return `${hours}h${minutes}m`;
  return `${minutes}m`;
}

/** `CN=kube-apiserver` of `O=system:masters, CN=kube-apiserver`; the whole name when it has no CN. */
export function commonName(dn: string): string {
  const cn = dn.split(/,\s*/).find((part) => part.startsWith('CN='));
  return cn ? cn.slice(3) : dn;
}

export function isAuthority(cert: ServedCertificate): boolean {
  return cert.isCa === true || cert.selfSigned;
}

/**
 * Where the certificate stands against the clock and the thresholds. With `renewal`, a leaf of
 * a distribution that renews at its next start (k3s, RKE2) inside that window but outside
 * --warn-days is graded `auto-renews`, and every expiry message says how the leaf renews.
 * CAs are judged alike everywhere: none of these distributions renews them.
 */
export function judgeValidity(cert: ServedCertificate, now: Date, thresholds: Thresholds, renewal?: RenewalContext | null): Verdict {
  const name = `CN=${commonName(cert.subject)}`;
  const untilStart = cert.notBefore.getTime() - now.getTime();
  if (untilStart > 0) {
    return {
      status: severityOf('cert-not-yet-valid'),
      code: 'cert-not-yet-valid',
      message: `${name} is not valid before ${cert.notBefore.toISOString()} (in ${residualTime(untilStart)}): the clock here or on the issuing machine is wrong`,
    };
  }
  const left = cert.notAfter.getTime() - now.getTime();
  const until = cert.notAfter.toISOString();
  const leafRenewal = renewal && !isAuthority(cert) ? renewal : null;
  const how = leafRenewal ? `; ${leafRenewal.how}` : '';
  if (left <= 0) return { status: severityOf('cert-expired'), code: 'cert-expired', message: `${name} expired ${residualTime(left)} ago, on ${until}${how}` };
  if (left < thresholds.critDays * DAY_MS) {
    return {
      status: severityOf('cert-expiring', 'urgent'),
      code: 'cert-expiring',
      grade: 'urgent',
      message: `${name} expires in ${residualTime(left)}, on ${until} (under --crit-days ${thresholds.critDays})${how}`,
    };
  }
  if (left < thresholds.warnDays * DAY_MS) {
    return {
      status: severityOf('cert-expiring'),
      code: 'cert-expiring',
      message: `${name} expires in ${residualTime(left)}, on ${until} (under --warn-days ${thresholds.warnDays})${how}`,
    };
  }
  const window = leafRenewal?.autoRenewWithinDays ?? null;
  if (window !== null && left <= window * DAY_MS) {
    return {
      status: severityOf('cert-expiring', 'auto-renews'),
      code: 'cert-expiring',
      grade: 'auto-renews',
      message: `${name} expires in ${residualTime(left)}, on ${until}, inside its renewal window${how}`,
    };
  }
  return { status: 'ok', message: `${name} valid until ${until} (${residualTime(left)} left), issued by CN=${commonName(cert.issuer)}` };
}

/** The JSON `data` every certificate finding carries. */
export function certificateData(located: LocatedCertificate, now: Date): Record<string, unknown> {
  const { cert } = located;
  const data: Record<string, unknown> = {
    name: located.name,
    source: located.source,
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    daysLeft: daysLeft(cert, now),
    residualTime: cert.notAfter.getTime() > now.getTime() ? residualTime(cert.notAfter.getTime() - now.getTime()) : 'expired',
    sans: cert.sans,
    serial: cert.serial,
    isCa: isAuthority(cert),
  };
  if (located.host !== undefined) data['host'] = located.host;
  return data;
}

/** One finding for one certificate: its validity verdict and its data. */
export function certificateFinding(located: LocatedCertificate, subject: string, now: Date, thresholds: Thresholds, renewal?: RenewalContext | null): Finding {
  const { code, grade, message } = judgeValidity(located.cert, now, thresholds, renewal);
  const data = certificateData(located, now);
  if (grade === 'auto-renews') data['renewal'] = 'auto';
  const about = certificateAbout(located);
  if (code === undefined) return { status: 'ok', subject, message, data, about };
  return raise({ code, ...(grade ? { grade } : {}), subject, message, data, about });
}

function parsed(pem: string): X509Certificate | null {
  if (pem === '') return null;
  try {
    return new X509Certificate(pem);
  } catch {
    return null;
  }
}

/** Whether `ca` signed `leaf`: the names must match, and the signature too when both are at hand. */
export function issuedBy(leaf: ServedCertificate, ca: ServedCertificate): boolean {
  if (leaf.fingerprint256 === ca.fingerprint256 || leaf.issuer !== ca.subject) return false;
  const l = parsed(leaf.pem);
  const c = parsed(ca.pem);
  if (!l || !c) return true;
  return l.checkIssued(c) && l.verify(c.publicKey);
}

/**
 * A CA that expires before certificates it signed: they look fine, yet stop verifying on the
 * CA's date. One finding per such CA, naming the leaves that outlive it. A CA that has already
 * expired is left to its own cert-expired finding.
 */
export function caExpiresFirst(all: readonly LocatedCertificate[], now: Date): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const ca of all) {
    if (!isAuthority(ca.cert) || ca.cert.notAfter.getTime() <= now.getTime() || seen.has(ca.cert.fingerprint256)) continue;
    seen.add(ca.cert.fingerprint256);
    const outliving = all.filter((leaf) => leaf.cert.notAfter.getTime() > ca.cert.notAfter.getTime() && issuedBy(leaf.cert, ca.cert));
    if (outliving.length === 0) continue;
    const leafText = outliving.map((l) => `${l.name} (until ${l.cert.notAfter.toISOString()})`).join(', ');
    findings.push(
      raise({
        code: 'cert-ca-expires-first',
        subject: `CA ${commonName(ca.cert.subject)} (${ca.source})`,
        about: certificateAbout(ca),
        message: `CA CN=${commonName(ca.cert.subject)} expires on ${ca.cert.notAfter.toISOString()}, before ${outliving.length} certificate(s) it signed: ${leafText}; they stop verifying on the CA's date`,
        data: { ...certificateData(ca, now), outliving: outliving.map((l) => ({ name: l.name, source: l.source, notAfter: l.cert.notAfter.toISOString() })) },
      }),
    );
  }
  return findings;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * True when the endpoint serves an older issue of the very certificate on disk: same subject,
 * issuer and names, but the file expires later. Another master's certificate (other SANs)
 * seen through a load balancer is not mistaken for it.
 */
export function servesOlderThanDisk(served: ServedCertificate, onDisk: ServedCertificate): boolean {
  return (
    served.fingerprint256 !== onDisk.fingerprint256 &&
    served.subject === onDisk.subject &&
    served.issuer === onDisk.issuer &&
    sameNames(served.sans, onDisk.sans) &&
    served.notAfter.getTime() < onDisk.notAfter.getTime()
  );
}

/** The finding for a renewed file whose component was not restarted. */
export function staleServedFinding(served: LocatedCertificate, onDisk: LocatedCertificate, subject: string, restart: string, now: Date): Finding {
  return raise({
    code: 'cert-served-stale',
    subject,
    about: certificateAbout(served),
    message:
      `serves serial ${served.cert.serial} valid until ${served.cert.notAfter.toISOString()}, but ${onDisk.source} holds a renewed one ` +
      `(serial ${onDisk.cert.serial}, valid until ${onDisk.cert.notAfter.toISOString()}): ${restart}`,
    data: {
      ...certificateData(served, now),
      diskSource: onDisk.source,
      diskSerial: onDisk.cert.serial,
      diskNotAfter: onDisk.cert.notAfter.toISOString(),
    },
  });
}

export type CertificateFileRead =
  { kind: 'ok'; certificates: ServedCertificate[]; otherTypes: string[]; invalid: number } | { kind: 'missing' | 'unreadable' | 'invalid'; message: string };

/** What a certificate file holds, from its bytes: PEM (one or many blocks), else DER. */
export function certificatesIn(data: Buffer, path: string): CertificateFileRead {
  const blocks = parsePemBundle(data.toString('utf8'));
  if (blocks.certificates.length > 0) return { kind: 'ok', ...blocks };
  if (blocks.invalid > 0) return { kind: 'invalid', message: `${path}: ${blocks.invalid} certificate block(s) do not parse (truncated or corrupted)` };
  if (blocks.otherTypes.length > 0) return { kind: 'invalid', message: `${path} holds ${[...new Set(blocks.otherTypes)].join(', ')}, not a certificate` };
  try {
    return { kind: 'ok', certificates: [describeCertificate(new X509Certificate(data))], otherTypes: [], invalid: 0 };
  } catch {
    return { kind: 'invalid', message: `${path} holds no PEM certificate (${data.length} bytes of something else)` };
  }
}

/** The findings for a file that yielded no certificate. */
export function fileProblem(read: Exclude<CertificateFileRead, { kind: 'ok' }>, subject: string, name: string, source: string): Finding {
  const data = { name, source };
  switch (read.kind) {
    case 'missing':
      return raise({ code: 'cert-file-missing', subject, message: `${name}: ${read.message}`, data });
    case 'unreadable':
      return raise({
        code: 'cert-file-unreadable',
        subject,
        message: `${name}: ${read.message}; kubeadm keeps its PKI readable by root only (sudo k8sdoc check --only certs)`,
        data,
      });
    case 'invalid':
      return raise({ code: 'cert-file-invalid', subject, message: `${name}: ${read.message}`, data });
  }
}

/** One finding per certificate of a file (a bundle gives several), plus one for unparsable blocks. */
export function certificateFindings(
  read: Extract<CertificateFileRead, { kind: 'ok' }>,
  base: { subject: string; name: string; source: string; role?: CertificateRole; path?: string },
  ctx: Pick<CheckContext, 'now' | 'options'>,
  located: LocatedCertificate[],
  renewal?: RenewalContext | null,
): Finding[] {
  const n = read.certificates.length;
  const findings = read.certificates.map((cert, i) => {
    const suffix = n > 1 ? ` [${i + 1}/${n}]` : '';
    const entry: LocatedCertificate = {
      cert,
      name: `${base.name}${suffix}`,
      source: base.source,
      ...(base.role !== undefined ? { role: base.role } : {}),
      ...(base.path !== undefined ? { path: base.path } : {}),
    };
    located.push(entry);
    return certificateFinding(entry, `${base.subject}${suffix}`, ctx.now, ctx.options, renewal);
  });
  if (read.invalid > 0) {
    findings.push(
      fileProblem(
        { kind: 'invalid', message: `${read.invalid} more certificate block(s) do not parse (truncated or corrupted)` },
        base.subject,
        base.name,
        base.source,
      ),
    );
  }
  return findings;
}
