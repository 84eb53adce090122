// The certificates on disk: every file kubeadm manages in the PKI folder (a missing one is a
// finding), any other certificate file in it (k3s, hand-made CAs), and the client
// certificates in the kubeconfigs next to it. A bundle is read certificate by certificate.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { clientCertificatesOf, isCertificateFileName, KUBEADM_CERTIFICATES, KUBEADM_KUBECONFIGS, kubeconfigDirOf, looksLikeKubeadm } from '../discovery/pki.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { describeCertificate, parsePemBundle } from '../probes/certificate.js';
import type { ServedCertificate } from '../probes/types.js';
import { caExpiresFirst, certificateFinding, type LocatedCertificate } from '../judge/certificate.js';

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

/** Reads a certificate file once per run: the served check compares endpoints with the same files. */
export function readCertificateFile(ctx: CheckContext, path: string): Promise<CertificateFileRead> {
  return ctx.shared.once(`certificate-file:${path}`, async () => {
    const read = await ctx.probes.files.read(path);
    if (read.kind === 'ok') return certificatesIn(read.data, path);
    if (read.kind === 'missing') return { kind: 'missing', message: read.message };
    if (read.kind === 'not-a-file') return { kind: 'invalid', message: read.message };
    return { kind: 'unreadable', message: read.message };
  });
}

/** The findings for a file that yielded no certificate. */
export function fileProblem(read: Exclude<CertificateFileRead, { kind: 'ok' }>, subject: string, name: string, source: string): Finding {
  const data = { name, source };
  switch (read.kind) {
    case 'missing':
      return { status: 'warn', code: 'cert-file-missing', subject, message: `${name}: ${read.message}`, data };
    case 'unreadable':
      return {
        status: 'warn',
        code: 'cert-file-unreadable',
        subject,
        message: `${name}: ${read.message}; kubeadm keeps its PKI readable by root only (sudo k8sdoc check --only certs)`,
        data,
      };
    case 'invalid':
      return { status: 'crit', code: 'cert-file-invalid', subject, message: `${name}: ${read.message}`, data };
  }
}

