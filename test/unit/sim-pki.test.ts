import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCa, expiredSince, issue, kubeconfigYaml, notYetValidFor, validFor, writeKubeadmPki, type KubeadmPki } from '../../src/sim/pki.js';

const DAY = 86_400_000;

describe('validity windows', () => {
  const now = new Date('2026-11-25T10:00:00.500Z');

  it('validFor starts an hour early and lasts the given days, in whole seconds', () => {
    expect(validFor(365, now)).toEqual({ notBefore: new Date('2026-11-25T09:00:00Z'), notAfter: new Date('2027-11-25T10:00:00Z') });
  });

  it('expiredSince ends the given days ago', () => {
    const v = expiredSince(3, now);
    expect(v.notAfter).toEqual(new Date('2026-11-22T10:00:00Z'));
    expect(v.notBefore.getTime()).toBe(v.notAfter.getTime() - 365 * DAY);
  });

  it('notYetValidFor starts the given days ahead', () => {
    expect(notYetValidFor(2, now).notBefore).toEqual(new Date('2026-11-27T10:00:00Z'));
  });
});

describe('issue', () => {
  it('signs a leaf the CA verifies, with the exact window, SANs and extended key usage', async () => {
    const ca = await createCa('test-ca');
    const validity = validFor(5);
    const leaf = await issue(ca, {
      commonName: 'kube-apiserver',
      organization: ['ops'],
      dnsNames: ['cp1', 'kubernetes'],
      ipAddresses: ['127.0.0.11'],
      usage: 'server',
      validity,
    });
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(new Date(cert.validFrom)).toEqual(validity.notBefore);
    expect(new Date(cert.validTo)).toEqual(validity.notAfter);
    expect(cert.subjectAltName).toBe('DNS:cp1, DNS:kubernetes, IP Address:127.0.0.11');
    expect(cert.subject).toContain('CN=kube-apiserver');
    expect(cert.subject).toContain('O=ops');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.serialNumber.toLowerCase()).toBe(leaf.serialHex.toLowerCase());
    expect(leaf.notAfter).toEqual(validity.notAfter);
    // The key in keyPem is the one the certificate certifies.
    expect(createPublicKey(createPrivateKey(leaf.keyPem)).export({ type: 'spki', format: 'pem' })).toBe(cert.publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it('gives peer certificates both server and client usage', async () => {
    const ca = await createCa('etcd-ca');
    const peer = new X509Certificate((await issue(ca, { commonName: 'etcd', usage: 'peer' })).certPem);
    expect(peer.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  });

  it('a leaf of another CA does not verify against this one', async () => {
    const [ca, stranger] = await Promise.all([createCa('kubernetes'), createCa('kubernetes')]);
    const leaf = new X509Certificate((await issue(stranger, { commonName: 'x', usage: 'client' })).certPem);
    expect(leaf.verify(new X509Certificate(ca.certPem).publicKey)).toBe(false);
  });
});

describe('writeKubeadmPki', () => {
  let dir: string;
  let pki: KubeadmPki;
  const expired = expiredSince(2);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8sdoc-pki-'));
    pki = await writeKubeadmPki(dir, {
      apiServerHosts: ['127.10.0.10', '127.10.0.11', 'cp-1'],
      etcdHosts: ['127.10.0.11', '127.10.0.12'],
      overrides: { 'apiserver-etcd-client': { validity: expired }, 'front-proxy-client': { omit: true } },
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lays the files out like /etc/kubernetes/pki with private keys readable by the owner only', async () => {
    for (const rel of [
      'ca.crt',
      'apiserver.crt',
      'apiserver-kubelet-client.crt',
      'apiserver-etcd-client.crt',
      'front-proxy-ca.crt',
      'etcd/ca.crt',
      'etcd/server.crt',
      'etcd/peer.crt',
      'etcd/healthcheck-client.crt',
      'sa.pub',
    ]) {
      await expect(stat(join(dir, rel))).resolves.toBeTruthy();
    }
    for (const rel of ['ca.key', 'apiserver.key', 'etcd/peer.key', 'sa.key']) {
      expect((await stat(join(dir, rel))).mode & 0o777).toBe(0o600);
    }
    expect(pki.path('sa', 'crt')).toBe(join(dir, 'sa.pub'));
    expect(pki.path('etcd/server', 'key')).toBe(join(dir, 'etcd/server.key'));
  });

  it('omits what the scenario omits', async () => {
    expect(pki.certs['front-proxy-client']).toBeUndefined();
    await expect(stat(join(dir, 'front-proxy-client.crt'))).rejects.toThrow();
  });

  it('gives the apiserver certificate the kubernetes service names and every API server address', async () => {
    const cert = new X509Certificate(await readFile(join(dir, 'apiserver.crt')));
    expect(cert.subjectAltName).toBe(
      'DNS:cp-1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:127.10.0.10, IP Address:127.10.0.11',
    );
    expect(cert.verify(new X509Certificate(await readFile(join(dir, 'ca.crt'))).publicKey)).toBe(true);
  });

  it('signs the etcd certificates with the etcd CA and covers every etcd host plus localhost', async () => {
    const etcdCa = new X509Certificate(await readFile(join(dir, 'etcd/ca.crt')));
    const server = new X509Certificate(await readFile(join(dir, 'etcd/server.crt')));
    expect(server.verify(etcdCa.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.10.0.11, IP Address:127.10.0.12, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const client = new X509Certificate(await readFile(join(dir, 'apiserver-etcd-client.crt')));
    expect(client.verify(etcdCa.publicKey)).toBe(true);
    expect(new Date(client.validTo)).toEqual(expired.notAfter);
  });
});

describe('kubeconfigYaml', () => {
  it('embeds CA and client credentials inline and sets the current context', () => {
    const doc = parse(kubeconfigYaml({ server: 'https://127.10.0.10:6443', caPem: 'CA', user: { certPem: 'CERT', keyPem: 'KEY' } }));
    expect(doc['current-context']).toBe('kubernetes-admin@kubernetes');
    expect(doc.clusters[0].cluster).toEqual({ server: 'https://127.10.0.10:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64') });
    expect(doc.users[0].user['client-key-data']).toBe(Buffer.from('KEY').toString('base64'));
  });

  it('writes a bearer token user and a namespace when given', () => {
    const doc = parse(kubeconfigYaml({ server: 'https://h:6443', caPem: 'CA', user: { token: 'abc' }, contextName: 'ro', namespace: 'kube-system' }));
    expect(doc.users[0].user).toEqual({ token: 'abc' });
    expect(doc.contexts[0]).toEqual({ name: 'ro', context: { cluster: 'kubernetes', user: 'kubernetes-admin', namespace: 'kube-system' } });
  });
});
