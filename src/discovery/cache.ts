// The discovery cache: where the cluster's machines were the last time the API server could
// list them, so that a run while it is down still probes every control-plane host, kubelet
// and etcd member. One file per kubeconfig context, $XDG_CACHE_HOME/k8sdoc/<context>.json
// (else ~/.cache/k8sdoc/), mode 0600, rewritten after every run that listed the nodes.
// It is built field by field from names, addresses, ports and URL schemes: never a
// certificate, key or token, and never a URL as given (one could carry credentials).
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { formatAge } from '../judge/age.js';
import type { NodeSummary } from '../observe/nodes.js';
import { hostPort } from '../util/url.js';
import { nodesUnknown } from './degraded.js';
import type { Discoverer } from './discover.js';
import type { DiscoveryCacheUse, Endpoint, Targets } from './targets.js';

export const CACHE_FORMAT = 1;

export interface CachedNode {
  name: string;
  address: string;
  controlPlane: boolean;
}

export interface CachedEndpoint {
  scheme: 'https' | 'http';
  host: string;
  port: number;
}

export interface DiscoveryCacheFile {
  format: typeof CACHE_FORMAT;
  context: string;
  /** The kubeconfig server it was written for: another cluster under the same context name does not use it. */
  server: string | null;
  writtenAt: string;
  nodes: CachedNode[];
  apiServers: CachedEndpoint[];
  etcd: CachedEndpoint[];
}

/** $XDG_CACHE_HOME/k8sdoc when it is absolute (the XDG spec says to ignore a relative one), else ~/.cache/k8sdoc. */
export function cacheDir(env: NodeJS.ProcessEnv): string | null {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'k8sdoc');
  const home = env['HOME'];
  return home ? join(home, '.cache', 'k8sdoc') : null;
}

/**
 * Context names hold ':' and '/' (EKS ARNs, GKE): those become '_', and a short hash of the
 * real name keeps two contexts that differ only there apart.
 */
export function cacheFileName(context: string): string {
  const safe = context.replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, '_');
  if (safe === context) return `${context}.json`;
  return `${safe}-${createHash('sha256').update(context).digest('hex').slice(0, 8)}.json`;
}

const HOST_PATTERN = /^[A-Za-z0-9._:-]+$/;

function cachedEndpoint(e: Endpoint): CachedEndpoint {
  return { scheme: e.url.startsWith('http://') ? 'http' : 'https', host: e.host, port: e.port };
}

function urlOf(e: CachedEndpoint): string {
  return `${e.scheme}://${hostPort(e.host, e.port)}`;
}

export function snapshot(targets: Targets, nodes: readonly NodeSummary[], now: Date): DiscoveryCacheFile {
  return {
    format: CACHE_FORMAT,
    context: targets.context ?? '',
    server: targets.kubeServer?.url ?? null,
    writtenAt: now.toISOString(),
    nodes: nodes.filter((n) => n.address !== null).map((n) => ({ name: n.name, address: n.address!, controlPlane: n.controlPlane })),
    apiServers: targets.apiServers.map(cachedEndpoint),
    etcd: targets.etcd.map(cachedEndpoint),
  };
}

function validEndpoint(v: unknown): v is CachedEndpoint {
  const e = v as Partial<CachedEndpoint> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    (e.scheme === 'https' || e.scheme === 'http') &&
    typeof e.host === 'string' &&
    HOST_PATTERN.test(e.host) &&
    Number.isInteger(e.port) &&
    e.port! > 0 &&
    e.port! < 65536
  );
}

function validNode(v: unknown): v is CachedNode {
  const n = v as Partial<CachedNode> | null;
  return (
    typeof n === 'object' &&
    n !== null &&
    typeof n.name === 'string' &&
    typeof n.address === 'string' &&
    HOST_PATTERN.test(n.address) &&
    typeof n.controlPlane === 'boolean'
  );
}

/** The cache file's content, or why it cannot be used. Entries that do not parse are dropped. */
export function parseCache(text: string): DiscoveryCacheFile | { invalid: string } {
  let doc: Partial<DiscoveryCacheFile>;
  try {
    doc = JSON.parse(text) as Partial<DiscoveryCacheFile>;
  } catch {
    return { invalid: 'not JSON' };
  }
  if (typeof doc !== 'object' || doc === null || doc.format !== CACHE_FORMAT) return { invalid: `not format ${CACHE_FORMAT}` };
  const writtenAt = typeof doc.writtenAt === 'string' ? new Date(doc.writtenAt) : null;
  if (!writtenAt || Number.isNaN(writtenAt.getTime())) return { invalid: 'no valid writtenAt' };
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  return {
    format: CACHE_FORMAT,
    context: typeof doc.context === 'string' ? doc.context : '',
    server: typeof doc.server === 'string' ? doc.server : null,
    writtenAt: writtenAt.toISOString(),
    nodes: list(doc.nodes).filter(validNode),
    apiServers: list(doc.apiServers).filter(validEndpoint),
    etcd: list(doc.etcd).filter(validEndpoint),
  };
}

