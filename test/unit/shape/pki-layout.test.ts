import { describe, expect, it } from 'vitest';
import { judgeValidity } from '../../../src/judge/certificate.js';
import type { ServedCertificate } from '../../../src/probes/types.js';
import {
  distributionOfPkiFolder,
  etcdClientOf,
  expectedCertificates,
  kubeconfigsBeside,
  nodeRootOf,
  renewalContextOf,
  servingFileOf,
} from '../../../src/shape/pki-layout.js';

describe('distributionOfPkiFolder', () => {
  it('tells each distribution from its own file names, wherever the folder was copied', () => {
    expect(distributionOfPkiFolder('/backup/pki', ['ca.crt', 'ca.key', 'apiserver.crt', 'sa.pub']).distribution).toBe('kubeadm');
    expect(distributionOfPkiFolder('/backup/tls', ['server-ca.crt', 'client-ca.crt', 'client-k3s-controller.crt']).distribution).toBe('k3s');
    expect(distributionOfPkiFolder('/backup/tls', ['server-ca.crt', 'client-ca.crt', 'client-rke2-controller.crt']).distribution).toBe('rke2');
    expect(distributionOfPkiFolder('/backup/certs', ['ca.crt', 'ca.key', 'server.crt', 'front-proxy-ca.crt']).distribution).toBe('microk8s');
  });

  it('reads k3s or RKE2 from the path when the names are alike, else from the cluster hint', () => {
    expect(distributionOfPkiFolder('/var/lib/rancher/rke2/server/tls', ['server-ca.crt']).distribution).toBe('rke2');
    expect(distributionOfPkiFolder('/x/var/lib/rancher/k3s/server/tls', ['server-ca.crt']).distribution).toBe('k3s');
    expect(distributionOfPkiFolder('/copy', ['server-ca.crt'], 'rke2').distribution).toBe('rke2');
  });

  it('is unknown for a folder of no known make, so nothing is expected of it', () => {
    const kind = distributionOfPkiFolder('/srv/my-ca', ['root.pem', 'issuing.pem']);
    expect(kind.distribution).toBe('unknown');
    expect(expectedCertificates('unknown')).toEqual([]);
  });
});

describe('expected files per distribution', () => {
  it("lists each distribution's own files, CAs first, and never another's", () => {
    const k3s = expectedCertificates('k3s').map((e) => e.file);
    expect(k3s).toContain('serving-kube-apiserver.crt');
    expect(k3s).toContain('etcd/client.crt');
    expect(k3s).not.toContain('apiserver.crt');
    const kubeadm = expectedCertificates('kubeadm');
    expect(kubeadm.map((e) => e.name)).toContain('etcd-healthcheck-client');
    expect(kubeadm.findIndex((e) => !e.ca)).toBeGreaterThan(kubeadm.filter((e) => e.ca).length - 1);
    expect(expectedCertificates('microk8s').map((e) => e.file)).toEqual(['ca.crt', 'front-proxy-ca.crt', 'server.crt', 'front-proxy-client.crt']);
  });

  it('marks the etcd files (and kubeadm apiserver-etcd-client) as present only with etcd', () => {
    expect(
      expectedCertificates('kubeadm')
        .filter((e) => e.etcdOnly)
        .map((e) => e.file)
        .sort(),
    ).toEqual(['apiserver-etcd-client.crt', 'etcd/ca.crt', 'etcd/healthcheck-client.crt', 'etcd/peer.crt', 'etcd/server.crt']);
  });

  it('carries lifetimes: leaves one year, CAs ten', () => {
    for (const e of expectedCertificates('rke2')) expect(e.lifetimeDays).toBe(e.ca ? 3650 : 365);
  });
});

