// `k8sdoc check` against API servers that are broken or hostile (src/sim/hostile.ts): each
// one ends in a finding that says what is wrong, within the timeout, with no crashed check
// and no stack trace, and credentials never reach a host they were not meant for.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlan } from '../../src/sim/hosts.js';
import { HOSTILE_MODES, startHostileServer, type HostileMode, type HostileServer } from '../../src/sim/hostile.js';
import { createCa, issue, type Issued } from '../../src/sim/pki.js';
import { createKubeProbe } from '../../src/probes/kube.js';
import type { Report, Result } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.hostileServers);
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-hostile-'));
const TOKEN = 'hostile-canary-token-5b1f';
const servers = new Map<HostileMode, HostileServer>();
let ca: Issued;
let client: Issued;

function kubeconfigFor(server: HostileServer): string {
  const path = join(dir, `${server.mode}.yaml`);
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  // A token and a client certificate at once, so that neither can slip through unseen.
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'hostile',
      clusters: [{ name: 'hostile', cluster: { server: server.url, 'certificate-authority-data': b64(ca.certPem) } }],
      contexts: [{ name: 'hostile', context: { cluster: 'hostile', user: 'admin' } }],
      users: [{ name: 'admin', user: { token: TOKEN, 'client-certificate-data': b64(client.certPem), 'client-key-data': b64(client.keyPem) } }],
    }),
  );
  return path;
}

async function reachability(mode: HostileMode, timeout: string): Promise<{ run: CliRun; result: Result; report: Report }> {
  const run = await runCli(['check', '--kubeconfig', kubeconfigFor(servers.get(mode)!), '--only', 'apiserver-reachable', '--timeout', timeout, '-o', 'json']);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  const report = parseJsonReport(run);
  expect(report.results).toHaveLength(1);
  return { run, result: report.results[0]!, report };
}

beforeAll(async () => {
  ca = await createCa('kubernetes');
  client = await issue(ca, { commonName: 'kubernetes-admin', organization: ['kubeadm:cluster-admins'], usage: 'client' });
  const bystanderHost = plan.spare(0);
  await Promise.all(
    HOSTILE_MODES.map(async (mode, i) => {
      const host = mode === 'bystander' ? bystanderHost : plan.spare(i + 1);
      servers.set(mode, await startHostileServer({ mode, host, ca, redirectTo: `https://${bystanderHost}:6443` }));
    }),
  );
});

afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.stop()));
});

describe('broken answers become apiserver-bad-response findings', () => {
  it('a page of HTML instead of JSON: says it is not JSON and shows how it starts', async () => {
    const { run, result } = await reachability('non-json', '2s');
    expect(run.code).toBe(1);
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-bad-response' });
    expect(result.message).toMatch(/\/version: answered with something that is not JSON \('<!DOCTYPE html>/);
  });

  it('JSON cut in the middle: says the JSON stops early, not that it is garbage', async () => {
    const { result } = await reachability('truncated-json', '2s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-bad-response' });
    expect(result.message).toMatch(/answered with JSON that stops after \d+ bytes, cut short by the server or a proxy/);
  });

  it('the connection closes mid-body: an incomplete answer, not "connection refused"', async () => {
    const { result } = await reachability('cut-mid-body', '2s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-bad-response' });
    expect(result.message).toMatch(/the connection closed after 20 of \d+ bytes of the answer; the response is incomplete/);
  });

  it('a 200 MB body: reads at most the 64 MB cap, says so, and the server sent far less than 200 MB', async () => {
    const huge = servers.get('huge-body')!;
    const { run, result } = await reachability('huge-body', '20s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-bad-response' });
    expect(result.message).toMatch(/response larger than 64 MB, not read further/);
    // One GET /version (the API need and the check share it), and the server could push
    // only the cap plus what sat in socket buffers when k8sdoc hung up.
    expect(huge.seen.map((r) => r.path)).toEqual(['/version']);
    expect(huge.seen[0]!.bodyBytesSent).toBeGreaterThan(64 * 1024 * 1024);
    expect(huge.seen[0]!.bodyBytesSent).toBeLessThan(80 * 1024 * 1024);
    expect(run.ms).toBeLessThan(20_000);
  });
});

