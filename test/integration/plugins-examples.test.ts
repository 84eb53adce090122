// The two example plugins as a site would use them, against a simulated cluster that runs
// cert-manager Certificates and an ingress-nginx controller, with worker-1's kubelet stopped:
// the TypeScript plugin is compiled against the shipped declarations and loaded as a package
// from node_modules, the rules file by path and from a config file; their findings show in
// JSON, JUnit and Prometheus, and triage explains the controller on worker-1 by its node.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import type { ScenarioSpec } from '../../src/sim/scenarios/spec.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const REPO = resolve('.');
const RULES = resolve('examples/ingress-nginx/rules.yaml');

export const PLUGIN_SCENARIO: ScenarioSpec = {
  name: 'plugin-addons',
  description: 'cert-manager and ingress-nginx on a small cluster, worker-1 down',
  controlPlanes: 1,
  workers: 2,
  nodes: { 'worker-1': { kubelet: 'down' } },
  thirdParty: {
    certificates: [
      { namespace: 'web', name: 'shop', ready: true, expiresInDays: 60 },
      { namespace: 'web', name: 'blog', ready: false, reason: 'Failed' },
      { namespace: 'api', name: 'public', ready: true, expiresInDays: 5 },
    ],
    ingressNginx: { nodes: ['worker-1', 'worker-2'] },
  },
};

/** The TypeScript example compiled as its author would, in a project that installed k8sdoc. */
function buildCertManagerPackage(): string {
  const project = mkdtempSync(join(tmpdir(), 'k8sdoc-plugin-project-'));
  const pkg = join(project, 'node_modules', 'k8sdoc-plugin-cert-manager');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  cpSync(resolve('examples/cert-manager'), pkg, { recursive: true, filter: (src) => !src.includes('node_modules') && !src.endsWith('/dist') });
  // `npm install k8sdoc` in the plugin's project: the built package, with its exports.
  mkdirSync(join(pkg, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(pkg, 'node_modules', 'k8sdoc'), 'dir');
  symlinkSync(join(REPO, 'node_modules', '@types'), join(pkg, 'node_modules', '@types'), 'dir');
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', pkg], { stdio: 'pipe' });
  return project;
}

describe('example plugins against the simulator', () => {
  let cluster: SimCluster;
  let project: string;

  beforeAll(async () => {
    project = buildCertManagerPackage();
    cluster = await startCluster(PLUGIN_SCENARIO, { block: BLOCKS.pluginExamples, etcd: 'standin' });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('loads the TypeScript plugin as a package and the rules file by path; their findings rank in triage', async () => {
    const run = await runCli(['check', ...cluster.checkArgs, '--plugin', 'k8sdoc-plugin-cert-manager', '--plugin', RULES, '-o', 'json', '--timeout', '2s'], {
      cwd: project,
    });
    const report = parseJsonReport(run);
    expect(run.code, run.stderr).toBe(1);
    const byCode = (code: string) => report.results.filter((r) => (r.code as string | undefined) === code);
    expect(byCode('cert-manager/certificate-not-ready').map((r) => [r.subject, r.status])).toEqual([['certificate web/blog', 'crit']]);
    expect(byCode('cert-manager/certificate-expiring').map((r) => [r.subject, r.status])).toEqual([['certificate api/public', 'warn']]);
    const shop = report.results.find((r) => r.subject === 'certificate web/shop')!;
    expect(shop.status).toBe('ok');
    const blog = byCode('cert-manager/certificate-not-ready')[0]!;
    expect(blog.fix?.[0]).toMatch(/^kubectl describe certificate/);
    expect(blog.component).toBe('cert-manager');

    const ingress = byCode('ingress-nginx/controller-not-ready');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]!.message).toMatch(/not Ready on node worker-1/);
    expect(report.results.find((r) => r.check === 'ingress-nginx-controller' && r.status === 'ok')).toBeDefined();

    // The controller on worker-1 is explained by its node, not a root cause of its own.
    const roots: string[] = report.rootCauses.map((c) => c.code);
    expect(roots).not.toContain('ingress-nginx/controller-not-ready');
    const nodeCause = report.rootCauses.find((c) => (c.explains as string[]).includes('ingress-nginx/controller-not-ready'));
    expect(nodeCause?.subject).toMatch(/worker-1/);
    // The certificate that is not Ready has nothing to explain it: a root cause of its own.
    expect(roots).toContain('cert-manager/certificate-not-ready');
  }, 60_000);

  it('shows plugin findings in JUnit and Prometheus, and selects plugin checks by component with --only', async () => {
    const junit = await runCli(['check', ...cluster.checkArgs, '--plugin', RULES, '--only', 'ingress', '-o', 'junit'], { cwd: project });
    expect(junit.code, junit.stderr).toBe(1);
    expect(junit.stdout).toContain('<testsuite name="k8sdoc.ingress"');
    expect(junit.stdout).toContain('classname="k8sdoc.ingress.ingress-nginx-controller"');
    expect(junit.stdout).not.toContain('k8sdoc.etcd');
    const prom = await runCli(['check', ...cluster.checkArgs, '--plugin', RULES, '--only', 'ingress-nginx-controller', '-o', 'prometheus'], { cwd: project });
    expect(prom.stdout).toMatch(/check="ingress-nginx-controller"/);
  }, 60_000);

  it('loads plugins from the config file, relative to it, and applies its severity override and ignore to plugin codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-plugin-config-'));
    mkdirSync(join(dir, 'rules'));
    cpSync(RULES, join(dir, 'rules', 'ingress.yaml'));
    writeFileSync(
      join(dir, '.k8sdoc.yaml'),
      [
        'plugins:',
        '  - ./rules/ingress.yaml',
        'severity:',
        '  ingress-nginx/controller-not-ready: warn',
        'ignore:',
        '  - code: node-not-ready',
        "    subjects: ['*']",
        '    reason: worker-1 is being replaced',
        '',
      ].join('\n'),
    );
    const run = await runCli(['check', ...cluster.checkArgs, '--only', 'ingress,nodes', '-o', 'json'], { cwd: dir });
    const report = parseJsonReport(run);
    const ingress = report.results.find((r) => (r.code as string | undefined) === 'ingress-nginx/controller-not-ready');
    expect(ingress?.status).toBe('warn');
    const node = report.results.find((r) => r.code === 'node-not-ready');
    expect(node?.ignored).toBe(true);
  }, 60_000);

  it('k8sdoc checks and explain know the plugin', async () => {
    const checks = await runCli(['checks', '--plugin', RULES]);
    expect(checks.code, checks.stderr).toBe(0);
    expect(checks.stdout).toMatch(/ingress-nginx-controller\s+ingress/);
    const explain = await runCli(['explain', 'ingress-nginx/controller-not-ready', '--plugin', RULES]);
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.stdout).toContain('ingress-nginx controller pod is not Ready');
    expect(explain.stdout).toMatch(/Detected by: ingress-nginx-controller/);
    const words = await runCli(['explain', '502 bad gateway', '--plugin', RULES]);
    expect(words.stdout).toContain('ingress-nginx/controller-not-ready');
  }, 30_000);
});
