// Builds dist/: the CLI as small ESM chunks (heavy clients split out so they load only
// when a check needs them) and dist/k8sdoc-standalone.mjs, one file for air-gapped hosts;
// beside them THIRD-PARTY-NOTICES.txt, the licences of every package bundled into them.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { thirdPartyNotices } from './notices.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/** The commit built from: K8SDOC_COMMIT (a Docker build has no .git), else git, else "unknown". */
function commit() {
  if (process.env.K8SDOC_COMMIT) return process.env.K8SDOC_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
function buildDate() {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  // The licences go into THIRD-PARTY-NOTICES.txt in full instead of comments in the code.
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  define: {
    __K8SDOC_VERSION__: JSON.stringify(version),
    __K8SDOC_COMMIT__: JSON.stringify(commit()),
    __K8SDOC_BUILD_DATE__: JSON.stringify(buildDate()),
  },
  // Bundled CommonJS dependencies still call require(); give ESM output one.
  banner: { js: "import { createRequire as __k8sdocCreateRequire } from 'node:module'; const require = __k8sdocCreateRequire(import.meta.url);" },
};

rmSync('dist', { recursive: true, force: true });
const chunks = await build({
  ...common,
  entryPoints: { k8sdoc: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
const standalone = await build({
  ...common,
  entryPoints: { 'k8sdoc-standalone': 'src/cli.ts' },
  outdir: 'dist',
  splitting: false,
  outExtension: { '.js': '.mjs' },
});
writeFileSync('dist/THIRD-PARTY-NOTICES.txt', thirdPartyNotices([chunks.metafile, standalone.metafile]));
// The test that every bundled package is listed reads what esbuild bundled from here.
writeFileSync('dist/metafile.json', JSON.stringify({ inputs: { ...chunks.metafile.inputs, ...standalone.metafile.inputs } }));

// The plugin API (`k8sdoc/plugin`): definePlugin at run time, and the declarations of
// src/plugin/api.ts (self-contained by design) for plugin authors' editors and compilers.
// `k8sdoc/plugin/testing` carries the simulator, for plugin authors' tests.
await build({
  ...common,
  entryPoints: { index: 'src/plugin/api.ts', testing: 'src/plugin/testing.ts' },
  outdir: 'dist/plugin',
  splitting: false,
  outExtension: { '.js': '.mjs' },
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.plugin.json'], { stdio: 'inherit' });
writeFileSync('dist/plugin/index.d.ts', "export * from './api.js';\n");
writeFileSync(
  'dist/plugin/testing.d.ts',
  `import type { Plugin } from './api.js';
/** A scenario of k8sdoc's simulator: see docs/plugins.md for its fields. */
export interface ScenarioSpec {
  name: string;
  description: string;
  controlPlanes: number;
  workers: number;
  nodes?: Record<string, { kubelet?: 'up' | 'down' | 'hang'; memoryPressure?: boolean; diskPressure?: boolean; pidPressure?: boolean; unschedulable?: boolean }>;
  addons?: {
    certificates?: { namespace: string; name: string; ready?: boolean; expiresInDays?: number; reason?: string }[];
    ingressNginx?: { nodes: string[] };
  };
  [more: string]: unknown;
}
export interface ReportResult {
  check: string; component: string; subject: string; status: 'ok' | 'warn' | 'crit' | 'skip' | 'error'; message: string; code?: string;
  symptom?: string; causes?: string[]; fix?: string[]; data?: Record<string, unknown>; durationMs: number;
}
export interface RootCause { code: string; subject: string; explains: string[]; explainsFindings: { code: string; subject: string }[] }
export interface Report { status: 'ok' | 'warn' | 'crit'; summary: Record<string, number>; rootCauses: RootCause[]; results: ReportResult[]; [more: string]: unknown }
export interface RunAgainstOptions { block: number; args?: string[]; etcd?: boolean | 'standin' }
export declare function runPluginAgainst(plugin: string | Plugin, scenario: ScenarioSpec, options: RunAgainstOptions): Promise<Report>;
`,
);