/** One finding per certificate of a file (a bundle gives several), plus one for unparsable blocks. */
export function certificateFindings(
  read: Extract<CertificateFileRead, { kind: 'ok' }>,
  base: { subject: string; name: string; source: string },
  ctx: CheckContext,
  located: LocatedCertificate[],
): Finding[] {
  const n = read.certificates.length;
  const findings = read.certificates.map((cert, i) => {
    const suffix = n > 1 ? ` [${i + 1}/${n}]` : '';
    const entry: LocatedCertificate = { cert, name: `${base.name}${suffix}`, source: base.source };
    located.push(entry);
    return certificateFinding(entry, `${base.subject}${suffix}`, ctx.now, ctx.options);
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

interface FileToRead {
  path: string;
  name: string;
  /** A kubeadm file that must exist. */
  expected: boolean;
}

async function filesOfFolder(ctx: CheckContext, pkiDir: string): Promise<{ files: FileToRead[]; kubeadm: boolean; notes: Finding[] }> {
  const top = (await ctx.probes.files.list(pkiDir)) ?? [];
  const etcdNames = (await ctx.probes.files.list(join(pkiDir, 'etcd'))) ?? null;
  const present = [...top.filter(isCertificateFileName), ...(etcdNames ?? []).filter(isCertificateFileName).map((n) => `etcd/${n}`)];
  const kubeadm = looksLikeKubeadm(top);
  const files: FileToRead[] = [];
  const notes: Finding[] = [];
  if (kubeadm) {
    for (const c of KUBEADM_CERTIFICATES) {
      if (c.stackedEtcd && etcdNames === null) continue;
      files.push({ path: join(pkiDir, c.file), name: c.name, expected: true });
    }
    if (etcdNames === null) {
      notes.push({
        status: 'skip',
        subject: join(pkiDir, 'etcd'),
        message: 'no etcd/ folder: etcd is external or runs elsewhere, so its certificates are checked where etcd runs (or with --pki-dir there)',
      });
    }
  }
  const listed = new Set(files.map((f) => f.path));
  for (const rel of present) {
    const path = join(pkiDir, rel);
    if (!listed.has(path)) files.push({ path, name: rel.replace(/\.(crt|pem|cer)$/i, ''), expected: false });
  }
  return { files, kubeadm, notes };
}

async function kubeconfigFindings(ctx: CheckContext, pkiDir: string, kubeadm: boolean, located: LocatedCertificate[]): Promise<Finding[]> {
  const dir = kubeconfigDirOf(pkiDir);
  const findings: Finding[] = [];
  for (const conf of KUBEADM_KUBECONFIGS) {
    const path = join(dir, conf.name);
    const source = `kubeconfig ${path}`;
    const read = await ctx.probes.files.read(path);
    if (read.kind === 'missing') {
      if (kubeadm && conf.required) findings.push(fileProblem({ kind: 'missing', message: read.message }, path, conf.name, source));
      continue;
    }
    if (read.kind !== 'ok') {
      findings.push(fileProblem({ kind: read.kind === 'not-a-file' ? 'invalid' : 'unreadable', message: read.message }, path, conf.name, source));
      continue;
    }
    const parsed = await clientCertificatesOf(read.data.toString('utf8'), path);
    if (parsed.kind === 'invalid') {
      findings.push(fileProblem(parsed, path, conf.name, source));
      continue;
    }
    if (parsed.clients.length === 0) {
      findings.push({
        status: 'skip',
        subject: path,
        message: `${conf.name} holds no client certificate (token or exec authentication)`,
        data: { name: conf.name, source },
      });
      continue;
    }
    for (const client of parsed.clients) {
      const subject = parsed.clients.length > 1 ? `${path} user ${client.user}` : path;
      const clientSource = client.file ? `${source} user ${client.user} file ${client.file}` : `${source} user ${client.user}`;
      const contents =
        client.pem !== null ? certificatesIn(Buffer.from(client.pem), `${path} (user ${client.user})`) : await readCertificateFile(ctx, client.file!);
      const base = { subject, name: conf.name, source: clientSource };
      findings.push(
        ...(contents.kind === 'ok' ? certificateFindings(contents, base, ctx, located) : [fileProblem(contents, subject, conf.name, clientSource)]),
      );
    }
  }
  return findings;
}

export const certsFiles: Check = {
  id: 'certs-files',
  component: 'certs',
  title: 'Certificates on disk: the PKI folder (kubeadm files, bundles) and the kubeconfigs next to it',
  needs: [],
  codes: ['cert-expired', 'cert-expiring', 'cert-not-yet-valid', 'cert-ca-expires-first', 'cert-file-missing', 'cert-file-unreadable', 'cert-file-invalid'],
  async run(ctx) {
    const pkiDir = ctx.targets.pkiDir;
    if (pkiDir === null) {
      return [
        {
          status: 'skip',
          subject: 'pki',
          message: 'no PKI folder: /etc/kubernetes/pki is not here (not a kubeadm control-plane node); pass --pki-dir (k3s: /var/lib/rancher/k3s/server/tls)',
        },
      ];
    }
    const stat = await ctx.probes.files.stat(pkiDir);
    if (!stat?.isDirectory) {
      return [fileProblem({ kind: 'missing', message: `${pkiDir} is not a folder (--pki-dir)` }, pkiDir, 'pki', `file ${pkiDir}`)];
    }
    const { files, kubeadm, notes } = await filesOfFolder(ctx, pkiDir);
    const located: LocatedCertificate[] = [];
    const findings: Finding[] = [];
    for (const f of files) {
      const read = await readCertificateFile(ctx, f.path);
      const base = { subject: f.path, name: f.name, source: `file ${f.path}` };
      findings.push(...(read.kind === 'ok' ? certificateFindings(read, base, ctx, located) : [fileProblem(read, f.path, f.name, base.source)]));
    }
    if (files.length === 0) {
      findings.push({ status: 'skip', subject: pkiDir, message: `no certificate files (*.crt, *.pem) in ${pkiDir}` });
    }
    findings.push(...notes);
    findings.push(...(await kubeconfigFindings(ctx, pkiDir, kubeadm, located)));
    findings.push(...caExpiresFirst(located, ctx.now));
    return findings;
  },
};
