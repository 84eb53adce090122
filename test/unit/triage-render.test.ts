// The verdict and the first problem of the table: one fault on several subjects said once,
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
    about: { endpoint, host, port: 6443, ...(source === 'kubeconfig' ? { kubeconfigServer: true } : {}) },
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
    about: {
      certificate: {
        serial: name,
        issuer: 'CN=kubernetes',
        role: name === 'apiserver-etcd-client' ? 'apiserver-etcd-client' : name === 'apiserver' ? 'apiserver-serving' : 'other',
      },
    },
  };
}

function render(results: Result[], extra: Partial<Parameters<typeof buildReport>[0]> = {}): string[] {
  const report = buildReport({ version: '0.1.0', context: 'prod', server: 'https://10.0.0.10:6443', startedAt: new Date(0), durationMs: 5, results, ...extra });
  return renderTable(report, { color: false, width: 120 }).split('\n');
}

/** The first problem's lines, from its title to its Symptom line. */
function firstProblem(lines: string[]): string[] {
  const start = lines.indexOf('PROBLEMS') + 2;
  return lines.slice(
    start,
    lines.findIndex((l, i) => i > start && l.startsWith('  Symptom:')),
  );
}

describe('the verdict and the first problem', () => {
  it('says every master refusing once, with the load balancer it explains', () => {
    const lines = render([
      refused('10.0.0.10', 'kubeconfig'),
      refused('10.0.0.11', '--apiserver'),
      refused('10.0.0.12', '--apiserver'),
      refused('10.0.0.13', '--apiserver'),
    ]);
    expect(lines[1]).toBe('CRIT  most likely cause: apiserver-refused on apiserver https://10.0.0.11:6443 and 2 more (explains 1 finding)');
    expect(lines[2]).toBe('  First step: crictl ps -a --name kube-apiserver');
    expect(firstProblem(lines)).toEqual([
      'CRIT apiserver-refused  apiserver https://10.0.0.11:6443',
      '  tcp 10.0.0.11:6443: connection refused',
      '  Same on: apiserver https://10.0.0.12:6443, apiserver https://10.0.0.13:6443',
      '  Explains:',
      '    CRIT apiserver-refused  apiserver https://10.0.0.10:6443 (kubeconfig)',
    ]);
    expect(lines.filter((l) => l.startsWith('CRIT apiserver-refused'))).toHaveLength(1);
    // The report ends with the verdict again, its first step included.
    expect(lines.slice(-3, -1)).toEqual(lines.slice(1, 3));
  });

  it('keeps an unrelated finding with the same code apart', () => {
    const lines = render([expiredFile('apiserver-etcd-client'), expiredFile('front-proxy-client'), refused('10.0.0.11', '--apiserver')]);
    expect(lines[1]).toBe('CRIT  most likely cause: cert-expired on /etc/kubernetes/pki/apiserver-etcd-client.crt (explains 1 finding)');
    expect(lines.some((l) => l.startsWith('  Same on:'))).toBe(false);
    const titles = lines.filter((l) => /^(CRIT|WARN) \S/.test(l));
    expect(titles).toEqual([
      'CRIT cert-expired  /etc/kubernetes/pki/apiserver-etcd-client.crt',
      'CRIT cert-expired  /etc/kubernetes/pki/front-proxy-client.crt',
    ]);
    expect(lines).toContain('  (symptom, cause and fix as above for cert-expired)');
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
    const lines = render([refused('10.0.0.11', '--apiserver')], { discoveryCache });
    expect(`${lines[1]} ${lines[2]}`).toBe(
      'The API server did not list the nodes: 2 hosts, 1 API server, 0 etcd endpoints from the discovery cache /home/me/.cache/k8sdoc/prod.json, written 2h5m ago.',
    );
    expect(lines[3]).toMatch(/^CRIT {2}most likely cause: apiserver-refused on apiserver https:\/\/10\.0\.0\.11:6443$/);
  });
});
