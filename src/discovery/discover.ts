// Network discovery that refines the flag-based targets: control-plane nodes from the API,
// etcd endpoints from the static pod manifest, the discovery cache when the API is down.
// Each discoverer may fail; the failure becomes a note and the run goes on.
import type { CheckContext } from '../engine/types.js';
import type { Targets } from './targets.js';
import { etcdDiscoverer } from './etcd.js';
import { controlPlaneDiscoverer } from './control-plane.js';

export interface Discoverer {
  name: string;
  discover(targets: Targets, ctx: CheckContext): Promise<void>;
}

export const DISCOVERERS: Discoverer[] = [controlPlaneDiscoverer, etcdDiscoverer];

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
