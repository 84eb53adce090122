import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/render/table.js';
import { exitCodeFor } from '../../src/engine/report.js';
import { fixedReport } from '../helpers/fixed-report.js';

const report = fixedReport();

describe('report model', () => {
  it('summarises, ranks root causes and sets the worst status', () => {
    expect(report.summary).toEqual({ ok: 1, warn: 1, crit: 2, skip: 1, error: 1, problems: 2, explained: 1 });
    expect(report.status).toBe('crit');
    expect(report.rootCauses[0]).toEqual({
      code: 'etcd-quorum-lost',
      subject: 'etcd',
      explains: ['apiserver-refused'],
      explainsFindings: [{ code: 'apiserver-refused', subject: 'apiserver https://10.0.1.10:6443' }],
    });
  });

  it('maps --fail-on to exit codes', () => {
    expect(exitCodeFor(report, 'crit')).toBe(1);
    expect(exitCodeFor(report, 'never')).toBe(0);
    const onlyWarn = fixedReport().results.filter((r) => r.status !== 'crit');
    expect(exitCodeFor({ ...report, results: onlyWarn.filter((r) => r.status !== 'error') }, 'crit')).toBe(0);
    expect(exitCodeFor({ ...report, results: onlyWarn.filter((r) => r.status !== 'error') }, 'warn')).toBe(1);
  });

  it('counts a crashed check as failing: a smoke test must not pass on a check that never ran', () => {
    expect(exitCodeFor({ ...report, results: report.results.filter((r) => r.status === 'error') }, 'crit')).toBe(1);
  });
});

describe('table renderer', () => {
  const plain = renderTable(report, { color: false, width: 120 });

  it('opens with the verdict: status, the most likely cause and its first fix', () => {
    const lines = plain.split('\n');
    expect(lines[1]).toBe('CRIT  most likely cause: etcd-quorum-lost on etcd (explains 1 finding)');
    // The etcd of the cluster's distribution first (kubeadm's static pod when none is known): is it running?
    expect(lines[2]).toBe('  First step: crictl ps -a --name etcd');
  });

  it('shows symptom, cause and fix for every root cause, what it explains under it, and no colour codes when colour is off', () => {
    expect(plain).toContain('Symptom: changes are not applied');
    expect(plain).toContain('  Explains:\n    CRIT apiserver-refused  apiserver https://10.0.1.10:6443\n');
    expect(plain).toContain('$ kubeadm certs check-expiration');
    expect(plain).toMatch(/Summary: 1 ok, 1 warn, 2 crit, 1 skipped, 1 errors; 2 problems explain 1 finding → CRIT/);
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/\u001b\[/);
  });

  it('colours statuses when asked', () => {
    // eslint-disable-next-line no-control-regex
    expect(renderTable(report, { color: true, width: 120 })).toMatch(/\u001b\[31m/);
  });
});

describe('table renderer on a large broken cluster', () => {
  const many = Array.from({ length: 500 }, (_, i) => ({
    check: 'kubelet',
    component: 'kubelet' as const,
    subject: `kubelet worker-${i}`,
    status: 'crit' as const,
    code: 'kubelet-unreachable' as const,
    message: 'port 10250 refuses connections: the kubelet is not running',
    durationMs: 1,
    data: { node: `worker-${i}`, host: `10.0.${i >> 8}.${i & 255}` },
  }));
  const text = renderTable(fixedReport(many), { color: false, width: 120 });

  it('shows the first ten of one problem and folds the rest into one row and one line', () => {
    expect(text).toMatch(/^worker-9 /m);
    expect(text).not.toMatch(/^worker-10 /m);
    expect(text).toMatch(/^… and 490 more +CRIT$/m);
    expect(text.replace(/\s*\n\s*/g, ' ')).toMatch(/… and 490 more with kubelet-unreachable: (kubelet worker-\d+, ){20}…/);
    expect(text.split('\n').length).toBeLessThan(250);
  });

  it('still shows the other findings and counts every one in the summary', () => {
    expect(text).toContain('etcd-quorum-lost');
    expect(text).toMatch(/Summary: 1 ok, 1 warn, 502 crit/);
  });

  it('-o wide lists every row', () => {
    const wide = renderTable(fixedReport(many), { color: false, width: 120, wide: true });
    expect(wide).toMatch(/^worker-499 /m);
  });
});
