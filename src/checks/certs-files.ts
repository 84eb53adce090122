// The certificates on disk: every file kubeadm manages in the PKI folder (a missing one is a
// finding), any other certificate file in it (k3s, hand-made CAs), and the client
// certificates in the kubeconfigs next to it. A bundle is read certificate by certificate.
import { join } from 'node:path';
import { clientCertificatesOf, isCertificateFileName, KUBEADM_CERTIFICATES, KUBEADM_KUBECONFIGS, kubeconfigDirOf, looksLikeKubeadm } from '../discovery/pki.js';
import type { CertificateRole, Check, CheckContext, Finding } from '../engine/types.js';
import { caExpiresFirst, certificateFindings, certificatesIn, fileProblem, type LocatedCertificate } from '../judge/certificate.js';

/** What kubeadm's files are for, as far as the failures they can cause go (triage reads it from `about`). */
const KUBEADM_FILE_ROLES: Readonly<Record<string, CertificateRole>> = {
  ca: 'cluster-ca',
  apiserver: 'apiserver-serving',
  'apiserver-etcd-client': 'apiserver-etcd-client',
  'etcd-ca': 'etcd',
  'etcd-server': 'etcd',
  'etcd-peer': 'etcd',
  'etcd-healthcheck-client': 'etcd-healthcheck-client',
};

interface FileToRead {
  path: string;
  name: string;
  /** A kubeadm file that must exist. */
  expected: boolean;
}

async function filesOfFolder(ctx: CheckContext, pkiDir: string): Promise<{ files: FileToRead[]; kubeadm: boolean; notes: Finding[] }> {
  const top = (await ctx.facts.files.list(pkiDir)) ?? [];
  const etcdNames = (await ctx.facts.files.list(join(pkiDir, 'etcd'))) ?? null;
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
    const read = await ctx.facts.files.read(path);
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
        client.pem !== null ? certificatesIn(Buffer.from(client.pem), `${path} (user ${client.user})`) : await ctx.facts.files.certificates(client.file!);
      const base = { subject, name: conf.name, source: clientSource, ...(client.file ? { path: client.file } : { path }) };
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
    const stat = await ctx.facts.files.stat(pkiDir);
    if (!stat?.isDirectory) {
      return [fileProblem({ kind: 'missing', message: `${pkiDir} is not a folder (--pki-dir)` }, pkiDir, 'pki', `file ${pkiDir}`)];
    }
    const { files, kubeadm, notes } = await filesOfFolder(ctx, pkiDir);
    const located: LocatedCertificate[] = [];
    const findings: Finding[] = [];
    for (const f of files) {
      const read = await ctx.facts.files.certificates(f.path);
      const base = { subject: f.path, name: f.name, source: `file ${f.path}`, role: KUBEADM_FILE_ROLES[f.name] ?? 'other', path: f.path };
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
