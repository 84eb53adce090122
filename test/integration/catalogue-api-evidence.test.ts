// Real servers that fail in the TLS layer each their own way, a 401 on a token and on a
// client certificate, and an exec plugin that fails: the first cause and the first step the
// CLI prints follow what was observed, not a stock "expired certificate" or "ping".
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createCa, issue, kubeconfigYaml, type Issued } from '../../src/sim/pki.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.catalogueApiEvidence);
const HOSTS = {
  plainHttp: plan.spare(0),
  alert: plan.spare(1),
  h2only: plan.spare(2),
  oversized: plan.spare(3),
  stalls: plan.spare(4),
  rejects: plan.spare(5),
  certRequired13: plan.spare(6),
};
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-evidence-'));
const servers: { close(cb: () => void): unknown }[] = [];
const sockets = new Set<Socket>();
let ca: Issued;
let client: Issued;

async function listen(server: Server | HttpServer, host: string): Promise<void> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(6443, host, r));
  servers.push(server);
}

function kubeconfig(host: string, user: { token: string } | { certPem: string; keyPem: string }): string {
  const path = join(dir, `${host}-${'token' in user ? 'token' : 'cert'}.yaml`);
  writeFileSync(path, kubeconfigYaml({ server: `https://${host}:6443`, caPem: ca.certPem, user }));
  return path;
}

