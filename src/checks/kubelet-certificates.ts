// Each kubelet's serving certificate, as its port 10250 presents it (the same handshake the
// kubelet and certs-served checks make: the facts open it once), with days left and who
// signed it: self-signed (the kubelet's default; nobody verifies it) or signed by the cluster
// CA (serverTLSBootstrap: renewed through kubelet-serving CSRs, which someone must approve).
// And those CSRs: a kubelet-serving request left Pending means a kubelet without a valid
// serving certificate, so logs, exec and metrics scrapes of that node fail.
import { raise } from '../catalogue/raise.js';
import { NEEDS } from '../engine/needs.js';
import { notFinishedFinding, OUT_OF_BUDGET, withinBudget } from '../engine/runner.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { certificateFinding, commonName, residualTime } from '../judge/certificate.js';
import { PORTS } from '../judge/ports.js';
import type { CsrSummary } from '../observe/cluster-objects.js';
import type { NodeSummary } from '../observe/nodes.js';
import type { ServedCertificate } from '../probes/types.js';
import { safeText } from '../util/terminal-text.js';

export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';

/**
 * Who signed a kubelet's serving certificate. Without serverTLSBootstrap the kubelet makes its
 * own: a leaf signed by a CA it generated (`<host>-ca@<unix time>`), or a self-signed leaf.
 */
export function signerOf(leaf: ServedCertificate, verifiesAgainstClusterCa: boolean): string {
  const issuer = commonName(leaf.issuer);
  if (verifiesAgainstClusterCa) return `signed by the cluster CA CN=${issuer} (serverTLSBootstrap: renewed through ${KUBELET_SERVING_SIGNER} CSRs)`;
  if (leaf.selfSigned || /-ca@\d+$/.test(issuer))
    return `self-signed by the kubelet (CN=${issuer}; its default: the API server does not verify it unless --kubelet-certificate-authority is set)`;
  return `signed by CN=${issuer}, not the cluster CA this kubeconfig trusts`;
}

async function servingCertificate(ctx: CheckContext, address: string, name: string | undefined, port: number): Promise<Finding | null> {
  const tls = await ctx.facts.tls(address, port, 'kubelet');
  const leaf = tls.chain[0];
  // No handshake: the kubelet check reports the kubelet itself.
  if (!leaf) return null;
  const subject = safeText(`kubelet ${name ?? address} serving certificate`);
  const finding = certificateFinding(
    { cert: leaf, name: 'kubelet-serving', source: `endpoint ${address}:${port} (kubelet${name ? ` node ${name}` : ''})`, host: address },
    subject,
    ctx.now,
    ctx.options,
  );
  const signer = signerOf(leaf, tls.verifyError === null && ctx.targets.clusterCa !== null);
  finding.message = safeText(`${finding.message}; ${signer}`);
  finding.data = { ...finding.data, node: name ?? null, port, selfSigned: leaf.selfSigned, role: 'kubelet-serving' };
  finding.about = {
    ...(name ? { node: name } : {}),
    host: address,
    port,
    certificate: { serial: leaf.serial, issuer: leaf.issuer, role: 'kubelet-serving' },
  };
  return finding;
}

function pendingCsrFindings(csrs: readonly CsrSummary[], nodes: Map<string, NodeSummary>, now: Date): Finding[] {
  const pending = csrs.filter((c) => c.signerName === KUBELET_SERVING_SIGNER && c.conditions.length === 0);
  const byRequestor = new Map<string, CsrSummary[]>();
  for (const c of pending) byRequestor.set(c.username, [...(byRequestor.get(c.username) ?? []), c]);
  return [...byRequestor.entries()].map(([username, list]) => {
    const node = username.startsWith('system:node:') ? username.slice('system:node:'.length) : null;
    const oldest = list
      .map((c) => (c.createdAt ? Date.parse(c.createdAt) : NaN))
      .filter(Number.isFinite)
      .sort((a, b) => a - b)[0];
    const age = oldest !== undefined ? `, oldest ${residualTime(now.getTime() - oldest)} old` : '';
    const address = node ? nodes.get(node)?.address : undefined;
    return raise({
      code: 'kubelet-serving-csr-pending',
      subject: safeText(node ? `kubelet ${node}` : `CSR requestor ${username}`),
      message: safeText(
        `${list.length} ${KUBELET_SERVING_SIGNER} CSR${list.length === 1 ? '' : 's'} Pending (${list.map((c) => c.name).join(', ')}${age}): the kubelet waits for a serving certificate nobody has approved`,
      ),
      data: { requestor: username, node, csrs: list.map((c) => c.name) },
      ...(node ? { about: { node, ...(address ? { host: address } : {}) } } : {}),
    });
  });
}

