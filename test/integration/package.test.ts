// `npm pack` produces a package that installs on its own (everything is bundled into dist/,
// so it has no runtime dependencies) and runs as `k8sdoc` and `kubectl-k8sdoc`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });

describe('the npm package', () => {
  it('holds the launchers and the build, not the sources, and needs no runtime dependency', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
    // --ignore-scripts: dist/ is already built by `npm test`; rebuilding here would pull it
    // from under the other test files running in parallel.
    const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], resolve('.')));
    const files = packed.files.map((f: { path: string }) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/k8sdoc',
        'bin/kubectl-k8sdoc',
        'dist/k8sdoc.mjs',
        'README.md',
        'docs/catalogue.md',
        'LICENSE',
        'dist/THIRD-PARTY-NOTICES.txt',
      ]),
    );
    // dist/plugin/: the plugin API (`k8sdoc/plugin`, with declarations) and its test helper.
    expect(files.filter((f: string) => f.startsWith('dist/') && !f.startsWith('dist/chunks/')).sort()).toEqual([
      'dist/THIRD-PARTY-NOTICES.txt',
      'dist/k8sdoc.mjs',
      'dist/plugin/api.d.ts',
      'dist/plugin/index.d.ts',
      'dist/plugin/index.mjs',
      'dist/plugin/testing.d.ts',
      'dist/plugin/testing.mjs',
    ]);
    expect(files.filter((f: string) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('installs from the tarball with nothing else and runs k8sdoc and the kubectl plugin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-pack-'));
    const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], resolve('.')));
    const project = join(dir, 'project');
    execFileSync('mkdir', [project]);
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}');
    npm(['install', '--offline', '--ignore-scripts', join(dir, packed.filename)], project);
    const bin = join(project, 'node_modules', '.bin');
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    expect(execFileSync(join(bin, 'k8sdoc'), ['--version'], { encoding: 'utf8' }).startsWith(`k8sdoc ${version} (commit `)).toBe(true);
    expect(execFileSync(join(bin, 'kubectl-k8sdoc'), ['explain', 'etcd-quorum-lost'], { encoding: 'utf8' })).toMatch(/^etcd-quorum-lost — /);
    expect(execFileSync(join(bin, 'k8sdoc'), ['demo', '--list'], { encoding: 'utf8' })).toMatch(/^healthy +/m);
  });

  it('LICENSE is the Apache-2.0 text that package.json names', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).license).toBe('Apache-2.0');
    const text = readFileSync('LICENSE', 'utf8');
    expect(text).toMatch(/^\s+Apache License\s+Version 2\.0, January 2004/);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });

  it('THIRD-PARTY-NOTICES.txt lists every package esbuild bundled, with its version, licence and licence text', () => {
    // dist/metafile.json is what esbuild reports it put into dist/ (scripts/build.mjs).
    const { inputs } = JSON.parse(readFileSync('dist/metafile.json', 'utf8')) as { inputs: Record<string, unknown> };
    const dirs = new Set<string>();
    for (const input of Object.keys(inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) dirs.add(match[1]!);
    }
    const bundled = [...dirs]
      .filter((d) => existsSync(join(d, 'package.json')))
      .map((d) => ({ dir: d, pkg: JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: string; version: string; license?: string } }))
      .filter((p) => p.pkg.name);
    // commander, chalk, yaml and the Kubernetes client at the least: a bundle with none is not a real build.
    expect(bundled.map((p) => p.pkg.name)).toEqual(expect.arrayContaining(['commander', 'chalk', 'yaml', '@kubernetes/client-node']));
    const notices = readFileSync('dist/THIRD-PARTY-NOTICES.txt', 'utf8');
    for (const { dir, pkg } of bundled) {
      expect(notices, `${pkg.name}@${pkg.version}`).toContain(`\n${pkg.name}@${pkg.version}\nLicense: ${pkg.license}\n`);
      const licenceFile = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      if (licenceFile) expect(notices).toContain(readFileSync(join(dir, licenceFile), 'utf8').trim());
    }
  });

  it('no command in the README, docs/ or the Dockerfile fetches the unpublished name from the registry', () => {
    const docs = ['README.md', 'Dockerfile', ...readdirSync('docs').map((f) => join('docs', f))].filter((f) => /\.md$|Dockerfile$/.test(f));
    // Commands live in code blocks (and the Dockerfile); prose and comments may warn against them.
    const commands = docs.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const blocks = f.endsWith('.md') ? [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!) : [text];
      return blocks.flatMap((b) => b.split('\n').map((line) => ({ f, line: line.replace(/(^|\s)#.*$/, '') })));
    });
    expect(commands.length).toBeGreaterThan(100);
    const fromRegistry = /\bnpx\s+(--yes\s+)?k8sdoc\b|\bnpm\s+(install|i|add)\s+((-g|--global)\s+)?k8sdoc(@\S*)?(\s|$)/;
    expect(commands.filter((c) => fromRegistry.test(c.line))).toEqual([]);
  });

  it('installs globally from the tarball, as the README and the CI snippets say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-global-'));
    const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], resolve('.')));
    const prefix = join(dir, 'prefix');
    npm(['install', '--global', '--prefix', prefix, '--offline', '--ignore-scripts', join(dir, packed.filename)], dir);
    const run = execFileSync(join(prefix, 'bin', 'k8sdoc'), ['version', '-o', 'json'], { encoding: 'utf8' });
    expect(JSON.parse(run)).toMatchObject({ version: JSON.parse(readFileSync('package.json', 'utf8')).version });
    expect(readFileSync(join(prefix, 'lib', 'node_modules', 'k8sdoc', 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(prefix, 'lib', 'node_modules', 'k8sdoc', 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8')).toContain('commander@');
  });
});
