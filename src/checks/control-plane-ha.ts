// The production rule for a highly available control plane: three masters (an odd number, for etcd's majority) and a load
// balancer such as HAProxy in front of the API servers, so that clients and workers always
// find one. Judged from the control-plane nodes and the kubeconfig's server.
import { raise } from '../catalogue/raise.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { NodeSummary } from '../observe/nodes.js';
import { knownWithoutEtcd } from '../shape/datastore.js';
import type { Distribution } from '../shape/types.js';

const SERVER_WRITTEN_KUBECONFIG: ReadonlySet<Distribution> = new Set(['k3s', 'rke2', 'microk8s']);

// The quorum argument is etcd's; a kine or dqlite control plane is not HA with one server either.
function countProblem(count: number, etcd: boolean): string | null {
  if (count === 1) return `1 control-plane node: losing it stops the cluster; run 3${etcd ? ' for etcd quorum' : ' servers'}`;
  if (count === 2 && !etcd) return '2 control-plane nodes: run 3 so that losing one leaves a majority';
  if (count === 2) return '2 control-plane nodes: etcd needs both for quorum, so losing either stops the cluster; run 3';
  if (count % 2 === 0) return `${count} control-plane nodes: an even number tolerates no more failures than ${count - 1}; run ${count - 1} or ${count + 1}`;
  return null;
}

/** The master the kubeconfig talks to directly, when it names one instead of a load balancer. */
function masterInKubeconfig(ctx: CheckContext, controlPlane: readonly NodeSummary[]): NodeSummary | null {
  const server = ctx.targets.kubeServer;
  if (!server) return null;
  return controlPlane.find((n) => n.address === server.host || n.name === server.host) ?? null;
}

function judge(ctx: CheckContext, controlPlane: readonly NodeSummary[]): Finding {
  const names = controlPlane.map((n) => n.name);
  const direct = masterInKubeconfig(ctx, controlPlane);
  const server = ctx.targets.kubeServer?.url ?? null;
  const data = { controlPlaneNodes: controlPlane.length, names, kubeconfigServer: server, kubeconfigPointsAtNode: direct?.name ?? null };
  const problems: string[] = [];
  const count = countProblem(controlPlane.length, !knownWithoutEtcd(ctx.targets.shape));
  if (count) problems.push(count);
  const directText =
    direct && server
      ? `the kubeconfig points at ${direct.name} (${server}) directly, not at a load balancer: when ${direct.name} fails, kubectl and everything using this kubeconfig fail too`
      : null;
  // k3s, RKE2 and MicroK8s write each server's admin kubeconfig for that server itself: a copy
  // naming one server is how the distribution hands it out, so it is said, not raised.
  const serverWritten = SERVER_WRITTEN_KUBECONFIG.has(ctx.targets.shape?.distribution ?? 'unknown');
  if (directText && !serverWritten) problems.push(directText);
  const note = directText && serverWritten ? `; note: ${directText}` : '';
  if (problems.length > 0) return raise({ subject: 'control plane', code: 'control-plane-not-ha', message: problems.join('; ') + note, data });
  return {
    status: 'ok',
    subject: 'control plane',
    message: `${controlPlane.length} control-plane nodes (${names.join(', ')})${server ? `, reached through ${server}` : ''}${note}`,
    data,
  };
}

export const controlPlaneHa: Check = {
  id: 'control-plane-ha',
  component: 'apiserver',
  title: 'The control plane is highly available: an odd number of at least 3 masters behind a load balancer',
  needs: ['nodes'],
  codes: ['control-plane-not-ha'],
  async run(ctx) {
    const list = await ctx.facts.nodes();
    if (list.kind !== 'ok') return [{ status: 'skip', subject: 'control plane', message: list.message }];
    const controlPlane = list.nodes.filter((n) => n.controlPlane);
    if (controlPlane.length === 0) {
      return [
        {
          status: 'skip',
          subject: 'control plane',
          message: 'no node carries the node-role.kubernetes.io/control-plane label: a managed control plane (EKS, GKE, AKS) is not visible as nodes',
        },
      ];
    }
    return [judge(ctx, controlPlane)];
  },
};
