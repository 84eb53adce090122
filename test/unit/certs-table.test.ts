// The kubeadm-like table that `--only certs` prints instead of the generic one.
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

  it('replaces the generic table when every result is about certificates', () => {
    const out = renderTable(report(certResults), { color: false, width: 160 });
    const lines = out.split('\n');
    expect(lines.find((l) => l.includes('CERTIFICATE') && l.includes('EXPIRES'))).toMatch(
      /│ CERTIFICATE\s+│ EXPIRES\s+│ RESIDUAL\s+│ CERTIFICATE\s+│ SOURCE\s+│ STATUS\s+│/,
    );
    expect(out).toMatch(/│ apiserver\s+│ Dec 15, 2026 17:43:40 UTC\s+│ 19d\s+│ kubernetes\s+│ \/etc\/kubernetes\/pki\/apiserver\.crt\s+│ WARN\s+│/);
    expect(out).toMatch(/│ ca\s+│ Nov 22, 2036 17:43:40 UTC\s+│ 9y\s+│ \(self-signed\)\s+│/);
    expect(out).toMatch(/│ front-proxy-client\s+│ missing\s+│ -\s+│ -\s+│ \/etc\/kubernetes\/pki\/front-proxy-client\.crt\s+│ WARN\s+│/);
    expect(out).not.toContain('Component');
  });

  it('leaves a mixed report to the generic table', () => {
    const out = renderTable(fixedReport(), { color: false, width: 160 });
    expect(out).toContain('Component');
    expect(out).not.toContain('RESIDUAL');
  });
});
