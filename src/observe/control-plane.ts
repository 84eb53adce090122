// The control plane as the API shows it: the system pods (kube-system, and the openshift-*
// namespaces where the control plane lives on OpenShift), the leader-election Leases of a
// namespace, and the pods no scheduler has placed. Each is listed once per run, paged, and cut
// down to what the control-plane checks judge.
import { listPaged, type PagedListOutcome } from './nodes.js';
import type { ObserveScope } from './scope.js';

/** A container's status as the kubelet reports it: restarts, why it waits, how it last ended. */
export interface ContainerView {
  name: string;
  ready: boolean;
  restartCount: number;
  /** state.waiting.reason, e.g. CrashLoopBackOff. */
  waitingReason: string | null;
  waitingMessage: string | null;
  /** lastState.terminated: the run before this one. */
  lastTerminated: { exitCode: number | null; reason: string | null; message: string | null; finishedAt: string | null } | null;
}

export interface PodView {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  nodeName: string | null;
  hostIP: string | null;
  phase: string | null;
  /** The Ready condition's status (`True`, `False`, `Unknown`), null when absent. */
  ready: string | null;
  /** A mirror pod of a static pod: owned by its Node. */
  isStatic: boolean;
  containers: ContainerView[];
}

export interface LeaseView {
  namespace: string;
  name: string;
  holder: string | null;
  renewTime: Date | null;
  durationSeconds: number | null;
  transitions: number | null;
}

export interface UnscheduledPod {
  namespace: string;
  name: string;
  schedulerName: string;
  createdAt: string | null;
  /** PodScheduled=False with its reason (Unschedulable): a scheduler saw it and could not place it. */
  scheduledCondition: { status: string; reason: string | null; message: string | null } | null;
}

export type SystemPodsOutcome =
  { kind: 'ok'; pods: PodView[]; namespaces: string[]; serverNow: Date | null } | { kind: 'forbidden' | 'failed'; message: string };
export type LeasesOutcome = { kind: 'ok'; leases: LeaseView[]; serverNow: Date | null } | { kind: 'forbidden' | 'failed'; message: string };
export type UnscheduledOutcome = { kind: 'ok'; pods: UnscheduledPod[]; serverNow: Date | null } | { kind: 'forbidden' | 'failed'; message: string };

/** Where OpenShift runs its control plane, instead of kube-system. */
export const OPENSHIFT_CONTROL_PLANE_NAMESPACES = [
  'openshift-kube-apiserver',
  'openshift-etcd',
  'openshift-kube-scheduler',
  'openshift-kube-controller-manager',
];

interface RawContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string; message?: string; finishedAt?: string } };
}

interface RawPod {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    ownerReferences?: { kind?: string }[];
  };
  spec?: { nodeName?: string; schedulerName?: string };
  status?: {
    phase?: string;
    hostIP?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    containerStatuses?: RawContainerStatus[];
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function keepContainer(c: RawContainerStatus): ContainerView {
  const t = c.lastState?.terminated;
  return {
    name: str(c.name) ?? '',
    ready: c.ready === true,
    restartCount: typeof c.restartCount === 'number' && c.restartCount >= 0 ? c.restartCount : 0,
    waitingReason: str(c.state?.waiting?.reason),
    waitingMessage: str(c.state?.waiting?.message),
    lastTerminated: t
      ? { exitCode: typeof t.exitCode === 'number' ? t.exitCode : null, reason: str(t.reason), message: str(t.message), finishedAt: str(t.finishedAt) }
      : null,
  };
}

export function keepPod(raw: RawPod): PodView | null {
  const name = str(raw.metadata?.name);
  const namespace = str(raw.metadata?.namespace);
  if (!name || !namespace) return null;
  const ready = raw.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    namespace,
    name,
    labels: raw.metadata?.labels ?? {},
    nodeName: str(raw.spec?.nodeName),
    hostIP: str(raw.status?.hostIP),
    phase: str(raw.status?.phase),
    ready: str(ready?.status),
    isStatic: (raw.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Node'),
    containers: (raw.status?.containerStatuses ?? []).map(keepContainer),
  };
}

interface RawLease {
  metadata?: { name?: string; namespace?: string };
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number; leaseTransitions?: number };
}

