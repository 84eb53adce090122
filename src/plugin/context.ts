// What a plugin check is handed: a narrow wrapper over the run's facts, not the facts
// themselves. Every member is a closure over the facts, so neither the probes nor the
// credentials nor any write verb is reachable from it, and the object is frozen so a plugin
// cannot swap a member for another plugin to find.
import type { CheckContext } from '../engine/types.js';
import type {
  About,
  EtcdAnswer,
  FileAnswer,
  KubeAnswer,
  ListAnswer,
  NodesAnswer,
  PluginCode,
  PluginContext,
  PluginFinding,
  Problem,
  TcpAnswer,
  TlsAnswer,
} from './api.js';

/** A page is as long as the built-in lists' pages: the API server's default cap on one response is far above it. */
const PAGE_SIZE = 500;
/** Files are configuration and certificates; anything bigger is the wrong file. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Only a path on the API server: a scheme, a host (`//host`) or a line break would reach elsewhere. */
function checkedPath(path: unknown): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || /[\s\\]/.test(path) || path.includes('/../')) {
    throw new Error(`kube.get: '${String(path)}' is not an API path (write it like /apis/cert-manager.io/v1/certificates)`);
  }
  return path;
}

function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  if (query === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export function pluginContext(ctx: CheckContext, plugin: string): PluginContext {
  const { facts } = ctx;
  const get = async (path: string, options?: { labelSelector?: string }): Promise<KubeAnswer> => {
    const outcome = await facts.api.get(withQuery(checkedPath(path), { labelSelector: options?.labelSelector }));
    if (outcome.kind === 'ok') {
      if (outcome.status >= 200 && outcome.status < 300) return { kind: 'ok', status: outcome.status, body: parseBody(outcome.body), ms: outcome.ms };
      return { kind: 'failed', status: outcome.status, message: `HTTP ${outcome.status}`, ms: outcome.ms, timedOut: false };
    }
    return { kind: 'failed', status: outcome.status ?? null, message: outcome.message, ms: outcome.ms, timedOut: outcome.kind === 'timeout' };
  };
  const list = async (path: string, options?: { labelSelector?: string }): Promise<ListAnswer> => {
    const items: unknown[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await get(withQuery(path, { labelSelector: options?.labelSelector, limit: String(PAGE_SIZE), continue: token }));
      if (answer.kind !== 'ok') {
        if (answer.status === 403) return { kind: 'forbidden', message: `GET ${path}: forbidden (RBAC: the credentials may not list it)` };
        return { kind: 'failed', message: `GET ${path}: ${answer.message}`, timedOut: answer.timedOut, status: answer.status };
      }
      const body = answer.body as { items?: unknown; metadata?: { continue?: unknown } } | null;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.items))
        return { kind: 'failed', message: `GET ${path}: not a list`, timedOut: false, status: answer.status };
      items.push(...(body.items as unknown[]));
      pages += 1;
      token = typeof body.metadata?.continue === 'string' && body.metadata.continue !== '' ? body.metadata.continue : undefined;
    } while (token);
    return { kind: 'ok', items, pages };
  };
  const nodes = async (): Promise<NodesAnswer> => {
    const outcome = await facts.nodes();
    if (outcome.kind !== 'ok') return { kind: outcome.kind, message: outcome.message };
    return {
      kind: 'ok',
      nodes: outcome.nodes.map((n) => ({
        name: n.name,
        address: n.address,
        controlPlane: n.controlPlane,
        unschedulable: n.unschedulable,
        ready: n.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
        conditions: n.conditions.map((c) => ({
          type: c.type,
          status: c.status,
          ...(c.reason ? { reason: c.reason } : {}),
          ...(c.message ? { message: c.message } : {}),
        })),
      })),
    };
  };
  const tcp = async (host: string, port: number): Promise<TcpAnswer> => {
    const o = await facts.tcp(host, port);
    return o.kind === 'ok' ? { kind: 'ok', ms: o.ms } : { kind: o.kind, ms: o.ms, message: o.message };
  };
  const tls = async (host: string, port: number): Promise<TlsAnswer> => {
    const o = await facts.tls(host, port);
    return {
      kind: o.kind,
      ms: o.ms,
      verifyError: o.verifyError,
      chain: o.chain.map((c) => ({ subject: c.subject, issuer: c.issuer, sans: [...c.sans], notBefore: c.notBefore, notAfter: c.notAfter, serial: c.serial })),
      ...(o.failure ? { message: o.failure.message } : {}),
    };
  };
  const etcdView = async (): Promise<EtcdAnswer> => {
    const view = await facts.etcd.view();
    if (!view) return null;
    return { members: view.members.map((m) => ({ id: m.id, name: m.label, endpoint: m.endpoint, voter: m.voter, up: m.up })) };
  };
  const read = async (path: string): Promise<FileAnswer> => {
    const stat = await facts.files.stat(path);
    if (stat && stat.isFile && stat.size > MAX_FILE_BYTES) return { kind: 'unreadable', message: `${path}: larger than ${MAX_FILE_BYTES} bytes` };
    const o = await facts.files.read(path);
    return o.kind === 'ok' ? { kind: 'ok', text: o.data.toString('utf8'), bytes: o.data.length } : { kind: o.kind, message: o.message };
  };
  const finding = (f: PluginFinding): PluginFinding => Object.freeze(f);
  const about = (a: About | undefined) => (a ? { about: a } : {});
  return Object.freeze({
    kube: Object.freeze({ get, list }),
    nodes,
    tcp,
    tls,
    etcd: Object.freeze({ view: etcdView }),
    files: Object.freeze({ read, list: (dir: string) => facts.files.list(dir) }),
    now: ctx.now,
    signal: ctx.signal,
    log: (message: string) => ctx.log(`plugin ${plugin}: ${message}`),
    raise: (p: Problem) =>
      finding({ code: p.code as PluginCode, subject: p.subject, message: p.message, ...about(p.about), ...(p.data ? { data: p.data } : {}) }),
    ok: (subject: string, message: string, extra?: { about?: About; data?: Record<string, unknown> }) =>
      finding({ status: 'ok', subject, message, ...about(extra?.about), ...(extra?.data ? { data: extra.data } : {}) }),
    skip: (subject: string, message: string) => finding({ status: 'skip', subject, message }),
  });
}
