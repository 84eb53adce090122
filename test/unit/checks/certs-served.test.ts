// certs-served: what each endpoint serves, judged from real certificates made for the test and
// a fake handshake that hands them back (the wire itself is covered by the integration tests).
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { certsServed } from '../../../src/checks/certs-served.js';
import { describeCertificate } from '../../../src/probes/certificate.js';
import type { TlsInspection } from '../../../src/probes/types.js';
import { createCa, expiredSince, issue, validFor, type Issued } from '../../../src/sim/pki.js';
import { CP, LB } from '../../helpers/fake-api.js';
import { fakeContext } from '../../helpers/fake-context.js';

let ca: Issued;
let good: Issued;
let expired: Issued;
let kubeletSelfSigned: Issued;

beforeAll(async () => {
  ca = await createCa('kubernetes', validFor(3650));
  good = await issue(ca, { commonName: 'kube-apiserver', usage: 'server', validity: validFor(300) });
  expired = await issue(ca, { commonName: 'kube-apiserver', usage: 'server', validity: expiredSince(3) });
  kubeletSelfSigned = await createCa('w1@1700000000', validFor(300));
});

const served = (...issued: Issued[]) => issued.map((i) => describeCertificate(new X509Certificate(i.certPem)));

function handshake(answers: Record<string, { chain: Issued[]; verifyError?: string | null }>) {
  return async (host: string, port: number): Promise<TlsInspection> => {
    const a = answers[`${host}:${port}`];
    if (!a) return { kind: 'refused', ms: 0, chain: [], verifyError: null, failure: { kind: 'refused', message: 'connection refused' } };
    return { kind: 'ok', ms: 2, chain: served(...a.chain), verifyError: a.verifyError ?? null };
  };
}

describe('certs-served', () => {
  it('a valid certificate that verifies against the cluster CA is ok; an expired one is cert-expired', async () => {
    const tls = handshake({ [`${LB.host}:6443`]: { chain: [good] }, [`${CP(1).host}:6443`]: { chain: [expired], verifyError: 'certificate has expired' } });
    const findings = await certsServed.run(
      fakeContext({ now: new Date(), probes: { tls }, targets: { kubeServer: LB, apiServers: [CP(1)], clusterCa: ca.certPem } }),
    );
    const byHost = (host: string) => findings.find((f) => f.subject.includes(host));
    expect(byHost(LB.host)).toMatchObject({ status: 'ok' });
    expect(byHost(CP(1).host)).toMatchObject({ status: 'crit', code: 'cert-expired' });
    expect(byHost(CP(1).host)!.message).toContain('clients reject it');
  });

  it('a certificate in date that does not verify against the CA is cert-untrusted, naming the reason', async () => {
    const tls = handshake({ [`${CP(1).host}:6443`]: { chain: [good], verifyError: 'unable to verify the first certificate' } });
    const [f] = await certsServed.run(fakeContext({ now: new Date(), probes: { tls }, targets: { apiServers: [CP(1)], clusterCa: ca.certPem } }));
    expect(f).toMatchObject({ status: 'crit', code: 'cert-untrusted' });
    expect(f!.message).toContain('unable to verify the first certificate');
  });

  it("a kubelet's self-signed serving certificate is normal, not untrusted", async () => {
    const tls = handshake({ '10.0.0.21:10250': { chain: [kubeletSelfSigned], verifyError: 'self-signed certificate' } });
    const [f] = await certsServed.run(
      fakeContext({ now: new Date(), probes: { tls }, targets: { hosts: [{ address: '10.0.0.21', name: 'w1', controlPlane: false }], clusterCa: ca.certPem } }),
    );
    expect(f).toMatchObject({ status: 'ok' });
    expect(f!.message).toContain('self-signed');
  });

  it('an endpoint that serves nothing is a skip, not a certificate finding', async () => {
    const [f] = await certsServed.run(
      fakeContext({ now: new Date(), probes: { tls: handshake({}) }, targets: { apiServers: [CP(1)], clusterCa: ca.certPem } }),
    );
    expect(f).toMatchObject({ status: 'skip' });
    expect(f!.message).toContain('no certificate to inspect');
  });
});
