// The in-process PKI must read the same to openssl as to Node: a certificate one tool
// accepts and the other misreads would make the simulator lie about expiry or SANs.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expiredSince, writeKubeadmPki, type KubeadmPki } from '../../src/sim/pki.js';

let dir: string;
let pki: KubeadmPki;
const expired = expiredSince(4);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8sdoc-pki-openssl-'));
  pki = await writeKubeadmPki(dir, {
    apiServerHosts: ['127.10.0.10', '127.10.0.11'],
    etcdHosts: ['127.10.0.11'],
    overrides: { apiserver: { validity: expired } },
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

/** openssl prints `notAfter=Nov 21 10:00:00 2026 GMT`. */
function opensslEndDate(output: string): Date {
  const match = /notAfter=(.+)/.exec(output);
  if (!match) throw new Error(`no notAfter in ${output}`);
  return new Date(match[1]!);
}

it('openssl reads the expiry and SANs that were asked for', () => {
  const out = openssl(['x509', '-noout', '-enddate', '-ext', 'subjectAltName', '-in', pki.path('apiserver', 'crt')]);
  expect(opensslEndDate(out)).toEqual(expired.notAfter);
  expect(out).toContain(
    'DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:127.10.0.10, IP Address:127.10.0.11',
  );
});

it('openssl verifies the etcd chain and reads the PKCS#8 key', () => {
  expect(openssl(['verify', '-CAfile', pki.path('etcd/ca', 'crt'), pki.path('etcd/server', 'crt')])).toContain(': OK');
  expect(openssl(['pkey', '-in', pki.path('etcd/server', 'key'), '-noout', '-text'])).toContain('prime256v1');
});
