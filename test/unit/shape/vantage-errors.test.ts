import { describe, expect, it } from 'vitest';
import { classifyVantageError, isPrivateAddress } from '../../../src/shape/vantage-errors.js';
import type { VantageErrorInput, VantageErrorKind } from '../../../src/shape/vantage-errors.js';

const ETCD = { host: '10.0.0.11', port: 2379, what: 'etcd', node: 'cp-1' };

interface Row {
  name: string;
  input: VantageErrorInput;
  kind: VantageErrorKind | null;
  retry?: boolean;
  message?: RegExp;
  howToSee?: RegExp;
}

const rows: Row[] = [
  {
    name: 'EMFILE is this process’s file limit, never etcd losing quorum',
    input: { code: 'EMFILE', target: ETCD },
    kind: 'local-resource',
    retry: true,
    message: /k8sdoc ran out of file descriptors \(EMFILE.*\) while probing etcd at 10\.0\.0\.11:2379 \(node cp-1\): nothing was learned/,
    howToSee: /ulimit -n 4096.*--concurrency/,
  },
  { name: 'ENFILE', input: { code: 'ENFILE', target: ETCD }, kind: 'local-resource', retry: true, message: /system-wide limit/ },
  { name: 'ENOMEM', input: { code: 'ENOMEM' }, kind: 'local-resource', retry: true, message: /out of memory \(ENOMEM\) while probing the target/ },
  {
    name: 'EADDRNOTAVAIL',
    input: { code: 'EADDRNOTAVAIL', target: { host: 'fd00::11', port: 6443 } },
    kind: 'local-resource',
    retry: true,
    message: /\[fd00::11\]:6443/,
    howToSee: /IPv6/,
  },
  {
    name: 'ENETUNREACH to a private address: this machine stands outside the cluster network',
    input: { code: 'ENETUNREACH', target: { host: '10.0.0.12', port: 6443, what: 'API server' } },
    kind: 'no-route-from-here',
    retry: false,
    message: /no route to the private address 10\.0\.0\.12 \(ENETUNREACH\)/,
    howToSee: /inside the cluster network/,
  },
  { name: 'ENETUNREACH to a public address is a cluster observation', input: { code: 'ENETUNREACH', target: { host: '203.0.113.7', port: 6443 } }, kind: null },
  {
    name: 'EHOSTUNREACH to a private address may be a host that is down',
    input: { code: 'EHOSTUNREACH', target: { host: '10.0.0.12', port: 6443 } },
    kind: null,
  },
  {
    name: 'kube-scheduler :10259 refused on a kubeadm node address: bound to 127.0.0.1 by design',
    input: { code: 'ECONNREFUSED', target: { host: '10.0.0.11', port: 10259, node: 'cp-1' }, distribution: 'kubeadm' },
    kind: 'loopback-only-port',
    message: /kube-scheduler \(--bind-address=127\.0\.0\.1\) listens only on 127\.0\.0\.1 of each node by kubeadm's default/,
    howToSee: /curl -sk https:\/\/127\.0\.0\.1:10259\/healthz/,
  },
  {
    name: 'kube-controller-manager :10257 timing out',
    input: { kind: 'timeout', target: { host: '10.0.0.11', port: 10257 }, distribution: 'rke2' },
    kind: 'loopback-only-port',
    message: /kube-controller-manager/,
  },
  {
    name: 'etcd metrics :2381',
    input: { code: 'ECONNREFUSED', target: { host: '10.0.0.11', port: 2381 }, distribution: 'k3s' },
    kind: 'loopback-only-port',
    howToSee: /http:\/\/127\.0\.0\.1:2381\/metrics/,
  },
  {
    name: 'the API server port refused is a real finding',
    input: { code: 'ECONNREFUSED', target: { host: '10.0.0.11', port: 6443 }, distribution: 'kubeadm' },
    kind: null,
  },
  { name: 'etcd client port refused is a real finding', input: { code: 'ECONNREFUSED', target: ETCD, distribution: 'kubeadm' }, kind: null },
  {
    name: 'a loopback-only port refused on 127.0.0.1 itself is a real finding (k8sdoc is on the node)',
    input: { code: 'ECONNREFUSED', target: { host: '127.0.0.1', port: 10259 }, distribution: 'kubeadm' },
    kind: null,
  },
  {
    name: 'etcd asking for a client certificate k8sdoc does not have, kubeadm',
    input: { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', kind: 'tls', target: ETCD, distribution: 'kubeadm', noClientCertificate: true },
    kind: 'no-etcd-credentials',
    message: /no etcd client certificate on this machine.*\/readyz\/etcd/,
    howToSee: /--etcd-cert \/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.crt --etcd-key \/etc\/kubernetes\/pki\/etcd\/healthcheck-client\.key/,
  },
  {
    name: 'no etcd credentials on k3s: the k3s client certificate',
    input: { target: ETCD, distribution: 'k3s', noClientCertificate: true },
    kind: 'no-etcd-credentials',
    howToSee: /--etcd-cacert \/var\/lib\/rancher\/k3s\/server\/tls\/etcd\/server-ca\.crt --etcd-cert \/var\/lib\/rancher\/k3s\/server\/tls\/etcd\/client\.crt/,
  },
  {
    name: 'no etcd credentials on Talos: talosctl',
    input: { target: ETCD, distribution: 'talos', noClientCertificate: true },
    kind: 'no-etcd-credentials',
    howToSee: /talosctl -n <node-ip> etcd members/,
  },
  {
    name: 'a TLS failure with a client certificate presented is a real finding',
    input: { code: 'CERT_HAS_EXPIRED', kind: 'tls', target: ETCD, distribution: 'kubeadm', noClientCertificate: false },
    kind: null,
  },
];

describe('classifyVantageError', () => {
  it.each(rows)('$name', ({ input, kind, retry, message, howToSee }) => {
    const out = classifyVantageError(input);
    if (kind === null) {
      expect(out).toBeNull();
      return;
    }
    expect(out?.kind).toBe(kind);
    if (retry !== undefined) expect(out?.retryWithLessConcurrency).toBe(retry);
    if (message) expect(out?.message).toMatch(message);
    if (howToSee) expect(out?.howToSee).toMatch(howToSee);
  });

  it('escapes a hostile node name in the message', () => {
    const out = classifyVantageError({ code: 'EMFILE', target: { host: '10.0.0.1', port: 2379, node: 'cp\u001b[31m' } });
    expect(out?.message).toContain('cp\\x1b[31m');
    expect(out?.message).not.toContain('\u001b');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.10.1', true],
    ['100.64.0.1', true],
    ['100.128.0.1', false],
    ['169.254.1.1', true],
    ['8.8.8.8', false],
    ['fd00::11', true],
    ['fe80::1', true],
    ['2001:db8::1', false],
    ['[fd12:3456::1]', true],
    ['api.example.com', false],
  ])('%s → %s', (host, want) => {
    expect(isPrivateAddress(host)).toBe(want);
  });
});
