// Everything a run will look at, gathered once by discovery and handed to every check.
import type { CredentialScope } from '../auth/credential-scope.js';
import type { Shape } from '../shape/types.js';

export interface Endpoint {
  /** Full URL as the user or discovery gave it, e.g. https://10.0.0.1:6443. */
  url: string;
  host: string;
  port: number;
  /** Where it came from, for messages: `kubeconfig`, `--apiserver`, `node cp1`, `manifest`, `cache`. */
  source: string;
}

export interface HostTarget {
  /** Address to probe (InternalIP or --hosts entry). */
  address: string;
  /** Node name when known. */
  name?: string;
  controlPlane: boolean;
}

export interface EtcdTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * What certs-kubeconfig judges about the current context: its client certificate (inline or
 * a file path), never the key. The cluster CA is `Targets.clusterCa`.
 */
export interface KubeconfigCertificates {
  /** Names the context, user and cluster for messages and `data.source`. */
  context: string;
  user: string | null;
  cluster: string;
  /** Decoded client-certificate-data. */
  clientCertPem: string | null;
  /** client-certificate, made absolute. */
  clientCertFile: string | null;
  /** How the user authenticates when it has no client certificate: `token`, `exec plugin` … */
  otherAuth: string | null;
}

export interface Targets {
  context: string | null;
  /** The kubeconfig's server (often a load balancer). */
  kubeServer: Endpoint | null;
  /** PEM of the cluster CA from the kubeconfig (inline or file), to verify served certificates. */
  clusterCa: string | null;
  /** Individual API servers (each master), besides kubeServer. */
  apiServers: Endpoint[];
  etcd: Endpoint[];
  etcdTls: EtcdTls;
  hosts: HostTarget[];
  pkiDir: string | null;
  /** Absent when there is no kubeconfig (or in a pod: the service account has no certificate). */
  kubeconfigCertificates?: KubeconfigCertificates | null;
  etcdBackupDir: string | null;
  /** Which sources were used, and what failed, for --debug and the JSON. */
  notes: string[];
  /** Set when the API server did not tell the machines and the discovery cache did. */
  fromCache?: DiscoveryCacheUse;
  /**
   * Which API servers may receive the kubeconfig's credentials; settled by the last
   * discoverer. Absent: every endpoint may (no cache in play).
   */
  credentialScope?: CredentialScope;
  /** Who built the cluster, where its state lives and where k8sdoc stands; set by the shape discoverer. */
  shape?: Shape;
}

/** What a run took from the discovery cache, and how old it was (the report's `discoveryCache`). */
export interface DiscoveryCacheUse {
  path: string;
  writtenAt: string;
  ageSeconds: number;
  /** Addresses of the hosts taken from the cache. */
  hosts: string[];
  /** URLs of the API servers and etcd endpoints taken from the cache. */
  apiServers: string[];
  etcd: string[];
}
