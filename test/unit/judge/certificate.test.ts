// The pure judgement of certificates, on real certificates minted by the simulator's PKI.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  caExpiresFirst,
  certificateFinding,
  judgeValidity,
  residualTime,
  servesOlderThanDisk,
  type LocatedCertificate,
} from '../../../src/judge/certificate.js';
import { describeCertificate } from '../../../src/probes/certificate.js';
import type { ServedCertificate } from '../../../src/probes/types.js';
import { createCa, expiredSince, issue, notYetValidFor, validFor, type Issued } from '../../../src/sim/pki.js';

const DEFAULTS = { warnDays: 30, critDays: 7 };
/** Read after minting: validity windows start at minting time, so an earlier clock would add days. */
const now = () => new Date();
let ca: Issued;

const read = (issued: Issued): ServedCertificate => describeCertificate(new X509Certificate(issued.certPem));
const located = (cert: ServedCertificate, name: string): LocatedCertificate => ({ cert, name, source: `file /pki/${name}.crt` });

async function leaf(days: number | 'expired' | 'future', signer: Issued = ca, sans: string[] = ['127.0.0.1']): Promise<ServedCertificate> {
  const validity = days === 'expired' ? expiredSince(3) : days === 'future' ? notYetValidFor(2) : validFor(days);
  return read(await issue(signer, { commonName: 'kube-apiserver', usage: 'server', ipAddresses: sans, validity }));
}

beforeAll(async () => {
  ca = await createCa('kubernetes');
});

describe('validity against the thresholds', () => {
  it('a certificate expiring in 5 days is crit with the default thresholds', async () => {
    const verdict = judgeValidity(await leaf(5), now(), DEFAULTS);
    expect(verdict).toMatchObject({ status: 'crit', code: 'cert-expiring' });
    expect(verdict.message).toMatch(/CN=kube-apiserver expires in 4d23h, on .*\(under --crit-days 7\)/);
  });

  it('20 days left is a warning, a year is fine', async () => {
    expect(judgeValidity(await leaf(20), now(), DEFAULTS)).toMatchObject({ status: 'warn', code: 'cert-expiring' });
    const year = judgeValidity(await leaf(365), now(), DEFAULTS);
    expect(year.status).toBe('ok');
    expect(year.code).toBeUndefined();
    expect(year.message).toContain('issued by CN=kubernetes');
  });

  it('follows --warn-days and --crit-days', async () => {
    const twenty = await leaf(20);
    expect(judgeValidity(twenty, now(), { warnDays: 10, critDays: 5 }).status).toBe('ok');
    expect(judgeValidity(twenty, now(), { warnDays: 60, critDays: 30 }).status).toBe('crit');
  });

  it('an expired certificate is cert-expired and says since when', async () => {
    const cert = await leaf('expired');
    const verdict = judgeValidity(cert, now(), DEFAULTS);
    expect(verdict).toMatchObject({ status: 'crit', code: 'cert-expired' });
    expect(verdict.message).toContain(`expired 3d`);
    expect(verdict.message).toContain(cert.notAfter.toISOString());
  });

  it('a certificate whose validity starts in the future points at the clocks', async () => {
    const verdict = judgeValidity(await leaf('future'), now(), DEFAULTS);
    expect(verdict).toMatchObject({ status: 'crit', code: 'cert-not-yet-valid' });
    expect(verdict.message).toContain('clock');
  });

  it('prints residual time as kubeadm does', () => {
    const day = 86_400_000;
    expect(residualTime(3650 * day)).toBe('10y');
    expect(residualTime(364 * day + 5_000)).toBe('364d');
    expect(residualTime(4 * day + 23 * 3_600_000)).toBe('4d23h');
    expect(residualTime(5 * 3_600_000 + 12 * 60_000)).toBe('5h12m');
    expect(residualTime(40 * 60_000)).toBe('40m');
  });
});

describe('the data of a certificate finding', () => {
  it('carries notAfter as ISO, days left, names, serial and where it was found', async () => {
    const cert = await leaf(20);
    const finding = certificateFinding(located(cert, 'apiserver'), '/pki/apiserver.crt', now(), DEFAULTS);
    expect(finding.data).toMatchObject({
      name: 'apiserver',
      source: 'file /pki/apiserver.crt',
      subject: 'CN=kube-apiserver',
      issuer: 'CN=kubernetes',
      notAfter: cert.notAfter.toISOString(),
      daysLeft: 19,
      sans: ['IP:127.0.0.1'],
      serial: cert.serial,
      isCa: false,
    });
  });

  it('counts days left negative once expired', async () => {
    const finding = certificateFinding(located(await leaf('expired'), 'apiserver'), 'x', now(), DEFAULTS);
    expect(finding.data?.['daysLeft']).toBe(-3);
  });
});

describe('a CA that expires before its leaves', () => {
  it('is one finding on the CA naming the leaves that outlive it', async () => {
    const shortCa = await createCa('short-ca', validFor(100));
    const outliving = await leaf(365, shortCa);
    const inside = await leaf(50, shortCa);
    const findings = caExpiresFirst([located(read(shortCa), 'short-ca'), located(outliving, 'apiserver'), located(inside, 'front-proxy-client')], now());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'warn', code: 'cert-ca-expires-first', subject: 'CA short-ca (file /pki/short-ca.crt)' });
    expect(findings[0]!.message).toContain('apiserver (until');
    expect(findings[0]!.message).not.toContain('front-proxy-client');
  });

  it('ignores a leaf that only carries the same issuer name but was signed by another key', async () => {
    const shortCa = await createCa('kubernetes', validFor(100));
    const impostorSigned = await leaf(365, ca);
    expect(caExpiresFirst([located(read(shortCa), 'ca'), located(impostorSigned, 'apiserver')], now())).toEqual([]);
  });

  it('says nothing when the CA outlives everything it signed', async () => {
    expect(caExpiresFirst([located(read(ca), 'ca'), located(await leaf(365), 'apiserver')], now())).toEqual([]);
  });
});

describe('served versus disk', () => {
  it("an older issue of the same certificate is stale; another host's certificate is not", async () => {
    const served = await leaf(3);
    const renewed = await leaf(365);
    const otherMaster = await leaf(365, ca, ['127.0.0.2']);
    expect(servesOlderThanDisk(served, renewed)).toBe(true);
    expect(servesOlderThanDisk(renewed, renewed)).toBe(false);
    expect(servesOlderThanDisk(renewed, served)).toBe(false);
    expect(servesOlderThanDisk(served, otherMaster)).toBe(false);
  });
});
