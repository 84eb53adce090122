// What checks may ask of the outside world. Checks get these injected (ctx.probes), so a
// check is testable with fakes; the real implementations live next to this file.
import type { PeerCertificate } from 'node:tls';

/** How a network attempt ended, in our own words (see probes/errors.ts). */
export type OutcomeKind =
  'ok' | 'refused' | 'timeout' | 'dns' | 'unreachable' | 'reset' | 'tls' | 'unauthorized' | 'forbidden' | 'http' | 'bad-response' | 'aborted' | 'error';

export interface Failure {
  kind: Exclude<OutcomeKind, 'ok'>;
  /** One line, safe to print: no token, key or password. */
  message: string;
  /** Low-level code when there is one (ECONNREFUSED, CERT_HAS_EXPIRED, HTTP 403 …). */
  detail?: string;
}

export interface ProbeDeadline {
  /** Bound on this one probe (`--timeout`). */
  timeoutMs: number;
  /** The run's signal: aborting it ends every probe at once. */
  signal?: AbortSignal;
}

export type TcpOutcome = { kind: 'ok'; ms: number } | (Failure & { ms: number });

/** One certificate of a served chain, as read off the wire (leaf first). */
export interface ServedCertificate {
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: Date;
  notAfter: Date;
  serial: string;
  fingerprint256: string;
  selfSigned: boolean;
  /** basicConstraints CA:TRUE; absent when unknown (hand-made fakes). */
  isCa?: boolean;
  pem: string;
}

export interface TlsInspection {
  kind: 'ok' | Failure['kind'];
  ms: number;
  /** The served chain, even when it does not verify; empty when no handshake completed. */
  chain: ServedCertificate[];
  /** null when the chain verifies against the CA given (or the system store) and for the host name. */
  verifyError: string | null;
  protocol?: string;
  failure?: Failure;
}

export interface TlsInspectOptions extends ProbeDeadline {
  /** PEM CA bundle to verify against; the system store when absent. */
  ca?: string | Buffer;
  /** Host name to verify; defaults to the host probed. */
  servername?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
  /** True when the body was cut at the read cap. */
  truncated: boolean;
}

export type KubeOutcome = ({ kind: 'ok' } & HttpResponse) | (Failure & { ms: number; status?: number; body?: string });

export interface KubeRequestOptions extends ProbeDeadline {
  /** Send to this API server URL instead of the kubeconfig's server (same credentials). */
  server?: string;
}

/** Read-only access to the Kubernetes API with the kubeconfig's credentials. GET only, by design. */
export interface KubeProbe {
  /** The server the kubeconfig names, or null when there is none. */
  readonly server: string | null;
  get(path: string, options: KubeRequestOptions): Promise<KubeOutcome>;
  /**
   * Sends requests without an explicit `server` to this API server from now on: when the
   * kubeconfig's server (a load balancer) does not answer but one master does.
   */
  useServer?(url: string): void;
}

export interface Probes {
  tcp(host: string, port: number, deadline: ProbeDeadline): Promise<TcpOutcome>;
  tls(host: string, port: number, options: TlsInspectOptions): Promise<TlsInspection>;
  /** Null when no kubeconfig or in-cluster credentials were found. */
  kube: KubeProbe | null;
  etcd: EtcdProbeFactory | null;
  files: FilesProbe;
}

export interface FilesProbe {
  /** Reads a file; `missing` and `unreadable` are outcomes, not throws. */
  read(path: string): Promise<{ kind: 'ok'; data: Buffer } | { kind: 'missing' | 'unreadable' | 'not-a-file'; message: string }>;
  list(dir: string): Promise<string[] | null>;
  stat(path: string): Promise<{ size: number; mtime: Date; isFile: boolean; isDirectory: boolean } | null>;
}

export type { PeerCertificate };

/** Filled in by the etcd issue: one client per endpoint, each call bounded. */
export interface EtcdProbeFactory {
  forEndpoint(endpoint: string): EtcdEndpointProbe;
  close(): Promise<void>;
}

export interface EtcdMember {
  /** Hex string, as etcdctl prints it in its table. */
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface EtcdStatus {
  endpoint: string;
  memberId: string;
  clusterId: string;
  leader: string;
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  raftTerm: string;
  raftIndex: string;
  raftAppliedIndex: string;
  isLearner: boolean;
  errors: string[];
}

export interface EtcdAlarm {
  memberId: string;
  alarm: 'NOSPACE' | 'CORRUPT' | string;
}

export type EtcdOutcome<T> = { kind: 'ok'; value: T; ms: number } | (Failure & { ms: number });

export interface EtcdEndpointProbe {
  readonly endpoint: string;
  status(deadline: ProbeDeadline): Promise<EtcdOutcome<EtcdStatus>>;
  memberList(deadline: ProbeDeadline): Promise<EtcdOutcome<EtcdMember[]>>;
  alarms(deadline: ProbeDeadline): Promise<EtcdOutcome<EtcdAlarm[]>>;
  /** A linearizable read, as `etcdctl endpoint health` does: proves the member can reach quorum. */
  health(deadline: ProbeDeadline): Promise<EtcdOutcome<{ healthy: boolean; reason?: string }>>;
  /** `etcd_server_quota_backend_bytes` and friends from /metrics, when reachable. */
  metrics(deadline: ProbeDeadline): Promise<EtcdOutcome<string>>;
}
