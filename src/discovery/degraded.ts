// Whether the API server told us the cluster's machines. When it did not (down, hung, 401,
// or up but unable to list because etcd is gone), discovery falls back to what is still at
// hand: static pod manifests and the discovery cache.
import { nodeList } from '../observe/nodes.js';
import { NEEDS } from '../engine/needs.js';
import type { CheckContext } from '../engine/types.js';

/** Null when the node list was read; else why not, for notes. Costs no extra request. */
export async function nodesUnknown(ctx: CheckContext): Promise<string | null> {
  // The memoised GET /version: a hung API server costs one --timeout here, not one more.
  const apiDown = await NEEDS.api(ctx);
  if (apiDown) return apiDown;
  const list = await nodeList(ctx);
  return list.kind === 'ok' ? null : `node list not read (${list.message})`;
}
