// Does the cluster have a working scheduler and controller-manager? Each elects one leader
// through a Lease in kube-system, so the Lease is the one piece of evidence every shape has:
// kubeadm, RKE2, Talos and OpenShift run them as pods (their status said alongside), k3s and
// MicroK8s inside the server process, managed providers out of sight. Their health ports
// (10259, 10257) are bound to 127.0.0.1 on the masters: asked only when k8sdoc runs on a node
// that holds the program's static pod manifest, since 127.0.0.1 anywhere else is not a master.
import { join } from 'node:path';
import { raise } from '../catalogue/raise.js';
import { KUBEADM_MANIFESTS_DIR, manifestsDirOf } from '../discovery/manifests.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { formatAge } from '../judge/age.js';
import { holderNode, leaseState, podTrouble, programOf, UNSCHEDULED_GRACE_MS, type LeaderElected } from '../judge/control-plane.js';
import type { LeasesOutcome, PodView, SystemPodsOutcome, UnscheduledOutcome } from '../observe/control-plane.js';
import { safeText } from '../util/terminal-text.js';

const LEASE_NAMESPACE = 'kube-system';

interface Program {
  name: LeaderElected;
  code: 'scheduler-no-leader' | 'controller-manager-no-leader';
  /** The secure port of /healthz, bound to 127.0.0.1 by kubeadm. */
  healthPort: number;
}

const PROGRAMS: readonly Program[] = [
  { name: 'kube-scheduler', code: 'scheduler-no-leader', healthPort: 10259 },
  { name: 'kube-controller-manager', code: 'controller-manager-no-leader', healthPort: 10257 },
];

function podsSummary(pods: readonly PodView[], now: Date): { text: string; data: Record<string, unknown> } {
  const troubles = pods.map((p) => ({ pod: p, trouble: podTrouble(p, now) }));
  const crashing = troubles.filter((t) => t.trouble.kind === 'crashloop').map((t) => t.pod.name);
  const ready = pods.filter((p) => p.ready === 'True').length;
  const restarts = troubles.reduce((n, t) => n + t.trouble.restarts, 0);
  const parts = [`pods: ${ready} of ${pods.length} Ready`];
  if (crashing.length > 0) parts.push(`${crashing.length} in CrashLoopBackOff (${crashing.map(safeText).join(', ')})`);
  if (restarts > 0) parts.push(`${restarts} restarts in all`);
  return { text: parts.join(', '), data: { pods: pods.length, podsReady: ready, podsCrashLooping: crashing.length, restarts } };
}

/** On a master (its static pod manifest is here): whether the program answers TLS on 127.0.0.1. */
async function localHealth(ctx: CheckContext, program: Program): Promise<{ text: string; data: Record<string, unknown> }> {
  // Only kubeadm's own folder on this machine: a copied PKI folder elsewhere does not make this a master.
  const dir = manifestsDirOf(ctx.targets.pkiDir);
  if (dir !== KUBEADM_MANIFESTS_DIR) return { text: '', data: { healthEndpoint: 'not-probed' } };
  const manifest = join(dir, `${program.name}.yaml`);
  const here = await ctx.facts.files.stat(manifest).catch(() => null);
  if (!here?.isFile) return { text: '', data: { healthEndpoint: 'not-probed' } };
  const tls = await ctx.facts.tls('127.0.0.1', program.healthPort);
  if (tls.kind === 'ok') return { text: `; on this node it answers TLS on 127.0.0.1:${program.healthPort}`, data: { healthEndpoint: 'up' } };
  return {
    text: `; on this node nothing answers TLS on 127.0.0.1:${program.healthPort} (${tls.failure?.message ?? tls.kind})`,
    data: { healthEndpoint: tls.kind },
  };
}

function absentPodsText(pods: SystemPodsOutcome): string {
  if (pods.kind !== 'ok') return `pods not checked (${pods.message})`;
  return 'no pods: it runs inside the server process (k3s, MicroK8s) or in the provider’s control plane, so its Lease is all there is to judge';
}

