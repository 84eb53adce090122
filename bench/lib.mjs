// Shared helpers for the benchmark scripts: run a command N times, report medians and
// ratios against a reference measured in the same script (these machines are shared and
// noisy, so absolute times mean little on their own).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wall time of one spawn in ms. */
export function timeOnce(cmd, args, options = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Interleaves the commands run by run so that load spikes hit all of them alike. */
export function compare(commands, runs = 15) {
  const times = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, j) => times[j].push(timeOnce(c.cmd, c.args, c.options).ms));
  }
  return commands.map((c, j) => ({ name: c.name, median: median(times[j]), min: Math.min(...times[j]) }));
}

export function printTable(title, rows, reference) {
  console.log(`\n${title}`);
  const ref = rows.find((r) => r.name === reference);
  for (const r of rows) {
    const ratio = ref ? ` ${(r.median / ref.median).toFixed(2)}x ${reference}` : '';
    console.log(`  ${r.name.padEnd(34)} median ${r.median.toFixed(1).padStart(7)} ms  min ${r.min.toFixed(1).padStart(7)} ms${ratio}`);
  }
}

/**
 * The simulator is TypeScript: bundle the named exports of src/sim/ into `workDir` with
 * esbuild, the way the CLI build does, and import them.
 * `exports` maps a module under src/sim/ to the names it should give, e.g.
 * { 'cluster.js': ['startCluster'], 'etcd-cluster.js': ['etcdAvailable'] }.
 */
export async function loadSimulator(exports, workDir) {
  return loadSource(Object.fromEntries(Object.entries(exports).map(([file, names]) => [`sim/${file}`, names])), workDir);
}

/** Like loadSimulator, for any module under src/ (`{ 'engine/triage.js': ['triage'] }`). */
export async function loadSource(exports, workDir) {
  const { build } = await import('esbuild');
  const contents = Object.entries(exports)
    .map(([file, names]) => `export { ${names.join(', ')} } from './src/${file}';`)
    .join('\n');
  await build({
    stdin: { contents, resolveDir: resolve('.'), sourcefile: 'bench-sim.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(workDir, 'sim.mjs'),
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(), as in scripts/build.mjs.
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  });
  return import(pathToFileURL(join(workDir, 'sim.mjs')).href);
}
