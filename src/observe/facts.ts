// The facts API: everything checks, discovery and plugins may learn about the cluster, each
// observation made once per run through the probes (bounded by --timeout, counted against
// --concurrency, stopped with the run). It is read-only by construction: no write verb of any
// kind is reachable from it, and the memo keys and the probes behind it stay private here.
import type { Endpoint } from '../discovery/targets.js';
import type { FilesProbe, KubeOutcome, TcpOutcome, TlsInspection } from '../probes/types.js';
import { apiEndpointAnswer, apiGet, apiUnavailable, endpointVersion, healthAnswer, speaksHttp, type ApiEndpointAnswer, type HealthPath } from './api.js';
import { etcdIndirectView, type IndirectView } from './etcd-indirect.js';
import { etcdView, hasEtcdCredentials, prewarmEtcdView, type EtcdView } from './etcd-view.js';
import { certificateFile, etcdCa, type CertificateFileRead, type TrustAnchor } from './files.js';
import { kubeletAnswer, kubeletPlan, type KubeletAnswer, type KubeletPlan } from './kubelet.js';
import { nodeLeases, type LeaseListOutcome } from './leases.js';
import { namespaceLeases, systemPods, unscheduledPods, type LeasesOutcome, type SystemPodsOutcome, type UnscheduledOutcome } from './control-plane.js';
import { listPaged, nodeList, type NodeListOutcome, type PagedListOutcome } from './nodes.js';
import type { ObserveScope } from './scope.js';
import { tcpOnce, tlsOnce, type TlsRole } from './sockets.js';
import {
  apiServices,
  certificateSigningRequests,
  serviceBackends,
  webhooks,
  workloads,
  type ApiServiceSummary,
  type CsrSummary,
  type ServiceBackends,
  type WebhookSummary,
  type WorkloadSummary,
} from './cluster-objects.js';
import { etcdMetricsAgain, type MetricsPair } from './etcd-metrics.js';

export interface ApiFacts {
  /** Whether there is anything to ask the API with (a kubeconfig, or a service account). */
  readonly configured: boolean;
  /** Null when the API answers (a 403 counts: it answered), else why not. Asked once per run. */
  unavailable(): Promise<string | null>;
  /** A GET on the API server in use, or on `server` (one of the run's API endpoints). Each call is a request. */
  get(path: string, options?: { server?: string }): Promise<KubeOutcome>;
  /** A collection, page by page (limit + continue), keeping what `keep` returns of each item. */
  list<Raw, T>(path: string, keep: (raw: Raw) => T | null, forbiddenReason: string): Promise<PagedListOutcome<T>>;
  /** GET /version of an API endpoint (the kubeconfig server or one API server), once per run. */
  version(endpoint: Endpoint): Promise<KubeOutcome>;
  /** TCP, TLS and /version of an API endpoint, each stage only when the one before answered; once per run. */
  endpoint(endpoint: Endpoint): Promise<ApiEndpointAnswer>;
  /** Whether the endpoint answers HTTP at all (TCP, TLS, then any HTTP answer to /version). */
  speaksHttp(endpoint: Endpoint): Promise<boolean>;
  /** GET /livez?verbose or /readyz?verbose of one API server, once per run. */
  health(endpoint: Endpoint, path: HealthPath): Promise<KubeOutcome>;
}

export interface EtcdFacts {
  /** Whether etcd can be asked directly (endpoints, and a client certificate where TLS needs one). */
  credentials(): boolean;
  /** What every member says about itself and the cluster; null without credentials. Once per run. */
  view(): Promise<EtcdView | null>;
  /** etcd from outside: ports, served certificates, and what the API server says of it. Once per run. */
  indirect(): Promise<IndirectView>;
  /** The CA etcd's certificates are verified against. */
  ca(): Promise<TrustAnchor>;
  /** Starts the view at once when nothing discovery does can change it. */
  prewarm(): void;
  /**
   * Each member's /metrics scraped again a few seconds after the view's scrape (only where that
   * one worked), for rates and percentiles over the window between them. Null without credentials.
   */
  metricsAgain(): Promise<MetricsPair[] | null>;
}

