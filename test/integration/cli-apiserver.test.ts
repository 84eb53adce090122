// `k8sdoc check` against API servers that refuse, present an untrusted certificate, or
// accept TCP and never answer: each failure told apart, with the catalogue's fix.
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issue, kubeconfigYaml } from '../../src/sim/pki.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.cliApiserver);
const refusedHost = plan.spare(0);
const tlsHost = plan.spare(1);
const hangHost = plan.spare(2);
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-apiserver-'));
const sockets = new Set<Socket>();
let tlsServer: TlsServer;
let hangServer: Server;
let clusterCaPem: string;

function kubeconfigFor(host: string): string {
  const path = join(dir, `${host}.yaml`);
  writeFileSync(path, kubeconfigYaml({ server: `https://${host}:6443`, caPem: clusterCaPem, user: { token: 'canary-secret-token' } }));
  return path;
}

beforeAll(async () => {
  const clusterCa = await createCa('kubernetes');
  clusterCaPem = clusterCa.certPem;
  // Signed by a CA the kubeconfig does not trust: what a rebuilt cluster or a MITM proxy looks like.
  const strangerCa = await createCa('someone-else');
  const cert = await issue(strangerCa, { commonName: 'kube-apiserver', ipAddresses: [tlsHost], usage: 'server' });
  tlsServer = createTlsServer({ cert: cert.certPem, key: cert.keyPem }, (s) => s.end());
  hangServer = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => tlsServer.listen(6443, tlsHost, r));
  await new Promise<void>((r) => hangServer.listen(6443, hangHost, r));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => tlsServer.close(r));
  await new Promise((r) => hangServer.close(r));
});

describe('check against a broken API server', () => {
  it('refused: exit 1, apiserver-refused with its fix, in JSON and in the table', async () => {
    const kc = kubeconfigFor(refusedHost);
    const json = await runCli(['check', '--kubeconfig', kc, '--only', 'apiserver-reachable', '-o', 'json']);
    expect(json.code).toBe(1);
    const report = parseJsonReport(json);
    const r = report.results.find((x) => x.check === 'apiserver-reachable')!;
    expect(r).toMatchObject({ status: 'crit', code: 'apiserver-refused', message: `tcp ${refusedHost}:6443: connection refused` });
    expect(r.steps!.map((s) => s.text)).toContain('crictl ps -a --name kube-apiserver');
    expect(report.rootCauses[0]!.code).toBe('apiserver-refused');

    const table = await runCli(['check', '--kubeconfig', kc, '--only', 'apiserver-reachable']);
    expect(table.code).toBe(1);
    expect(table.stdout.split('\n')[1]).toMatch(/^CRIT {2}most likely cause: apiserver-refused on /);
    expect(table.stdout.replace(/\n +/g, ' ')).toContain("Symptom: kubectl commands fail with 'The connection to the server … was refused'");
    expect(table.stdout).toContain('$ crictl ps -a --name kube-apiserver');
    expect(`${json.stdout}${table.stdout}${table.stderr}`).not.toContain('canary-secret-token');
  });

  it('untrusted certificate: apiserver-tls-error naming the reason', async () => {
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(tlsHost), '--only', 'apiserver-reachable', '-o', 'json']);
    expect(run.code).toBe(1);
    const r = parseJsonReport(run).results[0]!;
    expect(r).toMatchObject({ status: 'crit', code: 'apiserver-tls-error' });
    expect(r.message).toMatch(/does not verify: .*(unknown authority|self-signed|unable to verify)/i);
  });

  it('accepts TCP and never answers: apiserver-timeout within --timeout plus a small margin', async () => {
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(hangHost), '--only', 'apiserver-reachable', '--timeout', '500ms', '-o', 'json']);
    expect(run.code).toBe(1);
    const report = parseJsonReport(run);
    const r = report.results[0]!;
    expect(r).toMatchObject({ status: 'crit', code: 'apiserver-timeout' });
    expect(r.message).toContain('TLS handshake never completes');
    expect(r.timedOut).toEqual([`tls ${hangHost}:6443`]);
    // Bounded by --timeout, not by the 3 s default or a hang; the margin absorbs a loaded CI machine.
    expect(report.durationMs).toBeLessThan(500 + 1000);
  });

  it('--insecure-skip-tls-verify warns on stderr and still says why the certificate fails', async () => {
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(tlsHost), '--only', 'apiserver-reachable', '--insecure-skip-tls-verify', '-o', 'json']);
    expect(run.stderr).toMatch(/warning: --insecure-skip-tls-verify/);
    const r = parseJsonReport(run).results[0]!;
    // The ad-hoc server closes after the handshake, so /version fails, but never silently.
    expect(r.status).not.toBe('ok');
  });
});
