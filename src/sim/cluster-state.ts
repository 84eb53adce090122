// What the simulated API servers serve: nodes, kube-system pods, node leases and
// namespaces. Every API server of a cluster reads this one state, and object status is
// computed when asked from what is really running (the kubelet, the etcd member, the API
// server on that host), so stopping a kubelet turns its node NotReady on the next request.
import { createHash } from 'node:crypto';
import { kubeMicroTime, kubeTime } from './api-wire.js';
import type { ControlPlaneSpec, ProgramFault, SimProgram } from './scenarios/spec.js';
import type { ClusterShape, NodeLook, NodeRole, PodTemplate } from './shape-kit.js';
import type { CustomKind } from './addons.js';

export type { NodeRole } from './shape-kit.js';

export interface SimNode {
  name: string;
  address: string;
  role: NodeRole;
  createdAt: Date;
  /** When the kubelet stopped posting status (and renewing its lease); null while it posts. */
  stoppedPostingAt: Date | null;
  pressure: { memory: boolean; disk: boolean; pid: boolean };
  unschedulable: boolean;
  /** The kubelet version it reports, over the distribution's. */
  kubeletVersion?: string;
  /** When its conditions last changed (NotReady → Ready); the node's creation when unset. */
  readySince?: Date;
}

/** What is running right now, asked at request time. */
export interface RuntimeView {
  /** The etcd member on this node, or null when the node runs none or etcd is not simulated. */
  etcdMember(nodeName: string): 'running' | 'killed' | 'paused' | 'unstarted' | null;
  /** The API server on this node, or null when it runs none. */
  apiServer(nodeName: string): 'up' | 'down' | 'hang' | null;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

function uid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const LEASE_DURATION_SECONDS = 40;
/** The scheduler's and controller-manager's leader Leases: 15 s, renewed every 2 s. */
const LEADER_LEASE_SECONDS = 15;
const PROGRAMS: readonly SimProgram[] = ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager'];
const OPENSHIFT_PROGRAMS: Readonly<Record<string, SimProgram>> = { 'openshift-kube-apiserver': 'kube-apiserver', 'openshift-etcd': 'etcd' };

/** The control-plane program a pod template runs, by the labels and namespaces the distributions use. */
function programOfTemplate(t: PodTemplate): SimProgram | null {
  if (t.owner.kind !== 'Node') return null;
  const byNamespace = OPENSHIFT_PROGRAMS[t.namespace];
  if (byNamespace) return byNamespace;
  const label = t.labels['component'] ?? t.labels['k8s-app'];
  return label !== undefined && (PROGRAMS as readonly string[]).includes(label) ? (label as SimProgram) : null;
}

/** How a container fares: computed from what runs, or forced by the scenario. */
type Fare = { kind: 'ready' | 'not-ready' | 'unknown' } | { kind: 'crashloop' | 'restarted'; fault: ProgramFault };
// A live kubelet renews its lease every 10 s (a quarter of the duration).
const RENEW_INTERVAL_MS = 10_000;

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export class ClusterState {
  readonly createdAt: Date;
  private readonly nodeList: SimNode[];
  private readonly byName = new Map<string, SimNode>();
  private readonly rv = new Map<string, number>();
  private revision = 1000;
  // Keyed by the node itself: a test may rename a node (hostile names) after the cluster starts.
  private readonly looks = new WeakMap<SimNode, NodeLook>();
  private readonly podTemplates: PodTemplate[];
  private readonly startedAt = new Date();
  /** Custom resources the add-ons bring (cert-manager's Certificates), served beside the core kinds. */
  customKinds: readonly CustomKind[] = [];

  constructor(
    nodes: SimNode[],
    private readonly shape: ClusterShape,
    private readonly runtime: RuntimeView,
    createdAt: Date,
    private readonly controlPlane: ControlPlaneSpec = {},
  ) {
    this.createdAt = createdAt;
    // etcd keeps keys sorted; lists and pagination follow that order.
    this.nodeList = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const n of this.nodeList) {
      this.byName.set(n.name, n);
      this.rv.set(`node/${n.name}`, ++this.revision);
    }
    for (const ns of shape.namespaces) this.rv.set(`ns/${ns}`, ++this.revision);
    // In creation order (control plane first), as the distribution numbers its nodes.
    nodes.forEach((n, i) => this.looks.set(n, shape.node(n, i)));
    this.podTemplates = shape.pods(nodes);
  }

