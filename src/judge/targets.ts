// Questions about what discovery found, answered from the targets alone.
import type { Targets } from '../discovery/targets.js';

/** The node whose address (InternalIP or --hosts entry) this is, when known. */
export function nodeNameAt(targets: Targets, address: string): string | undefined {
  return targets.hosts.find((h) => h.address === address)?.name;
}
