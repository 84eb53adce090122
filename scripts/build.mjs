// Builds dist/: the CLI as small ESM chunks (heavy clients split out so they load only
// when a check needs them) and dist/k8sdoc-standalone.mjs, one file for air-gapped hosts.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __K8SDOC_VERSION__: JSON.stringify(version) },
  // Bundled CommonJS dependencies still call require(); give ESM output one.
  banner: { js: "import { createRequire as __k8sdocCreateRequire } from 'node:module'; const require = __k8sdocCreateRequire(import.meta.url);" },
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { k8sdoc: 'src/cli.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
await build({
  ...common,
  entryPoints: { 'k8sdoc-standalone': 'src/cli.ts' },
  outdir: 'dist',
  splitting: false,
  outExtension: { '.js': '.mjs' },
});
