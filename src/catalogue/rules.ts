// How catalogue codes relate, as data: which problem explains which ("A explains B"), and in
// what order independent root causes are looked at. Triage is the generic engine over these
// tables and reads nothing but the findings' codes and typed `about`.
//
// The relations live here, in one table beside the entries, rather than as a field of each
// entry: a rule joins two or more entries (quorum lost → every API server not ready), so it
// belongs to neither alone, and a reader sees every chain the diagnosis can draw on one page.
// The priority is one total order over codes, easier to judge as a list than as numbers
// scattered over sixty entries.
import type { CertificateRole, ControlPlaneProgram, Evidence } from '../engine/types.js';
import type { AnyCode, Code } from './codes.js';

/**
 * How a cause and an effect must be related for a rule to join them:
 * - `any`: wherever each is (lost etcd quorum explains every API server that is not ready);
 * - `host`: the same machine (node name or address) when both name one;
 * - `endpoint`: the same host and port (port 10250 refused and the kubelet unreachable are
 *   one fact seen by two checks);
 * - `backends`: the effect is at the kubeconfig's server (a load balancer, usually) and not
 *   one of the individual API servers behind it is healthy;
 * - `certificate`: the same certificate (issuer and serial), read from a file and served on the wire.
 */
export type Scope = 'any' | 'host' | 'endpoint' | 'backends' | 'certificate';

export interface Rule {
  /** Built-in codes, or a plugin's when a plugin adds the rule. */
  cause: readonly AnyCode[];
  /** The cause must be a certificate with one of these roles (`about.certificate.role`). */
  causeRole?: readonly CertificateRole[];
  /** The cause must be about one of these control-plane programs (`about.program`). */
  causeProgram?: readonly ControlPlaneProgram[];
  explains: readonly AnyCode[];
  /** The effect must be about one of these control-plane programs (`about.program`). */
  effectProgram?: readonly ControlPlaneProgram[];
  /**
   * An effect that says what listens on its port (`about.evidence.listener`) must name one of
   * these: a kube-apiserver pod down closes 6443, not etcd's 2379 on the same machine.
   */
  effectListener?: readonly NonNullable<Evidence['listener']>[];
  scope: Scope;
  why: string;
}

export const API_DOWN: readonly Code[] = [
  'apiserver-refused',
  'apiserver-timeout',
  'apiserver-not-ready',
  'apiserver-not-live',
  'apiserver-latency-high',
  'apiserver-bad-response',
];
export const API_FAILING: readonly Code[] = [...API_DOWN, 'apiserver-tls-error'];
const CERT_INVALID: readonly Code[] = ['cert-expired', 'cert-not-yet-valid'];
const PORT_CLOSED: readonly Code[] = ['port-refused', 'port-timeout', 'port-unreachable'];
/** Findings that are about one port on one host, as the ports check also sees it. */
const SERVICE_DOWN: readonly Code[] = ['apiserver-refused', 'apiserver-timeout', 'kubelet-unreachable', 'etcd-member-unreachable'];

/** A control-plane pod that is down (not just restarted once). */
const POD_DOWN: readonly Code[] = ['control-plane-pod-crashloop', 'control-plane-pod-not-ready'];
const POD_TROUBLE: readonly Code[] = [...POD_DOWN, 'control-plane-pod-restarting'];
const NO_LEADER: readonly Code[] = ['scheduler-no-leader', 'controller-manager-no-leader'];

/** Certificates without which the control plane itself stops: the API server or etcd. */
export const CONTROL_PLANE_ROLES: readonly CertificateRole[] = ['cluster-ca', 'apiserver-serving', 'apiserver-etcd-client', 'etcd'];

