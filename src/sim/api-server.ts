// One simulated kube-apiserver on <control-plane address>:6443. It speaks the wire shapes
// kubectl and @kubernetes/client-node expect (discovery, lists with pagination, the Table
// form, Status errors, health endpoints, metrics, the nodes proxy), authenticates client
// certificates and bearer tokens, and can be made to fail the ways real ones do. It only
// reads: any other method gets 405, and every request lands in the request log.
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import {
  ANONYMOUS,
  allowed,
  forbiddenMessage,
  identityFromCertificate,
  type Identity,
  type RequestAttributes,
  type ResourceAttributes,
  type TokenTable,
} from './api-access.js';
import { LEASE_PRINTER, NAMESPACE_PRINTER, NODE_PRINTER, POD_PRINTER, type Printer } from './api-tables.js';
import {
  KUBE_VERSION,
  versionInfo,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  decodeContinue,
  paginate,
  parseIncludeObject,
  statusError,
  table,
  wantsTable,
} from './api-wire.js';
import type { ClusterState, KubeObject } from './cluster-state.js';
import { extraGroups, extraKind, extraResources, type AddonObjects } from './api-objects.js';
import type { EtcdReadiness } from './etcd-readiness.js';
import { delay, ModalListener, type ListenMode } from './faults.js';
import type { RequestLog } from './request-log.js';

export const API_SERVER_PORT = 6443;

/** Failures of a running API server that are not about its socket (see `mode` for those). */
export interface ApiServerFaults {
  /** Delay before every answer. */
  slowMs: number;
  /** readyz/livez/healthz checks forced to fail, by name (`etcd`, `informer-sync`, `poststarthook/...`). */
  readyzFailing: string[];
  /** The p99 request latency its /metrics histograms show. */
  p99LatencySeconds: number;
  /** Resources (`nodes`, `nodes/proxy`, `leases`) or paths (`/metrics`) answered 401 whoever asks. */
  unauthorized: string[];
  /** Resources or paths answered 403 whoever asks, admins included (an RBAC binding gone missing). */
  forbidden: string[];
}

export const DEFAULT_API_SERVER_FAULTS: ApiServerFaults = { slowMs: 0, readyzFailing: [], p99LatencySeconds: 0.04, unauthorized: [], forbidden: [] };

export interface ApiServerOptions {
  /** The control-plane node this API server runs on. */
  nodeName: string;
  host: string;
  port?: number;
  state: ClusterState;
  /** PEM of the CA that signs client certificates (the cluster CA). */
  clientCaPem: string;
  /** The certificate this server presents. */
  serving: { certPem: string; keyPem: string };
  /** apiserver-kubelet-client: what it presents to kubelets through the nodes proxy. */
  kubeletClient: { certPem: string; keyPem: string };
  tokens: TokenTable;
  requestLog: RequestLog;
  /** The real etcd cluster behind it; without one the etcd check passes unless forced. */
  etcd?: EtcdReadiness;
  faults?: Partial<ApiServerFaults>;
  /** What /version answers; default the simulator's kubeadm version. */
  gitVersion?: string;
  /** Deployments, DaemonSets, Services, webhooks, APIServices, CSRs and the pods they add. */
  addons?: AddonObjects;
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json';
const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const TEXT_TYPE = 'text/plain; charset=utf-8';

const POST_START_HOOKS = [
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/storage-object-count-tracker-hook',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller',
  'poststarthook/start-kube-apiserver-identity-lease-garbage-collector',
  'poststarthook/start-legacy-token-tracking-controller',
  'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/bootstrap-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-discovery-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
];

/** The checks each health endpoint runs, in the order a 1.32 kube-apiserver prints them. */
export const HEALTH_CHECKS: Record<'healthz' | 'livez' | 'readyz', readonly string[]> = {
  healthz: ['ping', 'log', 'etcd', ...POST_START_HOOKS],
  livez: ['ping', 'log', 'etcd', ...POST_START_HOOKS],
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...POST_START_HOOKS, 'shutdown'],
};

