// A plugin check is selected, overridden, ignored and waited for as a built-in one is: the
// tutorial's plugin (docs/plugins.md) against its own scenario, worker-1's kubelet stopped,
// run as a user runs k8sdoc check: --only/--skip by id and by component, the config file's
// severity override and ignore on the plugin's code, and --wait until the worker is back.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';
import { tutorialFiles } from '../helpers/plugin-tutorial.js';

const CODE = 'acme/too-few-workers';

describe('a plugin check everywhere a built-in one is', () => {
  let cluster: SimCluster;
  const project = mkdtempSync(join(tmpdir(), 'k8sdoc-plugins-everywhere-'));

  beforeAll(async () => {
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(resolve('.'), join(project, 'node_modules', 'k8sdoc'), 'dir');
    writeFileSync(join(project, 'my-plugin.mjs'), tutorialFiles().get('my-plugin.mjs')!);
    cluster = await startCluster(
      { name: 'one-worker-down', description: 'worker-1 stopped', controlPlanes: 1, workers: 2, nodes: { 'worker-1': { kubelet: 'down' } } },
      { block: BLOCKS.pluginsEverywhere, etcd: 'standin' },
    );
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const check = (args: string[], cwd = project) => runCli(['check', ...cluster.checkArgs, '--timeout', '2s', ...args], { cwd });

  it('--only and --skip take the plugin check by id and by its component', async () => {
    for (const only of ['acme-workers', 'acme']) {
      const report = parseJsonReport(await check(['--plugin', './my-plugin.mjs', '--only', only, '-o', 'json']));
      expect(report.results.map((r) => [r.check, r.code, r.status])).toEqual([['acme-workers', CODE, 'warn']]);
    }
    for (const skip of ['acme-workers', 'acme']) {
      const report = parseJsonReport(await check(['--plugin', './my-plugin.mjs', '--only', 'nodes,acme', '--skip', skip, '-o', 'json']));
      expect(report.results.length).toBeGreaterThan(0);
      expect(report.results.filter((r) => r.check === 'acme-workers')).toEqual([]);
      expect(report.results.some((r) => r.code === 'node-not-ready')).toBe(true);
    }
    const unknown = await check(['--only', 'acme-workers']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^k8sdoc: .*acme-workers/);
  }, 90_000);

  it("the config file's severity override and ignore apply to the plugin's code", async () => {
    const dir = mkdtempSync(join(project, 'config-'));
    const write = (lines: string[]) => writeFileSync(join(dir, '.k8sdoc.yaml'), ['plugins:', '  - ../my-plugin.mjs', ...lines, ''].join('\n'));

    write(['severity:', `  ${CODE}: crit`]);
    const raised = await check(['--only', 'acme', '-o', 'json'], dir);
    expect(raised.code, raised.stderr).toBe(1);
    expect(parseJsonReport(raised).results.find((r) => r.code === CODE)).toMatchObject({ status: 'crit', subject: 'node worker-1' });

    write(['severity:', `  ${CODE}: crit`, 'ignore:', `  - code: ${CODE}`, "    subjects: ['node worker-*']", '    reason: worker-1 is being replaced']);
    const ignored = await check(['--only', 'acme', '--fail-on', 'warn', '-o', 'json'], dir);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(parseJsonReport(ignored).results.find((r) => r.code === CODE)).toMatchObject({
      status: 'crit',
      ignored: true,
      ignoreReason: 'worker-1 is being replaced',
    });
  }, 90_000);

  it('--wait re-runs the plugin check until the worker is back, then exits 0', async () => {
    const running = check(['--plugin', './my-plugin.mjs', '--only', 'acme', '--fail-on', 'warn', '--wait', '60s', '-o', 'json']);
    // The first run sees worker-1 down; then its kubelet comes back and renews the node's status.
    await new Promise((r) => setTimeout(r, 3000));
    await cluster.setKubelet('worker-1', 'up');
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonReport(run);
    expect(report.wait).toMatchObject({ passed: true });
    expect(report.wait!.attempts).toBeGreaterThanOrEqual(2);
    expect(report.results.map((r) => [r.check, r.status, r.message])).toEqual([['acme-workers', 'ok', '2 of 2 workers Ready']]);
  }, 90_000);
});
