// The certificates in kubeadm's columns, as the default output prints them.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/report.js';
import type { Result } from '../../src/engine/types.js';
import { formatExpiry } from '../../src/render/certs-table.js';
import { renderTable } from '../../src/render/table.js';
import { fixedReport } from '../helpers/fixed-report.js';

const certResults: Result[] = [
  {
    check: 'certs-files',
    component: 'certs',
    subject: '/etc/kubernetes/pki/apiserver.crt',
    status: 'warn',
    code: 'cert-expiring',
    message: 'CN=kube-apiserver expires in 19d',
    durationMs: 1,
    data: {
      name: 'apiserver',
      source: 'file /etc/kubernetes/pki/apiserver.crt',
      subject: 'CN=kube-apiserver',
      issuer: 'CN=kubernetes',
      notAfter: '2026-12-15T17:43:40.000Z',
      residualTime: '19d',
    },
  },
  {
    check: 'certs-files',
    component: 'certs',
    subject: '/etc/kubernetes/pki/ca.crt',
    status: 'ok',
    message: 'CN=kubernetes valid until 2036',
    durationMs: 1,
    data: {
      name: 'ca',
      source: 'file /etc/kubernetes/pki/ca.crt',
      subject: 'CN=kubernetes',
      issuer: 'CN=kubernetes',
      notAfter: '2036-11-22T17:43:40.000Z',
      residualTime: '9y',
    },
  },
  {
    check: 'certs-files',
    component: 'certs',
    subject: '/etc/kubernetes/pki/front-proxy-client.crt',
    status: 'warn',
    code: 'cert-file-missing',
    message: 'front-proxy-client: /etc/kubernetes/pki/front-proxy-client.crt does not exist',
    durationMs: 1,
    data: { name: 'front-proxy-client', source: 'file /etc/kubernetes/pki/front-proxy-client.crt' },
  },
];

const report = (results: Result[]) =>
  buildReport({ version: '0.1.0', context: null, server: null, startedAt: new Date('2026-11-25T10:00:00Z'), durationMs: 5, results });

describe('certificates table', () => {
  it('formats the expiry as kubeadm does, with seconds', () => {
    expect(formatExpiry('2026-12-05T07:03:09.000Z')).toBe('Dec 05, 2026 07:03:09 UTC');
  });

  it("prints kubeadm's columns, problems first, at a width where every column fits", () => {
    const lines = renderTable(report(certResults), { color: false, width: 160 }).split('\n');
    const head = lines.findIndex((l) => l.startsWith('CERTIFICATE'));
    expect(lines[head]).toMatch(/^CERTIFICATE +EXPIRES +RESIDUAL TIME +AUTHORITY +SOURCE +STATUS$/);
    expect(lines[head + 2]).toMatch(/^front-proxy-client +missing +missing +- +\/etc\/kubernetes\/pki\/front-proxy-client\.crt +WARN$/);
    expect(lines[head + 1]).toMatch(/^apiserver +Dec 15, 2026 17:43:40 UTC +19d +kubernetes +\/etc\/kubernetes\/pki\/apiserver\.crt +WARN$/);
    expect(lines[head + 3]).toMatch(/^ca +Nov 22, 2036 17:43:40 UTC +9y +\(self-signed\) +\/etc\/kubernetes\/pki\/ca\.crt +OK$/);
  });

  it('at 80 columns leaves out EXPIRES and AUTHORITY, which -o wide brings back', () => {
    const narrow = renderTable(report(certResults), { color: false, width: 80 });
    expect(narrow).toMatch(/^CERTIFICATE +RESIDUAL TIME +SOURCE +STATUS$/m);
    const wide = renderTable(report(certResults), { color: false, width: 80, wide: true });
    expect(wide).toMatch(/^CERTIFICATE +EXPIRES +RESIDUAL TIME +AUTHORITY +SOURCE +STATUS$/m);
  });

  it('folds healthy certificates into one row saying when the first expires; -o wide lists them all', () => {
    const healthy = Array.from({ length: 5 }, (_, i): Result => ({
      check: 'certs-files',
      component: 'certs',
      subject: `/etc/kubernetes/pki/c${i}.crt`,
      status: 'ok',
      message: 'valid',
      durationMs: 1,
      data: {
        name: `c${i}`,
        source: `file /etc/kubernetes/pki/c${i}.crt`,
        issuer: 'CN=kubernetes',
        notAfter: `203${5 - i}-01-01T00:00:00.000Z`,
        residualTime: `${9 - i}y`,
      },
    }));
    const folded = renderTable(report(healthy), { color: false, width: 120 });
    expect(folded).not.toMatch(/^c\d /m);
    expect(folded).toMatch(/^5 healthy +from Jan 01, 2031 00:00:00 UTC +≥ 5y +- +-o wide lists them +OK$/m);
    const wide = renderTable(report(healthy), { color: false, width: 120, wide: true });
    for (let i = 0; i < 5; i += 1) expect(wide).toMatch(new RegExp(`^c${i} `, 'm'));
  });

  it('leaves results without certificate data to the checks table', () => {
    const out = renderTable(fixedReport(), { color: false, width: 160 });
    expect(out).toMatch(/^CHECK +SUBJECT +STATUS +MESSAGE$/m);
    expect(out).not.toContain('RESIDUAL');
  });
});
