// What the endpoints really serve: kubeadm's check-expiration reads files only, so it calls
// a renewed certificate fine while the API server still serves the expired one. One
// inspection handshake per endpoint (no credentials sent) reads the chain even when it is
// expired or untrusted; with a PKI folder at hand the served certificate is compared with
// the file it should come from, as the folder's distribution lays it out (k3s's :6443 is its
// supervisor's own certificate, which no file of server/tls holds: nothing to compare).
import { raise } from '../catalogue/raise.js';
import { join } from 'node:path';
import { distributionOfPkiFolder, restartAdviceOf, servingFileOf, shapeDistributionOf, type PkiFolderKind } from '../shape/pki-layout.js';
import type { CertificateRole, Check, CheckContext, Finding } from '../engine/types.js';
import type { TlsInspection } from '../probes/types.js';
import { hostPort } from '../util/url.js';
import { apiEndpoints } from '../judge/api-endpoint.js';
import { PORTS } from '../judge/ports.js';
import { dialSample } from '../judge/kubelet-plan.js';
import { notFinishedFinding, OUT_OF_BUDGET, withinBudget } from '../engine/runner.js';
import {
  caExpiresFirst,
  certificateFinding,
  commonName,
  judgeValidity,
  servesOlderThanDisk,
  staleServedFinding,
  type LocatedCertificate,
} from '../judge/certificate.js';

type Role = 'apiserver' | 'etcd-client' | 'etcd-peer' | 'kubelet';

interface ServedTarget {
  host: string;
  port: number;
  role: Role;
  subject: string;
  /** Words triage matches on: the port and the role. */
  source: string;
  /** Trust anchor for this endpoint; null when none is known (trust is then not judged). */
  ca: string | null;
  caLabel: string;
}

/** What a served certificate is for, as far as the failures it can cause go (triage reads it from `about`). */
const SERVED_ROLES: Readonly<Record<Role, CertificateRole>> = {
  apiserver: 'apiserver-serving',
  'etcd-client': 'etcd',
  'etcd-peer': 'etcd',
  kubelet: 'kubelet-serving',
};

/**
 * `kubeletPort`: the port of the kubelet at an address, from the node list when the plan has
 * it, so the handshake is the very one the kubelet check makes.
 */
