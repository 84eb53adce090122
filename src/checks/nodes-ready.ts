// Is every node Ready? For one that is not: the condition's reason and message, since when,
// whether its lease in kube-node-lease stopped renewing, and whether its kubelet port answers,
// because "kubelet down" and "kubelet up but cut off or starved" are fixed differently.
// Cordoned nodes are named as information, not as a problem. A node whose lease stopped
// renewing is judged without dialling its kubelet, past a sample (judge/kubelet-plan.ts), and
// a dial the run's budget leaves no time for is said to be missing, never waited for.
import { raise } from '../catalogue/raise.js';
import type { About, Check, CheckContext, Finding } from '../engine/types.js';
import { ageOf, formatAge } from '../judge/age.js';
import type { KubeletAnswer } from '../observe/kubelet.js';
import { describeKubeletDown } from '../judge/kubelet.js';
import type { LeaseListOutcome } from '../observe/leases.js';
import { leaseIsStale } from '../judge/age.js';
import type { NodeSummary } from '../observe/nodes.js';
import { OUT_OF_BUDGET, withinBudget } from '../engine/runner.js';
import { dialSample, planKubeletDials } from '../judge/kubelet-plan.js';

/** Nodes whose kubelet is judged from the lease alone, and how many in that state were dialled. */
interface Undialled {
  names: ReadonlySet<string>;
  sampled: number;
}

function subjectOf(node: NodeSummary): string {
  return `node ${node.name}`;
}

/** The node a finding is about, typed for triage. */
function aboutNode(node: NodeSummary): About {
  return { node: node.name, ...(node.address ? { host: node.address } : {}) };
}

function baseData(node: NodeSummary): Record<string, unknown> {
  return { node: node.name, host: node.address, controlPlane: node.controlPlane, unschedulable: node.unschedulable };
}

interface LeaseView {
  renewedAgoMs: number | null;
  stale: boolean | null;
  /** Why the lease could not be judged, when it could not. */
  unknown?: string;
  text: string;
}

function leaseView(node: NodeSummary, leases: LeaseListOutcome, fallbackNow: Date): LeaseView {
  if (leases.kind !== 'ok') return { renewedAgoMs: null, stale: null, unknown: leases.message, text: `lease not checked (${leases.message})` };
  const lease = leases.leases.get(node.name);
  if (!lease) return { renewedAgoMs: null, stale: true, text: `no lease in kube-node-lease: the kubelet has never heartbeated` };
  const now = leases.serverNow ?? fallbackNow;
  const stale = leaseIsStale(lease, now);
  const ago = lease.renewTime ? now.getTime() - lease.renewTime.getTime() : null;
  const when = ago === null ? 'never renewed' : `last renewed ${formatAge(ago)} ago`;
  return {
    renewedAgoMs: ago,
    stale,
    text: stale ? `lease ${when}: the kubelet stopped heartbeating (lease duration ${lease.durationSeconds}s)` : `lease ${when}, still renewing`,
  };
}

async function kubeletOf(ctx: CheckContext, node: NodeSummary, undialled: Undialled): Promise<{ answer: KubeletAnswer | null; text: string }> {
  if (!node.address) return { answer: null, text: 'kubelet not probed (the node has no InternalIP)' };
  if (undialled.names.has(node.name)) {
    return {
      answer: null,
      text: `kubelet not dialled: its lease and Ready condition say it stopped (${undialled.sampled} in the same state dialled as a sample)`,
    };
  }
  const answer = await withinBudget(ctx, ctx.facts.kubelet(node.address, node.kubeletPort));
  if (answer === OUT_OF_BUDGET) return { answer: null, text: 'kubelet not probed within the budget' };
  if (answer.up)
    return {
      answer,
      text: `its kubelet answers on ${node.kubeletPort}, so the kubelet runs but cannot report to the control plane, or the host is starved (memory, container runtime, CNI)`,
    };
  return { answer, text: `kubelet: ${describeKubeletDown(answer, node.kubeletPort, ctx.options.timeoutMs)}` };
}

function kubeletData(answer: KubeletAnswer | null): Record<string, unknown> {
  if (!answer) return { kubelet: 'not-probed' };
  return answer.up ? { kubelet: 'up' } : { kubelet: answer.failure.kind, kubeletStage: answer.stage };
}

