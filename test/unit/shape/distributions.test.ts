import { describe, expect, it } from 'vitest';
import { ADMIN_KUBECONFIGS, LOCAL_MARKERS, PKI_DIRS, PLACEHOLDERS, autoRenewWindow, loopbackOnlyPorts, profileOf } from '../../../src/shape/distributions.js';
import { DISTRIBUTIONS } from '../../../src/shape/types.js';
import type { Distribution } from '../../../src/shape/types.js';

const known = DISTRIBUTIONS.filter((d): d is Exclude<Distribution, 'unknown'> => d !== 'unknown');

describe('distribution profiles', () => {
  it('try each distribution’s admin kubeconfig as root on a node', () => {
    expect(ADMIN_KUBECONFIGS.map((k) => `${k.distribution} ${k.path}`)).toEqual([
      'kubeadm /etc/kubernetes/admin.conf',
      'kubeadm /etc/kubernetes/super-admin.conf',
      'k3s /etc/rancher/k3s/k3s.yaml',
      'rke2 /etc/rancher/rke2/rke2.yaml',
      'microk8s /var/snap/microk8s/current/credentials/client.config',
    ]);
  });

  it('know each PKI folder', () => {
    expect(PKI_DIRS.map((p) => `${p.distribution} ${p.path}`)).toEqual([
      'kubeadm /etc/kubernetes/pki',
      'k3s /var/lib/rancher/k3s/server/tls',
      'rke2 /var/lib/rancher/rke2/server/tls',
      'microk8s /var/snap/microk8s/current/certs',
    ]);
  });

  it.each([
    ['kubeadm', 'etcd/ca.crt', 'etcd/healthcheck-client.crt', 'etcd/healthcheck-client.key'],
    ['k3s', 'etcd/server-ca.crt', 'etcd/client.crt', 'etcd/client.key'],
    ['rke2', 'etcd/server-ca.crt', 'etcd/client.crt', 'etcd/client.key'],
  ] as const)('%s: the etcd client triple is among its expected certificates', (d, caFile, certFile, keyFile) => {
    const profile = profileOf(d)!;
    expect(profile.etcdClient).toEqual({ caFile, certFile, keyFile });
    const files = profile.certificates.map((c) => c.file);
    expect(files).toContain(caFile);
    expect(files).toContain(certFile);
  });

  it('judge a k3s or RKE2 leaf inside the 120-day window as renewed by the next start, a kubeadm leaf not', () => {
    expect(autoRenewWindow('k3s')).toBe(120);
    expect(autoRenewWindow('rke2')).toBe(120);
    expect(profileOf('k3s')!.renewal!.autoRenewWithinDaysBefore).toBe(90);
    expect(profileOf('k3s')!.renewal!.autoRenewSince).toContain('v1.31.9+k3s1');
    expect(autoRenewWindow('kubeadm')).toBeNull();
    expect(autoRenewWindow('microk8s')).toBeNull();
    expect(autoRenewWindow('eks')).toBeNull();
  });

  it.each(['kubeadm', 'k3s', 'rke2', 'microk8s'] as const)('%s: leaves last a year, CAs ten', (d) => {
    const certs = profileOf(d)!.certificates;
    expect(certs.filter((c) => c.ca).every((c) => c.lifetimeDays === 3650)).toBe(true);
    expect(certs.filter((c) => !c.ca).every((c) => c.lifetimeDays === 365)).toBe(true);
    expect(certs.some((c) => c.ca)).toBe(true);
  });

  it('know which ports a node binds to loopback only', () => {
    expect(loopbackOnlyPorts('kubeadm').sort((a, b) => a - b)).toEqual([2381, 10257, 10259]);
    expect(loopbackOnlyPorts('k3s').sort((a, b) => a - b)).toEqual([2381, 6444, 10257, 10259]);
    expect(loopbackOnlyPorts('talos').sort((a, b) => a - b)).toEqual([10257, 10259]);
    expect(profileOf('microk8s')!.ports.map((p) => p.port)).toContain(16443);
    expect(profileOf('rke2')!.ports.map((p) => p.port)).toContain(9345);
    expect(profileOf('eks')!.ports.map((p) => p.port)).toEqual([443, 10250]);
  });

  it('list the control-plane markers a run looks for on this machine', () => {
    expect(LOCAL_MARKERS).toEqual([
      '/etc/kubernetes/manifests/kube-apiserver.yaml',
      '/etc/kubernetes/manifests/etcd.yaml',
      '/var/lib/rancher/k3s/server',
      '/var/lib/rancher/rke2/server',
      '/var/snap/microk8s/current/var/kubernetes/backend',
      '/var/snap/microk8s/current/var/lock/clustered.lock',
    ]);
  });
});

