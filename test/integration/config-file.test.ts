// The config file as a pipeline uses it, spawned against a cluster whose leaf
// certificates expire in 5 days (cert-expiring, crit under --crit-days 7): where the file
// is found, flag defaults, the command line winning, severity overrides, ignores that stay
// visible, and errors that name the file, the line and the key.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function expectConfigError(run: CliRun, pattern: RegExp): void {
  expect(run.code, run.stdout).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

describe('config file against a cluster with expiring certificates', () => {
  let cluster: SimCluster;
  /** The cluster's flags written as config keys: `--pki-dir x` becomes `pki-dir: x`. */
  let clusterKeys: string;

  beforeAll(async () => {
    cluster = await startCluster('expiring-soon', { block: BLOCKS.configCli, etcd: false });
    const lines: string[] = [];
    for (let i = 0; i < cluster.checkArgs.length; i += 2)
      lines.push(`${cluster.checkArgs[i]!.replace(/^--/, '')}: ${JSON.stringify(cluster.checkArgs[i + 1])}`);
    clusterKeys = `${lines.join('\n')}\nonly: [certs]\ntimeout: 2s\n`;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('./.k8sdoc.yaml supplies every flag: the cluster, the checks and the output format', async () => {
    const cwd = folderWith({ '.k8sdoc.yaml': `${clusterKeys}output: json\n` });
    const run = await runCli(['check'], { cwd });
    const report = parseJsonReport(run);
    expect(run.code).toBe(1);
    expect(new Set(report.results.map((r) => r.component))).toEqual(new Set(['certs']));
    expect(report.results.filter((r) => r.code === 'cert-expiring' && r.status === 'crit').length).toBeGreaterThan(3);
  });

  it('the command line wins over the file', async () => {
    const cwd = folderWith({ '.k8sdoc.yaml': `${clusterKeys}output: junit\nfail-on: never\n` });
    const run = await runCli(['check', '-o', 'json', '--fail-on', 'crit'], { cwd });
    expect(parseJsonReport(run).status).toBe('crit');
    expect(run.code).toBe(1);
  });

  it('a severity override turns the code into a warning: the pipeline passes under --fail-on crit, not under warn', async () => {
    const cwd = folderWith({ '.k8sdoc.yaml': `${clusterKeys}output: json\nseverity:\n  cert-expiring: warn\n` });
    const run = await runCli(['check'], { cwd });
    const report = parseJsonReport(run);
    expect(run.code).toBe(0);
    expect(report.status).toBe('warn');
    expect(report.results.filter((r) => r.code === 'cert-expiring').every((r) => r.status === 'warn')).toBe(true);
    expect((await runCli(['check', '--fail-on', 'warn'], { cwd })).code).toBe(1);
  });

  it('an ignore hides chosen subjects from the status and exit code, and keeps them in JSON with the reason', async () => {
    const reason = 'kubeconfigs are re-issued by the nightly job';
    const cwd = folderWith({
      '.k8sdoc.yaml': `${clusterKeys}output: json\nignore:\n  - code: cert-expiring\n    subjects: ['*.conf']\n    reason: ${reason}\n`,
    });
    const report = parseJsonReport(await runCli(['check'], { cwd }));
    const ignored = report.results.filter((r) => r.ignored);
    expect(ignored.length).toBeGreaterThanOrEqual(4);
    for (const r of ignored) {
      expect(r.subject).toMatch(/\.conf$/);
      expect(r).toMatchObject({ code: 'cert-expiring', status: 'crit', ignoreReason: reason });
    }
    expect(report.summary.ignored).toBe(ignored.length);
    expect(report.results.some((r) => r.code === 'cert-expiring' && r.subject.endsWith('.crt') && !r.ignored)).toBe(true);
    expect(report.status).toBe('crit');
  });

  it('ignoring the code everywhere: exit 0, status ok, and the table marks the hidden rows', async () => {
    const cwd = folderWith({ '.k8sdoc.yaml': `${clusterKeys}ignore:\n  - code: cert-expiring\n    subjects: '*'\n    reason: renewal booked for Friday\n` });
    const json = parseJsonReport(await runCli(['check', '-o', 'json'], { cwd }));
    expect(json.status).toBe('ok');
    expect(json.rootCauses).toEqual([]);
    const table = await runCli(['check', '--only', 'certs,apiserver'], { cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('CRIT*');
    // The summary is wrapped to the terminal's width: read it as one line.
    expect(table.stdout.split('\n').join(' ')).toMatch(/Summary: .*, \d+ ignored by config \(\*\) → OK/);
  });

  it('without ./.k8sdoc.yaml the user file in ~/.config/k8sdoc is read; ./.k8sdoc.yaml wins over it; --config over both', async () => {
    const home = folderWith({ '.config/k8sdoc/config.yaml': `${clusterKeys}output: json\n` });
    const elsewhere = folderWith({});
    const fromHome = await runCli(['check'], { cwd: elsewhere, env: { HOME: home } });
    expect(parseJsonReport(fromHome).results.length).toBeGreaterThan(0);

    const project = folderWith({ '.k8sdoc.yaml': `${clusterKeys}output: prometheus\n` });
    const fromProject = await runCli(['check'], { cwd: project, env: { HOME: home } });
    expect(fromProject.stdout).toMatch(/^# HELP k8sdoc_build_info /);

    const explicit = folderWith({ 'ci.yaml': `${clusterKeys}output: junit\n` });
    const fromFlag = await runCli(['check', '--config', join(explicit, 'ci.yaml')], { cwd: project, env: { HOME: home } });
    expect(fromFlag.stdout).toMatch(/^<\?xml /);
  });

  it('relative paths in the file are relative to the file, not to where k8sdoc runs', async () => {
    const dir = folderWith({ 'conf/k8sdoc.yaml': `kubeconfig: ../admin.conf\noutput: json\nonly: [certs]\n`, 'admin.conf': 'not: [a kubeconfig' });
    const run = await runCli(['check', '--config', 'conf/k8sdoc.yaml'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(join(dir, 'admin.conf'));
  });
});

describe('config file errors: exit 2, one line naming the file, the line and the key', () => {
  const errorCases: [string, string, RegExp][] = [
    ['unknown key', 'output: json\ntimout: 3s\n', /^k8sdoc: config file .*\.k8sdoc\.yaml line 2: unknown key 'timout' \(did you mean 'timeout'\?\)/],
    ['wrong type', 'concurrency: lots\n', /line 1: 'concurrency' must be a whole number, not 'lots'/],
    ['bad duration', 'output: json\n\nwait: forever\n', /line 3: 'wait': 'forever' is not a duration/],
    ['ignore without a reason', 'ignore:\n  - code: cert-expiring\n    subjects: ["*"]\n', /line 2: an 'ignore' entry needs 'reason'/],
    ['unknown code', 'severity:\n  cert-too-old: crit\n', /line 2: severity: 'cert-too-old' is not a catalogue code/],
    ['broken YAML', 'only: [etcd\n', /line \d: not valid YAML/],
  ];
  for (const [what, text, pattern] of errorCases) {
    it(what, async () => {
      expectConfigError(await runCli(['check'], { cwd: folderWith({ '.k8sdoc.yaml': text }) }), pattern);
    });
  }

  it('a value refused only once all options are known names the flag and where the file set it', async () => {
    const run = await runCli(['check'], { cwd: folderWith({ '.k8sdoc.yaml': 'warn-days: 10\ncrit-days: 20\n' }) });
    expectConfigError(
      run,
      /--crit-days \(20\) must not be larger than --warn-days \(10\) \(set in config file .*: 'warn-days' on line 1, 'crit-days' on line 2\)/,
    );
  });

  it('--config naming a missing file', async () => {
    const run = await runCli(['check', '--config', 'nowhere.yaml'], { env: { HOME: emptyHome() } });
    expectConfigError(run, /^k8sdoc: --config: cannot read config file .*nowhere\.yaml: no such file/);
  });
});
