// Network discovery that refines the flag-based targets: control-plane nodes from the API;
// when it cannot list them, the static pod manifests of this node; etcd endpoints from the
// manifest, the API server's pod or the control-plane hosts; last, the discovery cache,
// written when the nodes were listed and read when they were not. Each discoverer may
// fail; the failure becomes a note and the run goes on.
import type { CheckContext } from '../engine/types.js';
import type { Targets } from './targets.js';
import { etcdDiscoverer } from './etcd.js';
import { controlPlaneDiscoverer } from './control-plane.js';
import { manifestsDiscoverer } from './manifests.js';
import { discoveryCacheDiscoverer, type CacheStore } from './cache.js';

export interface Discoverer {
  name: string;
  discover(targets: Targets, ctx: CheckContext): Promise<void>;
}

export const DISCOVERERS: Discoverer[] = [controlPlaneDiscoverer, manifestsDiscoverer, etcdDiscoverer];

/** Every discoverer in order; the cache's place depends on the environment (HOME, XDG_CACHE_HOME). */
export function discoverersFor(env: NodeJS.ProcessEnv, store?: CacheStore): Discoverer[] {
  return [...DISCOVERERS, discoveryCacheDiscoverer(env, store)];
}

export async function discoverTargets(targets: Targets, ctx: CheckContext, discoverers: readonly Discoverer[] = DISCOVERERS): Promise<void> {
  for (const d of discoverers) {
    try {
      await d.discover(targets, ctx);
    } catch (err) {
      targets.notes.push(`discovery '${d.name}' failed: ${(err as Error).message.split('\n')[0]}`);
      ctx.log(`discovery ${d.name}: ${(err as Error).stack ?? String(err)}`);
    }
  }
}
