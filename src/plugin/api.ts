// The public plugin API of k8sdoc (`import { definePlugin } from 'k8sdoc/plugin'`). This file
// is self-contained on purpose: its declarations are what the package ships as
// dist/plugin/index.d.ts, so it may not import k8sdoc's internal types. Everything a plugin is
// handed is described here, and nothing else is reachable from it.

/**
 * The version of this API. A plugin names the version it was written against; k8sdoc refuses
 * (exit 2) a plugin whose `apiVersion` it does not speak, rather than running it half-right.
 */
export const PLUGIN_API_VERSION = 1;

/** A catalogue code of a plugin: `<plugin name>/<kebab-case name>`, e.g. `acme/ingress-unhealthy`. */
export type PluginCode = `${string}/${string}`;

/** How grave a finding with a code is. The catalogue decides, never the check. */
export type Severity = 'warn' | 'crit';

/** Built-in k8sdoc preconditions a check can declare; an unmet one skips the check with its reason. */
export type Need = 'api' | 'nodes' | 'etcd';

/** One catalogue entry: what the user sees, why it happens, what to do. */
export interface PluginCatalogueEntry {
  /** Short name shown in lists. */
  title: string;
  severity: Severity;
  /** What the user sees, in their words. */
  symptom: string;
  /** Likely reasons, most likely first. */
  causes: readonly string[];
  /** Concrete steps, commands first (`kubectl -n ingress-nginx get pods`). */
  fix: readonly string[];
  /** Documentation page. */
  docs?: string;
  /** Words people type in an incident that should find this entry (`k8sdoc explain …`). */
  keywords?: readonly string[];
}

/** The places and things a finding is about; triage relates findings (of any check) through these. */
export interface About {
  /** Node name: a built-in `node-not-ready` on the same node may explain this finding. */
  node?: string;
  /** Address or host name of the machine. */
  host?: string;
  /** Port on `host`. */
  port?: number;
  /** URL of the endpoint asked. */
  endpoint?: string;
}

/** A problem as a check states it: a code the plugin's catalogue defines, never a severity. */
export interface Problem {
  code: PluginCode;
  /** What it is about, for people: `certificate cert-manager/web-tls`, `pod ingress-nginx/controller-x`. */
  subject: string;
  /** One line: figures, names, what failed. */
  message: string;
  about?: About;
  /** Figures for machines (JSON, Prometheus); never secrets. */
  data?: Record<string, unknown>;
}

/** What `run` returns: problems (from `ctx.raise`) and healthy or not-applicable notes (`ctx.ok`, `ctx.skip`). */
export interface PluginFinding {
  status?: 'ok' | 'skip';
  code?: PluginCode;
  subject: string;
  message: string;
  about?: About;
  data?: Record<string, unknown>;
}

/** An answer of the Kubernetes API to one GET. */
export type KubeAnswer =
  { kind: 'ok'; status: number; body: unknown; ms: number } | { kind: 'failed'; status: number | null; message: string; ms: number; timedOut: boolean };

/** A collection, read page by page. */
export type ListAnswer =
  | { kind: 'ok'; items: unknown[]; pages: number }
  | { kind: 'forbidden'; message: string }
  | { kind: 'failed'; message: string; timedOut: boolean; status: number | null };

export interface NodeInfo {
  name: string;
  /** InternalIP, else ExternalIP, else null. */
  address: string | null;
  controlPlane: boolean;
  unschedulable: boolean;
  ready: boolean;
  conditions: readonly { type: string; status: string; reason?: string; message?: string }[];
}

export type NodesAnswer = { kind: 'ok'; nodes: readonly NodeInfo[] } | { kind: 'forbidden' | 'failed'; message: string };

export type TcpAnswer = { kind: 'ok'; ms: number } | { kind: string; ms: number; message: string };

export interface TlsAnswer {
  /** `ok` when the handshake completed (whether or not the chain verifies). */
  kind: string;
  ms: number;
  /** Null when the chain verifies; else why not. */
  verifyError: string | null;
  /** The served chain, leaf first. */
  chain: readonly { subject: string; issuer: string; sans: readonly string[]; notBefore: Date; notAfter: Date; serial: string }[];
  message?: string;
}