export const kubeletCertificates: Check = {
  id: 'kubelet-certificates',
  component: 'kubelet',
  title:
    "Each kubelet's serving certificate (from its :10250 handshake: days left, self-signed or CA-signed) and no kubelet-serving CSR left Pending (RBAC: list certificatesigningrequests)",
  needs: [],
  codes: ['cert-expired', 'cert-expiring', 'cert-not-yet-valid', 'kubelet-serving-csr-pending'],
  async run(ctx) {
    // The run's kubelet dial plan: a kubelet the control plane knows dead is not dialled again
    // (the kubelet check reports it), the others share the kubelet check's handshake.
    const plan = await ctx.facts.kubeletPlan(ctx.now);
    const apiUp = (await NEEDS.api(ctx)) === null;
    const nodes = new Map(plan.list.kind === 'ok' ? plan.list.nodes.map((n) => [n.name, n]) : []);
    const notDialled: string[] = [];
    const cut: { address: string; name: string | undefined }[] = [];
    const certs = await Promise.all(
      ctx.targets.hosts.map(async (h) => {
        const node = plan.byAddress.get(h.address);
        const name = h.name ?? node?.name;
        const lost = plan.notDialled(h.address);
        if (lost) {
          notDialled.push(lost.node.name);
          return null;
        }
        const read = await withinBudget(ctx, servingCertificate(ctx, h.address, name, node?.kubeletPort ?? PORTS.kubelet));
        if (read !== OUT_OF_BUDGET) return read;
        cut.push({ address: h.address, name });
        return null;
      }),
    );
    const findings: Finding[] = certs.filter((f): f is Finding => f !== null);
    if (apiUp) {
      const csrs = await withinBudget(ctx, ctx.facts.objects.certificateSigningRequests());
      if (csrs === OUT_OF_BUDGET) findings.push({ status: 'skip', subject: 'kubelet-serving CSRs', message: 'not checked: not listed within the budget' });
      else if (csrs.kind === 'ok') findings.push(...pendingCsrFindings(csrs.items, nodes, ctx.now));
      else findings.push({ status: 'skip', subject: 'kubelet-serving CSRs', message: `not checked: ${safeText(csrs.message)}` });
    }
    if (notDialled.length > 0) {
      const shown = notDialled.slice(0, 5).join(', ') + (notDialled.length > 5 ? `, and ${notDialled.length - 5} more` : '');
      findings.push({
        status: 'skip',
        subject: 'kubelet serving certificates',
        message: safeText(
          `${notDialled.length} kubelet${notDialled.length === 1 ? '' : 's'} not dialled: the lease and the Ready condition say the kubelet is down (see kubelet): ${shown}`,
        ),
        data: { notInspected: notDialled.length, nodes: notDialled },
      });
    }
    if (cut.length > 0) {
      findings.push(
        notFinishedFinding(ctx, {
          subject: 'kubelet serving certificates',
          what: `kubelet serving certificate${cut.length === 1 ? '' : 's'} not read`,
          names: cut.map((c) => safeText(c.name ?? c.address)),
          data: { hosts: cut.map((c) => c.address) },
        }),
      );
    }
    if (findings.length === 0)
      return [{ status: 'skip', subject: 'kubelet', message: 'no kubelet answered TLS and the API server is not available (see kubelet)' }];
    return findings;
  },
};
