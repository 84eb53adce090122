// Every registered check has its unit test beside the others, named by its id, and every
// file in src/checks is a registered check.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/registry/index.js';

describe('the check registry', () => {
  it('every check has test/unit/checks/<id>.test.ts', () => {
    expect(CHECKS.map((c) => c.id).filter((id) => !existsSync(`test/unit/checks/${id}.test.ts`))).toEqual([]);
  });

  it('every file in src/checks is a registered check named by its id', () => {
    const ids = new Set(CHECKS.map((c) => c.id));
    expect(
      readdirSync('src/checks')
        .map((f) => f.replace(/\.ts$/, ''))
        .filter((id) => !ids.has(id)),
    ).toEqual([]);
  });
});
