// Kubeconfig loading as kubectl does it. @kubernetes/client-node's loadFromDefault differs
// from kubectl (it does not merge $KUBECONFIG the same way and accepts unknown contexts), so
// we merge and validate here and hand the result to the client later.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../errors.js';
import { FileReadError, isStdinPath, readFileCappedSync } from '../util/read-file-capped.js';
import { safeText } from '../util/terminal-text.js';
import { ADMIN_KUBECONFIGS } from '../shape/distributions.js';
import type { Distribution } from '../shape/types.js';

/** Kubeconfigs are small; a huge file is a mistake, not something to parse. */
const MAX_KUBECONFIG_BYTES = 8 * 1024 * 1024;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeCluster {
  server: string;
  caPem: string | null;
  insecureSkipTlsVerify: boolean;
  tlsServerName: string | null;
  /** `proxy-url`: every request to this cluster goes through it (http, https or socks5), whatever HTTPS_PROXY says. */
  proxyUrl?: string | null;
}

/** The user entry as the client library wants it, with file paths made absolute. */
export type KubeUser = Record<string, unknown>;

export interface ResolvedKubeconfig {
  contextName: string;
  clusterName: string;
  userName: string | null;
  cluster: KubeCluster;
  user: KubeUser;
  /** Files that were read, first wins. */
  files: string[];
  inCluster: boolean;
  /** Set when no kubeconfig was found and a distribution's admin kubeconfig on this node was used instead. */
  nodeAdmin?: NodeAdminKubeconfig;
}

/** The admin kubeconfig a distribution writes on its control-plane nodes, as used for this run. */
export interface NodeAdminKubeconfig {
  distribution: Distribution;
  /** The path on the node (`/etc/kubernetes/admin.conf`), as the user knows it. */
  path: string;
  /** Where it was read: the same path, or under the node root a test stands in with. */
  file: string;
}

/**
 * The machine k8sdoc runs on, as far as its files go: `/` and whether this process is root.
 * Tests stand a folder in for a node's `/` (the simulator writes each distribution's files
 * under one) and say the run is root there; production runs are always `/` and the real uid.
 */
export interface NodeEnvironment {
  root: string;
  asRoot: boolean;
}

/**
 * For tests only: a folder that stands for this machine's `/`, as root on a control-plane
 * node (the simulator's node folders). Documented in the README's Development section; a
 * production run never sets it.
 */
export const TEST_NODE_ROOT_ENV = 'K8SDOC_TEST_NODE_ROOT';

export function nodeEnvironmentOf(env: NodeJS.ProcessEnv): NodeEnvironment {
  const testRoot = env[TEST_NODE_ROOT_ENV];
  if (testRoot !== undefined && testRoot !== '') return { root: resolve(testRoot), asRoot: true };
  return { root: '/', asRoot: process.getuid?.() === 0 };
}

/** A path of the node (`/etc/kubernetes/admin.conf`) under its root. */
export function underRoot(node: NodeEnvironment, path: string): string {
  return node.root === '/' ? path : join(node.root, path);
}

interface Named<T> {
  name: string;
  value: T;
  dir: string;
  file: string;
}

interface Merged {
  currentContext: string | null;
  clusters: Map<string, Named<Record<string, unknown>>>;
  users: Map<string, Named<Record<string, unknown>>>;
  contexts: Map<string, Named<Record<string, unknown>>>;
  files: string[];
}

export interface KubeconfigSource {
  /** --kubeconfig: one file that must exist. */
  explicitPath: string | null;
  env: NodeJS.ProcessEnv;
  home?: string;
  serviceAccountDir?: string;
  /** The machine's files: with root, a distribution's admin kubeconfig is used when no kubeconfig is found. */
  node?: NodeEnvironment;
}

/**
 * The first admin kubeconfig of a distribution this root user can read on this node
 * (kubeadm's admin.conf, k3s.yaml, rke2.yaml, MicroK8s's client.config), or null. Only as
 * root: these files are root's, and a non-root user who can read one was given it on purpose
 * and can name it with --kubeconfig.
 */
export function nodeAdminKubeconfig(node: NodeEnvironment | undefined): NodeAdminKubeconfig | null {
  if (!node?.asRoot) return null;
  for (const { distribution, path } of ADMIN_KUBECONFIGS) {
    const file = underRoot(node, path);
    try {
      if (statSync(file).isFile()) return { distribution, path, file };
    } catch {
      // Not this distribution's node.
    }
  }
  return null;
}