/**
 * Fills what flags, manifests and the API did not give from the cache: hosts unless --hosts
 * was given, API servers unless --apiserver was, etcd endpoints when none is known.
 */
export function restoreFromCache(
  targets: Targets,
  cache: DiscoveryCacheFile,
  flags: { hosts: boolean; apiservers: boolean },
): Omit<DiscoveryCacheUse, 'path' | 'ageSeconds'> {
  const hosts: string[] = [];
  const apiServers: string[] = [];
  const etcd: string[] = [];
  if (!flags.hosts) {
    for (const n of cache.nodes) {
      const known = targets.hosts.find((h) => h.address === n.address);
      if (known) {
        known.name ??= n.name;
        continue;
      }
      targets.hosts.push({ address: n.address, name: n.name, controlPlane: n.controlPlane });
      hosts.push(n.address);
    }
  }
  if (!flags.apiservers) {
    const seen = new Set([targets.kubeServer?.url, ...targets.apiServers.map((e) => e.url)]);
    for (const e of cache.apiServers) {
      const url = urlOf(e);
      if (seen.has(url)) continue;
      seen.add(url);
      targets.apiServers.push({ url, host: e.host, port: e.port, source: 'cache' });
      apiServers.push(url);
    }
  }
  if (targets.etcd.length === 0) {
    for (const e of cache.etcd) {
      targets.etcd.push({ url: urlOf(e), host: e.host, port: e.port, source: 'cache' });
      etcd.push(urlOf(e));
    }
  }
  return { writtenAt: cache.writtenAt, hosts, apiServers, etcd };
}

/** Where the cache lives; swapped in tests. */
export interface CacheStore {
  /** The file's text; null when there is none; throws CacheRefused when it is there but not to be trusted. */
  read(path: string): Promise<string | null>;
  write(path: string, text: string): Promise<void>;
}

/** A cache file that exists but is not read: whoever could write it could steer the run's probes. */
export class CacheRefused extends Error {
  override readonly name = 'CacheRefused';
}

/** A cache of a few thousand nodes is well under a megabyte; a larger file is not ours. */
const MAX_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * Opens without following a symbolic link (O_NOFOLLOW) and without blocking on a FIFO, then
 * judges the file that was opened, not the name: a regular file, owned by this user, writable
 * by no one else. Anything else may have been planted to send our probes somewhere.
 */
