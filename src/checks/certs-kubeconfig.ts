// The current context's own certificates: the client certificate it authenticates with
// (an expired one turns every request into a 401) and the cluster CA it trusts. Inline data
// or file paths; the key is never read.
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { parsePemBundle } from '../probes/certificate.js';
import { caExpiresFirst, certificateFindings, certificatesIn, fileProblem, type CertificateFileRead, type LocatedCertificate } from '../judge/certificate.js';

async function clientCertificate(ctx: CheckContext, located: LocatedCertificate[]): Promise<Finding[]> {
  const kc = ctx.targets.kubeconfigCertificates;
  if (!kc) return [];
  const who = `user '${kc.user ?? '(none)'}' of context '${kc.context}'`;
  const subject = `kubeconfig ${who}: client certificate`;
  let read: CertificateFileRead;
  let source = `kubeconfig ${who} client certificate`;
  if (kc.clientCertPem !== null) {
    read = certificatesIn(Buffer.from(kc.clientCertPem), `client-certificate-data of ${who}`);
  } else if (kc.clientCertFile !== null) {
    source += ` (file ${kc.clientCertFile})`;
    read = await ctx.facts.files.certificates(kc.clientCertFile);
  } else {
    const how = kc.otherAuth ? `authenticates with a ${kc.otherAuth}` : 'has no credentials';
    return [{ status: 'skip', subject, message: `${who} ${how}: no client certificate to check`, data: { source } }];
  }
  const base = {
    subject,
    name: `kubeconfig ${kc.user ?? kc.context}`,
    source,
    role: 'kubeconfig-client' as const,
    ...(kc.clientCertFile !== null ? { path: kc.clientCertFile } : {}),
  };
  return read.kind === 'ok' ? certificateFindings(read, base, ctx, located) : [fileProblem(read, subject, base.name, source)];
}

function clusterAuthority(ctx: CheckContext, located: LocatedCertificate[]): Finding[] {
  const pem = ctx.targets.clusterCa;
  if (pem === null) return [];
  const cluster = ctx.targets.kubeconfigCertificates?.cluster ?? ctx.targets.context ?? 'in-cluster';
  // Named without the word "kubeconfig": triage reads that word as "the client certificate"
  // (a 401), while a broken CA makes TLS fail instead.
  const source = `certificate-authority of cluster '${cluster}' (context '${ctx.targets.context ?? 'in-cluster'}')`;
  const base = { subject: `cluster '${cluster}' CA`, name: `${cluster} CA`, source, role: 'cluster-ca' as const };
  const blocks = parsePemBundle(pem);
  const read: CertificateFileRead =
    blocks.certificates.length > 0 ? { kind: 'ok', ...blocks } : { kind: 'invalid', message: `${source} holds no parsable certificate` };
  return read.kind === 'ok' ? certificateFindings(read, base, ctx, located) : [fileProblem(read, base.subject, base.name, source)];
}

export const certsKubeconfig: Check = {
  id: 'certs-kubeconfig',
  component: 'certs',
  title: "The kubeconfig's client certificate and cluster CA (current context)",
  needs: [],
  codes: ['cert-expired', 'cert-expiring', 'cert-not-yet-valid', 'cert-ca-expires-first', 'cert-file-missing', 'cert-file-unreadable', 'cert-file-invalid'],
  async run(ctx) {
    if (!ctx.targets.kubeconfigCertificates && ctx.targets.clusterCa === null) {
      return [{ status: 'skip', subject: 'kubeconfig', message: 'no kubeconfig: no client certificate or cluster CA to check' }];
    }
    const located: LocatedCertificate[] = [];
    const findings = [...(await clientCertificate(ctx, located)), ...clusterAuthority(ctx, located)];
    return [...findings, ...caExpiresFirst(located, ctx.now)];
  },
};
