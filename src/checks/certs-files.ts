// The certificates on disk: every file the folder's distribution makes in its PKI folder
// (kubeadm's /etc/kubernetes/pki, k3s/RKE2's server/tls, MicroK8s's certs; a missing one is a
// finding for that distribution's list only), any other certificate file in it (bundles,
// hand-made CAs), and the client certificates in the kubeconfigs kept beside it. Leaves of a
// distribution that renews them at start are judged with that renewal in mind.
import { join } from 'node:path';
import { clientCertificatesOf, isCertificateFileName } from '../discovery/pki.js';
import type { CertificateRole, Check, CheckContext, Finding } from '../engine/types.js';
import { caExpiresFirst, certificateFindings, certificatesIn, fileProblem, type LocatedCertificate } from '../judge/certificate.js';
import {
  certificateNameOf,
  certificateRoleOf,
  distributionOfPkiFolder,
  expectedCertificates,
  kubeconfigsBeside,
  renewalContextOf,
  shapeDistributionOf,
  type PkiFolderKind,
  type RenewalContext,
} from '../shape/pki-layout.js';

interface FileToRead {
  path: string;
  name: string;
  /** A file the folder's distribution always makes: missing is a finding. */
  expected: boolean;
  role: CertificateRole;
  lifetimeDays?: number;
}

const TITLES: Readonly<Record<PkiFolderKind['distribution'], string>> = {
  kubeadm: 'kubeadm',
  k3s: 'k3s',
  rke2: 'RKE2',
  microk8s: 'MicroK8s',
  unknown: 'unknown',
};

async function filesOfFolder(ctx: CheckContext, pkiDir: string): Promise<{ files: FileToRead[]; kind: PkiFolderKind; notes: Finding[] }> {
  const top = (await ctx.facts.files.list(pkiDir)) ?? [];
  const etcdNames = (await ctx.facts.files.list(join(pkiDir, 'etcd'))) ?? null;
  const present = [...top.filter(isCertificateFileName), ...(etcdNames ?? []).filter(isCertificateFileName).map((n) => `etcd/${n}`)];
  const kind = distributionOfPkiFolder(pkiDir, top, shapeDistributionOf(ctx.targets));
  ctx.log(`certs-files: ${pkiDir} is a ${TITLES[kind.distribution]} PKI folder (${kind.evidence})`);
  const files: FileToRead[] = [];
  const notes: Finding[] = [];
  const expected = expectedCertificates(kind.distribution);
  for (const c of expected) {
    if (c.etcdOnly && etcdNames === null) continue;
    files.push({ path: join(pkiDir, c.file), name: c.name, expected: true, role: c.certificateRole, lifetimeDays: c.lifetimeDays });
  }
  if (expected.some((c) => c.etcdOnly) && etcdNames === null) {
    notes.push({
      status: 'skip',
      subject: join(pkiDir, 'etcd'),
      message:
        kind.distribution === 'kubeadm'
          ? 'no etcd/ folder: etcd is external or runs elsewhere, so its certificates are checked where etcd runs (or with --pki-dir there)'
          : `no etcd/ folder: this ${TITLES[kind.distribution]} server keeps no etcd certificates (no embedded etcd)`,
    });
  }
  const listed = new Set(files.map((f) => f.path));
  for (const rel of present) {
    const path = join(pkiDir, rel);
    if (!listed.has(path)) files.push({ path, name: certificateNameOf(rel), expected: false, role: certificateRoleOf(kind.distribution, rel) });
  }
  return { files, kind, notes };
}

/** A missing kubeconfig is recreated otherwise than a missing certificate: say which it is. */
function asKubeconfig(f: Finding): Finding {
  return { ...f, about: { ...f.about, evidence: { ...f.about?.evidence, file: 'kubeconfig' } } };
}

async function kubeconfigFindings(
  ctx: CheckContext,
  pkiDir: string,
  kind: PkiFolderKind,
  located: LocatedCertificate[],
  renewal: RenewalContext | null,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const conf of kubeconfigsBeside(pkiDir, kind.distribution)) {
    const path = conf.path;
    const source = `kubeconfig ${path}`;
    const read = await ctx.facts.files.read(path);
    if (read.kind === 'missing') {
      if (conf.required) findings.push(asKubeconfig(fileProblem({ kind: 'missing', message: read.message }, path, conf.name, source)));
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
      const base = { subject, name: conf.name, source: clientSource, role: 'kubeconfig-client' as const, path: client.file ?? path };
      findings.push(
        ...(contents.kind === 'ok' ? certificateFindings(contents, base, ctx, located, renewal) : [fileProblem(contents, subject, conf.name, clientSource)]),
      );
    }
  }
  return findings;
}

export const certsFiles: Check = {
  id: 'certs-files',
  component: 'certs',
  title: "Certificates on disk: the PKI folder (each distribution's files, bundles) and the kubeconfigs next to it",
  needs: [],
  codes: ['cert-expired', 'cert-expiring', 'cert-not-yet-valid', 'cert-ca-expires-first', 'cert-file-missing', 'cert-file-unreadable', 'cert-file-invalid'],
  async run(ctx) {
    const pkiDir = ctx.targets.pkiDir;
    if (pkiDir === null) {
      return [
        {
          status: 'skip',
          subject: 'pki',
          message:
            'no PKI folder: none of /etc/kubernetes/pki, /var/lib/rancher/{k3s,rke2}/server/tls or /var/snap/microk8s/current/certs is here (not a control-plane node); pass --pki-dir',
        },
      ];
    }
    const stat = await ctx.facts.files.stat(pkiDir);
    if (!stat?.isDirectory) {
      return [fileProblem({ kind: 'missing', message: `${pkiDir} is not a folder (--pki-dir)` }, pkiDir, 'pki', `file ${pkiDir}`)];
    }
    const { files, kind, notes } = await filesOfFolder(ctx, pkiDir);
    const renewal = renewalContextOf(kind.distribution);
    const located: LocatedCertificate[] = [];
    const findings: Finding[] = [];
    for (const f of files) {
      const read = await ctx.facts.files.certificates(f.path);
      const base = { subject: f.path, name: f.name, source: `file ${f.path}`, role: f.role, path: f.path };
      if (read.kind !== 'ok') {
        findings.push(fileProblem(read, f.path, f.name, base.source));
        continue;
      }
      const judged = certificateFindings(read, base, ctx, located, renewal);
      for (const finding of judged) {
        finding.data = { ...finding.data, distribution: kind.distribution, ...(f.lifetimeDays !== undefined ? { expectedLifetimeDays: f.lifetimeDays } : {}) };
      }
      findings.push(...judged);
    }
    if (files.length === 0) {
      findings.push({ status: 'skip', subject: pkiDir, message: `no certificate files (*.crt, *.pem) in ${pkiDir}` });
    }
    findings.push(...notes);
    findings.push(...(await kubeconfigFindings(ctx, pkiDir, kind, located, renewal)));
    findings.push(...caExpiresFirst(located, ctx.now));
    return findings;
  },
};
