// The "Most likely cause" block of the table: one fault on several subjects said once,
// unrelated findings with the same code kept apart, and where the targets came from when the
// discovery cache stood in for the API server.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/report.js';
import type { Result } from '../../src/engine/types.js';
import { renderTable } from '../../src/render/table.js';

function refused(host: string, source: string): Result {
  const endpoint = `https://${host}:6443`;
  return {
    check: 'apiserver-reachable',
    component: 'apiserver',
    subject: `apiserver ${endpoint}${source === 'kubeconfig' ? ' (kubeconfig)' : ''}`,
    status: 'crit',
    code: 'apiserver-refused',
    message: `tcp ${host}:6443: connection refused`,
    durationMs: 1,
    data: { endpoint, host, port: 6443, source },
  };
}

function expiredFile(name: string): Result {
  return {
    check: 'certs-files',
    component: 'certs',
    subject: `/etc/kubernetes/pki/${name}.crt`,
    status: 'crit',
    code: 'cert-expired',
    message: `CN=${name} expired`,
    durationMs: 1,
    data: { name, serial: name, issuer: 'CN=kubernetes' },
  };
}

function block(results: Result[], extra: Partial<Parameters<typeof buildReport>[0]> = {}): string[] {
  const report = buildReport({ version: '0.1.0', context: 'prod', server: 'https://10.0.0.10:6443', startedAt: new Date(0), durationMs: 5, results, ...extra });
  const lines = renderTable(report, { color: false, width: 120 }).split('\n');
  return lines.slice(0, lines.indexOf('', lines.indexOf('Most likely cause')));
}

describe('the Most likely cause block', () => {
  it('says every master refusing once, with the load balancer it explains', () => {
    const lines = block([
      refused('10.0.0.10', 'kubeconfig'),
      refused('10.0.0.11', '--apiserver'),
      refused('10.0.0.12', '--apiserver'),
      refused('10.0.0.13', '--apiserver'),
    ]);
    expect(lines.slice(lines.indexOf('Most likely cause'))).toEqual([
      'Most likely cause',
      '  apiserver-refused  apiserver https://10.0.0.11:6443: tcp 10.0.0.11:6443: connection refused',
      '  Same on: apiserver https://10.0.0.12:6443, apiserver https://10.0.0.13:6443',
      '  Cause: the kube-apiserver process has crashed or is restarting (crash loop)',
      '  First step: journalctl -u kube-apiserver --since -1h   # systemd-managed API server',
      '  Explains: apiserver-refused (apiserver https://10.0.0.10:6443 (kubeconfig))',
    ]);
  });

  it('keeps an unrelated finding with the same code apart', () => {
    const lines = block([expiredFile('apiserver-etcd-client'), expiredFile('front-proxy-client'), refused('10.0.0.11', '--apiserver')]);
    expect(lines[3]).toBe('  cert-expired  /etc/kubernetes/pki/apiserver-etcd-client.crt: CN=apiserver-etcd-client expired');
    expect(lines.some((l) => l.startsWith('  Same on:'))).toBe(false);
    expect(lines.at(-1)).toBe('  Also independent: cert-expired (/etc/kubernetes/pki/front-proxy-client.crt)');
  });

  it('opens with where the targets came from when the cache stood in for the API server', () => {
    const discoveryCache = {
      path: '/home/me/.cache/k8sdoc/prod.json',
      writtenAt: '1970-01-01T00:00:00.000Z',
      ageSeconds: 7500,
      hosts: ['10.0.0.11', '10.0.0.21'],
      apiServers: ['https://10.0.0.11:6443'],
      etcd: [],
    };
    const lines = block([refused('10.0.0.11', '--apiserver')], { discoveryCache });
    expect(lines[2]).toBe(
      'The API server did not list the nodes: 2 hosts, 1 API server, 0 etcd endpoints from the discovery cache /home/me/.cache/k8sdoc/prod.json, written 2h5m ago.',
    );
    expect(lines[4]).toBe('Most likely cause');
  });
});
