// $KUBECONFIG merging as kubectl does it, for any list of files: the first file to set
// current-context wins, each cluster, user and context resolves to the first file that
// defines it, and files added at the end never change what earlier files decided.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeKubeconfigs } from '../../src/discovery/kubeconfig.js';

const name = fc.constantFrom('prod', 'staging', 'dev', 'kind');

const doc = fc.record({
  current: fc.option(fc.oneof(name, fc.constant('')), { nil: undefined }),
  clusters: fc.uniqueArray(name, { maxLength: 4 }),
  users: fc.uniqueArray(name, { maxLength: 4 }),
  contexts: fc.uniqueArray(name, { maxLength: 4 }),
});

type Doc = { current: string | undefined; clusters: string[]; users: string[]; contexts: string[] };

function toKubeconfig(d: Doc, i: number): { file: string; doc: Record<string, unknown> } {
  return {
    file: `/k/f${i}`,
    doc: {
      ...(d.current !== undefined ? { 'current-context': d.current } : {}),
      clusters: d.clusters.map((n) => ({ name: n, cluster: { server: `https://f${i}-${n}:6443` } })),
      users: d.users.map((n) => ({ name: n, user: { token: `f${i}-${n}` } })),
      contexts: d.contexts.map((n) => ({ name: n, context: { cluster: n, user: n } })),
    },
  };
}

describe('kubeconfig merge property', () => {
  it('current-context and every name come from the first file that sets them', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 6 }), (docs) => {
        const merged = mergeKubeconfigs(docs.map(toKubeconfig));
        expect(merged.currentContext).toBe(docs.find((d) => d.current)?.current ?? null);
        for (const key of ['clusters', 'users', 'contexts'] as const) {
          const names = new Set(docs.flatMap((d) => d[key]));
          expect(new Set(merged[key].keys())).toEqual(names);
          for (const n of names) expect(merged[key].get(n)!.file).toBe(`/k/f${docs.findIndex((d) => d[key].includes(n))}`);
        }
        expect(merged.users.get(docs.flatMap((d) => d.users)[0] ?? 'none')?.value.token ?? null).toBe(
          docs.flatMap((d, i) => d.users.map((u) => `f${i}-${u}`))[0] ?? null,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('appending files never changes what the earlier files decided', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 4 }), fc.array(doc, { maxLength: 4 }), (head, tail) => {
        const before = mergeKubeconfigs(head.map(toKubeconfig));
        const after = mergeKubeconfigs([...head, ...tail].map(toKubeconfig));
        if (before.currentContext !== null) expect(after.currentContext).toBe(before.currentContext);
        for (const key of ['clusters', 'users', 'contexts'] as const) {
          for (const [n, entry] of before[key]) expect(after[key].get(n)).toEqual(entry);
        }
      }),
      { numRuns: 300 },
    );
  });
});
