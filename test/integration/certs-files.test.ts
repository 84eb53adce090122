// certs-files on a real folder laid out like a kubeadm control-plane node's /etc/kubernetes:
// certificates minted by the simulator's PKI, one expired, one missing, kubeconfigs with
// inline and file-based client certificates, a bundle, garbage and a key where a
// certificate should be. The dates are checked against openssl on the same files.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certsFiles } from '../../src/checks/certs-files.js';
import type { Finding } from '../../src/engine/types.js';
import { filesProbe } from '../../src/probes/files.js';
import { expiredSince, issue, kubeconfigYaml, validFor, writeKubeadmPki, type Issued, type KubeadmPki } from '../../src/sim/pki.js';
import { fakeContext } from '../helpers/fake-context.js';

let root: string;
let etcKubernetes: string;
let pkiDir: string;
let pki: KubeadmPki;
let adminCert: Issued;
let kubeletClient: Issued;
let findings: Finding[];

const bySubject = (subject: string) => {
  const found = findings.find((f) => f.subject === subject);
  if (!found) throw new Error(`no finding for ${subject}; subjects: ${findings.map((f) => f.subject).join(', ')}`);
  return found;
};

function opensslEndDate(file: string): Date {
  const out = execFileSync('openssl', ['x509', '-enddate', '-noout', '-in', file], { encoding: 'utf8' });
  return new Date(/notAfter=(.+)/.exec(out)![1]!);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'k8sdoc-certs-files-'));
  etcKubernetes = join(root, 'etc', 'kubernetes');
  pkiDir = join(etcKubernetes, 'pki');
  pki = await writeKubeadmPki(pkiDir, {
    apiServerHosts: ['127.50.0.11'],
    etcdHosts: ['127.50.0.11'],
    overrides: { 'apiserver-etcd-client': { validity: expiredSince(10) }, 'front-proxy-client': { omit: true } },
  });
  const { ca } = pki.authorities;
  adminCert = await issue(ca, { commonName: 'kubernetes-admin', organization: ['kubeadm:cluster-admins'], usage: 'client', validity: expiredSince(2) });
  const server = 'https://127.50.0.11:6443';
  await writeFile(join(etcKubernetes, 'admin.conf'), kubeconfigYaml({ server, caPem: ca.certPem, user: adminCert }));
  for (const [file, cn] of [
    ['controller-manager.conf', 'system:kube-controller-manager'],
    ['scheduler.conf', 'system:kube-scheduler'],
  ] as const) {
    const cert = await issue(ca, { commonName: cn, usage: 'client' });
    await writeFile(join(etcKubernetes, file), kubeconfigYaml({ server, caPem: ca.certPem, user: cert, userName: cn }));
  }
  // kubelet.conf points to the rotated client certificate, which holds the key too.
  kubeletClient = await issue(ca, { commonName: 'system:node:cp1', organization: ['system:nodes'], usage: 'client', validity: validFor(20) });
  const kubeletPem = join(root, 'var', 'lib', 'kubelet', 'pki', 'kubelet-client-current.pem');
  await mkdir(join(root, 'var', 'lib', 'kubelet', 'pki'), { recursive: true });
  await writeFile(kubeletPem, kubeletClient.certPem + kubeletClient.keyPem);
  await writeFile(
    join(etcKubernetes, 'kubelet.conf'),
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubernetes', cluster: { server, 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64') } }],
      contexts: [{ name: 'system:node:cp1@kubernetes', context: { cluster: 'kubernetes', user: 'system:node:cp1' } }],
      'current-context': 'system:node:cp1@kubernetes',
      users: [{ name: 'system:node:cp1', user: { 'client-certificate': kubeletPem, 'client-key': kubeletPem } }],
    }),
  );
  await writeFile(join(pkiDir, 'ca-bundle.crt'), pki.authorities.ca.certPem + pki.authorities.frontProxyCa.certPem);
  await writeFile(join(pkiDir, 'garbage.crt'), '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
  await writeFile(join(pkiDir, 'notes.pem'), 'this file was left here by hand\n');
  await writeFile(join(pkiDir, 'key-only.pem'), adminCert.keyPem);

  const ctx = fakeContext({ probes: { files: filesProbe }, targets: { pkiDir }, now: new Date() });
  findings = await certsFiles.run(ctx);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('certs-files on a kubeadm-like folder', () => {
  it('reports the expired apiserver-etcd-client certificate as crit cert-expired, naming the file', () => {
    const file = join(pkiDir, 'apiserver-etcd-client.crt');
    const f = bySubject(file);
    expect(f).toMatchObject({ status: 'crit', code: 'cert-expired' });
    expect(f.message).toContain('CN=kube-apiserver-etcd-client expired 10d');
    expect(f.data).toMatchObject({ name: 'apiserver-etcd-client', source: `file ${file}`, issuer: 'CN=etcd-ca', daysLeft: -10 });
  });

  it('reports the missing front-proxy-client.crt as missing, with its path', () => {
    const file = join(pkiDir, 'front-proxy-client.crt');
    expect(bySubject(file)).toMatchObject({ status: 'warn', code: 'cert-file-missing', message: `front-proxy-client: ${file} does not exist` });
  });

  it('finds every other kubeadm certificate valid, CAs included', () => {
    for (const name of [
      'ca',
      'apiserver',
      'apiserver-kubelet-client',
      'front-proxy-ca',
      'etcd/ca',
      'etcd/server',
      'etcd/peer',
      'etcd/healthcheck-client',
    ] as const) {
      expect(bySubject(pki.path(name, 'crt')).status, name).toBe('ok');
    }
    expect(bySubject(pki.path('ca', 'crt')).data).toMatchObject({ name: 'ca', isCa: true });
  });

  it('prints the same expiry dates as openssl x509 -enddate on the same files', () => {
    const compared = findings.filter(
      (f) => typeof f.data?.['notAfter'] === 'string' && String(f.data['source']).startsWith(`file ${pkiDir}`) && !f.subject.includes('['),
    );
    expect(compared.length).toBeGreaterThanOrEqual(8);
    for (const f of compared) {
      expect(new Date(String(f.data!['notAfter'])), f.subject).toEqual(opensslEndDate(f.subject));
    }
  });

  it('reads the client certificate embedded in admin.conf and reports it expired', () => {
    const f = bySubject(join(etcKubernetes, 'admin.conf'));
    expect(f).toMatchObject({ status: 'crit', code: 'cert-expired' });
    expect(f.data).toMatchObject({ name: 'admin.conf', subject: 'O=kubeadm:cluster-admins, CN=kubernetes-admin', notAfter: adminCert.notAfter.toISOString() });
    expect(String(f.data!['source'])).toContain('admin.conf user kubernetes-admin');
  });

  it('follows kubelet.conf to the rotated client certificate file (certificate and key in one file)', () => {
    const f = bySubject(join(etcKubernetes, 'kubelet.conf'));
    expect(f).toMatchObject({ status: 'warn', code: 'cert-expiring' });
    expect(String(f.data!['source'])).toContain('kubelet-client-current.pem');
    expect(f.data!['notAfter']).toBe(kubeletClient.notAfter.toISOString());
  });

  it('does not ask for super-admin.conf, which only kubeadm 1.29+ writes', () => {
    expect(findings.some((f) => f.subject.endsWith('super-admin.conf'))).toBe(false);
    expect(bySubject(join(etcKubernetes, 'scheduler.conf')).status).toBe('ok');
  });

  it('reads both certificates of a bundle', () => {
    const file = join(pkiDir, 'ca-bundle.crt');
    expect(bySubject(`${file} [1/2]`).data).toMatchObject({ subject: 'CN=kubernetes', name: 'ca-bundle [1/2]' });
    expect(bySubject(`${file} [2/2]`).data).toMatchObject({ subject: 'CN=front-proxy-ca', name: 'ca-bundle [2/2]' });
  });

  it('names a garbage file and a file without PEM as invalid, without crashing', () => {
    const garbage = join(pkiDir, 'garbage.crt');
    expect(bySubject(garbage)).toMatchObject({ status: 'crit', code: 'cert-file-invalid' });
    expect(bySubject(garbage).message).toContain(`${garbage}: 1 certificate block(s) do not parse`);
    const notes = join(pkiDir, 'notes.pem');
    expect(bySubject(notes).message).toContain(`${notes} holds no PEM certificate`);
  });

  it('says a file holds a private key instead of a certificate, and never prints the key', () => {
    const file = join(pkiDir, 'key-only.pem');
    expect(bySubject(file)).toMatchObject({ status: 'crit', code: 'cert-file-invalid', message: `key-only: ${file} holds PRIVATE KEY, not a certificate` });
    const keyBody = adminCert.keyPem.split('\n')[1]!;
    const kubeletKeyBody = kubeletClient.keyPem.split('\n')[1]!;
    const everything = JSON.stringify(findings);
    expect(everything).not.toContain(keyBody);
    expect(everything).not.toContain(kubeletKeyBody);
  });

  it('leaves the CAs alone when they outlive their leaves (kubeadm: ten years against one)', () => {
    expect(findings.some((f) => f.code === 'cert-ca-expires-first')).toBe(false);
  });
});

describe('certs-files with a CA that expires before its leaves', () => {
  it('gives the CA a line of its own naming the certificates that outlive it', async () => {
    const dir = join(root, 'short-ca', 'pki');
    const shortPki = await writeKubeadmPki(dir, {
      apiServerHosts: ['127.50.0.11'],
      etcdHosts: ['127.50.0.11'],
      overrides: { 'front-proxy-ca': { validity: validFor(60) } },
    });
    const result = await certsFiles.run(fakeContext({ probes: { files: filesProbe }, targets: { pkiDir: dir }, now: new Date() }));
    const first = result.filter((f) => f.code === 'cert-ca-expires-first');
    expect(first).toHaveLength(1);
    expect(first[0]!.subject).toBe(`CA front-proxy-ca (file ${shortPki.path('front-proxy-ca', 'crt')})`);
    expect(first[0]!.message).toContain('front-proxy-client (until');
    // The 60-day CA is itself fine by the thresholds: the ordering is the finding.
    expect(result.find((f) => f.subject === shortPki.path('front-proxy-ca', 'crt'))?.status).toBe('ok');
  });
});
