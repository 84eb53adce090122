// Are the cluster's own add-ons up? CoreDNS (its Deployment's ready replicas against the
// desired count, and ready endpoints behind the kube-dns Service) and kube-proxy (its
// DaemonSet's ready pods against the nodes it should run on). Their absence is often the
// design, not a fault: k3s and MicroK8s run kube-proxy inside their own process, RKE2 as
// static pods, Cilium's kube-proxy replacement and OVN-Kubernetes do without it, and
// OpenShift and some managed providers run cluster DNS outside kube-system. So only what is
// there is judged; what is missing is said, never raised. Where Cilium replaces kube-proxy,
// Cilium's DaemonSet is what serves Services, and it is judged in kube-proxy's place.
import { raise } from '../catalogue/raise.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { WorkloadSummary } from '../observe/cluster-objects.js';
import { safeText } from '../util/terminal-text.js';

const NAMESPACE = 'kube-system';

function isDns(d: WorkloadSummary): boolean {
  return d.labels['k8s-app'] === 'kube-dns' || /coredns/.test(d.name);
}

function isKubeProxy(d: WorkloadSummary): boolean {
  return d.name === 'kube-proxy' || d.labels['k8s-app'] === 'kube-proxy';
}

function isCilium(d: WorkloadSummary): boolean {
  return d.name === 'cilium' || d.labels['k8s-app'] === 'cilium';
}

async function coredns(ctx: CheckContext): Promise<Finding[]> {
  // Both at once: each verdict on a listed Deployment reads the Service's backends, and asking
  // for them only after the list costs the run a round trip.
  const [list, service] = await Promise.all([ctx.facts.objects.workloads(NAMESPACE, 'Deployment'), ctx.facts.objects.serviceBackends(NAMESPACE, 'kube-dns')]);
  if (list.kind !== 'ok') return [{ status: 'skip', subject: 'coredns', message: `CoreDNS not checked: ${safeText(list.message)}` }];
  const dns = list.items.filter(isDns);
  if (dns.length === 0) {
    if (service.kind === 'ok' && service.ready > 0)
      return [
        { status: 'ok', subject: 'coredns', message: `no CoreDNS Deployment in kube-system, but the kube-dns Service has ${service.ready} ready endpoints` },
      ];
    return [
      {
        status: 'ok',
        subject: 'coredns',
        message:
          'no CoreDNS Deployment in kube-system: cluster DNS runs elsewhere here (OpenShift: openshift-dns; some providers and add-on managers): not judged',
      },
    ];
  }
  const findings: Finding[] = [];
  for (const d of dns) {
    const subject = safeText(`coredns ${d.namespace}/${d.name}`);
    const data = { deployment: `${d.namespace}/${d.name}`, desired: d.desired, ready: d.ready, serviceReady: service.kind === 'ok' ? service.ready : null };
    const endpoints = service.kind === 'ok' ? `; the kube-dns Service has ${service.ready} ready endpoint${service.ready === 1 ? '' : 's'}` : '';
    if (d.ready >= d.desired && !(service.kind === 'ok' && service.ready === 0)) {
      findings.push({ status: 'ok', subject, message: `${d.ready}/${d.desired} replicas ready${endpoints}`, data });
      continue;
    }
    const down = d.ready === 0 || (service.kind === 'ok' && service.ready === 0);
    const why = d.desired === 0 ? 'is scaled to 0 replicas' : `has ${d.ready} of ${d.desired} replicas ready`;
    const grade = down ? {} : { grade: 'degraded' };
    const consequence = down ? ': name resolution fails in every pod' : '';
    const placed = await unreadyReplicasByNode(ctx, d);
    // Each node's share is a finding about that node. Replicas on a node whose kubelet stopped
    // reporting are that node's problem, and triage puts them under its NotReady (or its dead
    // kubelet) instead of ranking CoreDNS as a cause of its own; on a Ready node they are
    // CoreDNS's own. Only what no node accounts for (pods that cannot be listed, or not placed)
    // is a finding about the Deployment alone.
    for (const [node, { pods, nodeReady }] of placed) {
      const where = nodeReady
        ? `on node ${node}`
        : `on node ${node}, which is not Ready: they keep the status its kubelet last reported until they are evicted`;
      findings.push(
        raise({
          code: 'coredns-unavailable',
          ...grade,
          subject: safeText(`coredns ${d.namespace}/${d.name} on node ${node}`),
          message: safeText(`${why}${endpoints}; ${pods.length} not ready (${pods.join(', ')}) ${where}${consequence}`),
          data: { ...data, node, nodeReady, pods },
          about: { node },
        }),
      );
    }
    const unplaced = d.desired - d.ready - [...placed.values()].reduce((sum, g) => sum + g.pods.length, 0);
    if (placed.size === 0 || unplaced > 0) {
      const elsewhere = placed.size > 0 ? `; ${unplaced} not on any node listed above` : '';
      findings.push(raise({ code: 'coredns-unavailable', ...grade, subject, message: `${why}${elsewhere}${endpoints}${consequence}`, data }));
    }
  }
  return findings;
}

