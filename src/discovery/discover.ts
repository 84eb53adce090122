// Network discovery that refines the flag-based targets: control-plane nodes from the API;
// when it cannot list them, the static pod manifests of this node; the cluster's shape
// (distribution, datastore, where k8sdoc stands); etcd endpoints true from here; last, the
// discovery cache, written when the nodes were listed and read when they were not. Each discoverer may
// fail; the failure becomes a note and the run goes on.
import type { CheckContext } from '../engine/types.js';
import type { Targets } from './targets.js';
import { etcdDiscoverer } from './etcd.js';
import { controlPlaneDiscoverer } from './control-plane.js';
import { manifestsDiscoverer } from './manifests.js';
import { discoveryCacheDiscoverer, type CacheStore } from './cache.js';
import { shapeDiscoverer } from './shape.js';

export interface Discoverer {
  name: string;
  /**
   * Starts, without waiting, what `discover` will ask that no discoverer before it can change,
   * so that its requests go out with the first discoverer's instead of after it.
   */
  start?(targets: Targets, ctx: CheckContext): void;
  discover(targets: Targets, ctx: CheckContext): Promise<void>;
}

// The shape comes after the node list and the manifests, and before etcd: which endpoints are
// true from here depends on it.
export const DISCOVERERS: Discoverer[] = [controlPlaneDiscoverer, manifestsDiscoverer, shapeDiscoverer, etcdDiscoverer];

/**
 * What discovery must find for the selected checks: `all`, or only the node list, which
 * the node checks read through the facts anyway. The node list alone names the hosts and API
 * servers too; the shape (its pod lists), etcd endpoints, manifests and the discovery cache
 * are left out. The cache is then neither read nor written: a snapshot without the etcd
 * endpoints would cost the next run that needs them.
 */
export type DiscoveryScope = 'all' | 'node-list';

/** Every discoverer in order; the cache's place depends on the environment (HOME, XDG_CACHE_HOME). */
export function discoverersFor(env: NodeJS.ProcessEnv, store?: CacheStore | null, scope: DiscoveryScope = 'all'): Discoverer[] {
  if (scope === 'node-list') return [controlPlaneDiscoverer];
  return store === null ? DISCOVERERS : [...DISCOVERERS, discoveryCacheDiscoverer(env, store)];
}

export async function discoverTargets(targets: Targets, ctx: CheckContext, discoverers: readonly Discoverer[] = DISCOVERERS): Promise<void> {
  try {
    for (const d of discoverers) d.start?.(targets, ctx);
    for (const d of discoverers) {
      try {
        await d.discover(targets, ctx);
      } catch (err) {
        targets.notes.push(`discovery '${d.name}' failed: ${(err as Error).message.split('\n')[0]}`);
        ctx.log(`discovery ${d.name}: ${(err as Error).stack ?? String(err)}`);
      }
    }
  } finally {
    // Discovery is over whichever discoverers ran: what the API confirmed is known now, and
    // endpoints taken from the cache stay unconfirmed (asked without credentials).
    targets.credentialScope?.settle();
  }
}