  get resourceVersion(): number {
    return this.revision;
  }

  nodes(): readonly SimNode[] {
    return this.nodeList;
  }

  node(name: string): SimNode | undefined {
    return this.byName.get(name);
  }

  /** The kubelet stopped (or came back): its node's conditions and lease follow. */
  setPosting(name: string, posting: boolean, since: Date = new Date()): void {
    const n = this.byName.get(name);
    if (!n) throw new Error(`no node named ${name}`);
    const next = posting ? null : (n.stoppedPostingAt ?? since);
    // A kubelet that posts again turns its node's conditions back at once.
    if (posting && n.stoppedPostingAt) n.readySince = since;
    if (next !== n.stoppedPostingAt) {
      n.stoppedPostingAt = next;
      this.rv.set(`node/${name}`, ++this.revision);
    }
  }

  private rvOf(key: string): string {
    let v = this.rv.get(key);
    if (v === undefined) {
      v = ++this.revision;
      this.rv.set(key, v);
    }
    return String(v);
  }

  // --- nodes ----------------------------------------------------------------------

  nodeObject(n: SimNode, now: Date = new Date()): KubeObject {
    const created = kubeTime(n.createdAt);
    const heartbeat = kubeTime(n.stoppedPostingAt ?? new Date(now.getTime() - 5_000));
    const look = this.looks.get(n)!;
    const labels = { ...look.labels };
    const taints: { key: string; value?: string; effect: string; timeAdded?: string }[] = look.taints.map((t) => ({ ...t }));
    if (n.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: created });