beforeAll(async () => {
  ca = await createCa('kubernetes');
  client = await issue(ca, { commonName: 'kubernetes-admin', organization: ['system:masters'], usage: 'client' });
  const serving = async (host: string) => issue(ca, { commonName: 'kube-apiserver', ipAddresses: [host], usage: 'server' });
  const tlsOf = async (host: string) => {
    const c = await serving(host);
    return { cert: c.certPem, key: c.keyPem };
  };
  // Something else on 6443 that speaks plain HTTP (a proxy in HTTP mode).
  await listen(
    createHttpServer((_q, s) => s.end('hello')),
    HOSTS.plainHttp,
  );
  // A TLS 1.2 proxy that demands a client certificate and aborts the handshake without one.
  await listen(
    createTlsServer({ ...(await tlsOf(HOSTS.alert)), requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' }, (s) => s.end()),
    HOSTS.alert,
  );
  // HTTP/2 only: refuses the http/1.1 that Kubernetes clients offer.
  await listen(createSecureServer({ ...(await tlsOf(HOSTS.h2only)), allowHTTP1: false }) as unknown as Server, HOSTS.h2only);
  // A serving chain stuffed with every CA there is: here the cluster CA four hundred times.
  const big = await tlsOf(HOSTS.oversized);
  await listen(
    createTlsServer({ cert: big.cert + Array(400).fill(ca.certPem).join(''), key: big.key }, (s) => s.end()),
    HOSTS.oversized,
  );
  // Accepts TCP and never says a word.
  await listen(
    createTcpServer(() => undefined),
    HOSTS.stalls,
  );
  // A real-looking API server that rejects every credential with 401, asking for a client certificate as kube-apiserver does.
  await listen(
    createHttpsServer({ ...(await tlsOf(HOSTS.rejects)), ca: ca.certPem, requestCert: true, rejectUnauthorized: false }, (_q, s) => {
      s.writeHead(401, { 'content-type': 'application/json' });
      s.end('{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
    }) as unknown as Server,
    HOSTS.rejects,
  );
  // TLS 1.3 with a client certificate required: the alert comes after the handshake, on the first request.
  await listen(
    createHttpsServer({ ...(await tlsOf(HOSTS.certRequired13)), requestCert: true, rejectUnauthorized: true }, (_q, s) => s.end('{}')) as unknown as Server,
    HOSTS.certRequired13,
  );
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function firstOf(kc: string, only = 'apiserver-reachable') {
  const run = await runCli(['check', '--kubeconfig', kc, '--only', only, '--timeout', '1500ms', '-o', 'json']);
  const report = parseJsonReport(run);
  const problems = report.results.filter((r) => r.status === 'crit' || r.status === 'warn');
  return { run, report, problems, first: problems[0]! };
}

describe('TLS-layer failures told apart', () => {
  it.each([
    ['plain HTTP on 6443', HOSTS.plainHttp, 'not-tls', /plain HTTP/, /^curl -sv --max-time 5 http:\/\/[\d.]+:6443\/version/],
    ['a TLS alert', HOSTS.alert, 'alert', /rejected the handshake/, /^openssl s_client -connect [\d.]+:6443 .*alert/],
    ['an HTTP/2-only server', HOSTS.h2only, 'protocol', /HTTP\/2/, /-alpn http\/1\.1/],
    ['a huge certificate chain', HOSTS.oversized, 'oversized', /certificate chain larger/, /-showcerts/],
  ])('%s', async (_what, host, tls, cause, step) => {
    const { run, first } = await firstOf(kubeconfig(host, { token: 'canary-token-abc' }));
    expect(run.code).toBe(1);
    expect(first).toMatchObject({ code: 'apiserver-tls-error', about: { evidence: { tcp: 'connected', tls } } });
    expect(first.causes![0], first.message).toMatch(cause);
    expect(first.causes!.join(' ')).not.toMatch(/expired/);
    expect(first.steps![0]!.text).toMatch(step);
    expect(first.steps!.map((s) => s.text).join('\n')).not.toMatch(/kubeadm certs renew/);
    expect(run.stdout + run.stderr).not.toContain('canary-token-abc');
  });

  it('a client certificate required after a TLS 1.3 handshake reads as an alert on the request', async () => {
    const { first } = await firstOf(kubeconfig(HOSTS.certRequired13, { token: 'canary-token-abc' }));
    expect(first).toMatchObject({ code: 'apiserver-tls-error', about: { evidence: { tcp: 'connected', tls: 'alert' } } });
  });

  it('accepts TCP and stalls: the server, not a firewall, and the table prints the handshake probe first', async () => {
    const kc = kubeconfig(HOSTS.stalls, { token: 'canary-token-abc' });
    const { first } = await firstOf(kc);
    expect(first).toMatchObject({ code: 'apiserver-timeout', about: { evidence: { tcp: 'connected', tls: 'handshake-timeout' } } });
    expect(first.causes![0]).toMatch(/accepts connections but stalls/);
    const table = await runCli(['check', '--kubeconfig', kc, '--only', 'apiserver-reachable', '--timeout', '1500ms']);
    expect(table.stdout.replace(/\n +/g, ' ')).toContain(`First step: timeout 10 openssl s_client -connect ${HOSTS.stalls}:6443 -brief </dev/null`);
    expect(table.stdout).not.toMatch(/First step: nc -vz/);
  });
});

describe('a 401 follows the credential, and is counted once', () => {
  it('with a bearer token: the token, first step kubectl config view --minify', async () => {
    const { run, problems, first } = await firstOf(kubeconfig(HOSTS.rejects, { token: 'canary-token-abc' }), 'apiserver-reachable,apiserver-health');
    expect(first).toMatchObject({ code: 'apiserver-unauthorized', about: { evidence: { credential: 'token' } } });
    expect(first.causes![0]).toMatch(/token has expired/);
    expect(first.steps![0]!.text).toMatch(/^kubectl config view --minify/);
    // reachability and health asked the same server with the same credentials: one finding.
    expect(problems.filter((r) => r.code === 'apiserver-unauthorized')).toHaveLength(1);
    expect(run.stdout + run.stderr).not.toContain('canary-token-abc');
  });

  it('with a client certificate: its expiry and issuer first', async () => {
    const { first } = await firstOf(kubeconfig(HOSTS.rejects, { certPem: client.certPem, keyPem: client.keyPem }));
    expect(first).toMatchObject({ code: 'apiserver-unauthorized', about: { evidence: { credential: 'client-certificate' } } });
    expect(first.causes![0]).toMatch(/client certificate has expired/);
    expect(first.steps![0]!.text).toMatch(/^openssl x509 -noout -enddate -issuer -in <\(kubectl config view --raw --minify/);
  });
});

describe('an exec credential plugin that fails', () => {
  it('is its own problem with the plugin run first, not an unreachable server', async () => {
    const plugin = join(dir, 'sso-plugin.sh');
    writeFileSync(plugin, '#!/bin/sh\necho "error: the SSO session has expired; run aws sso login" >&2\nexit 1\n');
    chmodSync(plugin, 0o755);
    const kc = join(dir, 'exec.yaml');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'c', cluster: { server: `https://${HOSTS.rejects}:6443`, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } },
        ],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'sso' } }],
        'current-context': 'x',
        users: [
          { name: 'sso', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, args: ['token'], interactiveMode: 'Never' } } },
        ],
      }),
    );
    const { run, first } = await firstOf(kc);
    expect(run.code).toBe(1);
    expect(first).toMatchObject({ code: 'apiserver-credentials-unavailable', about: { evidence: { credential: 'exec' } } });
    expect(first.message).toMatch(/SSO session has expired/);
    expect(first.steps![0]!.text).toMatch(/^KUBERNETES_EXEC_INFO='.*' \$\(kubectl config view --minify -o jsonpath='\{\.users\[0\]\.user\.exec\.command\}/);
    expect(first.steps!.map((s) => s.text).join('\n')).not.toMatch(/^ping/m);
    // Pasted into a shell beside that kubeconfig, the first step runs the plugin and shows its stderr.
    const { spawnSync } = await import('node:child_process');
    const pasted = spawnSync('bash', ['-c', first.steps![0]!.text], { env: { PATH: process.env.PATH, KUBECONFIG: kc, HOME: dir }, encoding: 'utf8' });
    expect(pasted.stderr).toContain('the SSO session has expired');
  });
});
