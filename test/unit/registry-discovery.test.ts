// The checks that run without discovery (`--only nodes`) must not read what discovery would
// have added: were one to start reading the shape, the etcd endpoints or the hosts, it would
// judge an empty list on such a run and pass where it should fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS, NEEDS_NO_DISCOVERY } from '../../src/registry/index.js';

describe('checks that need no discovery', () => {
  const listed = CHECKS.filter((c) => NEEDS_NO_DISCOVERY.has(c.id));

  it('are built-in checks', () => {
    expect(listed.map((c) => c.id).sort()).toEqual([...NEEDS_NO_DISCOVERY].sort());
  });

  it('need no etcd endpoints and start no early probes on discovered targets', () => {
    for (const c of listed) {
      expect(c.needs, c.id).not.toContain('etcd');
      expect(c.prewarm, c.id).toBeUndefined();
    }
  });

  it('read nothing of the targets but the kubeconfig server, which is known before discovery', () => {
    for (const c of listed) {
      const source = readFileSync(`src/checks/${c.id}.ts`, 'utf8');
      const reads = [...source.matchAll(/\btargets\.(\w+)/g)].map((m) => m[1]);
      expect(
        reads.filter((field) => field !== 'kubeServer'),
        c.id,
      ).toEqual([]);
    }
  });
});
