// The layout docs/architecture.md describes, held against the code: the folders of src/
// import each other without a cycle (type-only imports aside), checks reach the cluster
// only through the facts, and the run's memo keys stay inside src/observe.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `src/checks/ports.ts` → `checks`; `src/index.ts` → `index`. */
function folderOf(path: string): string {
  const parts = relative('src', path).split(sep);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.(ts|js)$/, '');
}

/** Value imports between folders: `import type` and `import { type A, type B }` do not count. */
function valueImports(): Map<string, Map<string, string[]>> {
  const edges = new Map<string, Map<string, string[]>>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...[...text.matchAll(/^import\s+(?!type\b)([^;]*?)from\s+'(\.[^']+)'/gm)]
        .filter((m) => !/^\{\s*(type\s+\w+\s*,?\s*)+\}\s*$/.test(m[1]!))
        .map((m) => m[2]!),
      ...[...text.matchAll(/import\(\s*'(\.[^']+)'/g)].map((m) => m[1]!),
    ];
    for (const spec of specs) {
      const from = folderOf(file);
      const to = folderOf(normalize(join(dirname(file), spec)));
      if (from === to) continue;
      const targets = edges.get(from) ?? new Map<string, string[]>();
      targets.set(to, [...(targets.get(to) ?? []), file]);
      edges.set(from, targets);
    }
  }
  return edges;
}

function reaches(edges: Map<string, Map<string, string[]>>, from: string, to: string, seen = new Set<string>()): boolean {
  for (const next of edges.get(from)?.keys() ?? []) {
    if (next === to) return true;
    if (!seen.has(next)) {
      seen.add(next);
      if (reaches(edges, next, to, seen)) return true;
    }
  }
  return false;
}

describe('the layout of src/', () => {
  const edges = valueImports();

  it('no two folders import each other, directly or around a circle', () => {
    const cycles: string[] = [];
    for (const [from, targets] of edges) for (const [to, files] of targets) if (reaches(edges, to, from)) cycles.push(`${from} → ${to} (${files[0]})`);
    expect(cycles).toEqual([]);
  });

  it('checks import no observation at the value level: they ask ctx.facts', () => {
    expect(edges.get('checks')?.has('observe') ?? false).toBe(false);
  });

  it('the judge helpers do no I/O: they import neither the facts, the probes nor node: modules that reach the network or disk', () => {
    expect(edges.get('judge')?.has('observe') ?? false).toBe(false);
    for (const file of sources('src/judge')) expect(readFileSync(file, 'utf8'), file).not.toMatch(/from 'node:(fs|net|tls|http|https|child_process)/);
  });

  it("the run's memo keys live in src/observe alone", () => {
    const outside = sources('src').filter((f) => !f.startsWith(join('src', 'observe')) && /\bmemo\.once\(|shared\.once\(/.test(readFileSync(f, 'utf8')));
    expect(outside).toEqual([]);
  });
});
