// Preconditions shared by many checks, resolved once per run. An unmet need turns each
// check that declares it into one `skip` line with the reason, instead of twenty failures.
import { nodeList } from '../observe/nodes.js';
import { tlsOnce } from '../observe/sockets.js';
import type { KubeOutcome, KubeProbe } from '../probes/types.js';
import type { CheckContext, NeedId } from './types.js';

/** Null when met, else the reason shown to the user. */
export type NeedResolver = (ctx: CheckContext) => Promise<string | null>;

/**
 * GET /version on the kubeconfig's server, once per run: the `api` need and the reachability
 * check ask the same question, and a hung server must cost one --timeout, not two.
 */
export function kubeconfigServerVersion(ctx: CheckContext, kube: KubeProbe): Promise<KubeOutcome> {
  return ctx.shared.once('need:api', () => kube.get('/version', { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal }));
}

function unreachable(kind: string, message: string | undefined): string {
  return `API server unreachable (${kind === 'timeout' ? 'timed out' : kind === 'refused' ? 'connection refused' : (message ?? kind)})`;
}

/** Null when the kubeconfig's server answers /version (or 403s it), else why not. */
async function kubeconfigServerProblem(ctx: CheckContext, kube: KubeProbe): Promise<{ reason: string; credentials: boolean } | null> {
  // The handshake first, shared with the reachability check: a server that accepts TCP and
  // never speaks TLS then costs the whole run one --timeout, not one here and one there.
  const server = ctx.targets.kubeServer;
  if (server) {
    const tls = await tlsOnce(ctx, server.host, server.port);
    if (tls.kind !== 'ok') return { reason: unreachable(tls.kind, tls.failure?.message), credentials: false };
  }
  const outcome = await kubeconfigServerVersion(ctx, kube);
  if (outcome.kind === 'ok' || outcome.kind === 'forbidden') return null; // 403: each check reports what it may not read
  if (outcome.kind === 'unauthorized') return { reason: 'API server rejects the credentials (401)', credentials: true };
  return { reason: unreachable(outcome.kind, outcome.message), credentials: false };
}

/** GET /version on one individual API server, once per run (the reachability check reuses it). */
export function serverVersion(ctx: CheckContext, kube: KubeProbe, url: string): Promise<KubeOutcome> {
  return ctx.shared.once(`version:${url}`, () => kube.get('/version', { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal, server: url }));
}

/** How long an answering master waits for the kubeconfig's server before taking over. */
const KUBECONFIG_SERVER_GRACE_MS = 150;

/**
 * The first individual API server that answers /version, or null when none does. Asked at the
 * same time as the kubeconfig's server, so a balancer that picked a hung master costs nothing
 * extra: the run does not wait a whole --timeout to learn what a master already told it.
 */
function firstAnsweringApiServer(ctx: CheckContext, kube: KubeProbe): Promise<string | null> {
  const kubeUrl = ctx.targets.kubeServer?.url;
  const candidates = ctx.targets.apiServers.filter((e) => e.url !== kubeUrl);
  if (candidates.length === 0 || !kube.useServer) return Promise.resolve(null);
  return new Promise((resolve) => {
    let pending = candidates.length;
    for (const e of candidates) {
      void serverVersion(ctx, kube, e.url).then((outcome) => {
        if (outcome.kind === 'ok') resolve(e.url);
        else if (--pending === 0) resolve(null);
      });
    }
  });
}

async function apiNeed(ctx: CheckContext): Promise<string | null> {
  const kube = ctx.probes.kube;
  if (!kube) return 'no kubeconfig found (pass --kubeconfig or set KUBECONFIG)';
  return ctx.shared.once('need:api-server-in-use', async () => {
    const viaKubeconfig = kubeconfigServerProblem(ctx, kube);
    const viaMaster = firstAnsweringApiServer(ctx, kube);
    const use = (url: string, why: string) => {
      kube.useServer!(url);
      ctx.targets.notes.push(`the kubeconfig server ${ctx.targets.kubeServer?.url ?? ''} did not answer (${why}); API requests go to ${url} instead`);
      return null;
    };
    const first = await Promise.race([
      viaKubeconfig.then((problem) => ({ from: 'kubeconfig' as const, problem })),
      viaMaster.then((url) => ({ from: 'master' as const, url })),
    ]);
    if (first.from === 'kubeconfig') {
      if (first.problem === null || first.problem.credentials) return first.problem?.reason ?? null;
      const url = await viaMaster;
      return url === null ? first.problem.reason : use(url, first.problem.reason);
    }
    if (first.url === null) return (await viaKubeconfig)?.reason ?? null;
    // A master answered first: the kubeconfig's server still wins if it answers within a grace.
    const late = await Promise.race([viaKubeconfig, new Promise<'late'>((r) => setTimeout(() => r('late'), KUBECONFIG_SERVER_GRACE_MS))]);
    if (late === null) return null;
    if (late !== 'late' && late.credentials) return late.reason;
    return use(first.url, late === 'late' ? `no answer ${KUBECONFIG_SERVER_GRACE_MS} ms after a master's` : late.reason);
  });
}

async function nodesNeed(ctx: CheckContext): Promise<string | null> {
  const api = await apiNeed(ctx);
  if (api) return api;
  // The one node list of the run (discovery has read it already): a separate probe request
  // cost a request per run, and, when the list had just failed, a second wait for the same answer.
  const list = await nodeList(ctx);
  if (list.kind === 'ok') return null;
  if (list.kind === 'forbidden') return list.message;
  return `cannot list nodes (${list.message})`;
}

async function etcdNeed(ctx: CheckContext): Promise<string | null> {
  if (ctx.targets.etcd.length === 0) return 'no etcd endpoints known (pass --etcd https://<host>:2379)';
  return null;
}

export const NEEDS: Record<NeedId, NeedResolver> = {
  api: apiNeed,
  nodes: nodesNeed,
  etcd: etcdNeed,
};
