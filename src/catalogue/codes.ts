// Every catalogue code, grouped by component. Codes are a public contract (JSON `code`,
// `k8sdoc explain <code>`, config-file overrides): add freely, never rename.
export const CODES = {
  apiserver: [
    'apiserver-refused',
    'apiserver-timeout',
    'apiserver-tls-error',
    'apiserver-unauthorized',
    'apiserver-credentials-unavailable',
    'apiserver-forbidden',
    'apiserver-dns',
    'apiserver-unreachable',
    'apiserver-bad-response',
    'apiserver-not-ready',
    'apiserver-not-live',
    'apiserver-latency-high',
    'control-plane-not-ha',
    'webhook-backend-down',
    'apiservice-unavailable',
  ],
  etcd: [
    'etcd-quorum-lost',
    'etcd-quorum-at-risk',
    'etcd-even-members',
    'etcd-member-unreachable',
    'etcd-no-leader',
    'etcd-members-disagree',
    'etcd-raft-lagging',
    'etcd-alarm-nospace',
    'etcd-alarm-corrupt',
    'etcd-db-near-quota',
    'etcd-db-fragmented',
    'etcd-backup-stale',
    'etcd-backup-missing',
    'etcd-no-credentials',
    'etcd-auth-failed',
    'etcd-wal-fsync-slow',
    'etcd-backend-commit-slow',
    'etcd-peer-latency-high',
    'etcd-leader-changes',
    'etcd-proposals-failed',
  ],
  'control-plane': [
    'scheduler-no-leader',
    'controller-manager-no-leader',
    'pods-unscheduled',
    'control-plane-pod-crashloop',
    'control-plane-pod-not-ready',
    'control-plane-pod-restarting',
    'control-plane-pod-missing',
  ],
  certs: [
    'cert-expired',
    'cert-expiring',
    'cert-not-yet-valid',
    'cert-ca-expires-first',
    'cert-served-stale',
    'cert-untrusted',
    'cert-file-missing',
    'cert-file-unreadable',
    'cert-file-invalid',
  ],
  nodes: [
    'node-not-ready',
    'node-memory-pressure',
    'node-disk-pressure',
    'node-pid-pressure',
    'node-network-unavailable',
    'node-condition',
    'node-cordoned',
    'node-lease-stale',
    'node-ready-flapping',
    'node-unreachable',
    'kubelet-version-skew',
    'coredns-unavailable',
    'kube-proxy-unavailable',
  ],
  kubelet: ['kubelet-unreachable', 'kubelet-unhealthy', 'kubelet-serving-csr-pending'],
  ports: ['port-refused', 'port-timeout', 'port-unreachable', 'port-dns'],
} as const;

export type CodesByComponent = typeof CODES;
export type Code = CodesByComponent[keyof CodesByComponent][number];

export const ALL_CODES: readonly Code[] = Object.values(CODES).flat();

export function isCode(value: string): value is Code {
  return (ALL_CODES as readonly string[]).includes(value);
}

/**
 * A plugin's code, namespaced by the plugin (`acme/ingress-down`). Built-in codes never hold a
 * slash, so the two kinds cannot collide and a plugin code is told apart by its shape alone.
 */
export type PluginCode = `${string}/${string}`;

/** Any code a finding, a triage rule, a config override or `explain` may name. */
export type AnyCode = Code | PluginCode;

/** `<plugin>/<name>`, both kebab-case: the shape a plugin code must have. */
const PLUGIN_CODE = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

export function isPluginCode(value: string): value is PluginCode {
  return PLUGIN_CODE.test(value);
}