describe('files beside the folder', () => {
  it('finds the node root of a copy laid out as on the node', () => {
    expect(nodeRootOf('/srv/cp-1/var/lib/rancher/k3s/server/tls', 'k3s')).toBe('/srv/cp-1');
    expect(nodeRootOf('/etc/kubernetes/pki', 'kubeadm')).toBe('/');
    expect(nodeRootOf('/backup/pki', 'kubeadm')).toBeNull();
  });

  it("names kubeadm's kubeconfigs in the parent folder, k3s.yaml under the node root, MicroK8s's credentials/", () => {
    expect(
      kubeconfigsBeside('/backup/pki', 'kubeadm')
        .filter((k) => k.required)
        .map((k) => k.path),
    ).toEqual(['/backup/admin.conf', '/backup/controller-manager.conf', '/backup/scheduler.conf', '/backup/kubelet.conf']);
    const k3s = kubeconfigsBeside('/srv/cp-1/var/lib/rancher/k3s/server/tls', 'k3s');
    expect(k3s[0]).toEqual({ path: '/srv/cp-1/etc/rancher/k3s/k3s.yaml', name: 'k3s.yaml', required: false });
    expect(k3s.every((k) => !k.required)).toBe(true);
    expect(kubeconfigsBeside('/var/snap/microk8s/current/certs', 'microk8s')[0]!.path).toBe('/var/snap/microk8s/current/credentials/client.config');
  });

  it("gives each distribution's etcd client certificate", () => {
    expect(etcdClientOf('/etc/kubernetes/pki', 'kubeadm')).toEqual({
      caFile: '/etc/kubernetes/pki/etcd/ca.crt',
      certFile: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
      keyFile: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
    });
    expect(etcdClientOf('/var/lib/rancher/rke2/server/tls', 'rke2')).toEqual({
      caFile: '/var/lib/rancher/rke2/server/tls/etcd/server-ca.crt',
      certFile: '/var/lib/rancher/rke2/server/tls/etcd/client.crt',
      keyFile: '/var/lib/rancher/rke2/server/tls/etcd/client.key',
    });
    expect(etcdClientOf('/var/snap/microk8s/current/certs', 'microk8s')).toBeNull();
  });

  it("compares k3s's :6443 with no file (the supervisor's own certificate), RKE2's with serving-kube-apiserver.crt", () => {
    expect(servingFileOf('k3s', 'apiserver')).toBeNull();
    expect(servingFileOf('rke2', 'apiserver')).toBe('serving-kube-apiserver.crt');
    expect(servingFileOf('kubeadm', 'apiserver')).toBe('apiserver.crt');
    expect(servingFileOf('k3s', 'etcd-client')).toBe('etcd/server-client.crt');
  });
});

describe('judgement with the renewal of the distribution', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const cert = (days: number, ca = false): ServedCertificate =>
    ({
      subject: 'CN=x',
      issuer: ca ? 'CN=x' : 'CN=ca',
      notBefore: new Date(now.getTime() - 86_400_000),
      notAfter: new Date(now.getTime() + days * 86_400_000 + 3_600_000),
      sans: [],
      serial: '01',
      fingerprint256: ca ? 'ca' : 'leaf',
      selfSigned: ca,
      isCa: ca,
      pem: '',
    }) as ServedCertificate;
  const thresholds = { warnDays: 30, critDays: 7 };
  const k3s = renewalContextOf('k3s');
  const kubeadm = renewalContextOf('kubeadm');

  it('a k3s leaf at 100 days is graded auto-renews (ok) and says how it renews; a kubeadm one is plainly fine', () => {
    expect(judgeValidity(cert(100), now, thresholds, k3s)).toMatchObject({ status: 'ok', code: 'cert-expiring', grade: 'auto-renews' });
    expect(judgeValidity(cert(100), now, thresholds, k3s).message).toContain('k3s renews it at the next start of k3s');
    expect(judgeValidity(cert(100), now, thresholds, kubeadm)).toMatchObject({ status: 'ok' });
    expect(judgeValidity(cert(100), now, thresholds, kubeadm).code).toBeUndefined();
    expect(judgeValidity(cert(130), now, thresholds, k3s).code).toBeUndefined();
  });

  it('within --warn-days both warn, each naming its own renewal; within --crit-days both are urgent', () => {
    expect(judgeValidity(cert(20), now, thresholds, k3s)).toMatchObject({ status: 'warn', code: 'cert-expiring' });
    expect(judgeValidity(cert(20), now, thresholds, k3s).message).toContain('systemctl restart k3s');
    expect(judgeValidity(cert(20), now, thresholds, kubeadm).message).toContain('kubeadm certs renew all');
    expect(judgeValidity(cert(3), now, thresholds, k3s)).toMatchObject({ status: 'crit', grade: 'urgent' });
  });

  it('CAs keep their judgement: k3s never renews them', () => {
    const v = judgeValidity(cert(100, true), now, thresholds, k3s);
    expect(v.code).toBeUndefined();
    expect(judgeValidity(cert(20, true), now, thresholds, k3s).message).not.toContain('renews it');
  });
});
