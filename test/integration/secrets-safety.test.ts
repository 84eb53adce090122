// Safety of the wire: TLS verification is on unless asked otherwise (and then said on stderr),
// credentials go only to a server whose certificate verifies, the inspection handshake that
// reads certificates carries none, and every request reaches the suite-wide request log that
// global-setup.ts checks for writes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlan } from '../../src/sim/hosts.js';
import { startHostileServer, type HostileServer } from '../../src/sim/hostile.js';
import { createCa, issue, type Issued } from '../../src/sim/pki.js';
import { readRequestLogFile, REQUEST_LOG_FILE_ENV } from '../../src/sim/request-log.js';
import { inspectTls } from '../../src/probes/tls.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.secretsSafety);
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-safety-'));
const TOKEN = 'safety-canary-token-91c2';
const ADMIN = 'CN=kubernetes-admin';
let trustedCa: Issued;
let client: Issued;
// TLS 1.2 servers: they have read a client certificate before the client judges theirs, so
// what they record is everything a client showed them.
let trusted: HostileServer;
let impostor: HostileServer;
let impostor13: HostileServer;

function kubeconfigFor(server: HostileServer): string {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const path = join(dir, `${server.url.replace(/\W+/g, '_')}.yaml`);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'c', cluster: { server: server.url, 'certificate-authority-data': b64(trustedCa.certPem) } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'admin' } }],
      users: [{ name: 'admin', user: { token: TOKEN, 'client-certificate-data': b64(client.certPem), 'client-key-data': b64(client.keyPem) } }],
    }),
  );
  return path;
}

/** Waits until the server has seen `n` handshakes (the server side finishes a moment after the client). */
async function handshakes(server: HostileServer, n: number): Promise<(string | null)[]> {
  for (let i = 0; i < 50 && server.handshakes.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  return [...server.handshakes];
}

beforeAll(async () => {
  trustedCa = await createCa('kubernetes');
  const strangerCa = await createCa('kubernetes');
  client = await issue(trustedCa, { commonName: 'kubernetes-admin', organization: ['kubeadm:cluster-admins'], usage: 'client' });
  [trusted, impostor, impostor13] = await Promise.all([
    startHostileServer({ mode: 'bystander', host: plan.spare(0), ca: trustedCa, maxTlsVersion: 'TLSv1.2' }),
    startHostileServer({ mode: 'bystander', host: plan.spare(1), ca: strangerCa, maxTlsVersion: 'TLSv1.2' }),
    startHostileServer({ mode: 'bystander', host: plan.spare(2), ca: strangerCa }),
  ]);
});

afterAll(async () => {
  await Promise.all([trusted, impostor, impostor13].map((s) => s?.stop()));
});

describe('TLS verification is on by default', () => {
  it.each([
    ['TLS 1.2', () => impostor],
    ['TLS 1.3', () => impostor13],
  ])('%s: a server whose certificate the kubeconfig CA did not sign never sees the token or the client certificate', async (_name, server) => {
    const s = server();
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(s), '--timeout', '1s', '-o', 'json']);
    expect(run.code).toBe(1);
    const report = parseJsonReport(run);
    expect(report.results.find((r) => r.check === 'apiserver-reachable')).toMatchObject({ status: 'crit', code: 'apiserver-tls-error' });
    expect(run.stderr).toBe('');
    expect(s.seen).toEqual([]);
    expect(s.handshakes).not.toContain(ADMIN);
  });

  it('the same kubeconfig against the server it trusts does send both (the proof above can fail)', async () => {
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(trusted), '--only', 'apiserver-reachable', '-o', 'json']);
    expect(parseJsonReport(run).results[0]).toMatchObject({ status: 'ok' });
    expect(trusted.seen.map((r) => [r.path, r.authorization, r.clientCertificate])).toContainEqual(['/version', `Bearer ${TOKEN}`, ADMIN]);
    expect(await handshakes(trusted, 1)).toContain(ADMIN);
  });
});

describe('--insecure-skip-tls-verify', () => {
  it('prints one warning line on stderr, talks to the server, and still says why it would fail', async () => {
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(impostor13), '--only', 'apiserver-reachable', '--insecure-skip-tls-verify', '-o', 'json']);
    expect(run.stderr.trim().split('\n')).toEqual([
      'k8sdoc: warning: --insecure-skip-tls-verify: server certificates are not verified (findings still say why they would fail)',
    ]);
    const r = parseJsonReport(run).results[0]!;
    expect(r.status).toBe('ok');
    expect(r.message).toMatch(/TLS not verified: .*unknown authority|self-signed/);
  });
});

describe('the inspection handshake carries no credentials', () => {
  it('reads the served chain while presenting no certificate; a client that has one does present it', async () => {
    const before = trusted.handshakes.length;
    const inspection = await inspectTls(trusted.url.replace(/^https:\/\/|:\d+$/g, ''), 6443, { timeoutMs: 2000, ca: trustedCa.certPem });
    expect(inspection).toMatchObject({ kind: 'ok', verifyError: null });
    expect(inspection.chain[0]!.subject).toBe('CN=kube-apiserver');
    expect((await handshakes(trusted, before + 1)).slice(before)).toEqual([null]);

    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: plan.spare(0), port: 6443, ca: trustedCa.certPem, cert: client.certPem, key: client.keyPem }, () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });
    expect((await handshakes(trusted, before + 2)).slice(before)).toEqual([null, ADMIN]);
  });
});

describe('the suite-wide request log', () => {
  it("holds the requests a spawned k8sdoc made to this file's servers, with their User-Agent", async () => {
    const file = process.env[REQUEST_LOG_FILE_ENV];
    expect(file).toBeTruthy();
    await runCli(['check', '--kubeconfig', kubeconfigFor(trusted), '--only', 'apiserver-reachable', '-o', 'json']);
    const mine = readRequestLogFile(file!).filter((r) => r.server === `${plan.spare(0)}:6443`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.method === 'GET' && r.userAgent === 'k8sdoc')).toBe(true);
  });
});