// apiserver_request_duration_seconds buckets of a 1.32 kube-apiserver.
const DURATION_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

function json(status: number, body: unknown, contentType = JSON_TYPE): Reply {
  return { status, contentType, body: JSON.stringify(body) };
}

function text(status: number, body: string): Reply {
  return { status, contentType: TEXT_TYPE, body };
}

const NOT_FOUND_PAGE = text(404, '404 page not found\n');

function notFoundResource(): Reply {
  return json(404, statusError(404, 'NotFound', 'the server could not find the requested resource', {}));
}

/** node:tls gives a single string when the subject has one value, an array otherwise. */
function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

interface Selector {
  test(labels: Record<string, string>): boolean;
}

function parseLabelSelector(raw: string | null): Selector | Error {
  if (!raw) return { test: () => true };
  const terms: ((l: Record<string, string>) => boolean)[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(part))) {
      const [, k, v] = m as unknown as [string, string, string];
      terms.push((l) => l[k] !== v);
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(part))) {
      const [, k, v] = m as unknown as [string, string, string];
      terms.push((l) => l[k] === v);
    } else if ((m = /^!([\w./-]+)$/.exec(part))) {
      const k = m[1]!;
      terms.push((l) => !(k in l));
    } else if ((m = /^([\w./-]+)$/.exec(part))) {
      const k = m[1]!;
      terms.push((l) => k in l);
    } else {
      return new Error(`unable to parse requirement: ${part}`);
    }
  }
  return { test: (l) => terms.every((t) => t(l)) };
}

