// Runs once before the suite: the spawned-CLI tests need the build.
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (!existsSync('dist/k8sdoc.mjs')) {
    throw new Error('dist/k8sdoc.mjs is missing: run `npm test` (it builds first) or `npm run build`');
  }
}