describe('fix vocabulary', () => {
  it.each([
    ['kubeadm', 'status', 'crictl ps -a --name <component>'],
    ['kubeadm', 'logs', 'crictl logs --tail 100 $(crictl ps -a --name <component> -q | head -n1)'],
    ['kubeadm', 'renewCertificates', 'kubeadm certs renew all'],
    ['k3s', 'status', 'systemctl status k3s'],
    ['k3s', 'logs', 'journalctl -u k3s'],
    ['k3s', 'renewCertificates', 'k3s certificate rotate'],
    ['k3s', 'etcdSnapshot', 'k3s etcd-snapshot save'],
    ['rke2', 'status', 'systemctl status rke2-server'],
    ['rke2', 'status', '/var/lib/rancher/rke2/bin/crictl --runtime-endpoint unix:///run/k3s/containerd/containerd.sock ps -a --name <component>'],
    ['rke2', 'logs', 'journalctl -u rke2-server'],
    ['rke2', 'renewCertificates', 'rke2 certificate rotate'],
    ['rke2', 'etcdSnapshot', 'rke2 etcd-snapshot save'],
    ['talos', 'status', 'talosctl -n <node-ip> service etcd'],
    ['talos', 'logs', 'talosctl -n <node-ip> logs etcd'],
    ['talos', 'etcdMembers', 'talosctl -n <node-ip> etcd members'],
    ['talos', 'etcdRemoveMember', 'talosctl -n <node-ip> etcd remove-member <member-id>'],
    ['talos', 'etcdSnapshot', 'talosctl -n <node-ip> etcd snapshot <snapshot-file>'],
    ['microk8s', 'status', 'microk8s inspect'],
    ['microk8s', 'logs', 'snap logs microk8s'],
    ['microk8s', 'renewCertificates', 'microk8s refresh-certs --cert server.crt'],
  ] as const)('%s %s: %s', (d, key, step) => {
    expect(profileOf(d)!.fixes[key]).toContain(step);
  });

  it('snapshot etcd on kubeadm with the health-check client certificate', () => {
    expect(profileOf('kubeadm')!.fixes.etcdSnapshot).toEqual([
      'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key snapshot save <snapshot-file>',
    ]);
  });

  it.each(['eks', 'gke', 'aks'] as const)('%s: the control plane is the provider’s', (d) => {
    const fixes = profileOf(d)!.fixes;
    expect(fixes.owner).toBe('provider');
    expect(fixes.restart.join(' ')).toMatch(/run by the provider/);
  });

  it.each(known)('%s: every placeholder is one the catalogue knows', (d) => {
    const fixes = profileOf(d)!.fixes;
    const steps = [fixes.status, fixes.logs, fixes.restart, fixes.renewCertificates, fixes.etcdSnapshot, fixes.etcdMembers, fixes.etcdRemoveMember].flat();
    const used = steps.flatMap((s) => [...s.matchAll(/<([a-z-]+)>/g)].map((m) => m[1]!));
    expect(used.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p))).toEqual([]);
  });

  it('give kind the kubeadm files and docker exec’d commands', () => {
    const kind = profileOf('kind')!;
    expect(kind.pkiDir).toBe('/etc/kubernetes/pki');
    expect(kind.fixes.status[0]).toBe('docker exec <node> crictl ps -a --name <component>');
    expect(profileOf('unknown')).toBeNull();
  });
});
