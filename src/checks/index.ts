// The ordered registry of checks. Order is the order of `k8sdoc checks` and of the report.
import type { Check } from '../engine/types.js';
import { apiserverReachable } from './apiserver-reachable.js';
import { apiserverHealth } from './apiserver-health.js';
import { apiserverLatency } from './apiserver-latency.js';
import { controlPlaneHa } from './control-plane-ha.js';
import { nodesReady } from './nodes-ready.js';
import { nodesPressure } from './nodes-pressure.js';
import { kubelet } from './kubelet.js';
import { ports } from './ports.js';
import { etcdQuorum } from './etcd-quorum.js';
import { etcdMembers } from './etcd-members.js';
import { etcdAlarms } from './etcd-alarms.js';
import { etcdDbSize } from './etcd-db-size.js';
import { etcdBackup } from './etcd-backup.js';
import { certsServed } from './certs-served.js';
import { certsFiles } from './certs-files.js';
import { certsKubeconfig } from './certs-kubeconfig.js';

export const CHECKS: readonly Check[] = [
  apiserverReachable,
  apiserverHealth,
  apiserverLatency,
  controlPlaneHa,
  etcdQuorum,
  etcdMembers,
  etcdAlarms,
  etcdDbSize,
  etcdBackup,
  certsServed,
  certsFiles,
  certsKubeconfig,
  nodesReady,
  nodesPressure,
  kubelet,
  ports,
];
