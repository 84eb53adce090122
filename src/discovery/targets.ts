// Everything a run will look at, gathered once by discovery and handed to every check.

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
  etcdBackupDir: string | null;
  /** Which sources were used, and what failed, for --debug and the JSON. */
  notes: string[];
}