export const RULES: readonly Rule[] = [
  {
    cause: ['etcd-quorum-lost'],
    explains: [...API_DOWN, 'etcd-no-leader', 'etcd-quorum-at-risk', 'etcd-member-unreachable', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'without quorum etcd refuses reads and writes, so the API servers cannot serve or start',
  },
  {
    cause: ['etcd-alarm-nospace'],
    explains: ['apiserver-not-ready', 'apiserver-latency-high', 'etcd-db-near-quota'],
    scope: 'any',
    why: 'a NOSPACE alarm makes etcd read-only',
  },
  { cause: ['etcd-alarm-corrupt'], explains: ['apiserver-not-ready'], scope: 'any', why: 'a CORRUPT alarm stops writes' },
  { cause: ['etcd-no-leader'], explains: API_DOWN, scope: 'any', why: 'etcd without a leader cannot serve requests' },
  {
    cause: ['etcd-member-unreachable'],
    explains: ['etcd-quorum-at-risk', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'a lost member takes away the fault tolerance',
  },
  {
    cause: ['etcd-member-unreachable'],
    explains: ['apiserver-not-ready'],
    scope: 'host',
    why: 'an API server reads the etcd member on its own machine (stacked etcd): without it, it reports not ready',
  },
  {
    cause: ['etcd-even-members'],
    explains: ['control-plane-not-ha'],
    scope: 'any',
    why: 'an even etcd membership is the reason an even control plane adds no fault tolerance',
  },
  {
    cause: CERT_INVALID,
    causeRole: ['apiserver-etcd-client'],
    explains: API_DOWN,
    scope: 'any',
    why: 'etcd rejects the API server: it reports not ready, then exits and restarts',
  },
  {
    cause: [...CERT_INVALID, 'cert-untrusted'],
    causeRole: ['apiserver-serving'],
    explains: ['apiserver-tls-error'],
    scope: 'host',
    why: 'clients reject the certificate the API server serves',
  },
  {
    cause: CERT_INVALID,
    causeRole: ['cluster-ca'],
    explains: ['apiserver-tls-error', 'apiserver-unauthorized', 'cert-untrusted'],
    scope: 'any',
    why: 'nothing the cluster CA signed verifies any more',
  },
  {
    cause: [...CERT_INVALID, 'cert-untrusted'],
    causeRole: ['etcd'],
    explains: ['etcd-quorum-lost', 'etcd-no-leader', 'etcd-member-unreachable', 'etcd-quorum-at-risk', 'etcd-auth-failed'],
    scope: 'host',
    why: 'etcd members and their clients reject the certificate',
  },
  {
    cause: CERT_INVALID,
    causeRole: ['etcd-healthcheck-client'],
    explains: ['etcd-auth-failed'],
    scope: 'any',
    why: 'etcd rejects the client certificate k8sdoc authenticates with',
  },
  {
    cause: CERT_INVALID,
    causeRole: ['kubeconfig-client'],
    explains: ['apiserver-unauthorized'],
    scope: 'any',
    why: 'the API server answers an expired client certificate with 401',
  },
  {
    cause: [...CERT_INVALID, 'cert-expiring'],
    explains: [...CERT_INVALID, 'cert-expiring'],
    scope: 'certificate',
    why: 'one certificate, found on disk and served on the wire',
  },
  { cause: API_FAILING, explains: API_FAILING, scope: 'backends', why: 'the load balancer has no healthy API server to forward to' },
  { cause: PORT_CLOSED, explains: SERVICE_DOWN, scope: 'endpoint', why: 'the same closed port, probed by two checks' },
  { cause: SERVICE_DOWN, explains: PORT_CLOSED, scope: 'endpoint', why: 'the same closed port, probed by two checks' },
  {
    cause: ['kubelet-unreachable', 'kubelet-unhealthy'],
    explains: ['node-not-ready', 'node-lease-stale'],
    scope: 'host',
    why: 'a stopped kubelet stops posting node status and renewing its lease',
  },
  {
    cause: ['node-memory-pressure', 'node-disk-pressure', 'node-pid-pressure'],
    explains: ['node-not-ready', 'kubelet-unhealthy'],
    scope: 'host',
    why: 'a host short of memory, disk or processes stalls its kubelet',
  },
  { cause: ['node-lease-stale'], explains: ['node-not-ready'], scope: 'host', why: 'the node controller marks a node NotReady when its lease stops renewing' },
  // The control plane's programs: what stops them, and what their absence stops.
  {
    cause: ['etcd-quorum-lost', 'etcd-no-leader', 'etcd-alarm-nospace'],
    explains: [...NO_LEADER, ...POD_TROUBLE],
    scope: 'any',
    why: 'without a working etcd no leader can renew its Lease and the API servers fail their probes',
  },
  {
    cause: CERT_INVALID,
    causeRole: ['apiserver-etcd-client', 'apiserver-serving', 'cluster-ca'],
    explains: POD_TROUBLE,
    effectProgram: ['kube-apiserver'],
    scope: 'any',
    why: 'the API server exits at start-up with a certificate etcd or its clients reject, and the kubelet restarts it',
  },
  {
    cause: ['etcd-member-unreachable'],
    explains: POD_TROUBLE,
    effectProgram: ['kube-apiserver'],
    scope: 'host',
    why: 'an API server whose only etcd endpoint is the member beside it fails without it',
  },
  {
    cause: POD_DOWN,
    causeProgram: ['etcd'],
    explains: ['etcd-member-unreachable', 'etcd-quorum-at-risk', 'etcd-raft-lagging', ...PORT_CLOSED],
    scope: 'host',
    why: 'the etcd pod on that node is down, so its member and its ports are',
  },
  { cause: POD_DOWN, causeProgram: ['kube-apiserver'], explains: API_DOWN, scope: 'host', why: 'the same API server, seen as its pod' },
  {
    cause: POD_DOWN,
    causeProgram: ['kube-apiserver'],
    explains: PORT_CLOSED,
    effectListener: ['kube-apiserver'],
    scope: 'host',
    why: 'the same API server, seen as its pod and on its port',
  },
  {
    cause: ['apiserver-refused', 'apiserver-timeout', 'apiserver-not-live', 'apiserver-not-ready'],
    explains: POD_DOWN,
    effectProgram: ['kube-apiserver'],
    scope: 'host',
    why: 'the same API server, seen on its port and as its pod',
  },
  {
    cause: ['kubelet-unreachable', 'node-not-ready'],
    explains: [...POD_TROUBLE, 'control-plane-pod-missing'],
    scope: 'host',
    why: 'a node whose kubelet stopped reports its pods as it last saw them',
  },
  { cause: POD_DOWN, causeProgram: ['kube-scheduler'], explains: ['scheduler-no-leader'], scope: 'any', why: 'no scheduler runs to hold the Lease' },
  {
    cause: POD_DOWN,
    causeProgram: ['kube-controller-manager'],
    explains: ['controller-manager-no-leader'],
    scope: 'any',
    why: 'no controller-manager runs to hold the Lease',
  },
  { cause: ['scheduler-no-leader'], explains: ['pods-unscheduled'], scope: 'any', why: 'without a leading scheduler no pod is placed' },
  {
    cause: ['scheduler-no-leader'],
    explains: ['control-plane-pod-restarting'],
    effectProgram: ['kube-scheduler'],
    scope: 'any',
    why: 'a scheduler that loses the Lease exits and is restarted',
  },
  {
    cause: ['controller-manager-no-leader'],
    explains: ['control-plane-pod-restarting'],
    effectProgram: ['kube-controller-manager'],
    scope: 'any',
    why: "a controller-manager that loses the Lease exits ('leaderelection lost') and is restarted",
  },
  {
    cause: ['node-not-ready'],
    explains: ['node-unreachable'],
    scope: 'host',
    why: 'the node controller taints a node unreachable once its kubelet stops reporting',
  },
  {
    cause: ['kubelet-unreachable', 'node-not-ready'],
    explains: ['coredns-unavailable', 'kube-proxy-unavailable'],
    scope: 'host',
    why: 'the node controller marks the pods of a node whose kubelet stopped reporting not ready: its CoreDNS replicas and kube-proxy stay down until they are evicted or the node returns',
  },
  // etcd performance: a slow disk or network shows as elections, failed proposals and slow API requests.
  {
    cause: ['etcd-wal-fsync-slow', 'etcd-backend-commit-slow'],
    explains: ['etcd-leader-changes', 'etcd-proposals-failed', 'apiserver-latency-high', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'a slow disk delays every etcd write: heartbeats miss, leaders change, and API requests wait on etcd',
  },
  {
    cause: ['etcd-peer-latency-high'],
    explains: ['etcd-leader-changes', 'etcd-proposals-failed', 'etcd-raft-lagging'],
    scope: 'any',
    why: 'slow round trips between members delay heartbeats and proposals',
  },
  {
    cause: ['etcd-leader-changes'],
    explains: ['etcd-proposals-failed', 'apiserver-latency-high'],
    scope: 'any',
    why: 'proposals in flight fail and requests wait while etcd elects a leader',
  },
  {
    cause: ['etcd-quorum-lost', 'etcd-no-leader'],
    explains: ['etcd-leader-changes', 'etcd-proposals-failed', 'etcd-peer-latency-high'],
    scope: 'any',
    why: 'without quorum or leader, elections repeat and every proposal fails',
  },
  {
    cause: ['kubelet-serving-csr-pending'],
    explains: ['kubelet-unhealthy'],
    scope: 'host',
    why: 'a kubelet waiting for its serving certificate fails the TLS handshakes the API server proxies',
  },
  // A blocking webhook on Leases stops the controller-manager renewing its own.
  {
    cause: ['webhook-backend-down'],
    explains: ['controller-manager-no-leader', 'control-plane-pod-restarting'],
    scope: 'any',
    why: 'a Fail-policy webhook whose backend is gone rejects writes, Lease renewals included',
  },
];

/** One step of the priority order: a code, and for certificates the roles it covers. */
export interface PriorityStep {
  code: Code;
  role?: readonly CertificateRole[];
}

/**
 * Among independent root causes, what to look at first: etcd ≻ control-plane certificates ≻
 * the API server process ≻ etcd members ≻ kubelets ≻ nodes ≻ other certificates ≻ the rest.
 */
export const PRIORITY: readonly PriorityStep[] = [
  { code: 'etcd-quorum-lost' },
  { code: 'etcd-alarm-nospace' },
  { code: 'etcd-alarm-corrupt' },
  { code: 'etcd-no-leader' },
  // Writes rejected by an admission webhook: "changes are not applied" with etcd healthy.
  { code: 'webhook-backend-down' },
  { code: 'cert-expired', role: CONTROL_PLANE_ROLES },
  { code: 'cert-not-yet-valid', role: CONTROL_PLANE_ROLES },
  { code: 'apiserver-refused' },
  { code: 'apiserver-timeout' },
  { code: 'apiserver-tls-error' },
  { code: 'apiserver-not-live' },
  { code: 'apiserver-not-ready' },
  { code: 'apiserver-unauthorized' },
  { code: 'apiserver-credentials-unavailable' },
  // Changes not applied: after etcd and the API server, the controller-manager; pods Pending: the scheduler.
  { code: 'controller-manager-no-leader' },
  { code: 'scheduler-no-leader' },
  { code: 'control-plane-pod-crashloop' },
  { code: 'control-plane-pod-not-ready' },
  { code: 'etcd-member-unreachable' },
  { code: 'etcd-wal-fsync-slow' },
  { code: 'etcd-peer-latency-high' },
  { code: 'etcd-backend-commit-slow' },
  { code: 'etcd-leader-changes' },
  { code: 'coredns-unavailable' },
  { code: 'kube-proxy-unavailable' },
  { code: 'apiservice-unavailable' },
  { code: 'kubelet-unreachable' },
  { code: 'kubelet-unhealthy' },
  { code: 'node-memory-pressure' },
  { code: 'node-disk-pressure' },
  { code: 'node-pid-pressure' },
  { code: 'node-lease-stale' },
  { code: 'node-not-ready' },
  { code: 'node-unreachable' },
  { code: 'kubelet-serving-csr-pending' },
  { code: 'cert-expired' },
  { code: 'cert-not-yet-valid' },
];
