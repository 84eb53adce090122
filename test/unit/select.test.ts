// --only / --skip: what runs, and the selections that must stop the run instead of passing it.
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/registry/index.js';
import { selectChecks } from '../../src/engine/select.js';
import { UsageError } from '../../src/errors.js';

const ids = (only: string[], skip: string[]) => selectChecks(CHECKS, only, skip).map((c) => c.id);

function usageError(only: string[], skip: string[]): string {
  try {
    selectChecks(CHECKS, only, skip);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('selectChecks', () => {
  it('selects by component and by id, and skips by either', () => {
    const etcd = CHECKS.filter((c) => c.component === 'etcd').map((c) => c.id);
    expect(ids(['etcd'], [])).toEqual(etcd);
    expect(ids(['etcd'], [etcd[0]!])).toEqual(etcd.slice(1));
    expect(ids([], [])).toEqual(CHECKS.map((c) => c.id));
  });

  it('a selection that leaves nothing to run is a usage error naming both flags', () => {
    expect(usageError(['etcd'], ['etcd'])).toBe("nothing to run: --skip etcd removes every check that --only etcd selects; run 'k8sdoc checks' to list them");
    const everything = ['apiserver', 'etcd', 'control-plane', 'certs', 'nodes', 'kubelet', 'ports'];
    expect(usageError([], everything)).toMatch(/^nothing to run: --skip apiserver,etcd,.* removes every check;/);
  });

  it('an unknown name suggests the nearest check id or component', () => {
    expect(usageError(['certz'], [])).toBe("--only: unknown check or component 'certz' (did you mean 'certs'?); run 'k8sdoc checks' to list them");
    expect(usageError([], ['etcd-quorom'])).toMatch(/--skip: unknown check or component 'etcd-quorom' \(did you mean 'etcd-quorum'\?\)/);
    expect(usageError(['dns'], [])).toBe("--only: unknown check or component 'dns'; run 'k8sdoc checks' to list them");
  });
});