    let conditions: Condition[];
    if (n.stoppedPostingAt) {
      // What the node lifecycle controller writes once the kubelet's lease runs out.
      const lost = kubeTime(new Date(n.stoppedPostingAt.getTime() + LEASE_DURATION_SECONDS * 1000));
      const unknown = (type: string): Condition => ({
        type,
        status: 'Unknown',
        lastHeartbeatTime: heartbeat,
        lastTransitionTime: lost,
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
      conditions = [unknown('MemoryPressure'), unknown('DiskPressure'), unknown('PIDPressure'), unknown('Ready')];
      taints.push(
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: lost },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: lost },
      );
    } else {
      // A node back from NotReady: the node controller had set every condition Unknown, and
      // the kubelet's next status turned each one back at the same moment.
      const transition = n.readySince ? kubeTime(n.readySince) : created;
      const cond = (type: string, status: 'True' | 'False', reason: string, message: string): Condition => ({
        type,
        status,
        lastHeartbeatTime: heartbeat,
        lastTransitionTime: transition,
        reason,
        message,
      });
      conditions = [
        n.pressure.memory
          ? cond('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
          : cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        n.pressure.disk
          ? cond('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
          : cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        n.pressure.pid
          ? cond('PIDPressure', 'True', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available')
          : cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ];
      if (n.pressure.memory) taints.push({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: created });
      if (n.pressure.disk) taints.push({ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule', timeAdded: created });
      if (n.pressure.pid) taints.push({ key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule', timeAdded: created });
    }
    const index = this.nodeList.indexOf(n);
    return {
      metadata: {
        name: n.name,
        uid: uid(`node/${n.name}`),
        resourceVersion: this.rvOf(`node/${n.name}`),
        creationTimestamp: created,
        labels,
        annotations: { ...look.annotations },
      },
      spec: {
        ...(look.providerID ? { providerID: look.providerID } : {}),
        podCIDR: `10.244.${index % 256}.0/24`,
        podCIDRs: [`10.244.${index % 256}.0/24`],
        ...(taints.length > 0 ? { taints } : {}),
        ...(n.unschedulable ? { unschedulable: true } : {}),
      },
      status: {
        addresses: [
          { address: n.address, type: 'InternalIP' },
          { address: n.name, type: 'Hostname' },
        ],
        allocatable: { cpu: '4', 'ephemeral-storage': '93492209510', 'hugepages-2Mi': '0', memory: '16265612Ki', pods: '110' },
        capacity: { cpu: '4', 'ephemeral-storage': '101445540Ki', 'hugepages-2Mi': '0', memory: '16368012Ki', pods: '110' },
        conditions,
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: uid(`boot/${n.name}`),
          containerRuntimeVersion: look.containerRuntimeVersion,
          kernelVersion: look.kernelVersion,
          kubeProxyVersion: n.kubeletVersion ?? look.kubeletVersion,
          kubeletVersion: n.kubeletVersion ?? look.kubeletVersion,
          machineID: createHash('md5').update(n.name).digest('hex'),
          operatingSystem: 'linux',
          osImage: look.osImage,
          systemUUID: uid(`system/${n.name}`),
        },
      },
    };
  }

  // --- pods -----------------------------------------------------------------------

  /** The system pods the distribution runs: static (mirror) pods, DaemonSets, Deployments. */
  pods(now: Date = new Date()): KubeObject[] {
    const pending = Array.from({ length: this.controlPlane.pendingPods ?? 0 }, (_, i) => this.pendingPod(i));
    return [...this.podTemplates.map((t) => this.podObject(t, now)), ...pending].sort((a, b) => {
      const ka = `${a.metadata.namespace}/${a.metadata.name}`;
      const kb = `${b.metadata.namespace}/${b.metadata.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  /** `pod` as the kubelet names it in messages: name_namespace(uid). */
  private containerState(fare: Fare, startedAt: string, name: string, image: string, now: Date, pod: string) {
    const base = {
      name,
      image,
      imageID: `${image.split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`,
      containerID: `containerd://${createHash('sha256')
        .update(name + startedAt)
        .digest('hex')}`,
    };
    if (fare.kind === 'crashloop' || fare.kind === 'restarted') {
      const f = fare.fault;
      const finished = new Date(now.getTime() - (f.endedSecondsAgo ?? 90) * 1000);
      const lastState = {
        terminated: {
          exitCode: f.exitCode ?? 1,
          reason: f.reason ?? 'Error',
          ...(f.message ? { message: f.message } : {}),
          startedAt: kubeTime(new Date(finished.getTime() - 5_000)),
          finishedAt: kubeTime(finished),
          containerID: base.containerID,
        },
      };
      if (fare.kind === 'restarted') {
        return { ...base, ready: true, restartCount: f.restarts ?? 1, started: true, state: { running: { startedAt: kubeTime(finished) } }, lastState };
      }
      return {
        ...base,
        ready: false,
        restartCount: f.restarts ?? 7,
        started: false,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${name} pod=${pod}` } },
        lastState,
      };
    }
    return { ...base, ready: fare.kind === 'ready', restartCount: 0, started: true, state: { running: { startedAt } }, lastState: {} };
  }

  private podStatus(node: SimNode, fare: Fare, containers: { name: string; image: string }[], podIP: string, now: Date, pod: string) {
    const start = kubeTime(node.createdAt);
    const isReady = fare.kind === 'ready' || fare.kind === 'restarted' ? 'True' : 'False';
    const condition = (type: string, status: string) => ({ type, status, lastProbeTime: null, lastTransitionTime: start });
    return {
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', 'True'),
        condition('Initialized', 'True'),
        condition('Ready', isReady),
        condition('ContainersReady', isReady),
        condition('PodScheduled', 'True'),
      ],
      hostIP: node.address,
      hostIPs: [{ ip: node.address }],
      podIP,
      podIPs: [{ ip: podIP }],
      qosClass: 'Burstable',
      startTime: start,
      containerStatuses: containers.map((c) => this.containerState(fare, start, c.name, c.image, now, pod)),
    };
  }

  /**
   * A node whose kubelet stopped posting leaves its pods' last reported status Ready=False; a
   * program the scenario breaks fares as it says; an etcd member or API server that is not
   * running makes its pod crash-loop, as the kubelet keeps restarting it.
   */
  private fare(node: SimNode, t: PodTemplate): Fare {
    if (node.stoppedPostingAt) return { kind: 'not-ready' };
    const program = programOfTemplate(t);
    const fault = program ? this.controlPlane.programs?.[program] : undefined;
    const forced = fault && (!fault.nodes || fault.nodes.includes(node.name)) ? fault : undefined;
    if (forced) return { kind: forced.state, fault: forced };
    const crashloop: Fare = { kind: 'crashloop', fault: { state: 'crashloop' } };
    const health = t.health;
    if (health === 'etcd' || health === 'apiserver+local-etcd') {
      const m = this.runtime.etcdMember(node.name);
      if (health === 'etcd' && m === 'killed') return crashloop;
      if (m === 'killed' || m === 'paused') return { kind: 'not-ready' };
    }
    if (health === 'apiserver' || health === 'apiserver+local-etcd') {
      const a = this.runtime.apiServer(node.name);
      if (a === 'down') return crashloop;
      if (a === 'hang') return { kind: 'not-ready' };
    }
    return { kind: 'ready' };
  }

  /** A pod no scheduler has placed: Pending, no node, no conditions, no container statuses. */
  private pendingPod(i: number): KubeObject {
    const rs = 'web-7d9c5b8f6c';
    const name = `${rs}-${createHash('sha1').update(`${rs}/${i}`).digest('hex').slice(0, 5)}`;
    const key = `pod/default/${name}`;
    // Created a few minutes before the simulator started: long enough for a scheduler to have placed them.
    const created = new Date(this.startedAt.getTime() - 5 * 60_000 + i * 1000);
    return {
      metadata: {
        name,
        generateName: `${rs}-`,
        namespace: 'default',
        uid: uid(key),
        resourceVersion: this.rvOf(key),
        creationTimestamp: kubeTime(created),
        labels: { app: 'web', 'pod-template-hash': '7d9c5b8f6c' },
        ownerReferences: [
          { apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'ReplicaSet', name: rs, uid: uid(`ReplicaSet/default/${rs}`) },
        ],
      },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27' }],
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        terminationGracePeriodSeconds: 30,
      },
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    };
  }

  private podObject(t: PodTemplate, now: Date): KubeObject {
    const n = this.byName.get(t.node)!;
    const key = `pod/${t.namespace}/${t.name}`;
    const isStatic = t.owner.kind === 'Node';
    const metadata: KubeObject['metadata'] = {
      name: t.name,
      namespace: t.namespace,
      uid: uid(key),
      resourceVersion: this.rvOf(key),
      creationTimestamp: kubeTime(n.createdAt),
      labels: t.labels,
      ...(t.annotations || isStatic ? { annotations: { ...t.annotations, ...(isStatic ? { 'kubernetes.io/config.seen': kubeTime(n.createdAt) } : {}) } } : {}),
    };
    if (t.owner.kind === 'Node') {
      metadata.ownerReferences = [{ apiVersion: 'v1', controller: true, kind: 'Node', name: n.name, uid: uid(`node/${n.name}`) }];
    } else {
      metadata.generateName = `${t.owner.name}-`;
      metadata.ownerReferences = [
        {
          apiVersion: 'apps/v1',
          blockOwnerDeletion: true,
          controller: true,
          kind: t.owner.kind,
          name: t.owner.name,
          uid: uid(`${t.owner.kind}/${t.namespace}/${t.owner.name}`),
        },
      ];
    }
    const staticExtras = isStatic
      ? {
          dnsPolicy: 'ClusterFirst',
          enableServiceLinks: true,
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          terminationGracePeriodSeconds: 30,
          tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
        }
      : {};
    const hostNetwork = (t.spec as { hostNetwork?: boolean }).hostNetwork === true;
    return {
      metadata,
      spec: { ...t.spec, nodeName: n.name, ...staticExtras },
      status: this.podStatus(
        n,
        this.fare(n, t),
        t.spec.containers,
        hostNetwork ? n.address : (t.podIP ?? n.address),
        now,
        `${t.name}_${t.namespace}(${metadata.uid})`,
      ),
    };
  }

  // --- leases ---------------------------------------------------------------------

  leases(namespace: string, now: Date = new Date()): KubeObject[] {
    if (namespace === 'kube-node-lease') return this.nodeList.map((n) => this.nodeLease(n, now));
    if (namespace === 'kube-system') {
      // A managed control plane's leaders run on the provider's machines, not on any node.
      const leader =
        this.nodeList.find((n) => n.role === 'control-plane' && !n.stoppedPostingAt)?.name ?? (this.nodeList.length > 0 ? 'ip-10-0-0-10.ec2.internal' : null);
      if (!leader) return [];
      return (['kube-controller-manager', 'kube-scheduler'] as const).map((name) => {
        // A leaderless program's Lease keeps the last holder and the moment it last renewed.
        const staleMinutes = this.controlPlane.leaderless?.[name];
        const renew = new Date(now.getTime() - (staleMinutes === undefined ? 1_500 : staleMinutes * 60_000));
        const lease = this.lease('kube-system', name, `${leader}_${uid(`${name}/${leader}`)}`, LEADER_LEASE_SECONDS, renew, this.createdAt);
        // Leader election (client-go's LeaseLock) also records when the holder took the Lease
        // and how often it changed hands; a program that keeps losing it changed hands as often
        // as it restarted.
        const restarts = this.controlPlane.programs?.[name]?.restarts ?? 0;
        const acquired = staleMinutes === undefined ? new Date(this.createdAt.getTime() + 60_000) : new Date(renew.getTime() - 60_000);
        lease.spec = { ...(lease.spec as object), acquireTime: kubeMicroTime(acquired), leaseTransitions: restarts };
        return lease;
      });
    }
    return [];
  }

  private nodeLease(n: SimNode, now: Date): KubeObject {
    // A live kubelet renewed within the last interval; a stopped one at the moment it stopped.
    const renew = n.stoppedPostingAt ?? new Date(now.getTime() - (Math.abs(hashInt(n.name)) % RENEW_INTERVAL_MS));
    const lease = this.lease('kube-node-lease', n.name, n.name, LEASE_DURATION_SECONDS, renew, n.createdAt);
    lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: n.name, uid: uid(`node/${n.name}`) }];
    return lease;
  }

  private lease(namespace: string, name: string, holder: string, duration: number, renew: Date, created: Date): KubeObject {
    return {
      metadata: {
        name,
        namespace,
        uid: uid(`lease/${namespace}/${name}`),
        resourceVersion: this.rvOf(`lease/${namespace}/${name}`),
        creationTimestamp: kubeTime(created),
      },
      spec: { holderIdentity: holder, leaseDurationSeconds: duration, renewTime: kubeMicroTime(renew) },
    };
  }

  // --- namespaces -----------------------------------------------------------------

  namespaces(): KubeObject[] {
    return this.shape.namespaces.map((name) => ({
      metadata: {
        name,
        uid: uid(`ns/${name}`),
        resourceVersion: this.rvOf(`ns/${name}`),
        creationTimestamp: kubeTime(this.createdAt),
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }));
  }
}

function hashInt(text: string): number {
  return createHash('md5').update(text).digest().readInt32BE(0);
}
