// certs-served against real TLS endpoints on loopback, each serving a certificate minted by
// the simulator's PKI: expired, 5 days, 20 days, a year, not yet valid, another CA, an old
// issue of the renewed file on disk, a short-lived CA in the chain; etcd client and peer
// ports; a self-signed kubelet and one that is down.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certsServed } from '../../src/checks/certs-served.js';
import type { Endpoint } from '../../src/discovery/targets.js';
import type { Finding } from '../../src/engine/types.js';
import { filesProbe } from '../../src/probes/files.js';
import { inspectTls } from '../../src/probes/tls.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { createCa, expiredSince, issue, notYetValidFor, validFor, writeKubeadmPki, type Issued, type KubeadmPki, type Validity } from '../../src/sim/pki.js';
import { BLOCKS } from '../helpers/blocks.js';
import { fakeContext } from '../helpers/fake-context.js';

const plan = hostPlan(BLOCKS.certsServed);
const cp = (i: number) => plan.controlPlane(i);
const API_NAMES = { dnsNames: ['kubernetes', 'kubernetes.default'], ipAddresses: ['10.96.0.1', cp(6)] };

let dir: string;
let pki: KubeadmPki;
const servers: Server[] = [];
/** Whether each inspection handshake carried a client certificate (it must not). */
const clientCertificatesSeen: boolean[] = [];
const served = new Map<string, Issued>();
let findings: Finding[];

