// Secrets placed in a kubeconfig (a bearer token, a client key, a password, an exec plugin's
// token) never come out: not in any output format, not in --debug logs, not in error
// messages, not in any file k8sdoc leaves under HOME (the discovery cache included).
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { issue, type Issued } from '../../src/sim/pki.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, runCli, type CliRun } from '../helpers/cli.js';

const TOKEN = 'canary-token-c0ffee-4a7e';
const PASSWORD = 'canary-password-d00d-93b1';
const EXEC_TOKEN = 'canary-exec-token-beef-5c2d';
const home = emptyHome();
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-canary-'));
const b64 = (text: string) => Buffer.from(text).toString('base64');
let cluster: SimCluster;
let key: Issued;
let kubeconfig: string;
const runs: CliRun[] = [];

/** Every form in which a secret could leak: as written, base64, and each line of the key's PEM body. */
function secrets(): string[] {
  const keyLines = key.keyPem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  return [TOKEN, PASSWORD, EXEC_TOKEN, b64(TOKEN), b64(`admin:${PASSWORD}`), b64(key.keyPem), ...keyLines];
}

function expectNoSecret(text: string, where: string): void {
  for (const secret of secrets()) expect(text.includes(secret), `${where} holds ${secret.slice(0, 12)}…`).toBe(false);
}

async function run(args: string[]): Promise<CliRun> {
  const r = await runCli(['check', ...args], { env: { HOME: home } });
  runs.push(r);
  return r;
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  cluster = await startCluster(
    { name: 'canary', description: 'one control plane and one worker, no etcd', controlPlanes: 1, workers: 1 },
    { block: BLOCKS.secretsCanary, etcd: false },
  );
  cluster.tokens.table.add({ user: 'canary-admin', groups: ['system:masters'], rules: [] }, TOKEN);
  cluster.tokens.table.add({ user: 'canary-exec', groups: ['system:masters'], rules: [] }, EXEC_TOKEN);
  key = await issue(cluster.pki.authorities.ca, { commonName: 'canary-admin', organization: ['system:masters'], usage: 'client' });
  const plugin = join(dir, 'credential-plugin.sh');
  writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${EXEC_TOKEN}"}}'\n`);
  chmodSync(plugin, 0o755);
  const down = `https://${hostPlan(BLOCKS.secretsCanary).spare(0)}:6443`;
  const cluster0 = { server: cluster.server, 'certificate-authority-data': b64(cluster.pki.authorities.ca.certPem) };
  kubeconfig = join(cluster.kubernetesDir, 'canary.conf');
  // Inside the folder --pki-dir points next to, so the kubeconfig checks read it as well.
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'everything',
      clusters: [
        { name: 'sim', cluster: cluster0 },
        { name: 'down', cluster: { ...cluster0, server: down } },
      ],
      contexts: [
        { name: 'everything', context: { cluster: 'sim', user: 'everything' } },
        { name: 'password', context: { cluster: 'sim', user: 'password' } },
        { name: 'exec', context: { cluster: 'sim', user: 'exec' } },
        { name: 'down', context: { cluster: 'down', user: 'everything' } },
      ],
      users: [
        {
          name: 'everything',
          user: { token: TOKEN, 'client-certificate-data': b64(key.certPem), 'client-key-data': b64(key.keyPem), username: 'admin', password: PASSWORD },
        },
        { name: 'password', user: { username: 'admin', password: PASSWORD } },
        { name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } },
      ],
    }),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await cluster?.stop();
});

describe('secrets in the kubeconfig never come out', () => {
  const target = () => ['--kubeconfig', kubeconfig, '--apiserver', cluster.apiServers[0]!.url, '--pki-dir', cluster.pkiDir, '--timeout', '2s', '--debug'];

  it.each(['table', 'json', 'junit', 'prometheus'])('-o %s with --debug: a diagnosis, and no secret on stdout or stderr', async (format) => {
    const r = await run([...target(), '-o', format]);
    expect(r.code, r.stderr).not.toBe(2);
    expect(r.stdout.length).toBeGreaterThan(200);
    expect(r.stderr).toContain('debug: ');
    // The probe timeline: what was asked, when, how it ended (and with it, no secret either).
    expect(r.stderr).toMatch(/^debug: probe \+\d+ ms GET \S+ \/version: ok after \d+ ms/m);
    expectNoSecret(r.stdout, `stdout of -o ${format}`);
    expectNoSecret(r.stderr, `stderr of -o ${format}`);
  });

  it('a password the server rejects: an apiserver-unauthorized finding, and the password stays out of it', async () => {
    const r = await run([...target(), '--context', 'password', '-o', 'json']);
    expect(JSON.parse(r.stdout).results.some((x: { code?: string }) => x.code === 'apiserver-unauthorized')).toBe(true);
    expectNoSecret(r.stdout + r.stderr, 'the 401 run');
  });

  it('an exec credential plugin: its token is used and never printed', async () => {
    const r = await run([...target(), '--context', 'exec', '--only', 'apiserver-reachable', '-o', 'json']);
    expect(JSON.parse(r.stdout).results.every((x: { status: string }) => x.status === 'ok')).toBe(true);
    expectNoSecret(r.stdout + r.stderr, 'the exec run');
  });

  it('an API server that refuses: the error findings carry no secret', async () => {
    const r = await run(['--kubeconfig', kubeconfig, '--context', 'down', '--timeout', '1s', '--debug']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('connection refused');
    expect(r.stderr).toMatch(/^debug: probe \+\d+ ms (tls|tcp) [\d.]+:\d+: refused after \d+ ms/m);
    expectNoSecret(r.stdout + r.stderr, 'the refused run');
  });

  it('usage errors with --debug (stack traces on): no secret in the message or the trace', async () => {
    const broken = join(dir, 'broken.yaml');
    // The secret sits on the very line the YAML parser stumbles over.
    writeFileSync(broken, `apiVersion: v1\nusers:\n- name: u\n  user: {token: "${TOKEN}\n`);
    const badKey = join(dir, 'bad-key.yaml');
    writeFileSync(badKey, readFileSync(kubeconfig, 'utf8').replace(b64(key.keyPem), `${PASSWORD}!!`));
    for (const args of [
      ['--kubeconfig', kubeconfig, '--context', 'nope'],
      ['--kubeconfig', broken],
      ['--kubeconfig', badKey],
    ]) {
      const r = await run([...args, '--debug']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^k8sdoc: /);
      expectNoSecret(r.stdout + r.stderr, `k8sdoc ${args.join(' ')}`);
    }
  });

  it('no file k8sdoc left under HOME (the discovery cache ~/.cache/k8sdoc included) holds a secret', () => {
    expect(runs.length).toBeGreaterThanOrEqual(8);
    for (const file of filesUnder(home)) {
      if (statSync(file).size > 50 * 1024 * 1024) continue;
      expectNoSecret(readFileSync(file, 'utf8'), file);
    }
  });
});