/** Which files kubectl would read, in order. An explicit path must exist; listed ones may not. */
export function kubeconfigFiles(source: KubeconfigSource): { files: string[]; explicit: boolean } {
  if (source.explicitPath !== null) {
    // `-` is standard input, as for kubectl's -f; it has no directory to resolve against.
    if (isStdinPath(source.explicitPath)) return { files: ['/dev/stdin'], explicit: true };
    return { files: [resolve(source.explicitPath)], explicit: true };
  }
  const list = source.env.KUBECONFIG;
  if (list !== undefined && list.trim() !== '') {
    const seen = new Set<string>();
    const files = list
      .split(':')
      .filter((p) => p.trim() !== '')
      .map((p) => resolve(p))
      .filter((p) => (seen.has(p) ? false : (seen.add(p), true)));
    return { files, explicit: false };
  }
  return { files: [join(source.home ?? homedir(), '.kube', 'config')], explicit: false };
}

function readKubeconfigFile(file: string, mustExist: boolean): unknown | undefined {
  let text: string;
  try {
    text = readFileCappedSync(file, { maxBytes: MAX_KUBECONFIG_BYTES, allowStdin: mustExist }).toString('utf8');
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    if (err.reason === 'missing') {
      if (mustExist) throw new UsageError(`kubeconfig ${file} does not exist; pass an existing file with --kubeconfig or set KUBECONFIG`);
      return undefined;
    }
    const hint =
      err.reason === 'denied'
        ? 'run as a user that can read it or copy it'
        : err.reason === 'too-large'
          ? 'too large for a kubeconfig: check that --kubeconfig names the right file'
          : err.reason === 'not-a-file'
            ? 'point --kubeconfig at a regular file (or - to read it from a pipe)'
            : 'check the path and its permissions';
    throw new UsageError(`kubeconfig ${err.path} ${err.message}; ${hint}`);
  }
  if (text.includes('\u0000')) throw new UsageError(`kubeconfig ${file} is a binary file, not a kubeconfig; check the path`);
  if (text.trim() === '') return {};
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (err) {
    const firstLine = String((err as Error).message).split('\n')[0];
    throw new UsageError(`kubeconfig ${file} is not valid YAML: ${firstLine}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`kubeconfig ${file} is not a kubeconfig (expected a mapping with clusters, users and contexts)`);
  }
  return doc;
}

function namedList(
  doc: Record<string, unknown>,
  key: 'clusters' | 'users' | 'contexts',
  inner: 'cluster' | 'user' | 'context',
  file: string,
): Named<Record<string, unknown>>[] {
  const list = doc[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new UsageError(`kubeconfig ${file}: '${key}' must be a list`);
  return list.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new UsageError(`kubeconfig ${file}: ${key}[${i}] must be a mapping`);
    const rec = item as Record<string, unknown>;
    if (typeof rec.name !== 'string' || rec.name === '') throw new UsageError(`kubeconfig ${file}: ${key}[${i}] has no name`);
    const value = rec[inner] ?? {};
    if (typeof value !== 'object' || value === null) throw new UsageError(`kubeconfig ${file}: ${key}[${i}].${inner} must be a mapping`);
    return { name: rec.name, value: value as Record<string, unknown>, dir: dirname(file), file };
  });
}

/** Merges files with kubectl's rule: the first file to set a value wins. */
export function mergeKubeconfigs(docs: { file: string; doc: Record<string, unknown> }[]): Merged {
  const merged: Merged = { currentContext: null, clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const { file, doc } of docs) {
    merged.files.push(file);
    const cc = doc['current-context'];
    if (merged.currentContext === null && typeof cc === 'string' && cc !== '') merged.currentContext = cc;
    for (const [key, inner, map] of [
      ['clusters', 'cluster', merged.clusters],
      ['users', 'user', merged.users],
      ['contexts', 'context', merged.contexts],
    ] as const) {
      for (const entry of namedList(doc, key, inner, file)) {
        if (!map.has(entry.name)) map.set(entry.name, entry);
      }
    }
  }
  return merged;
}

function decodePemData(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(value)) {
    throw new UsageError(`${where}: ${field} is not valid base64; it must hold a base64-encoded PEM certificate`);
  }
  const pem = Buffer.from(value, 'base64').toString('utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`${where}: ${field} does not decode to a PEM certificate`);
  }
  return pem;
}

function readPemFile(path: string, field: string, where: string): string {
  let text: string;
  try {
    text = readFileCappedSync(path, { maxBytes: MAX_KUBECONFIG_BYTES }).toString('utf8');
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    throw new UsageError(`${where}: ${field} ${path} ${err.message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${where}: ${field} ${path} holds no PEM certificate`);
  return text;
}

const USER_PATH_FIELDS = ['client-certificate', 'client-key', 'tokenFile'] as const;

/**
 * kubectl refuses a user whose credential file is missing; running on without it would send
 * anonymous requests and report the cluster's answer to those as if it were the user's.
 */
function requireCredentialFiles(user: KubeUser, userWhere: string): void {
  for (const field of USER_PATH_FIELDS) {
    const path = user[field];
    if (typeof path !== 'string' || path === '') continue;
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
      throw new UsageError(`${userWhere}: ${field} ${path} ${why}; fix the path in the user entry or use another context`);
    }
    if (!st.isFile()) throw new UsageError(`${userWhere}: ${field} ${path} is not a file; fix the path in the user entry`);
  }
}

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:']);

/** kubectl's rule for `proxy-url`: an absolute URL with scheme http, https or socks5. */
function proxyUrlOf(value: unknown, clusterWhere: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError('not a string');
    url = new URL(value);
  } catch {
    throw new UsageError(`${clusterWhere}: proxy-url is not a URL; write it as http://host:port, https://host:port or socks5://host:port`);
  }
  if (!PROXY_SCHEMES.has(url.protocol) || url.hostname === '') {
    throw new UsageError(`${clusterWhere}: proxy-url scheme ${url.protocol.replace(/:$/, '')} is not supported; use http, https or socks5 as kubectl does`);
  }
  return value as string;
}

function absolutise(dir: string, path: unknown): unknown {
  return typeof path === 'string' && path !== '' && !isAbsolute(path) ? resolve(dir, path) : path;
}

function inClusterConfig(saDir: string, env: NodeJS.ProcessEnv): ResolvedKubeconfig | null {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return null;
  let caPem: string | null = null;
  try {
    statSync(join(saDir, 'token'));
    caPem = readFileSync(join(saDir, 'ca.crt'), 'utf8');
  } catch {
    return null;
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    contextName: 'in-cluster',
    clusterName: 'in-cluster',
    userName: 'service-account',
    cluster: { server: `https://${hostPart}:${port}`, caPem, insecureSkipTlsVerify: false, tlsServerName: null, proxyUrl: null },
    // tokenFile is re-read on every request by the client, as projected tokens rotate.
    user: { tokenFile: join(saDir, 'token') },
    files: [],
    inCluster: true,
  };
}

/**
 * Loads, merges and validates the kubeconfig for `context` (or current-context). Returns
 * null when there is no kubeconfig at all and we are not in a pod: checks that need the
 * API then skip, and the other checks still run from flags.
 */
export function loadKubeconfig(source: KubeconfigSource, context: string | null): ResolvedKubeconfig | null {
  const { files, explicit } = kubeconfigFiles(source);
  const docs: { file: string; doc: Record<string, unknown> }[] = [];
  for (const file of files) {
    const doc = readKubeconfigFile(file, explicit);
    if (doc !== undefined) docs.push({ file, doc: doc as Record<string, unknown> });
  }
  let nodeAdmin: NodeAdminKubeconfig | null = null;
  if (docs.length === 0) {
    const inCluster = inClusterConfig(source.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, source.env);
    if (inCluster) return inCluster;
    nodeAdmin = nodeAdminKubeconfig(source.node);
    if (nodeAdmin !== null) {
      const doc = readKubeconfigFile(nodeAdmin.file, true);
      if (doc !== undefined) docs.push({ file: nodeAdmin.file, doc: doc as Record<string, unknown> });
    }
  }
  if (docs.length === 0) {
    if (context !== null) throw new UsageError(`context '${context}' not found: no kubeconfig file exists (${files.join(', ')})`);
    return null;
  }
  const merged = mergeKubeconfigs(docs);
  const contextName = context ?? merged.currentContext;
  const fileList = merged.files.join(', ');
  if (contextName === null) {
    if (merged.contexts.size === 0) return null;
    throw new UsageError(`no current-context set in ${fileList}; pass --context (one of: ${[...merged.contexts.keys()].join(', ')})`);
  }
  const ctx = merged.contexts.get(contextName);
  if (!ctx) {
    const known = [...merged.contexts.keys()];
    throw new UsageError(`context '${contextName}' not found in ${fileList}; known contexts: ${known.length > 0 ? known.join(', ') : 'none'}`);
  }
  const where = `kubeconfig context '${contextName}'`;
  const clusterName = ctx.value.cluster;
  if (typeof clusterName !== 'string' || clusterName === '') throw new UsageError(`${where} names no cluster; fix the context in ${ctx.file}`);
  const clusterEntry = merged.clusters.get(clusterName);
  if (!clusterEntry) throw new UsageError(`${where} points to cluster '${clusterName}', which is not defined in ${fileList}`);
  const c = clusterEntry.value;
  if (typeof c.server !== 'string' || c.server === '') throw new UsageError(`cluster '${clusterName}' in ${clusterEntry.file} has no server URL`);
  const clusterWhere = `cluster '${clusterName}' in ${clusterEntry.file}`;
  let caPem: string | null = null;
  if (c['certificate-authority-data'] !== undefined) caPem = decodePemData(c['certificate-authority-data'], 'certificate-authority-data', clusterWhere);
  else if (typeof c['certificate-authority'] === 'string' && c['certificate-authority'] !== '') {
    caPem = readPemFile(absolutise(clusterEntry.dir, c['certificate-authority']) as string, 'certificate-authority', clusterWhere);
  }
  const userName = typeof ctx.value.user === 'string' && ctx.value.user !== '' ? ctx.value.user : null;
  let user: KubeUser = {};
  if (userName !== null) {
    const userEntry = merged.users.get(userName);
    if (!userEntry) throw new UsageError(`${where} points to user '${userName}', which is not defined in ${fileList}`);
    user = { ...userEntry.value };
    for (const field of USER_PATH_FIELDS) user[field] = absolutise(userEntry.dir, user[field]);
    // client-go resolves an exec command that names a path (not a bare PATH lookup) against the file.
    const exec = user.exec as Record<string, unknown> | undefined;
    if (exec && typeof exec === 'object' && typeof exec.command === 'string' && exec.command.includes('/')) {
      user.exec = { ...exec, command: absolutise(userEntry.dir, exec.command) };
    }
    const userWhere = `user '${userName}' in ${userEntry.file}`;
    if (user['client-certificate-data'] !== undefined) decodePemData(user['client-certificate-data'], 'client-certificate-data', userWhere);
    if (user['client-key-data'] !== undefined && (typeof user['client-key-data'] !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(user['client-key-data']))) {
      throw new UsageError(`${userWhere}: client-key-data is not valid base64`);
    }
    requireCredentialFiles(user, userWhere);
  }
  return {
    contextName,
    clusterName,
    userName,
    cluster: {
      server: c.server,
      caPem,
      insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
      tlsServerName: typeof c['tls-server-name'] === 'string' && c['tls-server-name'] !== '' ? c['tls-server-name'] : null,
      proxyUrl: proxyUrlOf(c['proxy-url'], clusterWhere),
    },
    user,
    files: merged.files,
    inCluster: false,
    ...(nodeAdmin !== null ? { nodeAdmin } : {}),
  };
}

/**
 * What the user should hear before the run: a cluster entry that turns verification off. It
 * applies to that cluster's server only, as in kubectl; every other endpoint is still verified.
 */
export function kubeconfigWarnings(kc: ResolvedKubeconfig | null): string[] {
  if (!kc?.cluster.insecureSkipTlsVerify) return [];
  return [
    `cluster '${safeText(kc.clusterName)}' sets insecure-skip-tls-verify: the certificate of ${safeText(kc.cluster.server)} is not verified (other endpoints still are)`,
  ];
}

/** Context names across the merged files, for shell completion. */
export function listContexts(source: KubeconfigSource): string[] {
  const { files } = kubeconfigFiles(source);
  const docs: { file: string; doc: Record<string, unknown> }[] = [];
  for (const file of files) {
    try {
      const doc = readKubeconfigFile(file, false);
      if (doc !== undefined) docs.push({ file, doc: doc as Record<string, unknown> });
    } catch {
      // Completion must never fail loudly.
    }
  }
  return [...mergeKubeconfigs(docs).contexts.keys()];
}