const FIELD_PATHS: Record<string, (o: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
  'spec.nodeName': (o) => (o.spec as { nodeName?: string } | undefined)?.nodeName,
  'status.phase': (o) => (o.status as { phase?: string } | undefined)?.phase,
  'spec.unschedulable': (o) => String((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false),
};

function parseFieldSelector(raw: string | null): ((o: KubeObject) => boolean) | Error {
  if (!raw) return () => true;
  const terms: ((o: KubeObject) => boolean)[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([\w.]+)\s*(!=|==|=)\s*(.*)$/.exec(part);
    const read = m ? FIELD_PATHS[m[1]!] : undefined;
    if (!m || !read) return new Error(`"${part}" is not a known field selector: only "${Object.keys(FIELD_PATHS).join('", "')}"`);
    const negate = m[2] === '!=';
    const value = m[3]!;
    terms.push((o) => (read(o) === value) !== negate);
  }
  return (o) => terms.every((t) => t(o));
}

interface ResourceKind {
  kind: string;
  listKind: string;
  apiVersion: string;
  printer: Printer;
}

const KINDS: Record<string, ResourceKind> = {
  nodes: { kind: 'Node', listKind: 'NodeList', apiVersion: 'v1', printer: NODE_PRINTER },
  pods: { kind: 'Pod', listKind: 'PodList', apiVersion: 'v1', printer: POD_PRINTER },
  namespaces: { kind: 'Namespace', listKind: 'NamespaceList', apiVersion: 'v1', printer: NAMESPACE_PRINTER },
  leases: { kind: 'Lease', listKind: 'LeaseList', apiVersion: 'coordination.k8s.io/v1', printer: LEASE_PRINTER },
};

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Parses /api/v1/... and /apis/<group>/<version>/... into RBAC request attributes. */
export function resourceAttributes(method: string, path: string, query: URLSearchParams): ResourceAttributes | null {
  let group: string;
  let rest: string[];
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else {
    return null;
  }
  if (rest.length === 0) return null;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, ...sub] = rest as [string, string | undefined, ...string[]];
  const subresource = sub[0];
  const verb =
    method === 'GET'
      ? name
        ? 'get'
        : query.get('watch') === 'true' || query.get('watch') === '1'
          ? 'watch'
          : 'list'
      : (METHOD_VERBS[method] ?? method.toLowerCase());
  return {
    kind: 'resource',
    verb: method === 'DELETE' && !name ? 'deletecollection' : verb,
    group,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

const PUBLIC_PATHS = [/^\/(healthz|livez|readyz)(\/.*)?$/, /^\/version\/?$/];
const DISCOVERY_PATHS = [/^\/api\/?$/, /^\/api\/v1\/?$/, /^\/apis\/?$/, /^\/apis\/[^/]+\/?$/, /^\/apis\/[^/]+\/[^/]+\/?$/, /^\/openapi\//];

export class SimApiServer {
  readonly nodeName: string;
  readonly host: string;
  readonly port: number;
  readonly faults: ApiServerFaults;
  private readonly listener: ModalListener;
  private serving: { certPem: string; keyPem: string };

  constructor(private readonly o: ApiServerOptions) {
    this.nodeName = o.nodeName;
    this.host = o.host;
    this.port = o.port ?? API_SERVER_PORT;
    this.faults = {
      ...DEFAULT_API_SERVER_FAULTS,
      ...o.faults,
      readyzFailing: [...(o.faults?.readyzFailing ?? [])],
      unauthorized: [...(o.faults?.unauthorized ?? [])],
      forbidden: [...(o.faults?.forbidden ?? [])],
    };
    this.serving = o.serving;
    this.listener = new ModalListener(this.host, this.port, () => this.makeServer());
  }

  get url(): string {
    return `https://${this.host}:${this.port}`;
  }

  get mode(): ListenMode {
    return this.listener.mode;
  }

  get servingCertPem(): string {
    return this.serving.certPem;
  }

  setMode(mode: ListenMode): Promise<void> {
    return this.listener.setMode(mode);
  }

  /** Presents another certificate from now on (the listener restarts if it is up). */
  async setServingCertificate(serving: { certPem: string; keyPem: string }): Promise<void> {
    this.serving = serving;
    const mode = this.listener.mode;
    if (mode === 'up') {
      await this.listener.setMode('down');
      await this.listener.setMode('up');
    }
  }

  stop(): Promise<void> {
    return this.listener.close();
  }

  /** What a load balancer's health check (`GET /healthz`) would conclude: serving, and every check passing. */
  async healthy(): Promise<boolean> {
    if (this.listener.mode !== 'up') return false;
    const failing = await this.failingChecks();
    return ![...failing.keys()].some((name) => HEALTH_CHECKS.healthz.includes(name));
  }

  private makeServer(): Server {
    const server = createServer(
      {
        cert: this.serving.certPem,
        key: this.serving.keyPem,
        ca: this.o.clientCaPem,
        // Ask for a client certificate but judge it per request, as kube-apiserver does:
        // a request without one may still carry a token or be anonymous.
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => void this.handle(req, res),
    );
    server.on('tlsClientError', () => undefined);
    return server;
  }

  private authenticate(req: IncomingMessage): Identity | null {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    if (peer && peer.subject) {
      if (!socket.authorized) return null;
      return identityFromCertificate(asList(peer.subject.CN)[0] ?? '', asList(peer.subject.O));
    }
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const identity = match ? this.o.tokens.identity(match[1]!) : undefined;
      return identity ?? null;
    }
    return ANONYMOUS;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const rawPath = req.url ?? '/';
    let identity: Identity = ANONYMOUS;
    let reply: Reply;
    try {
      if (this.faults.slowMs > 0) await delay(this.faults.slowMs);
      const authenticated = this.authenticate(req);
      if (authenticated === null) {
        reply = json(401, statusError(401, 'Unauthorized', 'Unauthorized'));
      } else {
        identity = authenticated;
        reply = await this.route(method, rawPath, identity, req);
      }
    } catch (e) {
      reply = json(500, statusError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
    this.o.requestLog.record({
      at: new Date(started),
      server: `${this.host}:${this.port}`,
      method,
      path: rawPath,
      identity: identity.user,
      userAgent: req.headers['user-agent'] ?? '',
      groups: identity.groups,
      status: reply.status,
      durationMs: Date.now() - started,
    });
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType,
      'Content-Length': Buffer.byteLength(reply.body),
      'Cache-Control': 'no-cache, private',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(reply.body);
  }

  private async route(method: string, rawPath: string, identity: Identity, req: IncomingMessage): Promise<Reply> {
    const url = new URL(rawPath, 'https://sim.invalid');
    const path = url.pathname;
    const query = url.searchParams;
    const isPublic = PUBLIC_PATHS.some((p) => p.test(path));

    if (identity === ANONYMOUS && !isPublic) return json(401, statusError(401, 'Unauthorized', 'Unauthorized'));
    if (method !== 'GET' && method !== 'HEAD') {
      return json(405, statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}));
    }

    const resource = resourceAttributes('GET', path, query);
    const attributes: RequestAttributes = resource ?? { kind: 'path', verb: 'get', path };
    const target = resource ? (resource.subresource ? `${resource.resource}/${resource.subresource}` : resource.resource) : path;
    if (this.faults.unauthorized.includes(target)) return json(401, statusError(401, 'Unauthorized', 'Unauthorized'));
    const isDiscovery = !resource && DISCOVERY_PATHS.some((p) => p.test(path));
    const denied = this.faults.forbidden.includes(target) || (!isPublic && !isDiscovery && !allowed(identity, attributes));
    if (denied) {
      const details = resource
        ? { ...(resource.name ? { name: resource.name } : {}), ...(resource.group ? { group: resource.group } : {}), kind: resource.resource }
        : {};
      return json(403, statusError(403, 'Forbidden', forbiddenMessage(identity.user, attributes), details));
    }

    if (resource) return this.serveResource(resource, query, req);
    return this.serveNonResource(path, query);
  }

  private async serveNonResource(path: string, query: URLSearchParams): Promise<Reply> {
    const health = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
    if (health) return this.health(health[1] as 'healthz' | 'livez' | 'readyz', health[2], query);
    if (path === '/version' || path === '/version/') return json(200, this.o.gitVersion ? versionInfo(this.o.gitVersion) : KUBE_VERSION);
    if (path === '/metrics') return text(200, this.metrics());
    if (path === '/api' || path === '/api/') return json(200, apiVersions(`${this.host}:${this.port}`));
    if (path === '/apis' || path === '/apis/') {
      const list = apiGroupList();
      return json(200, { ...list, groups: [...list.groups, ...extraGroups()] });
    }
    const groupVersion = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/.exec(path);
    if (groupVersion) {
      const gv = groupVersion[1] ?? `${groupVersion[2]}/${groupVersion[3]}`;
      const list = apiResourceList(gv);
      const extra = extraResources(gv);
      if (list) return json(200, { ...list, resources: [...list.resources, ...extra] });
      return extra.length > 0 ? json(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: extra }) : notFoundResource();
    }
    const group = /^\/apis\/([^/]+)\/?$/.exec(path);
    if (group) {
      const g = apiGroup(group[1]!) ?? extraGroups().find((e) => e.name === group[1]);
      return g ? json(200, 'kind' in g ? g : { kind: 'APIGroup', apiVersion: 'v1', ...g }) : notFoundResource();
    }
    return NOT_FOUND_PAGE;
  }

  // --- health ---------------------------------------------------------------------

  /** Which checks fail right now, with the error each would report. */
  private async failingChecks(): Promise<Map<string, string>> {
    const failing = new Map<string, string>();
    for (const name of this.faults.readyzFailing) failing.set(name, name.startsWith('etcd') ? 'context deadline exceeded' : 'not finished');
    if (this.o.etcd && !failing.has('etcd')) {
      const r = await this.o.etcd.check();
      if (!r.ok) {
        failing.set('etcd', r.error ?? 'etcd unavailable');
        if (!failing.has('etcd-readiness')) failing.set('etcd-readiness', r.error ?? 'etcd unavailable');
      }
    }
    return failing;
  }

  private async health(endpoint: 'healthz' | 'livez' | 'readyz', single: string | undefined, query: URLSearchParams): Promise<Reply> {
    const checks = HEALTH_CHECKS[endpoint];
    const failing = await this.failingChecks();
    if (single !== undefined) {
      // healthz.adaptCheckToHandler: "ok", or http.Error with the check's error.
      if (!checks.includes(single)) return NOT_FOUND_PAGE;
      const error = failing.get(single);
      return error ? text(500, `internal server error: ${error}\n`) : text(200, 'ok');
    }
    const excluded = new Set(query.getAll('exclude'));
    let lines = '';
    let failed = false;
    for (const name of checks) {
      if (excluded.has(name)) {
        lines += `[+]${name} excluded: ok\n`;
      } else if (failing.has(name)) {
        lines += `[-]${name} failed: reason withheld\n`;
        failed = true;
      } else {
        lines += `[+]${name} ok\n`;
      }
    }
    // Failures are always verbose; http.Error adds the final newline.
    if (failed) return text(500, `${lines}${endpoint} check failed\n`);
    if (!query.has('verbose')) return text(200, 'ok');
    return text(200, `${lines}${endpoint} check passed\n`);
  }

  // --- metrics --------------------------------------------------------------------

  private metrics(): string {
    const p99 = this.faults.p99LatencySeconds;
    const series: { verb: string; resource: string; scope: string; group: string; version: string; count: number }[] = [
      { verb: 'LIST', resource: 'nodes', scope: 'cluster', group: '', version: 'v1', count: 4000 },
      { verb: 'GET', resource: 'nodes', scope: 'resource', group: '', version: 'v1', count: 12000 },
      { verb: 'LIST', resource: 'pods', scope: 'namespace', group: '', version: 'v1', count: 3000 },
      { verb: 'GET', resource: 'leases', scope: 'resource', group: 'coordination.k8s.io', version: 'v1', count: 20000 },
      { verb: 'PUT', resource: 'leases', scope: 'resource', group: 'coordination.k8s.io', version: 'v1', count: 20000 },
    ];
    // 95% of requests are fast; the slowest 5% take the configured p99 latency, so
    // histogram_quantile(0.99, …) lands in the bucket that holds it.
    const fast = 0.003;
    const out: string[] = [
      '# HELP apiserver_request_duration_seconds [STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
      '# TYPE apiserver_request_duration_seconds histogram',
    ];
    for (const s of series) {
      const labels = `component="apiserver",dry_run="",group="${s.group}",resource="${s.resource}",scope="${s.scope}",subresource="",verb="${s.verb}",version="${s.version}"`;
      const slow = Math.round(s.count * 0.05);
      const quick = s.count - slow;
      for (const le of DURATION_BUCKETS) {
        const n = (fast <= le ? quick : 0) + (p99 <= le ? slow : 0);
        out.push(`apiserver_request_duration_seconds_bucket{${labels},le="${le}"} ${n}`);
      }
      out.push(`apiserver_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      out.push(`apiserver_request_duration_seconds_sum{${labels}} ${(quick * fast + slow * p99).toFixed(6)}`);
      out.push(`apiserver_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    out.push(
      '# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    );
    out.push('# TYPE apiserver_request_total counter');
    for (const s of series) {
      out.push(
        `apiserver_request_total{code="200",component="apiserver",dry_run="",group="${s.group}",resource="${s.resource}",scope="${s.scope}",subresource="",verb="${s.verb}",version="${s.version}"} ${s.count}`,
      );
    }
    return out.join('\n') + '\n';
  }

  // --- resources ------------------------------------------------------------------

  private async serveResource(a: ResourceAttributes, query: URLSearchParams, req: IncomingMessage): Promise<Reply> {
    const state = this.o.state;
    const custom = state.customKinds.find((k) => k.group === a.group && k.resource === a.resource);
    const extra = custom || KINDS[a.resource] ? undefined : extraKind(a.resource, a.group);
    const kind: ResourceKind | undefined =
      custom ??
      (a.group === '' || a.resource === 'leases' ? KINDS[a.resource] : undefined) ??
      (extra ? { ...extra, apiVersion: extra.group ? `${extra.group}/${extra.version}` : extra.version } : undefined);
    const groupOk =
      custom !== undefined ||
      extra !== undefined ||
      (a.resource === 'leases' && a.group === 'coordination.k8s.io') ||
      (a.resource !== 'leases' && a.group === '');
    if (!kind || !groupOk) return notFoundResource();
    if (extra && !extra.namespaced && a.namespace) return notFoundResource();

    if (a.resource === 'nodes' && a.subresource === 'proxy' && a.name) return this.proxyToKubelet(a.name, req);
    if (a.subresource && a.subresource !== 'status') return notFoundResource();
    if (a.verb === 'watch') return json(405, statusError(405, 'MethodNotAllowed', 'the simulator does not support watch', {}));

    // Reads go to etcd on a real server: with etcd unable to serve them, they fail.
    if (this.o.etcd) {
      const etcd = await this.o.etcd.check();
      if (!etcd.ok) return json(500, statusError(500, undefined, 'etcdserver: request timed out'));
    }

    const now = new Date();
    let objects: KubeObject[];
    if (a.resource === 'nodes') {
      if (a.namespace) return notFoundResource();
      objects = a.name ? [...(state.node(a.name) ? [state.nodeObject(state.node(a.name)!, now)] : [])] : [];
    } else if (a.resource === 'namespaces') {
      objects = [...state.namespaces(), ...(this.o.addons?.namespaceObjects(state.createdAt) ?? [])]
        .sort((x, y) => x.metadata.name.localeCompare(y.metadata.name))
        .filter((n) => !a.name || n.metadata.name === a.name);
    } else if (custom) {
      objects = custom.objects(now).filter((o) => (!a.namespace || o.metadata.namespace === a.namespace) && (!a.name || o.metadata.name === a.name));
    } else if (extra) {
      const all = this.o.addons ? this.o.addons.objects(a.resource, state.pods(now)) : [];
      objects = all.filter((o) => (!a.namespace || o.metadata.namespace === a.namespace) && (!a.name || o.metadata.name === a.name));
    } else if (a.resource === 'pods') {
      objects = (this.o.addons ? this.o.addons.pods(state.pods(now)) : state.pods(now)).filter(
        (p) => (!a.namespace || p.metadata.namespace === a.namespace) && (!a.name || p.metadata.name === a.name),
      );
    } else {
      const namespaces = a.namespace ? [a.namespace] : ['kube-node-lease', 'kube-system'];
      objects = namespaces.flatMap((ns) => state.leases(ns, now)).filter((l) => !a.name || l.metadata.name === a.name);
    }

    const accept = req.headers.accept;
    const include = parseIncludeObject(query.get('includeObject'));
    if (a.name) {
      const found = objects[0];
      if (!found)
        return json(
          404,
          statusError(404, 'NotFound', `${a.group ? `${a.resource}.${a.group}` : a.resource} "${a.name}" not found`, {
            name: a.name,
            ...(a.group ? { group: a.group } : {}),
            kind: a.resource,
          }),
        );
      if (wantsTable(accept))
        return json(
          200,
          table(kind.printer.columns, [found], (o) => kind.printer.cells(o, now), {
            include,
            kind: kind.kind,
            apiVersion: kind.apiVersion,
            listMeta: { resourceVersion: found.metadata.resourceVersion },
          }),
          TABLE_TYPE,
        );
      return json(200, { kind: kind.kind, apiVersion: kind.apiVersion, ...found });
    }

    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    if (labels instanceof Error) return json(400, statusError(400, 'BadRequest', labels.message));
    if (fields instanceof Error) return json(400, statusError(400, 'BadRequest', fields.message));

    const limit = Number.parseInt(query.get('limit') ?? '0', 10) || 0;
    const token = query.get('continue');
    let startAfter: string | null = null;
    let listRv = state.resourceVersion;
    if (token) {
      const decoded = decodeContinue(token);
      if (!decoded)
        return json(400, statusError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
      startAfter = decoded.startAfter;
      listRv = decoded.resourceVersion;
    }

    const keyOf = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
    let page;
    if (a.resource === 'nodes') {
      // Large clusters: page over the sorted node models and render only the page.
      const filtering = query.get('labelSelector') || query.get('fieldSelector');
      if (filtering) {
        const all = state
          .nodes()
          .map((n) => state.nodeObject(n, now))
          .filter((o) => labels.test(o.metadata.labels ?? {}) && fields(o));
        page = paginate(all, keyOf, limit, startAfter, listRv);
      } else {
        const models = paginate(state.nodes(), (n) => n.name, limit, startAfter, listRv);
        page = { ...models, items: models.items.map((n) => state.nodeObject(n, now)) };
      }
    } else {
      const sorted = objects
        .filter((o) => labels.test(o.metadata.labels ?? {}) && fields(o))
        .sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0));
      page = paginate(sorted, keyOf, limit, startAfter, listRv);
    }
    const listMeta = { resourceVersion: String(listRv), ...(page.continue ? { continue: page.continue, remainingItemCount: page.remainingItemCount } : {}) };
    if (wantsTable(accept))
      return json(
        200,
        table(kind.printer.columns, page.items, (o) => kind.printer.cells(o, now), { include, kind: kind.kind, apiVersion: kind.apiVersion, listMeta }),
        TABLE_TYPE,
      );
    return json(200, { kind: kind.listKind, apiVersion: kind.apiVersion, metadata: listMeta, items: page.items });
  }

  /** GET /api/v1/nodes/<name>/proxy/<path>: forwarded to the kubelet as kube-apiserver does. */
  private proxyToKubelet(nodeRef: string, req: IncomingMessage): Promise<Reply> {
    const [name, port = '10250'] = nodeRef.split(':') as [string, string?];
    const node = this.o.state.node(name);
    if (!node) return Promise.resolve(json(404, statusError(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' })));
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const rest = url.pathname.replace(/^\/api\/v1\/nodes\/[^/]+\/proxy/, '') || '/';
    const target = `${node.address}:${port}`;
    const unavailable = (why: string) => json(503, statusError(503, 'ServiceUnavailable', `error trying to reach service: ${why}`));
    return new Promise((resolve) => {
      const upstream = httpsRequest(
        {
          host: node.address,
          port: Number(port),
          path: rest + url.search,
          method: 'GET',
          cert: this.o.kubeletClient.certPem,
          key: this.o.kubeletClient.keyPem,
          // kubeadm does not set --kubelet-certificate-authority: serving certs are not verified.
          rejectUnauthorized: false,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 502,
              contentType: String(res.headers['content-type'] ?? TEXT_TYPE),
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      const timer = setTimeout(() => upstream.destroy(Object.assign(new Error('net/http: TLS handshake timeout'), { code: 'ETIMEDOUT' })), 10_000);
      upstream.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (e.code === 'ECONNREFUSED') resolve(unavailable(`dial tcp ${target}: connect: connection refused`));
        else if (e.code === 'ETIMEDOUT') resolve(unavailable('net/http: TLS handshake timeout'));
        else resolve(unavailable(e.message));
      });
      upstream.end();
    });
  }
}
