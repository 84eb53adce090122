import { UsageError } from '../errors.js';
import { COMPONENTS, type Check } from './types.js';

/** --only / --skip by check id or component; an unknown name is a usage error. */
export function selectChecks(all: readonly Check[], only: readonly string[], skip: readonly string[]): Check[] {
  const known = new Set<string>([...COMPONENTS, ...all.map((c) => c.id)]);
  for (const [flag, names] of [
    ['--only', only],
    ['--skip', skip],
  ] as const) {
    for (const name of names) {
      if (!known.has(name)) throw new UsageError(`${flag}: unknown check or component '${name}'; run 'k8sdoc checks' to list them`);
    }
  }
  const matches = (check: Check, names: readonly string[]) => names.includes(check.id) || names.includes(check.component);
  return all.filter((c) => (only.length === 0 || matches(c, only)) && !matches(c, skip));
}
