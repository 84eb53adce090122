// The CLI as a user runs it: spawned, on the built package, no TTY.
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from '../helpers/cli.js';
import { CHECKS } from '../../src/registry/index.js';

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-cli-'));
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('k8sdoc basics', () => {
  it('--version and version print the version, the commit and date of the build, and Node.js', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const flag = await runCli(['--version']);
    expect(flag.code).toBe(0);
    const line = new RegExp(
      `^k8sdoc ${version.replace(/\./g, '\\.')} \\(commit [0-9a-f]{12}, built \\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z, Node\\.js ${process.version} `,
    );
    expect(flag.stdout).toMatch(line);
    const command = await runCli(['version']);
    expect(command.stdout).toBe(flag.stdout);
    const json = await runCli(['version', '-o', 'json']);
    expect(json.code).toBe(0);
    const info = JSON.parse(json.stdout) as Record<string, string>;
    // The suite runs in a git checkout, so the build found the commit.
    expect(info).toMatchObject({ version, node: process.version, platform: `${process.platform}/${process.arch}` });
    expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(flag.stdout).toContain(info.commit!.slice(0, 12));
    expect(Date.parse(info.buildDate!)).not.toBeNaN();
  });

  it('a mistyped command is named, with the nearest command, not "too many arguments"', async () => {
    expectUsageError(await runCli(['chek']), /^k8sdoc: unknown command 'chek'; did you mean 'check'\?$/);
    expectUsageError(await runCli(['explian', 'etcd']), /unknown command 'explian'; did you mean 'explain'\?/);
    expectUsageError(await runCli(['--timeout', '2s', 'vresion']), /unknown command 'vresion'; did you mean 'version'\?/);
    expectUsageError(await runCli(['frobnicate']), /unknown command 'frobnicate'; run 'k8sdoc --help' for the commands \(check, checks, explain, version/);
    expectUsageError(await runCli(['check', 'frobnicate']), /check takes no arguments, got 'frobnicate'/);
    expectUsageError(await runCli(['check', 'checks']), /^k8sdoc: check takes no arguments, got 'checks'; run 'k8sdoc check --help'/);
  });

  it('--debug is accepted by every command, before or after it, without a commander stack', async () => {
    for (const args of [
      ['demo', '--list', '--debug'],
      ['--debug', 'demo', '--list'],
      ['checks', '--debug'],
      ['explain', '--debug', 'etcd-quorum-lost'],
      ['completion', 'bash', '--debug'],
      ['version', '--debug'],
    ]) {
      const run = await runCli(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toBe('');
    }
  });

  it('a command-level -o outside its formats is a usage error', async () => {
    expectUsageError(await runCli(['checks', '-o', 'xml']), /argument 'xml' is invalid\. Allowed choices are table, json; run/);
    expectUsageError(await runCli(['version', '-o', 'yaml']), /Allowed choices are text, json/);
  });

  it('--help lists the commands, and check --help lists every contract option', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['check', 'checks', 'explain']) expect(top.stdout).toContain(cmd);
    const check = await runCli(['check', '--help']);
    expect(check.code).toBe(0);
    for (const flag of [
      '--kubeconfig',
      '--context',
      '--apiserver',
      '--etcd',
      '--etcd-cacert',
      '--etcd-cert',
      '--etcd-key',
      '--pki-dir',
      '--etcd-backup-dir',
      '--backup-max-age',
      '--etcd-quota',
      '--latency-warn',
      '--node-conditions',
      '--hosts',
      '--only',
      '--skip',
      '--output',
      '--timeout',
      '--concurrency',
      '--warn-days',
      '--crit-days',
      '--fail-on',
      '--no-color',
      '--insecure-skip-tls-verify',
      '--wait',
      '--config',
      '--debug',
    ]) {
      expect(check.stdout).toContain(flag);
    }
    expect(check.stdout).toMatch(/Exit codes: 0 .* 1 .* 2/);
  });

  it('checks lists every registered check with its component', async () => {
    const run = await runCli(['checks', '-o', 'json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { id: string; component: string }[];
    expect(listed.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    const table = await runCli(['checks']);
    expect(table.stdout).toContain('apiserver-reachable');
  });

  it('explain prints one entry by code, and finds entries from words', async () => {
    const byCode = await runCli(['explain', 'etcd-quorum-lost']);
    expect(byCode.code).toBe(0);
    expect(byCode.stdout).toMatch(/^etcd-quorum-lost — etcd has lost quorum/);
    expect(byCode.stdout).toContain('Symptom:');
    expect(byCode.stdout).toContain('<etcdctl> endpoint status -w table');
    const words = await runCli(['explain', 'connection', 'refused']);
    expect(words.stdout).toMatch(/best first:\n\napiserver-refused/);
    const none = await runCli(['explain', 'zzzqqq']);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No catalogue entry matches');
  });
});

describe('bad input: one line on stderr, exit 2, no stack trace', () => {
  const kubeconfig = file(
    'ok.yaml',
    'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster: {server: "https://127.1.200.250:6443"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: canary-token-do-not-print}\n',
  );
  const unreadable = file('unreadable.yaml', 'x: 1');
  chmodSync(unreadable, 0o000);
  const cases: [string, string[], RegExp][] = [
    ['bad duration', ['--timeout', '5x'], /--timeout: '5x' is not a duration/],
    ['bad format', ['-o', 'yaml'], /--output: 'yaml' is not one of table, json, junit, prometheus/],
    ['bad level', ['--fail-on', 'sometimes'], /--fail-on: 'sometimes' is not one of warn, crit, never/],
    ['bad number', ['--concurrency', 'lots'], /--concurrency: 'lots' is not a whole number/],
    ['zero concurrency', ['--concurrency', '0'], /out of range/],
    ['crit above warn', ['--crit-days', '40'], /--crit-days \(40\) must not be larger than --warn-days \(30\)/],
    ['unknown check', ['--only', 'etcd-quorom'], /unknown check or component 'etcd-quorom' \(did you mean 'etcd-quorum'\?\); run 'k8sdoc checks'/],
    ['unknown component, near one', ['--only', 'certz'], /--only: unknown check or component 'certz' \(did you mean 'certs'\?\)/],
    ['a selection of nothing', ['--only', 'etcd', '--skip', 'etcd'], /nothing to run: --skip etcd removes every check that --only etcd selects/],
    ['unknown component', ['--skip', 'dns'], /unknown check or component 'dns'/],
    ['unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['bad quota', ['--etcd-quota', 'lots'], /--etcd-quota: 'lots' is not a size/],
    ['etcd URL without scheme', ['--etcd', '10.0.0.1:2379', '--kubeconfig', kubeconfig], /--etcd: '10.0.0.1:2379' has no scheme/],
    ['apiserver with bad port', ['--apiserver', 'https://10.0.0.1:99999', '--kubeconfig', kubeconfig], /--apiserver: .* not a valid URL/],
    ['unknown context', ['--kubeconfig', kubeconfig, '--context', 'staging'], /context 'staging' not found .* known contexts: c/],
    ['missing kubeconfig', ['--kubeconfig', join(dir, 'nope.yaml')], /does not exist/],
    ['malformed kubeconfig', ['--kubeconfig', file('bad.yaml', 'clusters: [')], /not valid YAML/],
    ['empty kubeconfig with a context', ['--kubeconfig', file('empty.yaml', ''), '--context', 'x'], /context 'x' not found/],
    ['binary kubeconfig', ['--kubeconfig', file('bin.yaml', Buffer.from([0, 1, 2, 3, 0]))], /binary file/],
    ['directory as kubeconfig', ['--kubeconfig', dir], /is a directory/],
  ];
  if (process.getuid?.() !== 0) cases.push(['unreadable kubeconfig', ['--kubeconfig', unreadable], /cannot be read/]);

  it.each(cases)('%s', async (_name, args, message) => {
    const run = await runCli(['check', ...args]);
    expectUsageError(run, message);
    expect(run.stderr).not.toContain('canary-token-do-not-print');
  });

  it('a config file that filters out every check is a usage error naming the file, not a green run', async () => {
    const project = mkdtempSync(join(tmpdir(), 'k8sdoc-cfg-'));
    writeFileSync(join(project, '.k8sdoc.yaml'), `kubeconfig: ${kubeconfig}\nonly: [etcd]\nskip: [etcd]\n`);
    const run = await runCli(['check'], { cwd: project });
    expectUsageError(
      run,
      /nothing to run: --skip etcd removes every check that --only etcd selects.*\(set in config file .*\.k8sdoc\.yaml: 'only' on line 2, 'skip' on line 3\)/,
    );
  });

  it('nothing to check (no kubeconfig, no endpoint flags) is a usage error, not an all-skipped OK', async () => {
    expectUsageError(await runCli(['check']), /nothing to check: no kubeconfig found .* try 'k8sdoc demo'/);
  });

  it('prints the stack trace only with --debug', async () => {
    const run = await runCli(['check', '--timeout', '5x', '--debug']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/UsageError|\n\s+at /);
  });
});

describe('etcd TLS files named on the command line', () => {
  const cert = file('client.crt', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
  const cases: [string, string[], RegExp][] = [
    ['missing CA file', ['--etcd-cacert', join(dir, 'nope.crt')], /--etcd-cacert: .*nope.crt does not exist/],
    ['a key passed as the certificate', ['--etcd-cert', key, '--etcd-key', key], /--etcd-cert: .* holds a private key, not a certificate/],
    ['a certificate passed as the key', ['--etcd-cert', cert, '--etcd-key', cert], /--etcd-key: .* holds a certificate, not a private key/],
    ['a certificate without its key', ['--etcd-cert', cert], /--etcd-cert needs --etcd-key too/],
    ['garbage as CA', ['--etcd-cacert', file('garbage.crt', 'not pem at all')], /holds no PEM certificate/],
  ];
  it.each(cases)('%s: exit 2 with one line naming the flag', async (_name, args, message) => {
    expectUsageError(await runCli(['check', '--etcd', 'https://127.1.200.251:2379', ...args]), message);
  });
});
