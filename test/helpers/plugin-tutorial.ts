// The files docs/plugins.md's tutorial tells the reader to write: the code fences after a
// `<!-- tutorial-file: NAME -->` marker, by name, so tests run the document as written.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function tutorialFiles(markdown = readFileSync(resolve('docs/plugins.md'), 'utf8')): Map<string, string> {
  const files = new Map<string, string>();
  const pattern = /<!-- tutorial-file: ([\w.-]+) -->\s*\n```\w*\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(pattern)) files.set(m[1]!, `${m[2]!}\n`);
  return files;
}
