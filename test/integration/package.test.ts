// `npm pack` produces a package that installs on its own (everything is bundled into dist/,
// so it has no runtime dependencies) and runs as `k8sdoc` and `kubectl-k8sdoc`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(files).toEqual(expect.arrayContaining(['bin/k8sdoc', 'bin/kubectl-k8sdoc', 'dist/k8sdoc.mjs', 'README.md', 'docs/catalogue.md']));
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
});