/**
 * The Deployment's pods that are not ready, by the node they are on, and whether that node is
 * Ready itself. Empty when pods or nodes cannot be listed: then nothing is attributed.
 */
async function unreadyReplicasByNode(ctx: CheckContext, d: WorkloadSummary): Promise<Map<string, { pods: string[]; nodeReady: boolean }>> {
  const byNode = new Map<string, { pods: string[]; nodeReady: boolean }>();
  const selector = Object.entries(d.labels);
  if (selector.length === 0) return byNode;
  const [pods, nodes] = await Promise.all([ctx.facts.systemPods(), ctx.facts.nodes()]);
  if (pods.kind !== 'ok' || nodes.kind !== 'ok') return byNode;
  const ready = new Set(nodes.nodes.filter((n) => n.conditions.find((c) => c.type === 'Ready')?.status === 'True').map((n) => n.name));
  for (const p of pods.pods) {
    if (p.namespace !== d.namespace || p.ready === 'True' || !p.nodeName) continue;
    if (!selector.every(([k, v]) => p.labels[k] === v)) continue;
    const group = byNode.get(p.nodeName) ?? { pods: [], nodeReady: ready.has(p.nodeName) };
    group.pods.push(p.name);
    byNode.set(p.nodeName, group);
  }
  return byNode;
}

function judgeProxy(d: WorkloadSummary, role: string, subject: string, notReadyNodes: readonly string[]): Finding {
  const data = { daemonSet: `${d.namespace}/${d.name}`, desired: d.desired, ready: d.ready, role };
  if (d.ready >= d.desired) return { status: 'ok', subject, message: `${role}: ${d.ready}/${d.desired} pods ready`, data };
  const missing = d.desired - d.ready;
  // A node that is not Ready takes its DaemonSet pods' readiness with it: that gap is the
  // node's problem (nodes-ready reports it), not kube-proxy's.
  if (missing <= notReadyNodes.length)
    return {
      status: 'ok',
      subject,
      message: safeText(`${role}: ${d.ready}/${d.desired} pods ready; the rest are on nodes that are not Ready (${notReadyNodes.join(', ')}): see nodes-ready`),
      data: { ...data, notReadyNodes },
    };
  return raise({
    code: 'kube-proxy-unavailable',
    ...(d.ready === 0 && d.desired > 0 ? { grade: 'none-ready' } : {}),
    subject,
    message: `${role}: ${d.ready} of ${d.desired} pods ready: Service addresses do not work from ${missing} node${missing === 1 ? '' : 's'}`,
    data,
  });
}

async function kubeProxy(ctx: CheckContext): Promise<Finding[]> {
  const list = await ctx.facts.objects.workloads(NAMESPACE, 'DaemonSet');
  if (list.kind !== 'ok') return [{ status: 'skip', subject: 'kube-proxy', message: `kube-proxy not checked: ${safeText(list.message)}` }];
  const nodes = await ctx.facts.nodes();
  const notReady = nodes.kind === 'ok' ? nodes.nodes.filter((n) => n.conditions.find((c) => c.type === 'Ready')?.status !== 'True').map((n) => n.name) : [];
  const proxy = list.items.find(isKubeProxy);
  if (proxy) return [judgeProxy(proxy, 'kube-proxy DaemonSet', 'kube-proxy', notReady)];
  const cilium = list.items.find(isCilium);
  if (cilium)
    return [
      judgeProxy(cilium, "no kube-proxy: Cilium's kube-proxy replacement serves Services, cilium DaemonSet", 'kube-proxy (replaced by cilium)', notReady),
    ];
  return [
    {
      status: 'ok',
      subject: 'kube-proxy',
      message:
        'no kube-proxy DaemonSet in kube-system: it runs inside the distribution (k3s, MicroK8s kubelite), as static pods (RKE2), or the network plugin replaces it: not judged',
    },
  ];
}

export const clusterAddons: Check = {
  id: 'cluster-addons',
  component: 'nodes',
  title:
    'CoreDNS replicas and kube-dns endpoints, kube-proxy (or its replacement) ready on every node (RBAC: list deployments, daemonsets and pods in kube-system)',
  needs: ['api'],
  codes: ['coredns-unavailable', 'kube-proxy-unavailable'],
  async run(ctx) {
    const [dns, proxy] = await Promise.all([coredns(ctx), kubeProxy(ctx)]);
    return [...dns, ...proxy];
  },
};