async function judgeNode(ctx: CheckContext, node: NodeSummary, leases: LeaseListOutcome, now: Date, undialled: Undialled): Promise<Finding> {
  const ready = node.conditions.find((c) => c.type === 'Ready');
  const lease = leaseView(node, leases, now);
  const leaseData = {
    leaseRenewedSecondsAgo: lease.renewedAgoMs === null ? null : Math.round(lease.renewedAgoMs / 1000),
    leaseStale: lease.stale,
    ...(lease.unknown ? { leaseUnknown: lease.unknown } : {}),
  };
  const cordon = node.unschedulable ? '; cordoned (SchedulingDisabled)' : '';

  if (ready?.status === 'True') {
    if (lease.stale === true) {
      const kubelet = await kubeletOf(ctx, node, undialled);
      return raise({
        subject: subjectOf(node),
        about: aboutNode(node),
        code: 'node-lease-stale',
        message: `Ready, but its ${lease.text}; it turns NotReady soon; ${kubelet.text}${cordon}`,
        data: { ...baseData(node), ready: 'True', ...leaseData, ...kubeletData(kubelet.answer) },
        timedOut: timedOut(node, kubelet.answer),
      });
    }
    if (node.unschedulable) {
      return {
        status: 'ok',
        subject: subjectOf(node),
        about: aboutNode(node),
        code: 'node-cordoned',
        message: 'Ready, cordoned (SchedulingDisabled): no new pods are scheduled here; kubectl uncordon when maintenance is over',
        data: { ...baseData(node), ready: 'True', ...leaseData },
      };
    }
    return {
      status: 'ok',
      subject: subjectOf(node),
      about: aboutNode(node),
      message: `Ready${node.kubeletVersion ? ` (kubelet ${node.kubeletVersion})` : ''}`,
      data: { ...baseData(node), ready: 'True', ...leaseData },
    };
  }

  const kubelet = await kubeletOf(ctx, node, undialled);
  const memory = node.conditions.find((c) => c.type === 'MemoryPressure' && c.status === 'True');
  const since = ready ? ageOf(ready.lastTransitionTime, now) : null;
  const state = ready
    ? `NotReady${since !== null ? ` for ${formatAge(since)}` : ''} (Ready=${ready.status}${ready.reason ? `, ${ready.reason}` : ''}${ready.message ? `: ${ready.message.replace(/\.$/, '')}` : ''})`
    : 'NotReady (no Ready condition: the kubelet has never posted status)';
  const parts = [state, lease.text, kubelet.text];
  if (memory) parts.push("MemoryPressure is True: the host's memory is full");
  return raise({
    subject: subjectOf(node),
    about: aboutNode(node),
    code: 'node-not-ready',
    message: parts.join('; ') + cordon,
    data: {
      ...baseData(node),
      ready: ready?.status ?? null,
      reason: ready?.reason ?? null,
      conditionMessage: ready?.message ?? null,
      since: ready?.lastTransitionTime ?? null,
      sinceSeconds: since === null ? null : Math.round(since / 1000),
      ...leaseData,
      ...kubeletData(kubelet.answer),
      memoryPressure: memory !== undefined,
    },
    timedOut: timedOut(node, kubelet.answer),
  });
}

function timedOut(node: NodeSummary, answer: KubeletAnswer | null): string[] | undefined {
  if (!answer || answer.up || answer.failure.kind !== 'timeout') return undefined;
  return [`${answer.stage} ${node.address}:${node.kubeletPort}`];
}

export const nodesReady: Check = {
  id: 'nodes-ready',
  component: 'nodes',
  title: 'Every node is Ready and renews its lease; NotReady nodes say why and since when',
  needs: ['nodes'],
  codes: ['node-not-ready', 'node-lease-stale', 'node-cordoned'],
  async run(ctx) {
    const list = await ctx.facts.nodes();
    if (list.kind !== 'ok') return [{ status: 'skip', subject: 'nodes', message: list.message }];
    if (list.nodes.length === 0) return [{ status: 'skip', subject: 'nodes', message: 'the cluster has no nodes registered' }];
    const leases = await ctx.facts.nodeLeases();
    const now = list.serverNow ?? ctx.now;
    // The same plan (and so the same sample and dials) as the kubelet check's.
    const plan = planKubeletDials(list.nodes, leases, now, dialSample(ctx.options.concurrency));
    const undialled: Undialled = { names: new Set(plan.byLease.keys()), sampled: plan.sampled };
    return Promise.all(list.nodes.map((node) => judgeNode(ctx, node, leases, now, undialled)));
  },
};
