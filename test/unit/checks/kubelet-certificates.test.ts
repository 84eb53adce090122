// kubelet-certificates with real X.509 certificates made for the test, served through fake
// sockets: a kubelet's own (self-made CA) certificate, one the cluster CA signed through
// serverTLSBootstrap, one about to expire; and kubelet-serving CSRs left Pending.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { kubeletCertificates } from '../../../src/checks/kubelet-certificates.js';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { describeCertificate } from '../../../src/probes/certificate.js';
import type { ServedCertificate, TlsInspection } from '../../../src/probes/types.js';
import { createCa, issue, validFor, type Issued } from '../../../src/sim/pki.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { fakeApi, list } from '../../helpers/fake-objects-api.js';

const NOW = new Date();
const served = (i: Issued): ServedCertificate => describeCertificate(new X509Certificate(i.certPem));

let clusterCa: Issued;
let own: ServedCertificate;
let bootstrapped: ServedCertificate;
let expiring: ServedCertificate;

beforeAll(async () => {
  clusterCa = await createCa('kubernetes');
  // What the kubelet makes for itself without serverTLSBootstrap: its own CA, then a leaf.
  const kubeletCa = await createCa('w1-ca@1732000000');
  own = served(await issue(kubeletCa, { commonName: 'w1@1732000000', usage: 'server', dnsNames: ['w1'] }));
  bootstrapped = served(await issue(clusterCa, { commonName: 'system:node:w2', organization: ['system:nodes'], usage: 'server', ipAddresses: ['10.0.0.22'] }));
  expiring = served(await issue(clusterCa, { commonName: 'system:node:w3', organization: ['system:nodes'], usage: 'server', validity: validFor(3) }));
});

const HOSTS = [
  { address: '10.0.0.21', name: 'w1', controlPlane: false },
  { address: '10.0.0.22', name: 'w2', controlPlane: false },
  { address: '10.0.0.23', name: 'w3', controlPlane: false },
];

const node = (name: string, address: string) => ({
  metadata: { name },
  status: { addresses: [{ type: 'InternalIP', address }], conditions: [{ type: 'Ready', status: 'True' }] },
});

function api(csrs: unknown[]) {
  return fakeApi({
    '/version': { gitVersion: 'v1.32.0' },
    '/readyz': 'ok',
    '/api/v1/nodes': list(HOSTS.map((h) => node(h.name, h.address))),
    '/apis/certificates.k8s.io/v1/certificatesigningrequests': list(csrs),
  });
}

function tls(chains: Record<string, ServedCertificate>, verified: string[]) {
  return async (host: string): Promise<TlsInspection> => {
    const leaf = chains[host];
    if (!leaf) return { kind: 'refused', ms: 1, chain: [], verifyError: null, failure: { kind: 'refused', message: 'connection refused' } };
    return { kind: 'ok', ms: 1, chain: [leaf], verifyError: verified.includes(host) ? null : 'unable to verify the first certificate' };
  };
}

const csr = (name: string, node: string, conditions: string[] = [], signerName = 'kubernetes.io/kubelet-serving') => ({
  metadata: { name, creationTimestamp: new Date(NOW.getTime() - 25 * 60_000).toISOString() },
  spec: { signerName, username: `system:node:${node}` },
  status: conditions.length > 0 ? { conditions: conditions.map((type) => ({ type, status: 'True' })) } : {},
});

function context(csrs: unknown[], chains: Record<string, ServedCertificate>, verified: string[]) {
  return fakeContext({
    probes: { kube: api(csrs), tls: tls(chains, verified), tcp: async () => ({ kind: 'ok', ms: 1 }) },
    targets: { hosts: HOSTS, clusterCa: clusterCa.certPem },
    now: NOW,
  });
}

describe('kubelet-certificates', () => {
  it("healthy: each serving certificate's days left and who signed it, the kubelet's own or the cluster CA", async () => {
    const findings = await kubeletCertificates.run(context([csr('csr-a', 'w2', ['Approved'])], { '10.0.0.21': own, '10.0.0.22': bootstrapped }, ['10.0.0.22']));
    expect(findings.map((f) => [f.subject, f.status])).toEqual([
      ['kubelet w1 serving certificate', 'ok'],
      ['kubelet w2 serving certificate', 'ok'],
    ]);
    expect(findings[0]!.message).toMatch(/^CN=w1@1732000000 valid until .* \(36[45]d left\), issued by CN=w1-ca@1732000000; self-signed by the kubelet/);
    expect(findings[1]!.message).toMatch(
      /; signed by the cluster CA CN=kubernetes \(serverTLSBootstrap: renewed through kubernetes.io\/kubelet-serving CSRs\)$/,
    );
    expect(findings[1]!.about).toMatchObject({
      node: 'w2',
      host: '10.0.0.22',
      port: 10250,
      certificate: { role: 'kubelet-serving', serial: bootstrapped.serial },
    });
  });

  it('a serving certificate under --crit-days is critical, with the certificate identity for triage', async () => {
    const findings = await kubeletCertificates.run(context([], { '10.0.0.23': expiring }, ['10.0.0.23']));
    expect(findings).toEqual([
      expect.objectContaining({
        subject: 'kubelet w3 serving certificate',
        status: 'crit',
        code: 'cert-expiring',
        data: expect.objectContaining({ serial: expiring.serial }),
      }),
    ]);
  });

  it('a kubelet-serving CSR left Pending is a warning naming the node; approved, denied and other signers are not', async () => {
    const findings = await kubeletCertificates.run(
      context(
        [
          csr('csr-pend1', 'w1'),
          csr('csr-pend2', 'w1'),
          csr('csr-ok', 'w2', ['Approved']),
          csr('csr-no', 'w3', ['Denied']),
          csr('csr-client', 'w3', [], 'kubernetes.io/kube-apiserver-client-kubelet'),
        ],
        { '10.0.0.21': own },
        [],
      ),
    );
    const pending = findings.filter((f) => f.code === 'kubelet-serving-csr-pending');
    expect(pending).toEqual([
      expect.objectContaining({
        status: 'warn',
        subject: 'kubelet w1',
        message:
          '2 kubernetes.io/kubelet-serving CSRs Pending (csr-pend1, csr-pend2, oldest 25m old): the kubelet waits for a serving certificate nobody has approved',
        about: { node: 'w1', host: '10.0.0.21' },
      }),
    ]);
    expect(ENTRIES['kubelet-serving-csr-pending'].fix[0]).toBe('kubectl get csr --sort-by=.metadata.creationTimestamp | grep kubelet-serving');
  });
});