export function keepLease(raw: RawLease): LeaseView | null {
  const name = str(raw.metadata?.name);
  if (!name) return null;
  const renew = raw.spec?.renewTime ? new Date(raw.spec.renewTime) : null;
  const duration = raw.spec?.leaseDurationSeconds;
  return {
    namespace: str(raw.metadata?.namespace) ?? '',
    name,
    holder: str(raw.spec?.holderIdentity),
    renewTime: renew && !Number.isNaN(renew.getTime()) ? renew : null,
    durationSeconds: typeof duration === 'number' && duration > 0 ? duration : null,
    transitions: typeof raw.spec?.leaseTransitions === 'number' ? raw.spec.leaseTransitions : null,
  };
}

function keepUnscheduled(raw: RawPod): UnscheduledPod | null {
  const name = str(raw.metadata?.name);
  const namespace = str(raw.metadata?.namespace);
  if (!name || !namespace || str(raw.spec?.nodeName)) return null;
  const scheduled = raw.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return {
    namespace,
    name,
    schedulerName: str(raw.spec?.schedulerName) ?? 'default-scheduler',
    createdAt: str(raw.metadata?.creationTimestamp),
    scheduledCondition: scheduled ? { status: String(scheduled.status), reason: str(scheduled.reason), message: str(scheduled.message) } : null,
  };
}

function podsIn(scope: ObserveScope, namespace: string): Promise<PagedListOutcome<PodView>> {
  return listPaged(scope, `/api/v1/namespaces/${namespace}/pods`, keepPod, `needs list pods in namespace ${namespace}`);
}

/** A control-plane static pod by kubeadm's/RKE2's labels, Talos' k8s-app, or OpenShift's namespaces. */
function looksLikeControlPlane(p: PodView): boolean {
  return p.labels['tier'] === 'control-plane' || p.labels['app.kubernetes.io/managed-by'] === 'Talos' || p.isStatic;
}

/**
 * kube-system's pods, once per run. When kube-system holds no static pod, the openshift-*
 * control-plane namespaces are listed as well: OpenShift keeps its control plane there.
 */
export function systemPods(scope: ObserveScope): Promise<SystemPodsOutcome> {
  return scope.memo.once('control-plane:pods', async () => {
    const kubeSystem = await podsIn(scope, 'kube-system');
    if (kubeSystem.kind !== 'ok') return { kind: kubeSystem.kind, message: kubeSystem.message };
    const pods = [...kubeSystem.items];
    const namespaces = ['kube-system'];
    if (!pods.some(looksLikeControlPlane)) {
      const others = await Promise.all(OPENSHIFT_CONTROL_PLANE_NAMESPACES.map((ns) => podsIn(scope, ns)));
      others.forEach((o, i) => {
        if (o.kind !== 'ok') return;
        pods.push(...o.items);
        if (o.items.length > 0) namespaces.push(OPENSHIFT_CONTROL_PLANE_NAMESPACES[i]!);
      });
    }
    return { kind: 'ok', pods, namespaces, serverNow: kubeSystem.serverNow };
  });
}

/** The Leases of one namespace (leader election in kube-system), once per run. */
export function namespaceLeases(scope: ObserveScope, namespace: string): Promise<LeasesOutcome> {
  return scope.memo.once(`control-plane:leases:${namespace}`, async () => {
    const outcome = await listPaged(
      scope,
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
      keepLease,
      `needs list leases in namespace ${namespace}`,
    );
    if (outcome.kind !== 'ok') return { kind: outcome.kind, message: outcome.message };
    return { kind: 'ok', leases: outcome.items, serverNow: outcome.serverNow };
  });
}

/** Pending pods without a node, in every namespace, once per run. */
export function unscheduledPods(scope: ObserveScope): Promise<UnscheduledOutcome> {
  return scope.memo.once('control-plane:unscheduled', async () => {
    const outcome = await listPaged(scope, '/api/v1/pods?fieldSelector=status.phase%3DPending', keepUnscheduled, 'needs list pods (cluster-wide)');
    if (outcome.kind !== 'ok') return { kind: outcome.kind, message: outcome.message };
    return { kind: 'ok', pods: outcome.items, serverNow: outcome.serverNow };
  });
}
