// Regenerates docs/catalogue.md, docs/contract.md and src/registry/info.generated.ts from the catalogue and the
// check registry (bundled on the fly with esbuild).
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const out = await build({
  entryPoints: ['src/registry/docs-page.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
  // Bundled CommonJS dependencies call require(), as in scripts/build.mjs; a data: URL has no
  // path to resolve from, so resolve from the project folder.
  banner: { js: "import { createRequire as __k8sdocCreateRequire } from 'node:module'; const require = __k8sdocCreateRequire(process.cwd() + '/');" },
});
const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
writeFileSync('docs/catalogue.md', mod.catalogueDocsPage());
writeFileSync('docs/contract.md', mod.contractPage());
writeFileSync('src/registry/info.generated.ts', mod.checkInfoModule());
console.log('wrote docs/catalogue.md, docs/contract.md and src/registry/info.generated.ts');
