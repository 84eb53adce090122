// Whether the API server told us the cluster's machines. When it did not (down, hung, 401,
// or up but unable to list because etcd is gone), discovery falls back to what is still at
// hand: static pod manifests and the discovery cache.
import type { CheckContext } from '../engine/types.js';

/** Null when the node list was read; else why not, for notes. Costs no extra request. */
export async function nodesUnknown(ctx: CheckContext): Promise<string | null> {
  // The memoised GET /version: a hung API server costs one --timeout here, not one more.
  const apiDown = await ctx.facts.api.unavailable();
  if (apiDown) return apiDown;
  const list = await ctx.facts.nodes();
  return list.kind === 'ok' ? null : `node list not read (${list.message})`;
}