export interface EtcdMemberInfo {
  id: string | null;
  name: string;
  endpoint: string | null;
  voter: boolean;
  up: boolean;
}

/** What the etcd members say, or null when k8sdoc has no credentials for etcd. */
export type EtcdAnswer = { members: readonly EtcdMemberInfo[] } | null;

export type FileAnswer = { kind: 'ok'; text: string; bytes: number } | { kind: 'missing' | 'unreadable' | 'not-a-file'; message: string };

/**
 * What a plugin check may do. Every call is a read: there is no write verb, no raw request and
 * no way to the credentials. Each network call is bounded by --timeout, counts against
 * --concurrency, and is asked once per run (the answers are shared with the built-in checks).
 */
export interface PluginContext {
  readonly kube: {
    /** GET a path of the API server (`/apis/cert-manager.io/v1/certificates`). The body is parsed JSON when it is JSON. */
    get(path: string, options?: { labelSelector?: string }): Promise<KubeAnswer>;
    /** GET a collection page by page (limit + continue) and return every item. */
    list(path: string, options?: { labelSelector?: string }): Promise<ListAnswer>;
  };
  /** Every node, listed once per run and shared with the built-in checks. */
  nodes(): Promise<NodesAnswer>;
  /** A TCP connect to host:port, once per run. */
  tcp(host: string, port: number): Promise<TcpAnswer>;
  /** A TLS handshake (no credentials sent) and the chain served, once per run. */
  tls(host: string, port: number): Promise<TlsAnswer>;
  readonly etcd: { view(): Promise<EtcdAnswer> };
  /** Files on this machine, read-only (at most a few MiB each). */
  readonly files: { read(path: string): Promise<FileAnswer>; list(dir: string): Promise<string[] | null> };
  /** The run's clock: judge ages against this, not Date.now(). */
  readonly now: Date;
  /** Aborted when the run is stopped (Ctrl-C, the check's budget). */
  readonly signal: AbortSignal;
  /** One line to stderr with --debug. Never pass secrets. */
  log(message: string): void;
  /** A problem with one of this plugin's codes; its severity comes from the plugin's catalogue. */
  raise(problem: Problem): PluginFinding;
  /** A subject that is healthy. */
  ok(subject: string, message: string, extra?: { about?: About; data?: Record<string, unknown> }): PluginFinding;
  /** A subject the check could not judge (not applicable, not permitted). */
  skip(subject: string, message: string): PluginFinding;
}

export interface PluginCheck {
  /** Kebab-case, unique among all checks (`acme-ingress`); selected with --only/--skip. */
  id: string;
  /** A built-in component (`apiserver`, `etcd`, `certs`, `nodes`, `kubelet`, `ports`) or the plugin's own (`ingress`). */
  component: string;
  title: string;
  needs?: readonly Need[];
  /** Every code this check may raise; each must be in the plugin's catalogue. */
  codes: readonly PluginCode[];
  run(ctx: PluginContext): Promise<readonly PluginFinding[]> | readonly PluginFinding[];
}

/** A code that may be a built-in one (`node-not-ready`) or a plugin's (`acme/ingress-down`). */
export type AnyCode = string;

/**
 * "A explains B": when both are found, B is listed under A instead of as a root cause of its own.
 * `scope` says how the two must be related: `node` (the same node or host, through `about`),
 * `endpoint` (the same host and port) or `any`.
 */
export interface PluginRule {
  cause: readonly AnyCode[];
  explains: readonly AnyCode[];
  scope: 'any' | 'node' | 'endpoint';
  why: string;
}

export interface Plugin {
  /** Kebab-case; the namespace of its codes. */
  name: string;
  version: string;
  /** The plugin API version it was written against: PLUGIN_API_VERSION. */
  apiVersion: number;
  checks: readonly PluginCheck[];
  catalogue: Readonly<Record<PluginCode, PluginCatalogueEntry>>;
  rules?: readonly PluginRule[];
}

/** Declares a plugin; the default export of a plugin module. Types only: k8sdoc validates it when it loads. */
export function definePlugin<const P extends Plugin>(plugin: P): P {
  return plugin;
}
