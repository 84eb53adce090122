// THIRD-PARTY-NOTICES.txt from esbuild's metafiles: every package whose code went into the
// bundle, with its name, version, licence and the licence text its package ships. Bundling
// removes the packages' own files, and most licences (MIT, ISC, BSD) require the notice to
// travel with the code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `node_modules/@scope/name/…` or `node_modules/name/…` (the innermost node_modules wins). */
const PACKAGE_PATH = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/** The package folders (relative to the working directory) of every bundled input. */
export function bundledPackageDirs(metafiles) {
  const dirs = new Set();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const match = PACKAGE_PATH.exec(input);
      if (match) dirs.add(match[1]);
    }
  }
  return [...dirs];
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.|-|$)/i;

function licenceOf(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license.type === 'string') return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return 'UNKNOWN';
}

/** name, version, licence and licence texts of one package folder. */
export function packageNotice(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = readdirSync(dir)
    .filter((f) => LICENSE_FILE.test(f))
    .sort();
  const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
  const author = typeof pkg.author === 'string' ? pkg.author : (pkg.author?.name ?? null);
  return { name: pkg.name, version: pkg.version, license: licenceOf(pkg), author, files, texts };
}

export function thirdPartyNotices(metafiles) {
  // A package bundled from two places (nested copies) under one name and version is listed once.
  const byId = new Map();
  for (const dir of bundledPackageDirs(metafiles)) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const notice = packageNotice(dir);
    // A nested package.json of a subpath export ({"type":"module"}) has no name: it is not a package.
    if (!notice.name) continue;
    byId.set(`${notice.name}@${notice.version}`, notice);
  }
  const notices = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const rule = '-'.repeat(78);
  const parts = [
    'k8sdoc bundles the following third-party packages into dist/. Each is listed with its',
    'version, its licence as its package.json states it, and the licence text it ships.',
    '',
    ...notices.map((n) => `  ${n.name}@${n.version}  ${n.license}`),
    '',
  ];
  for (const n of notices) {
    parts.push(rule, `${n.name}@${n.version}`, `License: ${n.license}`, '');
    if (n.texts.length === 0) {
      const by = n.author ? ` Author: ${n.author}.` : '';
      parts.push(`(The package ships no licence file; its package.json names the licence ${n.license}.${by})`, '');
    }
    for (const text of n.texts) parts.push(text, '');
  }
  return `${parts.join('\n')}\n`;
}
