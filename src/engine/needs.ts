// Preconditions shared by many checks, resolved once per run. An unmet need turns each
// check that declares it into one `skip` line with the reason, instead of twenty failures.
import { tlsOnce } from '../checks/probe-once.js';
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

async function apiNeed(ctx: CheckContext): Promise<string | null> {
  const kube = ctx.probes.kube;
  if (!kube) return 'no kubeconfig found (pass --kubeconfig or set KUBECONFIG)';
  // The handshake first, shared with the reachability check: a server that accepts TCP and
  // never speaks TLS then costs the whole run one --timeout, not one here and one there.
  const server = ctx.targets.kubeServer;
  if (server) {
    const tls = await tlsOnce(ctx, server.host, server.port);
    if (tls.kind !== 'ok') return `API server unreachable (${tls.kind === 'timeout' ? 'timed out' : tls.kind === 'refused' ? 'connection refused' : (tls.failure?.message ?? tls.kind)})`;
  }
  const outcome = await kubeconfigServerVersion(ctx, kube);
  if (outcome.kind === 'ok') return null;
  if (outcome.kind === 'unauthorized') return 'API server rejects the credentials (401)';
  if (outcome.kind === 'forbidden') return null; // reachable; each check reports what it may not read
  return `API server unreachable (${outcome.kind === 'timeout' ? 'timed out' : outcome.kind === 'refused' ? 'connection refused' : outcome.message})`;
}

async function nodesNeed(ctx: CheckContext): Promise<string | null> {
  const api = await apiNeed(ctx);
  if (api) return api;
  const outcome = await ctx.shared.once('need:nodes', () => ctx.probes.kube!.get('/api/v1/nodes?limit=1', { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal }));
  if (outcome.kind === 'ok') return null;
  if (outcome.kind === 'forbidden') return 'needs list nodes (RBAC: the credentials may not list nodes)';
  return `cannot list nodes (${outcome.message})`;
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
