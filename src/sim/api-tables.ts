// The server-side printers kubectl relies on (k8s.io/kubernetes/pkg/printers/internalversion):
// column definitions and cells for the resources the simulator serves.
import { column, humanDuration, type TableColumn } from './api-wire.js';
import type { KubeObject } from './cluster-state.js';

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export interface Printer {
  columns: TableColumn[];
  cells(o: KubeObject, now: Date): unknown[];
}

function age(o: KubeObject, now: Date): string {
  return humanDuration(now.getTime() - Date.parse(o.metadata.creationTimestamp));
}

interface NodeShape {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type: string; status: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

/** printNode: STATUS is Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatus(o: KubeObject): string {
  const node = o as unknown as NodeShape;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status: string[] = [];
  if (!ready) status.push('Unknown');
  else status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(o: KubeObject, type: string): string {
  return (o as unknown as NodeShape).status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const NODE_PRINTER: Printer = {
  columns: [
    column('Name', NAME_DOC, { format: 'name' }),
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    column('Age', AGE_DOC),
    column('Version', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    column('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
    column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells(o, now) {
    const info = (o as unknown as NodeShape).status?.nodeInfo ?? {};
    return [
      o.metadata.name,
      nodeStatus(o),
      nodeRoles(o),
      age(o, now),
      info.kubeletVersion ?? '',
      address(o, 'InternalIP'),
      address(o, 'ExternalIP'),
      info.osImage ?? '<unknown>',
      info.kernelVersion ?? '<unknown>',
      info.containerRuntimeVersion ?? '<unknown>',
    ];
  },
};

interface PodShape {
  spec?: { nodeName?: string; containers?: unknown[] };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    containerStatuses?: {
      ready: boolean;
      restartCount: number;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
      lastState?: { terminated?: { finishedAt?: string } };
    }[];
  };
}

export const POD_PRINTER: Printer = {
  columns: [
    column('Name', NAME_DOC, { format: 'name' }),
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    column('Age', AGE_DOC),
    column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', { priority: 1 }),
    column('Node', 'NodeName indicates in which node this pod is scheduled.', { priority: 1 }),
    column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', { priority: 1 }),
    column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', { priority: 1 }),
  ],
  cells(o, now) {
    const status = (o as unknown as PodShape).status ?? {};
    const containers = status.containerStatuses ?? [];
    let reason = status.reason ?? status.phase ?? 'Unknown';
    let restarts = 0;
    let lastRestart = 0;
    for (const c of containers) {
      restarts += c.restartCount;
      const finished = c.lastState?.terminated?.finishedAt;
      if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
      const waiting = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
      if (waiting) reason = waiting;
    }
    const restartText = lastRestart > 0 ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)` : String(restarts);
    // As the API server prints it: ready containers of all the pod's containers, statuses or not.
    const ready = `${containers.filter((c) => c.ready).length}/${(o as unknown as PodShape).spec?.containers?.length ?? containers.length}`;
    return [
      o.metadata.name,
      ready,
      reason,
      restartText,
      age(o, now),
      status.podIP ?? '<none>',
      (o as unknown as PodShape).spec?.nodeName ?? '<none>',
      '<none>',
      '<none>',
    ];
  },
};

export const LEASE_PRINTER: Printer = {
  columns: [
    column('Name', NAME_DOC, { format: 'name' }),
    column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'),
    column('Age', AGE_DOC),
  ],
  cells(o, now) {
    return [o.metadata.name, (o.spec as { holderIdentity?: string } | undefined)?.holderIdentity ?? '<unknown>', age(o, now)];
  },
};

export const NAMESPACE_PRINTER: Printer = {
  columns: [column('Name', NAME_DOC, { format: 'name' }), column('Status', 'The status of the namespace'), column('Age', AGE_DOC)],
  cells(o, now) {
    return [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? '', age(o, now)];
  },
};
