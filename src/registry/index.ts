// The ordered registry of checks. Order is the order of `k8sdoc checks` and of the report.
import type { Check } from '../engine/types.js';
import { apiserverReachable } from '../checks/apiserver-reachable.js';
import { apiserverHealth } from '../checks/apiserver-health.js';
import { apiserverLatency } from '../checks/apiserver-latency.js';
import { controlPlaneHa } from '../checks/control-plane-ha.js';
import { nodesReady } from '../checks/nodes-ready.js';
import { nodesPressure } from '../checks/nodes-pressure.js';
import { kubelet } from '../checks/kubelet.js';
import { ports } from '../checks/ports.js';
import { etcdQuorum } from '../checks/etcd-quorum.js';
import { controlPlaneLeaders } from '../checks/control-plane-leaders.js';
import { controlPlanePods } from '../checks/control-plane-pods.js';
import { etcdMembers } from '../checks/etcd-members.js';
import { etcdAlarms } from '../checks/etcd-alarms.js';
import { etcdDbSize } from '../checks/etcd-db-size.js';
import { etcdBackup } from '../checks/etcd-backup.js';
import { certsServed } from '../checks/certs-served.js';
import { certsFiles } from '../checks/certs-files.js';
import { certsKubeconfig } from '../checks/certs-kubeconfig.js';
import { admissionWebhooks } from '../checks/admission-webhooks.js';
import { aggregatedApis } from '../checks/aggregated-apis.js';
import { etcdPerformance } from '../checks/etcd-performance.js';
import { nodesHealth } from '../checks/nodes-health.js';
import { clusterAddons } from '../checks/cluster-addons.js';
import { kubeletCertificates } from '../checks/kubelet-certificates.js';

export const CHECKS: readonly Check[] = [
  apiserverReachable,
  apiserverHealth,
  apiserverLatency,
  controlPlaneHa,
  admissionWebhooks,
  aggregatedApis,
  etcdQuorum,
  etcdMembers,
  etcdAlarms,
  etcdDbSize,
  etcdPerformance,
  etcdBackup,
  controlPlaneLeaders,
  controlPlanePods,
  certsServed,
  certsFiles,
  certsKubeconfig,
  nodesReady,
  nodesPressure,
  nodesHealth,
  clusterAddons,
  kubelet,
  kubeletCertificates,
  ports,
];

/**
 * Checks that learn everything they judge from the facts (the node list, leases, the API's
 * objects) and read nothing of what discovery adds to the targets (the kubeconfig's server is
 * known before it). A run of these alone (`--only nodes`) skips the discovery of the cluster's
 * shape, etcd endpoints, manifests and the discovery cache: on a large cluster those lists cost
 * the API server more than the nodes themselves. A plugin's check is never in it.
 */
export const NEEDS_NO_DISCOVERY: ReadonlySet<string> = new Set([nodesReady.id, nodesPressure.id, nodesHealth.id, clusterAddons.id]);
