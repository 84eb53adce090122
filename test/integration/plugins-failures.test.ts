// Plugins that go wrong: a mistake in the plugin's declaration is one line and exit 2 naming the
// plugin and the field; a plugin that throws, hangs or returns malformed findings is an `error`
// result naming it while the rest of the report stands; a plugin finds no write path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { expectUsageError, parseJsonReport, runCli } from '../helpers/cli.js';

const ENTRY = "{ title: 't', severity: 'warn', symptom: 's', causes: ['c'], fix: ['kubectl get pods'] }";

function plugin(body: string, name = 'p.mjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-plugin-'));
  writeFileSync(join(dir, name), body);
  return join(dir, name);
}

/** The source of a plugin module with one check whose run is `run`, and the fields `extra` adds. */
function source(run: string, extra = ''): string {
  return `export default {
  name: 'acme', version: '1.0.0', apiVersion: 1,
  catalogue: { 'acme/broken': ${ENTRY} },
  checks: [{ id: 'acme-check', component: 'acme', title: 'acme', codes: ['acme/broken'], run: ${run} }],
  ${extra}
};\n`;
}

function module(run: string, extra = ''): string {
  return plugin(source(run, extra));
}

describe('plugins that are wrong', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster(
      { name: 'plugin-failures', description: 'small', controlPlanes: 1, workers: 1 },
      { block: BLOCKS.pluginFailures, etcd: 'standin' },
    );
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const validation: [string, string, RegExp][] = [
    ['an unknown field', module('async () => []', "colour: 'red',"), /^k8sdoc: plugin acme: definePlugin: unknown field 'colour'/],
    [
      'a code used but not defined',
      plugin(source('async () => []').replace("codes: ['acme/broken']", "codes: ['acme/broken', 'acme/other']")),
      /check 'acme-check'.codes: 'acme\/other' is used but not defined in the catalogue/,
    ],
    [
      'a code not namespaced',
      plugin(source('async () => []').replace("'acme/broken': ", "'broken': ")),
      /catalogue: code 'broken' must be namespaced by the plugin/,
    ],
    ['a duplicate check id', plugin(source('async () => []').replace("id: 'acme-check'", "id: 'etcd-quorum'")), /check 'etcd-quorum'.id: duplicate id/],
    [
      'a wrong apiVersion',
      plugin(source('async () => []').replace('apiVersion: 1', 'apiVersion: 9')),
      /apiVersion: the plugin is written for plugin API 9, this k8sdoc speaks 1/,
    ],
    ['no default export', plugin('export const x = 1;\n'), /its default export must be definePlugin/],
    ['a module that fails to load', plugin('throw new Error("boom at load");\n'), /cannot load .*: boom at load/],
    ['a missing file', '/nonexistent/plugin.mjs', /no such file \/nonexistent\/plugin.mjs/],
    ['an unknown package', 'k8sdoc-plugin-that-is-not-installed', /package not found .* install it \(npm install k8sdoc-plugin-that-is-not-installed\)/],
    [
      'a bad rule expression',
      plugin(
        "name: r\nversion: '1'\napiVersion: 1\nrules:\n  - id: r-x\n    title: t\n    get: /api/v1/pods\n    expect: 'object.status ==' \n    code: bad\n    catalogue: { title: t, severity: warn, symptom: s, causes: [c], fix: [f] }\n",
        'rules.yaml',
      ),
      /plugin r: rule 'r-x'.expect: not a valid CEL expression/,
    ],
  ];
  for (const [what, path, message] of validation) {
    it(`${what}: one line naming the plugin, exit 2`, async () => {
      expectUsageError(await runCli(['check', ...cluster.checkArgs, '--plugin', path]), message);
    });
  }

  it('with --fail-on never a plugin that fails to load is an error result, and the report is whole', async () => {
    const run = await runCli(['check', ...cluster.checkArgs, '--plugin', '/nonexistent/plugin.mjs', '--fail-on', 'never', '-o', 'json']);
    const report = parseJsonReport(run);
    expect(run.code).toBe(0);
    const failed = report.results.find((r) => r.status === 'error');
    expect(failed?.message).toMatch(/failed to load: plugin \/nonexistent\/plugin.mjs: no such file/);
    expect(report.results.filter((r) => r.check === 'nodes-ready' && r.status === 'ok').length).toBeGreaterThan(0);
  }, 30_000);

  it('a throwing, a hanging and a malformed plugin: error results naming the plugin, the rest of the report intact, in bounded time', async () => {
    const throwing = plugin(source('async () => { throw new Error("kaboom"); }').replaceAll('acme', 'thrower'));
    const hanging = plugin(source('() => new Promise(() => {})').replaceAll('acme', 'hanger'));
    const malformed = plugin(source("async () => [{ subject: 'x', message: 'm', status: 'crit' }, 42]").replaceAll('acme', 'bad'));
    const run = await runCli(
      ['check', ...cluster.checkArgs, '--plugin', throwing, '--plugin', hanging, '--plugin', malformed, '--timeout', '1s', '-o', 'json'],
      // --timeout 1s, not less: the built-in checks beside the plugins must pass on a loaded runner.
      { killAfterMs: 25_000 },
    );
    const report = parseJsonReport(run);
    // Killed after 25 s it would have no exit code and no report: the hung plugin did not hold the run.
    expect(run.code).toBe(1);
    const errors = report.results.filter((r) => r.status === 'error').map((r) => r.message);
    expect(errors).toContainEqual(expect.stringMatching(/^plugin thrower: check thrower-check failed: kaboom/));
    expect(errors).toContainEqual(expect.stringMatching(/^plugin hanger: check hanger-check failed: did not finish within its budget of 5000 ms/));
    expect(errors).toContainEqual(expect.stringMatching(/^plugin bad: check bad-check reported 'crit' on x without a code/));
    expect(errors).toContainEqual(expect.stringMatching(/^plugin bad: check bad-check returned number where a finding belongs/));
    expect(report.results.filter((r) => r.check === 'nodes-ready' && r.status === 'ok').length).toBeGreaterThan(0);
  }, 40_000);

  it('a plugin finds no write verb, no raw request and no way to the facts or credentials on its context', async () => {
    const probe = module(`async (ctx) => {
      const seen = new Set(); const names = [];
      const walk = (o, path) => {
        if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
        seen.add(o);
        for (const k of Reflect.ownKeys(o)) {
          if (typeof k !== 'string' || ['prototype', 'constructor', 'caller', 'arguments'].includes(k)) continue;
          names.push(path + k);
          let v; try { v = o[k]; } catch { continue; }
          if (!(v instanceof Date) && !(v instanceof AbortSignal)) walk(v, path + k + '.');
        }
      };
      walk(ctx, '');
      const bad = names.filter((n) => /(^|\\.)(post|put|patch|delete|create|update|request|fetch|facts|probes|scope|kubeconfig|token)$/i.test(n));
      let frozen = true; try { ctx.kube.get = () => 0; frozen = ctx.kube.get.toString().includes('=> 0') === false; } catch { frozen = true; }
      const escaped = await ctx.kube.get('//127.0.0.1/api').then(() => 'sent', (e) => e.message);
      return [ctx.ok('context', JSON.stringify({ bad, frozen, escaped, names: names.sort() }))];
    }`);
    const run = await runCli(['check', ...cluster.checkArgs, '--plugin', probe, '--only', 'acme', '-o', 'json']);
    const report = parseJsonReport(run);
    const seen = JSON.parse(report.results.find((r) => r.subject === 'context')!.message) as {
      bad: string[];
      frozen: boolean;
      escaped: string;
      names: string[];
    };
    expect(seen.bad).toEqual([]);
    expect(seen.frozen).toBe(true);
    expect(seen.escaped).toMatch(/is not an API path/);
    expect(seen.names).toEqual(
      expect.arrayContaining([
        'kube',
        'kube.get',
        'kube.list',
        'nodes',
        'tcp',
        'tls',
        'etcd',
        'etcd.view',
        'files',
        'files.read',
        'files.list',
        'now',
        'signal',
        'log',
        'raise',
        'ok',
        'skip',
      ]),
    );
  }, 30_000);
});
