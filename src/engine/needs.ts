// Preconditions shared by many checks, resolved through the facts (each once per run). An
// unmet need turns each check that declares it into one `skip` line with the reason, instead
// of twenty failures.
import type { CheckContext, NeedId } from './types.js';
import { knownWithoutEtcd, noEtcdReason } from '../shape/datastore.js';

/** Null when met, else the reason shown to the user. */
export type NeedResolver = (ctx: CheckContext) => Promise<string | null>;

async function nodesNeed(ctx: CheckContext): Promise<string | null> {
  const api = await ctx.facts.api.unavailable();
  if (api) return api;
  // The one node list of the run (discovery has read it already).
  const list = await ctx.facts.nodes();
  if (list.kind === 'ok') return null;
  if (list.kind === 'forbidden') return list.message;
  return `cannot list nodes (${list.message})`;
}

export const NEEDS: Record<NeedId, NeedResolver> = {
  api: (ctx) => ctx.facts.api.unavailable(),
  nodes: nodesNeed,
  etcd: async (ctx) => {
    if (ctx.targets.etcd.length > 0) return null;
    // A datastore that is not etcd is a state of the cluster, not a gap in what k8sdoc knows.
    const shape = ctx.targets.shape;
    return shape && knownWithoutEtcd(shape) ? noEtcdReason(shape) : 'no etcd endpoints known (pass --etcd https://<host>:2379)';
  },
};