async function readOwnFile(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new CacheRefused('it is a symbolic link; remove it, the next run that lists the nodes writes a new one');
    throw new CacheRefused(`it cannot be read (${code ?? 'error'})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new CacheRefused('it is not a regular file');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) throw new CacheRefused(`it is owned by uid ${st.uid}, not by this user (uid ${uid}); remove it`);
    if ((st.mode & 0o022) !== 0) {
      throw new CacheRefused(`others may write it (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); remove it or chmod 600 it`);
    }
    if (st.size > MAX_CACHE_BYTES) throw new CacheRefused(`it is ${Math.round(st.size / 1024 / 1024)} MB, too large for a discovery cache`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Written to a fresh file of unpredictable name that must not exist yet (O_EXCL, which also
 * refuses a symbolic link planted there), then renamed over the cache: two runs at once never
 * leave half a file, and no planted link makes us write through it. A link at the final name
 * is replaced by the rename, never followed.
 */
async function writeOwnFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${randomBytes(12).toString('hex')}.tmp`;
  const handle = await open(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(aside, path);
  } catch (err) {
    await unlink(aside).catch(() => undefined);
    throw err;
  }
}

export const fileCacheStore: CacheStore = { read: readOwnFile, write: writeOwnFile };

/**
 * A store that reads each file once: a run that cannot list the nodes reads the cache both for
 * its early probes and for discovery's fallback.
 */
export function readOnce(store: CacheStore): CacheStore {
  const reads = new Map<string, Promise<string | null>>();
  return {
    read(path) {
      let text = reads.get(path);
      if (!text) reads.set(path, (text = store.read(path)));
      return text;
    },
    async write(path, text) {
      reads.delete(path);
      await store.write(path, text);
    },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function write(targets: Targets, path: string, store: CacheStore, nodes: readonly NodeSummary[], now: Date): Promise<void> {
  try {
    await store.write(path, `${JSON.stringify(snapshot(targets, nodes, now), null, 2)}\n`);
    targets.notes.push(`discovery cache: ${plural(nodes.length, 'node')} written to ${path}`);
  } catch (e) {
    targets.notes.push(`discovery cache: not written to ${path} (${(e as Error).message.split('\n')[0]})`);
  }
}

/** The cache file for this context and kubeconfig server, or why there is none to use. */
async function loadCache(path: string, store: CacheStore, server: string | null): Promise<DiscoveryCacheFile | { unusable: string }> {
  let text: string | null;
  try {
    text = await store.read(path);
  } catch (err) {
    if (err instanceof CacheRefused) return { unusable: `${path} not used: ${err.message}` };
    throw err;
  }
  if (text === null) return { unusable: `none at ${path} (it is written by a run that can list the nodes)` };
  const cache = parseCache(text);
  if ('invalid' in cache) return { unusable: `${path} not used: ${cache.invalid}` };
  if (cache.server !== server) return { unusable: `${path} was written for ${cache.server ?? 'no server'}, not ${server ?? 'no server'}: not used` };
  return cache;
}

function cachePath(env: NodeJS.ProcessEnv, targets: Targets): string | null {
  const dir = cacheDir(env);
  return dir === null || targets.context === null ? null : join(dir, cacheFileName(targets.context));
}

/**
 * The targets as they would be if discovery had to fall back to the cache: a copy, for the
 * probes that start before discovery (engine/early-probes). The run's own targets are
 * untouched. A null store: no cache (the demo's throwaway clusters), the flags' targets only.
 */
export async function targetsWithCache(
  env: NodeJS.ProcessEnv,
  targets: Targets,
  flags: { hosts: boolean; apiservers: boolean },
  store: CacheStore | null = fileCacheStore,
): Promise<Targets> {
  const copy: Targets = { ...targets, hosts: targets.hosts.map((h) => ({ ...h })), apiServers: [...targets.apiServers], etcd: [...targets.etcd], notes: [] };
  const path = cachePath(env, targets);
  if (path === null || store === null) return copy;
  const cache = await loadCache(path, store, targets.kubeServer?.url ?? null);
  if (!('unusable' in cache)) restoreFromCache(copy, cache, flags);
  return copy;
}

async function restore(
  targets: Targets,
  path: string,
  store: CacheStore,
  why: string,
  flags: { hosts: boolean; apiservers: boolean },
  now: Date,
): Promise<void> {
  const cache = await loadCache(path, store, targets.kubeServer?.url ?? null);
  if ('unusable' in cache) {
    targets.notes.push(`discovery cache: ${cache.unusable}`);
    return;
  }
  const taken = restoreFromCache(targets, cache, flags);
  const ageMs = now.getTime() - new Date(cache.writtenAt).getTime();
  const counts = [plural(taken.hosts.length, 'host'), plural(taken.apiServers.length, 'API server'), plural(taken.etcd.length, 'etcd endpoint')].join(', ');
  if (taken.hosts.length + taken.apiServers.length + taken.etcd.length === 0) {
    targets.notes.push(`discovery cache: ${path} adds nothing to what flags and manifests gave`);
    return;
  }
  targets.fromCache = { path, ageSeconds: Math.max(0, Math.round(ageMs / 1000)), ...taken };
  targets.notes.push(`discovery cache: ${why}; took ${counts} from ${path}, written ${formatAge(ageMs)} ago (${cache.writtenAt})`);
}

/** Runs last: writes the cache when the nodes were listed, else fills the gaps from it. */
export function discoveryCacheDiscoverer(env: NodeJS.ProcessEnv, store: CacheStore = fileCacheStore): Discoverer {
  return {
    name: 'cache',
    async discover(targets, ctx) {
      const path = cachePath(env, targets);
      if (path === null) return;
      const why = await nodesUnknown(ctx);
      if (why === null) {
        const list = await ctx.facts.nodes();
        if (list.kind === 'ok') await write(targets, path, store, list.nodes, ctx.now);
        return;
      }
      await restore(targets, path, store, why, { hosts: ctx.options.hosts.length > 0, apiservers: ctx.options.apiservers.length > 0 }, ctx.now);
    },
  };
}