function serve(host: string, port: number, certPem: string, keyPem: string): Promise<void> {
  // TLS 1.2 so that the server has seen the client's whole flight (a certificate, if one were
  // sent) before the client ends the inspection handshake; under 1.3 it hangs up first.
  const options = { cert: certPem, key: keyPem, requestCert: true, rejectUnauthorized: false, maxVersion: 'TLSv1.2' as const };
  const server = createServer(options, (socket) => {
    clientCertificatesSeen.push(Object.keys(socket.getPeerCertificate()).length > 0);
    socket.end();
  });
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function apiserverServing(i: number, validity: Validity, signer: Issued = pki.authorities.ca): Promise<void> {
  const cert = await issue(signer, { commonName: 'kube-apiserver', usage: 'server', ipAddresses: [cp(i)], validity });
  served.set(cp(i), cert);
  await serve(cp(i), 6443, cert.certPem, cert.keyPem);
}

const endpoint = (host: string, port: number, source: string): Endpoint => ({ url: `https://${host}:${port}`, host, port, source });

const find = (subject: string): Finding[] => findings.filter((f) => f.subject === subject);
function only(subject: string): Finding {
  const list = find(subject);
  if (list.length !== 1) throw new Error(`${list.length} findings for ${subject}; subjects: ${findings.map((f) => f.subject).join(', ')}`);
  return list[0]!;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8sdoc-certs-served-'));
  pki = await writeKubeadmPki(join(dir, 'pki'), { apiServerHosts: [], etcdHosts: [cp(0)], overrides: { apiserver: API_NAMES } });
  const { ca } = pki.authorities;
  await apiserverServing(0, expiredSince(10));
  await apiserverServing(1, validFor(5));
  await apiserverServing(2, validFor(20));
  await apiserverServing(3, validFor(365));
  await apiserverServing(4, notYetValidFor(3));
  await apiserverServing(5, validFor(365), await createCa('kubernetes'));
  // The file on disk was renewed (a year); the process still serves last year's issue.
  const old = await issue(ca, { commonName: 'kube-apiserver', usage: 'server', ...API_NAMES, validity: validFor(3) });
  await serve(cp(6), 6443, old.certPem, old.keyPem);
  served.set(cp(6), old);
  // A CA that expires in 60 days signed a one-year certificate, and travels in the chain.
  const shortCa = await createCa('short-lived-ca', validFor(60));
  const chained = await issue(shortCa, { commonName: 'kube-apiserver', usage: 'server', ipAddresses: [cp(7)] });
  await serve(cp(7), 6443, chained.certPem + shortCa.certPem, chained.keyPem);
  await serve(cp(0), 2379, pki.certs['etcd/server']!.certPem, pki.certs['etcd/server']!.keyPem);
  await serve(cp(0), 2380, pki.certs['etcd/peer']!.certPem, pki.certs['etcd/peer']!.keyPem);
  const kubeletSelfSigned = await createCa(`${plan.worker(0)}@1700000000`);
  await serve(plan.worker(0), 10250, kubeletSelfSigned.certPem, kubeletSelfSigned.keyPem);

  const ctx = fakeContext({
    probes: { tls: inspectTls, files: filesProbe },
    targets: {
      kubeServer: endpoint(cp(3), 6443, 'kubeconfig'),
      apiServers: Array.from({ length: 8 }, (_, i) => endpoint(cp(i), 6443, '--apiserver')),
      clusterCa: ca.certPem + shortCa.certPem,
      etcd: [endpoint(cp(0), 2379, '--etcd')],
      hosts: [
        { address: plan.worker(0), name: 'w1', controlPlane: false },
        { address: plan.worker(1), name: 'w2', controlPlane: false },
      ],
      pkiDir: pki.dir,
    },
    options: { timeoutMs: 2000 },
    now: new Date(),
  });
  findings = await certsServed.run(ctx);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

describe('certs-served on API server endpoints', () => {
  it('reports the expired served certificate as cert-expired for that endpoint, with its host', () => {
    const f = only(`apiserver ${cp(0)}:6443`);
    expect(f).toMatchObject({ status: 'crit', code: 'cert-expired' });
    expect(f.data).toMatchObject({
      host: cp(0),
      port: 6443,
      source: `endpoint ${cp(0)}:6443 (apiserver)`,
      notAfter: served.get(cp(0))!.notAfter.toISOString(),
      daysLeft: -10,
      subject: 'CN=kube-apiserver',
      issuer: 'CN=kubernetes',
      sans: [`IP:${cp(0)}`],
      serial: served.get(cp(0))!.serialHex,
      verified: false,
      verifyError: 'certificate has expired',
    });
    expect(f.message).toContain('expired 10d');
  });

  it('5 days left is crit, 20 days warn, a year ok (and verified) with the default thresholds', () => {
    expect(only(`apiserver ${cp(1)}:6443`)).toMatchObject({ status: 'crit', code: 'cert-expiring' });
    expect(only(`apiserver ${cp(2)}:6443`)).toMatchObject({ status: 'warn', code: 'cert-expiring' });
    const year = only(`apiserver ${cp(3)}:6443 (kubeconfig)`);
    expect(year.status).toBe('ok');
    expect(year.data).toMatchObject({ verified: true, verifyError: null, source: `endpoint ${cp(3)}:6443 (apiserver, kubeconfig server)` });
  });

  it('probes an endpoint named both by the kubeconfig and by --apiserver once', () => {
    expect(find(`apiserver ${cp(3)}:6443`)).toEqual([]);
  });

  it('a certificate not valid yet is cert-not-yet-valid', () => {
    expect(only(`apiserver ${cp(4)}:6443`)).toMatchObject({ status: 'crit', code: 'cert-not-yet-valid' });
  });

  it('a certificate from another CA is cert-untrusted, saying why', () => {
    const f = only(`apiserver ${cp(5)}:6443`);
    expect(f).toMatchObject({ status: 'crit', code: 'cert-untrusted' });
    expect(f.message).toContain('does not verify against the cluster CA of the kubeconfig');
  });

  it('says when the endpoint still serves an older certificate than the renewed file on disk', () => {
    const [leaf, stale] = find(`apiserver ${cp(6)}:6443`);
    expect(leaf).toMatchObject({ status: 'crit', code: 'cert-expiring' });
    expect(stale).toMatchObject({ status: 'warn', code: 'cert-served-stale' });
    expect(stale!.message).toContain(`serves serial ${served.get(cp(6))!.serialHex}`);
    expect(stale!.message).toContain(`file ${pki.path('apiserver', 'crt')} holds a renewed one (serial ${pki.certs.apiserver!.serialHex}`);
    expect(stale!.message).toContain('restart kube-apiserver');
  });

  it('walks the served chain and reports a CA in it that expires before the leaf', () => {
    const [leaf, ...rest] = find(`apiserver ${cp(7)}:6443`);
    expect(leaf).toMatchObject({ status: 'ok' });
    expect(leaf!.data).toMatchObject({ chainLength: 2, verified: true });
    expect(rest).toEqual([]);
    const first = findings.find((f) => f.code === 'cert-ca-expires-first');
    expect(first?.subject).toBe(`CA short-lived-ca (endpoint ${cp(7)}:6443 (apiserver))`);
    expect(first?.message).toContain(`apiserver ${cp(7)}:6443 (until`);
  });
});

describe('certs-served on etcd and kubelets', () => {
  it('inspects etcd client (2379) and peer (2380) ports and verifies them against the etcd CA', () => {
    const client = only(`etcd ${cp(0)}:2379 (client)`);
    const peer = only(`etcd ${cp(0)}:2380 (peer)`);
    expect(client).toMatchObject({
      status: 'ok',
      data: { subject: 'CN=etcd-server', issuer: 'CN=etcd-ca', verified: true, source: `endpoint ${cp(0)}:2379 (etcd client)` },
    });
    expect(peer).toMatchObject({ status: 'ok', data: { subject: 'CN=etcd-peer', verified: true } });
  });

  it('accepts a self-signed kubelet certificate as kubeadm serves it, and skips a kubelet that is down', () => {
    const up = only(`kubelet ${plan.worker(0)}:10250 (node w1)`);
    expect(up.status).toBe('ok');
    expect(up.message).toContain('self-signed');
    expect(up.data).toMatchObject({ verified: null, source: `endpoint ${plan.worker(0)}:10250 (kubelet node w1)` });
    const down = only(`kubelet ${plan.worker(1)}:10250 (node w2)`);
    expect(down).toMatchObject({ status: 'skip', data: { failure: 'refused' } });
    expect(down.message).toContain('connection refused');
  });

  it('sent no client certificate in any inspection handshake', () => {
    expect(clientCertificatesSeen.length).toBeGreaterThanOrEqual(11);
    expect(clientCertificatesSeen.every((sent) => !sent)).toBe(true);
  });
});
