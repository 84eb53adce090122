// The built CLI, spawned as an admin runs it on a control-plane node whose API server
// serves its expired certificate: cert-expired for that endpoint, apiserver-tls-error
// beside it, and triage naming the certificate first. Then `--only certs` as a table whose
// dates agree with `openssl x509 -enddate` on the same files.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBEADM_CERTIFICATES } from '../../src/discovery/pki.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { expiredSince, issue, kubeconfigYaml, writeKubeadmPki, type Issued, type KubeadmPki } from '../../src/sim/pki.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const host = hostPlan(BLOCKS.certsCli).controlPlane(0);
let root: string;
let pki: KubeadmPki;
let kubeconfig: string;
let client: Issued;
let server: Server;
let jsonRun: CliRun;
let tableRun: CliRun;

function opensslEndDate(file: string): Date {
  const out = execFileSync('openssl', ['x509', '-enddate', '-noout', '-in', file], { encoding: 'utf8' });
  return new Date(/notAfter=(.+)/.exec(out)![1]!);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'k8sdoc-certs-cli-'));
  const etcKubernetes = join(root, 'etc', 'kubernetes');
  await mkdir(etcKubernetes, { recursive: true });
  pki = await writeKubeadmPki(join(etcKubernetes, 'pki'), {
    apiServerHosts: [host],
    etcdHosts: [host],
    overrides: { apiserver: { validity: expiredSince(10) } },
  });
  const apiserver = pki.certs.apiserver!;
  server = createServer({ cert: apiserver.certPem, key: apiserver.keyPem }, (socket) => socket.end());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(6443, host, () => resolve());
  });
  client = await issue(pki.authorities.ca, {
    commonName: 'kubernetes-admin',
    organization: ['kubeadm:cluster-admins'],
    usage: 'client',
    validity: expiredSince(2),
  });
  kubeconfig = join(root, 'admin-copy.yaml');
  await writeFile(kubeconfig, kubeconfigYaml({ server: `https://${host}:6443`, caPem: pki.authorities.ca.certPem, user: client }));
  const common = ['check', '--kubeconfig', kubeconfig, '--pki-dir', pki.dir, '--timeout', '2s', '--no-color'];
  [jsonRun, tableRun] = await Promise.all([
    runCli([...common, '--only', 'apiserver-reachable,certs', '-o', 'json']),
    runCli([...common, '--only', 'certs', '-o', 'wide']),
  ]);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('an API server serving an expired certificate (spawned CLI, JSON)', () => {
  it('reports cert-expired for that endpoint and apiserver-tls-error beside it, and exits 1', () => {
    const report = parseJsonReport(jsonRun);
    expect(jsonRun.code, jsonRun.stderr).toBe(1);
    const served = report.results.find((r) => r.check === 'certs-served' && r.subject === `apiserver ${host}:6443 (kubeconfig)`);
    expect(served).toMatchObject({
      status: 'crit',
      code: 'cert-expired',
      data: { host, notAfter: pki.certs.apiserver!.notAfter.toISOString(), daysLeft: -10 },
    });
    expect(served?.steps?.map((s) => s.text)).toContain('kubeadm certs renew all');
    const tls = report.results.find((r) => r.check === 'apiserver-reachable');
    expect(tls).toMatchObject({ status: 'crit', code: 'apiserver-tls-error' });
  });

  it('ranks the expired certificate as the root cause, explaining the TLS error', () => {
    const report = parseJsonReport(jsonRun);
    expect(report.rootCauses[0]?.code).toBe('cert-expired');
    const explained = report.rootCauses.flatMap((c) => c.explains);
    expect(explained.some((e) => e.startsWith('apiserver-tls-error'))).toBe(true);
    expect(report.rootCauses.some((c) => c.code === 'apiserver-tls-error')).toBe(false);
  });

  it("reports the kubeconfig's expired embedded client certificate", () => {
    const report = parseJsonReport(jsonRun);
    const own = report.results.find((r) => r.check === 'certs-kubeconfig' && r.subject.includes('client certificate'));
    expect(own).toMatchObject({
      status: 'crit',
      code: 'cert-expired',
      data: { subject: 'O=kubeadm:cluster-admins, CN=kubernetes-admin', notAfter: client.notAfter.toISOString() },
    });
  });

  it('prints no key material', () => {
    for (const issued of [client, pki.certs.apiserver!]) expect(jsonRun.stdout + tableRun.stdout).not.toContain(issued.keyPem.split('\n')[1]!);
  });
});

describe('--only certs -o wide as a kubeadm-like table (spawned CLI)', () => {
  it("has kubeadm's columns and one row per certificate", () => {
    expect(tableRun.code, tableRun.stderr).toBe(1);
    for (const column of ['CERTIFICATE', 'EXPIRES', 'RESIDUAL', 'CERTIFICATE', 'AUTHORITY', 'SOURCE', 'STATUS']) expect(tableRun.stdout).toContain(column);
    expect(tableRun.stdout).toMatch(/^apiserver-etcd-client {2,}\w{3} \d{2}, \d{4} \d{2}:\d{2}:\d{2} UTC {2,}\d+d {2,}etcd-ca {2,}/m);
    expect(tableRun.stdout).toMatch(/^apiserver {2,}\w{3} \d{2}, \d{4} \d{2}:\d{2}:\d{2} UTC {2,}expired {2,}kubernetes {2,}/m);
  });

  it('prints the same expiry dates as openssl x509 -enddate on the same files', () => {
    const rows = new Map<string, string>();
    for (const match of tableRun.stdout.matchAll(/^(\S+) {2,}(\w{3} \d{2}, \d{4} \d{2}:\d{2}:\d{2} UTC)/gm)) rows.set(match[1]!, match[2]!);
    for (const expected of KUBEADM_CERTIFICATES) {
      const printed = rows.get(expected.name);
      expect(printed, `row for ${expected.name}`).toBeDefined();
      expect(new Date(printed!), expected.name).toEqual(opensslEndDate(join(pki.dir, expected.file)));
    }
  });

  it('opens with the expired certificate as the most likely cause', () => {
    expect(tableRun.stdout.split('\n')[1]).toMatch(/^CRIT {2}most likely cause: cert-expired on/);
  });
});
