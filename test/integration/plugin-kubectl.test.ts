// The package's kubectl plugin as the real kubectl finds and runs it: `kubectl-k8sdoc` on
// PATH (a bin folder with a symlink, as npm's global bin is), listed by `kubectl plugin
// list`, and `kubectl k8sdoc check` taking kubectl's --kubeconfig, --context and $KUBECONFIG.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, type CliRun } from '../helpers/cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; bin: Record<string, string> };

/** A folder standing in for npm's global bin: only the plugin, as a symlink. */
function pluginBin(): string {
  const bin = mkdtempSync(join(tmpdir(), 'k8sdoc-plugin-bin-'));
  symlinkSync(resolve(pkg.bin['kubectl-k8sdoc']!), join(bin, 'kubectl-k8sdoc'));
  return bin;
}

async function kubectl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const started = performance.now();
  const PATH = [pluginBin(), dirname(process.execPath), process.env.PATH].join(delimiter);
  try {
    const { stdout, stderr } = await run('kubectl', args, { env: { PATH, HOME: emptyHome(), ...env }, timeout: 45_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr, ms: Math.round(performance.now() - started) };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : null, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ms: Math.round(performance.now() - started) };
  }
}

describe('kubectl k8sdoc', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster('healthy', { block: BLOCKS.plugin, etcd: false });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('the package declares the plugin, and kubectl plugin list finds it on PATH', async () => {
    expect(pkg.bin['kubectl-k8sdoc']).toBe('bin/kubectl-k8sdoc');
    const list = await kubectl(['plugin', 'list']);
    expect(list.stdout).toMatch(/\/kubectl-k8sdoc\n/);
    expect(`${list.stdout}${list.stderr}`).not.toMatch(/warning: .*kubectl-k8sdoc/);
  });

  it('kubectl k8sdoc --version prints the package version', async () => {
    const version = await kubectl(['k8sdoc', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.startsWith(`k8sdoc ${pkg.version} (commit `)).toBe(true);
  });

  it("kubectl k8sdoc check takes kubectl's --kubeconfig and --context", async () => {
    const result = await kubectl([
      'k8sdoc',
      'check',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--context',
      'kubernetes-admin@kubernetes',
      '--only',
      'apiserver',
      '-o',
      'json',
    ]);
    const report = parseJsonReport(result);
    expect(result.code).toBe(0);
    expect(report.target).toEqual({ context: 'kubernetes-admin@kubernetes', server: cluster.server });
    expect(report.results.find((r) => r.check === 'apiserver-reachable')).toMatchObject({ status: 'ok' });
  });

  it('kubectl k8sdoc check follows $KUBECONFIG, and an unknown --context is a usage error (exit 2)', async () => {
    const viaEnv = parseJsonReport(await kubectl(['k8sdoc', 'check', '--only', 'apiserver-reachable', '-o', 'json'], { KUBECONFIG: cluster.kubeconfigPath }));
    expect(viaEnv.target.server).toBe(cluster.server);
    const unknown = await kubectl(['k8sdoc', 'check', '--context', 'staging'], { KUBECONFIG: cluster.kubeconfigPath });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^k8sdoc: context 'staging' not found in .*; known contexts: kubernetes-admin@kubernetes/m);
  });
});
