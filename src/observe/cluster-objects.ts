// The cluster objects the add-on checks judge: admission webhook configurations, APIServices,
// the Deployments and DaemonSets of kube-system, a Service's ready backends, and CSRs. Each
// is listed once per run (paginated) and cut down to what is judged; every string in them
// came from the cluster and is printed only through safeText.
import { parseJsonBody } from '../probes/json-body.js';
import { apiGet } from './api.js';
import { listPaged, type PagedListOutcome } from './nodes.js';
import type { ObserveScope } from './scope.js';

export interface WebhookSummary {
  /** The configuration object's name. */
  configuration: string;
  kind: 'validating' | 'mutating';
  /** The webhook's own name inside the configuration (`validate.example.com`). */
  name: string;
  /** `Fail` unless the configuration says `Ignore` (the API server's default is Fail). */
  failurePolicy: 'Fail' | 'Ignore';
  /** Where the API server sends the review; null when the webhook calls a URL instead. */
  service: { namespace: string; name: string; port: number } | null;
  url: boolean;
  /** What the webhook intercepts: `CREATE,UPDATE pods,deployments`. */
  rules: { operations: string[]; resources: string[] }[];
  timeoutSeconds: number;
}

export interface ApiServiceSummary {
  name: string;
  /** Null for a local APIService (served by the API server itself). */
  service: { namespace: string; name: string } | null;
  available: string | null;
  reason: string;
  message: string;
  lastTransitionTime: string | null;
}

export interface WorkloadSummary {
  kind: 'Deployment' | 'DaemonSet';
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Deployment: spec.replicas; DaemonSet: status.desiredNumberScheduled. */
  desired: number;
  /** Deployment: status.readyReplicas; DaemonSet: status.numberReady. */
  ready: number;
}

export interface CsrSummary {
  name: string;
  signerName: string;
  username: string;
  createdAt: string | null;
  /** The condition types it carries: none means Pending. */
  conditions: string[];
}

export type ServiceBackends =
  | { kind: 'ok'; ready: number; notReady: number; source: 'EndpointSlices' | 'Endpoints' }
  | { kind: 'no-service'; message: string }
  | { kind: 'no-namespace'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'failed'; message: string };

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function keepWebhooks(kind: 'validating' | 'mutating') {
  return (raw: Raw): WebhookSummary[] | null => {
    const configuration = str(raw?.metadata?.name);
    if (configuration === '') return null;
    const hooks = Array.isArray(raw.webhooks) ? (raw.webhooks as Raw[]) : [];
    return hooks.map((w) => {
      const svc = w?.clientConfig?.service as Raw | undefined;
      return {
        configuration,
        kind,
        name: str(w?.name, '(unnamed)'),
        failurePolicy: w?.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
        service: svc && typeof svc.name === 'string' ? { namespace: str(svc.namespace, 'default'), name: svc.name, port: num(svc.port, 443) } : null,
        url: typeof w?.clientConfig?.url === 'string',
        rules: (Array.isArray(w?.rules) ? (w.rules as Raw[]) : []).map((r) => ({ operations: strings(r?.operations), resources: strings(r?.resources) })),
        timeoutSeconds: num(w?.timeoutSeconds, 10),
      };
    });
  };
}

/** Both kinds of admission webhook configuration, flattened to one entry per webhook. */
export function webhooks(scope: ObserveScope): Promise<PagedListOutcome<WebhookSummary>> {
  return scope.memo.once('objects:webhooks', async () => {
    const base = '/apis/admissionregistration.k8s.io/v1';
    const [validating, mutating] = await Promise.all([
      listPaged(
        scope,
        `${base}/validatingwebhookconfigurations`,
        keepWebhooks('validating'),
        'needs list validatingwebhookconfigurations (admissionregistration.k8s.io)',
      ),
      listPaged(
        scope,
        `${base}/mutatingwebhookconfigurations`,
        keepWebhooks('mutating'),
        'needs list mutatingwebhookconfigurations (admissionregistration.k8s.io)',
      ),
    ]);
    if (validating.kind !== 'ok') return validating;
    if (mutating.kind !== 'ok') return mutating;
    const items: WebhookSummary[] = [...validating.items.flat(), ...mutating.items.flat()];
    return { ...validating, items, pages: validating.pages + mutating.pages };
  });
}

function keepApiService(raw: Raw): ApiServiceSummary | null {
  const name = str(raw?.metadata?.name);
  if (name === '') return null;
  const svc = raw?.spec?.service as Raw | null | undefined;
  const conditions = Array.isArray(raw?.status?.conditions) ? (raw.status.conditions as Raw[]) : [];
  const available = conditions.find((c) => c?.type === 'Available');
  return {
    name,
    service: svc && typeof svc.name === 'string' ? { namespace: str(svc.namespace, 'default'), name: svc.name } : null,
    available: available ? str(available.status, 'Unknown') : null,
    reason: str(available?.reason),
    message: str(available?.message),
    lastTransitionTime: available ? str(available.lastTransitionTime) || null : null,
  };
}

export function apiServices(scope: ObserveScope): Promise<PagedListOutcome<ApiServiceSummary>> {
  return scope.memo.once('objects:apiservices', () =>
    listPaged(scope, '/apis/apiregistration.k8s.io/v1/apiservices', keepApiService, 'needs list apiservices (apiregistration.k8s.io)'),
  );
}