/** Cluster objects the add-on checks judge, each listed once per run and cut down. */
export interface ObjectFacts {
  /** Every admission webhook of every Validating/MutatingWebhookConfiguration. */
  webhooks(): Promise<PagedListOutcome<WebhookSummary>>;
  apiServices(): Promise<PagedListOutcome<ApiServiceSummary>>;
  workloads(namespace: string, kind: 'Deployment' | 'DaemonSet'): Promise<PagedListOutcome<WorkloadSummary>>;
  /** Whether a Service exists and how many ready addresses its EndpointSlices (else Endpoints) hold. */
  serviceBackends(namespace: string, name: string): Promise<ServiceBackends>;
  certificateSigningRequests(): Promise<PagedListOutcome<CsrSummary>>;
}

export interface FileFacts extends FilesProbe {
  /** A certificate file read and parsed once per run. */
  certificates(path: string): Promise<CertificateFileRead>;
}

export interface Facts {
  api: ApiFacts;
  /** Every node, listed once per run (cut down to what is judged). */
  nodes(): Promise<NodeListOutcome>;
  /** The kubelets' heartbeats in kube-node-lease, once per run. */
  nodeLeases(): Promise<LeaseListOutcome>;
  /** kube-system's pods (and OpenShift's control-plane namespaces' when kube-system has no static pod), once per run. */
  systemPods(): Promise<SystemPodsOutcome>;
  /** The Leases of a namespace (leader election: kube-system), once per run per namespace. */
  leases(namespace: string): Promise<LeasesOutcome>;
  /** Pending pods that no scheduler has placed on a node, in every namespace, once per run. */
  unscheduledPods(): Promise<UnscheduledOutcome>;
  /** A TCP connect to host:port, once per run. */
  tcp(host: string, port: number): Promise<TcpOutcome>;
  /** An inspection handshake (no credentials sent), once per run per role; verified against the role's CA. */
  tls(host: string, port: number, role?: TlsRole): Promise<TlsInspection>;
  /** Whether the kubelet at address:port runs: TCP, then a TLS handshake. */
  kubelet(address: string, port: number): Promise<KubeletAnswer>;
  /**
   * Which kubelets to dial, once per run, from the node list and the leases: those the control
   * plane already knows dead (past a sample) are dialled by no check. `runStart`: the clock
   * the leases are judged by when the API server sent none.
   */
  kubeletPlan(runStart: Date): Promise<KubeletPlan>;
  etcd: EtcdFacts;
  files: FileFacts;
  objects: ObjectFacts;
}

export function createFacts(scope: ObserveScope): Facts {
  return {
    api: {
      get configured() {
        return scope.probes.kube !== null;
      },
      unavailable: () => apiUnavailable(scope),
      get: (path, options) => apiGet(scope, path, options?.server),
      list: (path, keep, forbiddenReason) => listPaged(scope, path, keep, forbiddenReason),
      version: (e) => (scope.probes.kube ? endpointVersion(scope, scope.probes.kube, e) : apiGet(scope, '/version')),
      endpoint: (e) => apiEndpointAnswer(scope, e),
      speaksHttp: (e) => speaksHttp(scope, e),
      health: (e, path) => healthAnswer(scope, e, path),
    },
    nodes: () => nodeList(scope),
    nodeLeases: () => nodeLeases(scope),
    systemPods: () => systemPods(scope),
    leases: (namespace) => namespaceLeases(scope, namespace),
    unscheduledPods: () => unscheduledPods(scope),
    tcp: (host, port) => tcpOnce(scope, host, port),
    tls: (host, port, role) => tlsOnce(scope, host, port, role),
    kubelet: (address, port) => kubeletAnswer(scope, address, port),
    kubeletPlan: (runStart) => kubeletPlan(scope, runStart),
    etcd: {
      credentials: () => hasEtcdCredentials(scope),
      view: () => etcdView(scope),
      indirect: () => etcdIndirectView(scope),
      ca: () => etcdCa(scope),
      prewarm: () => prewarmEtcdView(scope),
      metricsAgain: () => etcdMetricsAgain(scope),
    },
    objects: {
      webhooks: () => webhooks(scope),
      apiServices: () => apiServices(scope),
      workloads: (namespace, kind) => workloads(scope, namespace, kind),
      serviceBackends: (namespace, name) => serviceBackends(scope, namespace, name),
      certificateSigningRequests: () => certificateSigningRequests(scope),
    },
    files: {
      read: (path) => scope.probes.files.read(path),
      list: (dir) => scope.probes.files.list(dir),
      stat: (path) => scope.probes.files.stat(path),
      certificates: (path) => certificateFile(scope, path),
    },
  };
}