describe('a body announced as too large is not read at all', () => {
  it('Content-Length of 200 MB: refused before the first byte is read, in-process through the kube probe', async () => {
    const announced = await startHostileServer({ mode: 'huge-body', announceLength: true, host: plan.spare(40), ca });
    const probe = createKubeProbe(
      {
        contextName: 'hostile',
        clusterName: 'hostile',
        userName: 'admin',
        cluster: { server: announced.url, caPem: ca.certPem, insecureSkipTlsVerify: false, tlsServerName: null },
        user: { token: TOKEN },
        files: [],
        inCluster: false,
      },
      { insecureSkipTlsVerify: false, concurrency: 1 },
    );
    try {
      const outcome = await probe.get('/api/v1/nodes', { timeoutMs: 5000 });
      expect(outcome).toMatchObject({
        kind: 'bad-response',
        status: 200,
        message: `GET ${plan.spare(40)}:6443/api/v1/nodes: response larger than 64 MB, not read (it announces 200 MB)`,
      });
      expect(outcome.ms).toBeLessThan(2000);
    } finally {
      probe.close();
      await announced.stop();
    }
  });
});

describe('time is bounded as a whole', () => {
  it('one byte a second: apiserver-timeout at --timeout, although every byte comes within it', async () => {
    const drip = servers.get('drip')!;
    const { run, result } = await reachability('drip', '2s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-timeout' });
    expect(result.message).toMatch(/GET .*\/version did not answer within 2000 ms/);
    // A deadline per read would never fire: a byte arrived every second.
    const asked = drip.seen.filter((r) => r.path === '/version');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.bodyBytesSent).toBeGreaterThanOrEqual(1);
    // One --timeout for the whole run (start-up and margin aside), not one per question asked.
    expect(run.ms).toBeLessThan(2000 + 1500);
  });
});

describe('redirects are never followed', () => {
  it('reports the redirect; the other host gets no connection, no token and no client certificate', async () => {
    const bystander = servers.get('bystander')!;
    const redirect = servers.get('redirect')!;
    const before = bystander.connections();
    const { result } = await reachability('redirect', '2s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-bad-response' });
    expect(result.message).toContain(`redirected (HTTP 302) to ${bystander.url}/version; not followed, credentials are never sent on`);
    expect(bystander.connections()).toBe(before);
    expect(bystander.seen).toEqual([]);
    // The server k8sdoc was pointed at did get the credentials: the recording works.
    const asked = redirect.seen.find((r) => r.path === '/version')!;
    expect(asked.authorization).toBe(`Bearer ${TOKEN}`);
    expect(asked.clientCertificate).toBe('CN=kubernetes-admin');
  });

  it('the same credentials sent straight to the other host are seen there (the proof above can fail)', async () => {
    const bystander = servers.get('bystander')!;
    const { result } = await reachability('bystander', '2s');
    expect(result).toMatchObject({ status: 'ok' });
    expect(bystander.seen.map((r) => [r.path, r.authorization, r.clientCertificate])).toContainEqual(['/version', `Bearer ${TOKEN}`, 'CN=kubernetes-admin']);
  });
});

describe('TLS that breaks', () => {
  it('reset in the middle of the handshake: a crit finding naming the TLS stage and the likely load balancer', async () => {
    const { result } = await reachability('reset-mid-tls', '2s');
    expect(result.status).toBe('crit');
    expect(result.message).toContain('a load balancer with no healthy backend');
    expect(result.data).toMatchObject({ stage: 'tls', failure: 'reset' });
    expect(result.message).toMatch(/^tls 127\.130\.200\.\d+:6443: (connection reset by peer|connection closed during the TLS handshake)/);
  });

  it('only TLS 1.0: the certificate is read, the request is refused, and the message says why', async () => {
    const { result } = await reachability('tls10-only', '2s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-tls-error' });
    expect(result.message).toContain('the server offers only TLS 1.0 or 1.1; Kubernetes clients need TLS 1.2 or newer');
  });

  it('a certificate for another name: apiserver-tls-error saying so, no request sent', async () => {
    const wrong = servers.get('wrong-name')!;
    const { result } = await reachability('wrong-name', '2s');
    expect(result).toMatchObject({ status: 'crit', code: 'apiserver-tls-error' });
    expect(result.message).toMatch(/does not verify: certificate is not valid for 127\.130\.200\.\d+ \(subject CN=kube-apiserver/);
    expect(wrong.seen).toEqual([]);
  });
});

describe('every check against every hostile server', () => {
  const modes = HOSTILE_MODES.filter((m) => m !== 'bystander' && m !== 'huge-body');
  it.each(modes)('%s: exit 1, a valid report, no crashed check, done within the guard', async (mode) => {
    const run = await runCli(['check', '--kubeconfig', kubeconfigFor(servers.get(mode)!), '--timeout', '1s', '-o', 'json'], { killAfterMs: 30_000 });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    const report = parseJsonReport(run);
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
    expect(report.results.some((r) => r.status === 'crit' && r.component === 'apiserver')).toBe(true);
    expect(run.stdout).not.toContain(TOKEN);
  });
});