function keepWorkload(kind: 'Deployment' | 'DaemonSet') {
  return (raw: Raw): WorkloadSummary | null => {
    const name = str(raw?.metadata?.name);
    if (name === '') return null;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries((raw?.metadata?.labels ?? {}) as Raw)) if (typeof v === 'string') labels[k] = v;
    return kind === 'Deployment'
      ? { kind, namespace: str(raw.metadata.namespace), name, labels, desired: num(raw?.spec?.replicas, 1), ready: num(raw?.status?.readyReplicas) }
      : { kind, namespace: str(raw.metadata.namespace), name, labels, desired: num(raw?.status?.desiredNumberScheduled), ready: num(raw?.status?.numberReady) };
  };
}

/** The Deployments or DaemonSets of one namespace. */
export function workloads(scope: ObserveScope, namespace: string, kind: 'Deployment' | 'DaemonSet'): Promise<PagedListOutcome<WorkloadSummary>> {
  const resource = kind === 'Deployment' ? 'deployments' : 'daemonsets';
  return scope.memo.once(`objects:${resource}:${namespace}`, () =>
    listPaged(
      scope,
      `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`,
      keepWorkload(kind),
      `needs list ${resource} (apps) in namespace ${namespace}`,
    ),
  );
}

function keepCsr(raw: Raw): CsrSummary | null {
  const name = str(raw?.metadata?.name);
  if (name === '') return null;
  return {
    name,
    signerName: str(raw?.spec?.signerName),
    username: str(raw?.spec?.username),
    createdAt: str(raw?.metadata?.creationTimestamp) || null,
    conditions: (Array.isArray(raw?.status?.conditions) ? (raw.status.conditions as Raw[]) : []).map((c) => str(c?.type)).filter((t) => t !== ''),
  };
}

export function certificateSigningRequests(scope: ObserveScope): Promise<PagedListOutcome<CsrSummary>> {
  return scope.memo.once('objects:csrs', () =>
    listPaged(scope, '/apis/certificates.k8s.io/v1/certificatesigningrequests', keepCsr, 'needs list certificatesigningrequests (certificates.k8s.io)'),
  );
}

/** Ready and not-ready addresses of a Service: its EndpointSlices, else its Endpoints object. */
function countSlices(items: Raw[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const slice of items) {
    for (const e of Array.isArray(slice?.endpoints) ? (slice.endpoints as Raw[]) : []) {
      const n = Array.isArray(e?.addresses) ? e.addresses.length : 0;
      // A missing `ready` means ready (the EndpointSlice API's own rule).
      if (e?.conditions?.ready === false) notReady += n;
      else ready += n;
    }
  }
  return { ready, notReady };
}

function countEndpoints(raw: Raw): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const s of Array.isArray(raw?.subsets) ? (raw.subsets as Raw[]) : []) {
    ready += Array.isArray(s?.addresses) ? s.addresses.length : 0;
    notReady += Array.isArray(s?.notReadyAddresses) ? s.notReadyAddresses.length : 0;
  }
  return { ready, notReady };
}

export function serviceBackends(scope: ObserveScope, namespace: string, name: string): Promise<ServiceBackends> {
  return scope.memo.once(`objects:backends:${namespace}/${name}`, async () => {
    const ns = encodeURIComponent(namespace);
    const svc = encodeURIComponent(name);
    const selector = encodeURIComponent(`kubernetes.io/service-name=${name}`);
    // The slices are asked alongside the Service rather than after it: one round trip, not two,
    // and an answer about a Service that does not exist is simply not read.
    const slicesAsked = apiGet(scope, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=${selector}`);
    const service = await apiGet(scope, `/api/v1/namespaces/${ns}/services/${svc}`);
    if (service.kind === 'http' && service.status === 404) {
      const namespaceAnswer = await apiGet(scope, `/api/v1/namespaces/${ns}`);
      if (namespaceAnswer.kind === 'http' && namespaceAnswer.status === 404) return { kind: 'no-namespace', message: `namespace ${namespace} does not exist` };
      return { kind: 'no-service', message: `service ${namespace}/${name} does not exist` };
    }
    if (service.kind === 'forbidden') return { kind: 'forbidden', message: `needs get services (service ${namespace}/${name})` };
    if (service.kind !== 'ok') return { kind: 'failed', message: service.message };
    const slices = await slicesAsked;
    if (slices.kind === 'ok') {
      const parsed = parseJsonBody<{ items?: Raw[] }>(slices, 'GET endpointslices');
      if (parsed.ok) return { kind: 'ok', source: 'EndpointSlices', ...countSlices(parsed.value.items ?? []) };
    }
    // Clusters older than EndpointSlices, or credentials that may only read Endpoints.
    const endpoints = await apiGet(scope, `/api/v1/namespaces/${ns}/endpoints/${svc}`);
    if (endpoints.kind === 'http' && endpoints.status === 404) return { kind: 'ok', source: 'Endpoints', ready: 0, notReady: 0 };
    if (endpoints.kind === 'forbidden') return { kind: 'forbidden', message: `needs list endpointslices or get endpoints (service ${namespace}/${name})` };
    if (endpoints.kind !== 'ok') return { kind: 'failed', message: endpoints.message };
    const parsed = parseJsonBody<Raw>(endpoints, 'GET endpoints');
    if (!parsed.ok) return { kind: 'failed', message: parsed.message };
    return { kind: 'ok', source: 'Endpoints', ...countEndpoints(parsed.value) };
  });
}
