// Severity overrides and ignores change what the report counts, not what it shows: an
// ignored finding stays in the results, marked, and stops failing the run.
import { describe, expect, it } from 'vitest';
import { subjectMatches } from '../../src/config/glob.js';
import { applyPolicy } from '../../src/config/policy.js';
import type { ResultPolicy } from '../../src/config/types.js';
import { buildReport, exitCodeFor } from '../../src/engine/report.js';
import type { Result } from '../../src/engine/types.js';

const results: Result[] = [
  {
    check: 'certs-files',
    component: 'certs',
    subject: '/etc/kubernetes/pki/front-proxy-client.crt',
    status: 'warn',
    code: 'cert-expiring',
    message: 'expires in 20 days',
    durationMs: 3,
  },
  {
    check: 'certs-files',
    component: 'certs',
    subject: '/etc/kubernetes/pki/apiserver.crt',
    status: 'warn',
    code: 'cert-expiring',
    message: 'expires in 21 days',
    durationMs: 3,
  },
  {
    check: 'etcd-backup',
    component: 'etcd',
    subject: '/var/backups/etcd',
    status: 'warn',
    code: 'etcd-backup-stale',
    message: 'newest snapshot is 3 h old',
    durationMs: 1,
  },
  { check: 'etcd-quorum', component: 'etcd', subject: 'etcd', status: 'ok', message: '3 of 3 members healthy', durationMs: 9 },
];

function report(policy: ResultPolicy) {
  return buildReport({ version: '0.0.0', context: null, server: null, startedAt: new Date(0), durationMs: 10, results: applyPolicy(results, policy) });
}

describe('subject patterns', () => {
  it('match exactly without wildcards, and * crosses slashes', () => {
    expect(subjectMatches('/etc/kubernetes/pki/apiserver.crt', '/etc/kubernetes/pki/apiserver.crt')).toBe(true);
    expect(subjectMatches('/etc/kubernetes/pki/apiserver.crt', '/etc/kubernetes/pki/apiserver.crt.bak')).toBe(false);
    expect(subjectMatches('/etc/kubernetes/*.crt', '/etc/kubernetes/pki/etcd/peer.crt')).toBe(true);
    expect(subjectMatches('node worker-?', 'node worker-7')).toBe(true);
    expect(subjectMatches('node worker-?', 'node worker-17')).toBe(false);
    expect(subjectMatches('etcd member (cp-1)*', 'etcd member (cp-1) https://10.0.0.1:2379')).toBe(true);
    expect(subjectMatches('etcd member (cp-1)*', 'etcd member cp-1')).toBe(false);
  });
});

describe('applying a config policy', () => {
  it('an ignore hides only the chosen subjects, keeps them with the reason, and stops them failing the run', () => {
    const r = report({
      severity: new Map(),
      ignores: [{ code: 'cert-expiring', subjects: ['*/front-proxy-*'], reason: 'rotated by the vendor agent', line: 3 }],
    });
    const frontProxy = r.results.find((x) => x.subject.endsWith('front-proxy-client.crt'))!;
    expect(frontProxy).toMatchObject({ status: 'warn', ignored: true, ignoreReason: 'rotated by the vendor agent', code: 'cert-expiring' });
    expect(r.results.find((x) => x.subject.endsWith('apiserver.crt'))!.ignored).toBeUndefined();
    expect(r.summary).toEqual({ ok: 1, warn: 2, crit: 0, skip: 0, error: 0, ignored: 1 });
    expect(exitCodeFor(r, 'warn')).toBe(1);
  });

  it('ignoring every warning turns the status ok and the exit code 0 under --fail-on warn', () => {
    const r = report({
      severity: new Map(),
      ignores: [
        { code: 'cert-expiring', subjects: ['*'], reason: 'renewal booked', line: 1 },
        { code: 'etcd-backup-stale', subjects: ['/var/backups/etcd'], reason: 'backups move to S3 this week', line: 5 },
      ],
    });
    expect(r.status).toBe('ok');
    expect(r.rootCauses).toEqual([]);
    expect(exitCodeFor(r, 'warn')).toBe(0);
    expect(r.results.filter((x) => x.ignored)).toHaveLength(3);
  });

  it('a severity override raises a code for every subject, with the catalogue text of a problem', () => {
    const r = report({ severity: new Map([['etcd-backup-stale', 'crit']]), ignores: [] });
    const backup = r.results.find((x) => x.check === 'etcd-backup')!;
    expect(backup.status).toBe('crit');
    expect(backup.fix!.length).toBeGreaterThan(0);
    expect(r.status).toBe('crit');
    expect(exitCodeFor(r, 'crit')).toBe(1);
    expect(r.results.filter((x) => x.code === 'cert-expiring').map((x) => x.status)).toEqual(['warn', 'warn']);
  });

  it('a severity override never turns an ok result into a problem', () => {
    const r = report({ severity: new Map([['cert-expiring', 'crit']]), ignores: [] });
    expect(r.results.find((x) => x.check === 'etcd-quorum')!.status).toBe('ok');
    expect(r.summary.crit).toBe(2);
  });
});
