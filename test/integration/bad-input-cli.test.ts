// Bad input, spawned as a user runs it: every flag of `check` with a wrong value, a
// certificate file that holds a private key, an IPv6 literal end to end, a host name that
// does not resolve. Each ends in exit 2 with one line, or in a finding; never a stack trace,
// never a hang. (cli-basics.test.ts and kubeconfig.test.ts hold the kubeconfig file cases.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_OPTIONS } from '../../src/options.js';
import { startHostileServer, type HostileServer } from '../../src/sim/hostile.js';
import { createCa, issue, kubeconfigYaml, type Issued } from '../../src/sim/pki.js';
import { BLOCKS } from '../helpers/blocks.js';
import { expectUsageError, parseJsonReport, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-bad-input-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
// ::1 is one address for the whole machine: a port of this file's own keeps it apart.
const IPV6_PORT = 14000 + BLOCKS.badInputCli;
const TOKEN = 'bad-input-canary-token';
let ca: Issued;
let ipv6Server: HostileServer;

beforeAll(async () => {
  ca = await createCa('kubernetes');
  ipv6Server = await startHostileServer({ mode: 'bystander', host: '::1', port: IPV6_PORT, ca });
});

afterAll(async () => {
  await ipv6Server?.stop();
});

describe('every flag of check with a wrong value: exit 2, one line naming the flag', () => {
  const key = () => file('key.pem', '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBk=\n-----END PRIVATE KEY-----\n');
  const wrong: Record<string, { args: () => string[]; message: RegExp }> = {
    kubeconfig: { args: () => ['--kubeconfig', join(dir, 'missing.yaml')], message: /kubeconfig .*missing\.yaml does not exist/ },
    context: {
      args: () => [
        '--kubeconfig',
        file('one.yaml', kubeconfigYaml({ server: 'https://127.133.0.1:6443', caPem: ca.certPem, user: { token: TOKEN } })),
        '--context',
        'nope',
      ],
      message: /context 'nope' not found/,
    },
    allContexts: {
      args: () => ['--all-contexts', '--kubeconfig', file('no-contexts.yaml', 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n')],
      message: /--all-contexts: the kubeconfig has no contexts/,
    },
    apiserver: { args: () => ['--apiserver', '10.0.0.1:6443'], message: /--apiserver: '10\.0\.0\.1:6443' has no scheme/ },
    etcd: { args: () => ['--etcd', 'https://[::1:2379'], message: /--etcd: .* not a valid URL/ },
    etcdCacert: { args: () => ['--etcd', 'https://127.133.0.1:2379', '--etcd-cacert', key()], message: /--etcd-cacert/ },
    etcdCert: { args: () => ['--etcd', 'https://127.133.0.1:2379', '--etcd-cert', key(), '--etcd-key', key()], message: /--etcd-cert/ },
    etcdKey: { args: () => ['--etcd', 'https://127.133.0.1:2379', '--etcd-key', join(dir, 'missing.key')], message: /--etcd-(key|cert)/ },
    pkiDir: { args: () => ['--pki-dir', ''], message: /--pki-dir needs a value/ },
    etcdBackupDir: { args: () => ['--etcd-backup-dir', ' '], message: /--etcd-backup-dir needs a value/ },
    backupMaxAge: { args: () => ['--backup-max-age', 'yesterday'], message: /--backup-max-age: 'yesterday' is not a duration/ },
    etcdQuota: { args: () => ['--etcd-quota', '2 parsecs'], message: /--etcd-quota: '2 parsecs' is not a size/ },
    latencyWarn: { args: () => ['--latency-warn', 'fast'], message: /--latency-warn: 'fast' is not a duration/ },
    nodeConditions: { args: () => ['--node-conditions', 'Ready,Bad Condition!'], message: /--node-conditions: 'Bad Condition!' is not a node condition type/ },
    hosts: { args: () => ['--hosts', '10.0.0.1:6443'], message: /--hosts: '10\.0\.0\.1:6443' is not a host name or address; give it without a scheme or port/ },
    only: { args: () => ['--only', 'etcd-quorom'], message: /unknown check or component 'etcd-quorom'/ },
    skip: { args: () => ['--skip', 'Nodes!'], message: /--skip: 'Nodes!' is not a check id or component/ },
    output: { args: () => ['-o', 'yaml'], message: /--output: 'yaml' is not one of table, json, junit, prometheus/ },
    timeout: { args: () => ['--timeout', '0ms'], message: /--timeout must be at least 1ms/ },
    authTimeout: { args: () => ['--auth-timeout', '0ms'], message: /--auth-timeout must be at least 1ms/ },
    deadline: { args: () => ['--timeout', '5s', '--deadline', '1s'], message: /--deadline \(1000 ms\) must be at least --timeout \(5000 ms\)/ },
    concurrency: { args: () => ['--concurrency', '-4'], message: /--concurrency: -4 is out of range/ },
    warnDays: { args: () => ['--warn-days', 'thirty'], message: /--warn-days: 'thirty' is not a whole number/ },
    critDays: { args: () => ['--crit-days', '99999'], message: /--crit-days: 99999 is out of range/ },
    failOn: { args: () => ['--fail-on', 'error'], message: /--fail-on: 'error' is not one of warn, crit, never/ },
    color: { args: () => ['--no-color=yes'], message: /unknown option '--no-color=yes'/ },
    insecureSkipTlsVerify: { args: () => ['--insecure-skip-tls-verify=false'], message: /unknown option '--insecure-skip-tls-verify=false'/ },
    wait: { args: () => ['--wait', 'forever'], message: /--wait: 'forever' is not a duration/ },
    config: { args: () => ['--config', join(dir, 'missing-config.yaml')], message: /--config: cannot read config file .*missing-config\.yaml/ },
    distribution: { args: () => ['--distribution', 'minikube'], message: /--distribution: 'minikube' is not one of kubeadm, k3s/ },
    plugin: { args: () => ['--plugin', join(dir, 'no-such-plugin.mjs')], message: /plugin .*no-such-plugin\.mjs/ },
    problemsOnly: { args: () => ['--problems-only=all'], message: /unknown option '--problems-only=all'/ },
    debug: { args: () => ['--debgu'], message: /unknown option '--debgu' \(Did you mean --debug\?\); run 'k8sdoc --help'/ },
  };

  it('covers every option declared in src/options.ts', () => {
    expect(Object.keys(wrong).sort()).toEqual(CHECK_OPTIONS.map((o) => o.name).sort());
  });

  it.each(CHECK_OPTIONS.map((o) => [o.flags, o.name] as const))('%s', async (_flags, name) => {
    const run = await runCli(['check', ...wrong[name]!.args()]);
    expectUsageError(run, wrong[name]!.message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain(TOKEN);
  });
});

describe('certificate files that are something else', () => {
  it('a kubeconfig whose certificate-authority file holds a private key: exit 2, naming the file', async () => {
    const keyFile = file('ca-is-a-key.pem', (await issue(ca, { commonName: 'x', usage: 'client' })).keyPem);
    const kc = file(
      'ca-key.yaml',
      `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster: {server: "https://127.133.0.1:6443", certificate-authority: ${keyFile}}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: ${TOKEN}}\n`,
    );
    const run = await runCli(['check', '--kubeconfig', kc]);
    expectUsageError(run, /certificate-authority .*ca-is-a-key\.pem holds no PEM certificate/);
  });

  it('certificate-authority-data that decodes to a private key: exit 2', async () => {
    const pem = (await issue(ca, { commonName: 'x', usage: 'client' })).keyPem;
    const kc = file('ca-data-key.yaml', kubeconfigYaml({ server: 'https://127.133.0.1:6443', caPem: pem, user: { token: TOKEN } }));
    const run = await runCli(['check', '--kubeconfig', kc]);
    expectUsageError(run, /certificate-authority-data does not decode to a PEM certificate/);
  });
});

describe('endpoints', () => {
  it('an IPv6 literal https://[::1]:port works end to end: reachable, with the token sent', async () => {
    const server = `https://[::1]:${IPV6_PORT}`;
    const kc = file('ipv6.yaml', kubeconfigYaml({ server, caPem: ca.certPem, user: { token: TOKEN } }));
    const run = await runCli(['check', '--kubeconfig', kc, '--apiserver', server, '--only', 'apiserver-reachable', '-o', 'json']);
    const report = parseJsonReport(run);
    expect(report.target.server).toBe(server);
    expect(report.results).toEqual([
      expect.objectContaining({ status: 'ok', message: 'reachable, Kubernetes v1.32.0', subject: `apiserver ${server} (kubeconfig)` }),
    ]);
    expect(ipv6Server.seen.map((r) => [r.path, r.authorization])).toContainEqual(['/version', `Bearer ${TOKEN}`]);
  });

  it('a host name that does not resolve: apiserver-dns, exit 1, quickly', async () => {
    const kc = file('nxdomain.yaml', kubeconfigYaml({ server: 'https://no-such-apiserver.invalid:6443', caPem: ca.certPem, user: { token: TOKEN } }));
    const run = await runCli(['check', '--kubeconfig', kc, '--only', 'apiserver-reachable', '-o', 'json']);
    expect(run.code).toBe(1);
    const r = parseJsonReport(run).results[0]!;
    expect(r).toMatchObject({ status: 'crit', code: 'apiserver-dns' });
    expect(r.message).toMatch(/no-such-apiserver\.invalid:6443: host name does not resolve \(ENOTFOUND|EAI_AGAIN\)/);
    expect(run.ms).toBeLessThan(10_000);
  });
});
