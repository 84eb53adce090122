import { buildReport } from '../../src/engine/report.js';
import type { Report, Result } from '../../src/engine/types.js';

/** A small report with one of each status, for renderer tests. */
export function fixedReport(extra: Result[] = []): Report {
  const results: Result[] = [
    {
      check: 'etcd-quorum',
      component: 'etcd',
      subject: 'etcd',
      status: 'crit',
      code: 'etcd-quorum-lost',
      message: '1 of 3 members healthy: quorum needs 2',
      durationMs: 31,
      data: { members: 3, healthy: 1, quorum: 2, tolerance: -1 },
    },
    {
      check: 'apiserver-reachable',
      component: 'apiserver',
      subject: 'apiserver https://10.0.1.10:6443',
      status: 'crit',
      code: 'apiserver-refused',
      message: 'tcp 10.0.1.10:6443: connection refused',
      durationMs: 2,
      data: { host: '10.0.1.10', port: 6443 },
    },
    {
      check: 'certs-files',
      component: 'certs',
      subject: '/etc/kubernetes/pki/apiserver.crt',
      status: 'warn',
      code: 'cert-expiring',
      message: 'expires in 20 days <soon> & "quoted"',
      durationMs: 4,
      data: { daysLeft: 20 },
    },
    { check: 'nodes-ready', component: 'nodes', subject: 'nodes', status: 'skip', message: 'API server unreachable (connection refused)', durationMs: 0 },
    { check: 'ports', component: 'ports', subject: '10.0.1.11:2379', status: 'ok', message: 'open', durationMs: 1 },
    { check: 'kubelet', component: 'kubelet', subject: 'kubelet', status: 'error', message: 'check failed: boom', durationMs: 3 },
    ...extra,
  ];
  return buildReport({
    version: '0.1.0',
    context: 'prod',
    server: 'https://10.0.1.10:6443',
    startedAt: new Date('2026-11-25T10:00:00Z'),
    durationMs: 412,
    results,
  });
}
