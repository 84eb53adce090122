import { closest } from '../config/suggest.js';
import { UsageError } from '../errors.js';
import { COMPONENTS, type Check } from './types.js';

/**
 * --only / --skip by check id or component. An unknown name is a usage error (with the
 * nearest known name when there is one), and so is a selection that leaves nothing to run:
 * a typo in a config file must not turn a pipeline green on a run that checked nothing.
 */
export function selectChecks(all: readonly Check[], only: readonly string[], skip: readonly string[]): Check[] {
  // A plugin's check may have a component of its own (`ingress`): selectable like a built-in one.
  const known = [...new Set([...COMPONENTS, ...all.map((c) => c.component)]), ...all.map((c) => c.id)];
  for (const [flag, names] of [
    ['--only', only],
    ['--skip', skip],
  ] as const) {
    for (const name of names) {
      if (known.includes(name)) continue;
      const hint = closest(name, known);
      const suggestion = hint ? ` (did you mean '${hint}'?)` : '';
      throw new UsageError(`${flag}: unknown check or component '${name}'${suggestion}; run 'k8sdoc checks' to list them`);
    }
  }
  const matches = (check: Check, names: readonly string[]) => names.includes(check.id) || names.includes(check.component);
  const selected = all.filter((c) => (only.length === 0 || matches(c, only)) && !matches(c, skip));
  if (selected.length === 0 && all.length > 0) {
    const reason =
      skip.length === 0
        ? `--only ${only.join(',')} selects no check`
        : only.length > 0
          ? `--skip ${skip.join(',')} removes every check that --only ${only.join(',')} selects`
          : `--skip ${skip.join(',')} removes every check`;
    throw new UsageError(`nothing to run: ${reason}; run 'k8sdoc checks' to list them`);
  }
  return selected;
}