async function servedTargets(ctx: CheckContext, kubeletPort: (address: string) => number = () => PORTS.kubelet): Promise<ServedTarget[]> {
  const all: ServedTarget[] = [];
  const clusterCa = ctx.targets.clusterCa;
  const clusterCaLabel = 'the cluster CA of the kubeconfig';
  for (const e of apiEndpoints(ctx)) {
    const hp = hostPort(e.host, e.port);
    const lb = e.source === 'kubeconfig' ? ', kubeconfig server' : '';
    all.push({
      host: e.host,
      port: e.port,
      role: 'apiserver',
      subject: `apiserver ${hp}${lb ? ' (kubeconfig)' : ''}`,
      source: `endpoint ${hp} (apiserver${lb})`,
      ca: clusterCa,
      caLabel: clusterCaLabel,
    });
  }
  if (ctx.targets.etcd.length > 0) {
    const ca = await ctx.facts.etcd.ca();
    for (const e of ctx.targets.etcd) {
      const client = hostPort(e.host, e.port);
      const peer = hostPort(e.host, PORTS.etcdPeer);
      all.push({
        host: e.host,
        port: e.port,
        role: 'etcd-client',
        subject: `etcd ${client} (client)`,
        source: `endpoint ${client} (etcd client)`,
        ca: ca.pem,
        caLabel: ca.label,
      });
      all.push({
        host: e.host,
        port: PORTS.etcdPeer,
        role: 'etcd-peer',
        subject: `etcd ${peer} (peer)`,
        source: `endpoint ${peer} (etcd peer)`,
        ca: ca.pem,
        caLabel: ca.label,
      });
    }
  }
  for (const h of ctx.targets.hosts) {
    const port = kubeletPort(h.address);
    const hp = hostPort(h.address, port);
    const node = h.name ? ` node ${h.name}` : '';
    all.push({
      host: h.address,
      port,
      role: 'kubelet',
      subject: `kubelet ${hp}${h.name ? ` (node ${h.name})` : ''}`,
      source: `endpoint ${hp} (kubelet${node})`,
      ca: clusterCa,
      caLabel: clusterCaLabel,
    });
  }
  const seen = new Set<string>();
  return all.filter((t) => {
    const key = hostPort(t.host, t.port);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** apiserver-reachable makes the very same handshake (the facts ask it once): one handshake, two checks. */
function inspect(ctx: CheckContext, t: ServedTarget): Promise<TlsInspection> {
  return ctx.facts.tls(t.host, t.port, t.role);
}

/** The leaf's finding; a certificate that fails verification for another reason than its dates is cert-untrusted. */
function leafFinding(ctx: CheckContext, t: ServedTarget, tls: TlsInspection, leaf: LocatedCertificate): Finding {
  const finding = certificateFinding(leaf, t.subject, ctx.now, ctx.options);
  // Kubelets serve a self-signed certificate by default and the API server does not verify it
  // (unless --kubelet-certificate-authority is set): not trusting it is normal, not a finding.
  const judged = t.ca !== null && t.role !== 'kubelet';
  const verified = tls.verifyError === null;
  finding.data = {
    ...finding.data,
    port: t.port,
    role: t.role,
    verified: judged || verified ? verified : null,
    verifyError: tls.verifyError,
    chainLength: tls.chain.length,
  };
  if (!verified && judged) {
    if (finding.status === 'ok') {
      return raise({
        ...finding,
        code: 'cert-untrusted',
        message: `CN=${commonName(leaf.cert.subject)} does not verify against ${t.caLabel} for ${t.host}: ${tls.verifyError}`,
      });
    } else {
      finding.message += `; clients reject it (${tls.verifyError})`;
    }
  } else if (!verified && t.role === 'kubelet' && leaf.cert.selfSigned && finding.status === 'ok') {
    finding.message += ' (self-signed, as kubeadm kubelets serve by default)';
  }
  return finding;
}

/** The distribution of the PKI folder, once per run (the folder is listed through the facts, which remember it). */
async function folderKind(ctx: CheckContext, pkiDir: string): Promise<PkiFolderKind> {
  const names = (await ctx.facts.files.list(pkiDir)) ?? [];
  return distributionOfPkiFolder(pkiDir, names, shapeDistributionOf(ctx.targets));
}

async function staleness(ctx: CheckContext, t: ServedTarget, leaf: LocatedCertificate): Promise<Finding[]> {
  if (t.role === 'kubelet' || ctx.targets.pkiDir === null) return [];
  const kind = await folderKind(ctx, ctx.targets.pkiDir);
  const file = servingFileOf(kind.distribution, t.role);
  if (file === null) return [];
  const path = join(ctx.targets.pkiDir, file);
  const read = await ctx.facts.files.certificates(path);
  const onDisk = read.kind === 'ok' ? read.certificates[0] : undefined;
  if (!onDisk || !servesOlderThanDisk(leaf.cert, onDisk)) return [];
  return [staleServedFinding(leaf, { cert: onDisk, name: file, source: `file ${path}` }, t.subject, restartAdviceOf(kind.distribution, t.role), ctx.now)];
}

async function judgeEndpoint(ctx: CheckContext, t: ServedTarget, tls: TlsInspection): Promise<Finding[]> {
  const base = { host: t.host, port: t.port, role: t.role, source: t.source };
  if (tls.kind !== 'ok' || tls.chain.length === 0) {
    const why = tls.failure?.message ?? (tls.kind === 'ok' ? 'the server sent no certificate' : tls.kind);
    return [
      {
        status: 'skip',
        subject: t.subject,
        about: { host: t.host, port: t.port },
        message: `no certificate to inspect: ${why}`,
        data: { ...base, failure: tls.kind === 'ok' ? 'no-certificate' : tls.kind },
        timedOut: tls.kind === 'timeout' ? [`tls ${hostPort(t.host, t.port)}`] : undefined,
      },
    ];
  }
  const chain: LocatedCertificate[] = tls.chain.map((cert, i) => ({
    cert,
    name: i === 0 ? `${t.role} ${hostPort(t.host, t.port)}` : `${t.role} ${hostPort(t.host, t.port)} chain[${i}]`,
    source: t.source,
    host: t.host,
    port: t.port,
    role: i === 0 ? SERVED_ROLES[t.role] : 'other',
  }));
  const findings = [leafFinding(ctx, t, tls, chain[0]!)];
  // Intermediates and the CA travel in the chain too: one that expired breaks the endpoint.
  for (const [i, link] of chain.entries()) {
    if (i === 0 || judgeValidity(link.cert, ctx.now, ctx.options).status === 'ok') continue;
    findings.push(certificateFinding(link, `${t.subject} chain[${i}] CN=${commonName(link.cert.subject)}`, ctx.now, ctx.options));
  }
  findings.push(...caExpiresFirst(chain, ctx.now), ...(await staleness(ctx, t, chain[0]!)));
  return findings;
}

/** The kubelets the run's dial plan leaves alone, in one line: their handshake would only time out again. */
function notDialledFinding(names: readonly string[], sampled: number): Finding {
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, and ${names.length - 5} more` : '');
  return {
    status: 'skip',
    subject: 'kubelet serving certificates',
    message: `${names.length} kubelet serving certificate${names.length === 1 ? '' : 's'} not inspected: the lease and the Ready condition say the kubelet is down (see kubelet; ${sampled} in the same state dialled as a sample): ${shown}`,
    data: { notInspected: names.length, nodes: names },
  };
}

export const certsServed: Check = {
  prewarm(ctx) {
    // etcd's endpoints and trust anchor may still come from discovery (the manifest, kubeadm's
    // etcd CA) unless --etcd and --etcd-cacert named them: those handshakes wait. Kubelets only
    // as many as the kubelet check prewarms (the same handshakes): before the node list and the
    // leases are in, a dial may be one the plan makes needless.
    const etcdFinal = ctx.options.etcd.length > 0 && ctx.targets.etcdTls.caFile !== undefined;
    const early = new Set(ctx.targets.hosts.slice(0, dialSample(ctx.options.concurrency)).map((h) => h.address));
    void servedTargets(ctx)
      .then((all) => {
        for (const t of all) {
          if (t.role.startsWith('etcd') ? !etcdFinal : t.role === 'kubelet' && !early.has(t.host)) continue;
          void inspect(ctx, t).catch(() => undefined);
        }
      })
      .catch(() => undefined);
  },
  id: 'certs-served',
  component: 'certs',
  title: 'Certificates the endpoints serve: API servers (6443), etcd (2379, 2380), kubelets (10250)',
  needs: [],
  codes: ['cert-expired', 'cert-expiring', 'cert-not-yet-valid', 'cert-untrusted', 'cert-ca-expires-first', 'cert-served-stale'],
  async run(ctx) {
    // Kubelets follow the run's dial plan: one the control plane knows dead is not dialled
    // again, the others share the kubelet check's handshake (same port, same memo).
    const plan = ctx.targets.hosts.length > 0 ? await ctx.facts.kubeletPlan(ctx.now) : null;
    const targets = await servedTargets(ctx, (address) => plan?.byAddress.get(address)?.kubeletPort ?? PORTS.kubelet);
    if (targets.length === 0) {
      return [{ status: 'skip', subject: 'endpoints', message: 'no endpoint known: no kubeconfig, --apiserver, --etcd or --hosts' }];
    }
    const notDialled: string[] = [];
    const cut: ServedTarget[] = [];
    const judged = await Promise.all(
      targets.map(async (t) => {
        const lost = t.role === 'kubelet' ? plan?.notDialled(t.host) : null;
        if (lost) {
          notDialled.push(lost.node.name);
          return [];
        }
        const tls = await withinBudget(ctx, inspect(ctx, t));
        if (tls === OUT_OF_BUDGET) {
          cut.push(t);
          return [];
        }
        return judgeEndpoint(ctx, t, tls);
      }),
    );
    const findings = judged.flat();
    if (notDialled.length > 0) findings.push(notDialledFinding(notDialled, plan?.dials.sampled ?? 0));
    if (cut.length > 0) {
      findings.push(
        notFinishedFinding(ctx, {
          subject: 'endpoints',
          what: `served certificate${cut.length === 1 ? '' : 's'} not inspected`,
          names: cut.map((t) => hostPort(t.host, t.port)),
          data: { endpoints: cut.map((t) => ({ host: t.host, port: t.port, role: t.role })) },
        }),
      );
    }
    return findings;
  },
};
