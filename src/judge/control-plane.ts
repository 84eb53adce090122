// Pure judgements about the control plane's programs: which program a pod runs, what its
// containers' restarts and waiting reasons say, and whether a leader-election Lease is held.
import type { ControlPlaneProgram } from '../engine/types.js';
import type { ContainerView, LeaseView, PodView } from '../observe/control-plane.js';
import { safeText } from '../util/terminal-text.js';
import { formatAge } from './age.js';

export const CONTROL_PLANE_PROGRAMS: readonly ControlPlaneProgram[] = ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager'];

/** The programs that elect a leader through a Lease in kube-system. */
export const LEADER_ELECTED = ['kube-scheduler', 'kube-controller-manager'] as const;
export type LeaderElected = (typeof LEADER_ELECTED)[number];

/** Restarts older than this are history, not a pod in trouble now. */
export const RECENT_RESTART_MS = 60 * 60 * 1000;

/** Pending pods younger than this may simply not have been looked at yet. */
export const UNSCHEDULED_GRACE_MS = 60 * 1000;

const OPENSHIFT_NAMESPACE_PROGRAMS: Readonly<Record<string, ControlPlaneProgram>> = {
  'openshift-kube-apiserver': 'kube-apiserver',
  'openshift-etcd': 'etcd',
  'openshift-kube-scheduler': 'kube-scheduler',
  'openshift-kube-controller-manager': 'kube-controller-manager',
};

function isProgram(value: string | undefined): value is ControlPlaneProgram {
  return value !== undefined && (CONTROL_PLANE_PROGRAMS as readonly string[]).includes(value);
}

/**
 * The control-plane program a pod runs, or null: kubeadm's and RKE2's `component` label,
 * Talos' `k8s-app`, OpenShift's namespaces (only the static pods there: the installer and
 * guard pods beside them are not the program).
 */
export function programOf(pod: PodView): ControlPlaneProgram | null {
  const byNamespace = OPENSHIFT_NAMESPACE_PROGRAMS[pod.namespace];
  if (byNamespace) return pod.isStatic && pod.name.startsWith(byNamespace === 'kube-apiserver' ? 'kube-apiserver-' : `${byNamespace}-`) ? byNamespace : null;
  if (pod.namespace !== 'kube-system') return null;
  const component = pod.labels['component'];
  if (isProgram(component) && (pod.labels['tier'] === 'control-plane' || pod.isStatic)) return component;
  const app = pod.labels['k8s-app'];
  if (isProgram(app) && pod.isStatic) return app;
  return null;
}

export type PodTrouble =
  | { kind: 'crashloop'; restarts: number; last: string }
  | { kind: 'not-ready'; restarts: number; last: string | null; why: string }
  | { kind: 'restarting'; restarts: number; last: string }
  | { kind: 'ok'; restarts: number; history: string | null };

/** `exit 1 (Error): <message>`, hostile text made safe and cut to one line. */
export function describeTermination(c: ContainerView): string | null {
  const t = c.lastTerminated;
  if (!t) return null;
  const head = `exit ${t.exitCode ?? '?'}${t.reason ? ` (${safeText(t.reason)})` : ''}`;
  const message = t.message ? safeText(t.message.trim().split('\n').filter(Boolean).pop() ?? '').slice(0, 300) : '';
  return message ? `${head}: ${message}` : head;
}

function lastEnded(c: ContainerView, now: Date): string | null {
  const t = describeTermination(c);
  if (!t) return null;
  const finished = c.lastTerminated?.finishedAt ? Date.parse(c.lastTerminated.finishedAt) : NaN;
  return Number.isNaN(finished) ? `last run ended ${t}` : `last run ended ${formatAge(now.getTime() - finished)} ago, ${t}`;
}

/** What a control-plane pod's status says: crash loop, not Ready, restarted lately, or fine. */
export function podTrouble(pod: PodView, now: Date): PodTrouble {
  const restarts = pod.containers.reduce((n, c) => n + c.restartCount, 0);
  const looping = pod.containers.find((c) => c.waitingReason === 'CrashLoopBackOff');
  if (looping) return { kind: 'crashloop', restarts, last: lastEnded(looping, now) ?? 'no termination recorded' };
  const withHistory = pod.containers.find((c) => c.lastTerminated !== null);
  if (pod.ready !== 'True') {
    const waiting = pod.containers.find((c) => c.waitingReason !== null);
    const why = waiting
      ? `container ${safeText(waiting.name)} waiting: ${safeText(waiting.waitingReason!)}${waiting.waitingMessage ? ` (${safeText(waiting.waitingMessage).slice(0, 200)})` : ''}`
      : `Ready=${pod.ready ?? 'absent'}, phase ${pod.phase ?? 'unknown'}`;
    return { kind: 'not-ready', restarts, last: withHistory ? lastEnded(withHistory, now) : null, why };
  }
  const finished = withHistory?.lastTerminated?.finishedAt ? Date.parse(withHistory.lastTerminated.finishedAt) : NaN;
  if (withHistory && restarts > 0 && !Number.isNaN(finished) && now.getTime() - finished <= RECENT_RESTART_MS) {
    return { kind: 'restarting', restarts, last: lastEnded(withHistory, now)! };
  }
  return { kind: 'ok', restarts, history: restarts > 0 && withHistory ? lastEnded(withHistory, now) : null };
}

export type LeaseState =
  | { kind: 'held'; holder: string; renewedAgoMs: number; durationSeconds: number }
  | { kind: 'expired'; holder: string | null; renewedAgoMs: number | null; durationSeconds: number }
  | { kind: 'released'; renewedAgoMs: number | null };

/** Leader election's default when a Lease does not say (15 s for the scheduler and controller-manager). */
const DEFAULT_LEADER_LEASE_SECONDS = 15;

/** Whether somebody holds the Lease now: a holder, renewed within its duration. */
export function leaseState(lease: LeaseView, now: Date): LeaseState {
  const ago = lease.renewTime ? now.getTime() - lease.renewTime.getTime() : null;
  const duration = lease.durationSeconds ?? DEFAULT_LEADER_LEASE_SECONDS;
  if (!lease.holder) return { kind: 'released', renewedAgoMs: ago };
  if (ago === null || ago > duration * 1000) return { kind: 'expired', holder: lease.holder, renewedAgoMs: ago, durationSeconds: duration };
  return { kind: 'held', holder: lease.holder, renewedAgoMs: Math.max(0, ago), durationSeconds: duration };
}

/** The node part of a leader identity (`cp-1_3f2a…` → `cp-1`). */
export function holderNode(holder: string): string {
  const i = holder.lastIndexOf('_');
  return i > 0 ? holder.slice(0, i) : holder;
}