async function judgeProgram(ctx: CheckContext, program: Program, leases: LeasesOutcome, pods: SystemPodsOutcome): Promise<Finding> {
  const subject = program.name;
  if (leases.kind !== 'ok') return { status: 'skip', subject, message: `leader Lease not checked: ${leases.message}` };
  const now = leases.serverNow ?? ctx.now;
  const own = pods.kind === 'ok' ? pods.pods.filter((p) => programOf(p) === program.name) : [];
  const podText = own.length > 0 ? podsSummary(own, now) : { text: absentPodsText(pods), data: { pods: 0 } };
  const health = await localHealth(ctx, program);
  const lease = leases.leases.find((l) => l.name === program.name);
  if (!lease) {
    return {
      status: 'skip',
      subject,
      message: `no Lease ${LEASE_NAMESPACE}/${program.name}: leader election is off or kept elsewhere; ${podText.text}${health.text}`,
      data: { ...podText.data, ...health.data },
    };
  }
  const state = leaseState(lease, now);
  const about = { program: program.name };
  const data = { lease: `${LEASE_NAMESPACE}/${program.name}`, leaseState: state.kind, transitions: lease.transitions, ...podText.data, ...health.data };
  if (state.kind === 'held') {
    return {
      status: 'ok',
      subject,
      message: `leader ${safeText(holderNode(state.holder))} (Lease renewed ${formatAge(state.renewedAgoMs)} ago, duration ${state.durationSeconds}s); ${podText.text}${health.text}`,
      data: { ...data, holder: state.holder, renewedSecondsAgo: Math.round(state.renewedAgoMs / 1000) },
      about,
    };
  }
  const renewed = state.renewedAgoMs === null ? 'never renewed' : `last renewed ${formatAge(state.renewedAgoMs)} ago`;
  const who =
    state.kind === 'released'
      ? `the Lease is released (no holder), ${renewed}`
      : `the Lease names ${safeText(holderNode(state.holder!))}, but it was ${renewed} (duration ${state.durationSeconds}s)`;
  return raise({
    subject,
    code: program.code,
    message: `no active leader: ${who}; ${podText.text}${health.text}`,
    data: {
      ...data,
      holder: state.kind === 'expired' ? state.holder : null,
      renewedSecondsAgo: state.renewedAgoMs === null ? null : Math.round(state.renewedAgoMs / 1000),
    },
    about,
  });
}

/** Pods nobody has looked at: Pending, no node, no PodScheduled condition, older than a minute. */
function judgeUnscheduled(ctx: CheckContext, outcome: UnscheduledOutcome): Finding | null {
  if (outcome.kind !== 'ok') return null;
  const now = outcome.serverNow ?? ctx.now;
  const waiting = outcome.pods.filter((p) => {
    if (p.scheduledCondition !== null || p.schedulerName !== 'default-scheduler') return false;
    const created = p.createdAt ? Date.parse(p.createdAt) : NaN;
    return !Number.isNaN(created) && now.getTime() - created > UNSCHEDULED_GRACE_MS;
  });
  if (waiting.length === 0) return null;
  const oldest = Math.max(...waiting.map((p) => now.getTime() - Date.parse(p.createdAt!)));
  const names = waiting.slice(0, 5).map((p) => `${safeText(p.namespace)}/${safeText(p.name)}`);
  return raise({
    subject: 'pods Pending',
    code: 'pods-unscheduled',
    message: `${waiting.length} pod${waiting.length === 1 ? '' : 's'} Pending without a node and never looked at by a scheduler (oldest ${formatAge(oldest)}): ${names.join(', ')}${waiting.length > names.length ? ', …' : ''}`,
    data: { pending: waiting.length, oldestSeconds: Math.round(oldest / 1000), pods: waiting.slice(0, 20).map((p) => `${p.namespace}/${p.name}`) },
    about: { program: 'kube-scheduler' },
  });
}

export const controlPlaneLeaders: Check = {
  id: 'control-plane-leaders',
  component: 'control-plane',
  title: 'The scheduler and controller-manager each have an active leader (their kube-system Leases), with their pods where there are pods',
  needs: ['api'],
  codes: ['scheduler-no-leader', 'controller-manager-no-leader', 'pods-unscheduled'],
  async run(ctx) {
    const [leases, pods, unscheduled] = await Promise.all([ctx.facts.leases(LEASE_NAMESPACE), ctx.facts.systemPods(), ctx.facts.unscheduledPods()]);
    const findings = await Promise.all(PROGRAMS.map((p) => judgeProgram(ctx, p, leases, pods)));
    const pending = judgeUnscheduled(ctx, unscheduled);
    return pending ? [...findings, pending] : findings;
  },
};
