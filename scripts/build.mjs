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
