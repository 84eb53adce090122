// Root-cause ranking on hand-made results: each failure chain ranks the injected fault
// first, what it explains is listed under it, and unrelated faults stay independent.
import { describe, expect, it } from 'vitest';
import type { Code } from '../../src/catalogue/codes.js';
import { certificateRole, triage } from '../../src/engine/triage.js';
import type { About, CertificateRole, Component, Result, Status } from '../../src/engine/types.js';

function result(
  check: string,
  component: Component,
  subject: string,
  code: Code | undefined,
  data: Record<string, unknown> = {},
  status: Status = 'crit',
  about?: About,
): Result {
  return { check, component, subject, status, message: subject, durationMs: 1, data, ...(about ? { about } : {}), ...(code ? { code } : {}) };
}

/** What the API checks set on a finding about an endpoint. */
function endpointAbout(host: string, source: string): About {
  return { endpoint: `https://${host}:6443`, host, port: 6443, ...(source === 'kubeconfig' ? { kubeconfigServer: true } : {}) };
}

const LB = 'https://10.0.0.10:6443';
const CP = ['10.0.0.11', '10.0.0.12', '10.0.0.13'];

function apiReachable(host: string, code: Code | undefined, source = '--apiserver'): Result {
  const endpoint = `https://${host}:6443`;
  return result(
    'apiserver-reachable',
    'apiserver',
    `apiserver ${endpoint}${source === 'kubeconfig' ? ' (kubeconfig)' : ''}`,
    code,
    { endpoint, host, port: 6443, source },
    code ? 'crit' : 'ok',
    endpointAbout(host, source),
  );
}

function apiHealth(host: string, code: Code | undefined, source = '--apiserver'): Result {
  const endpoint = `https://${host}:6443`;
  return result(
    'apiserver-health',
    'apiserver',
    `apiserver ${endpoint}${source === 'kubeconfig' ? ' (kubeconfig)' : ''}`,
    code,
    { endpoint, host, port: 6443, source },
    code ? 'crit' : 'ok',
    endpointAbout(host, source),
  );
}

function port(host: string, portNumber: number, code: Code | undefined, node?: string): Result {
  return result(
    'ports',
    'ports',
    `port ${host}:${portNumber}${node ? ` (${node})` : ''}`,
    code,
    { ...(node ? { node } : {}), host, port: portNumber },
    code ? 'crit' : 'ok',
    { ...(node ? { node } : {}), host, port: portNumber },
  );
}

/** What certs-files says a kubeadm file is for. */
const FILE_ROLES: Record<string, CertificateRole> = { ca: 'cluster-ca', apiserver: 'apiserver-serving', 'apiserver-etcd-client': 'apiserver-etcd-client' };

function certFile(name: string, code: Code, serial = `serial-${name}`): Result {
  const path = `/etc/kubernetes/pki/${name}.crt`;
  return result('certs-files', 'certs', path, code, { name, source: `file ${path}`, serial, issuer: 'CN=kubernetes' }, 'crit', {
    certificate: { serial, issuer: 'CN=kubernetes', role: FILE_ROLES[name] ?? 'other', path },
  });
}

const summary = (results: Result[]) => triage(results).map((c) => `${c.code} ${c.subject}`);

describe('triage', () => {
  it('four etcd members: the even membership explains the even control plane (two masters lost, quorum gone)', () => {
    const results = [
      result('etcd-members', 'etcd', 'etcd', 'etcd-even-members', {}, 'warn'),
      result('control-plane-ha', 'apiserver', 'control plane', 'control-plane-not-ha', {}, 'warn'),
    ];
    expect(summary(results)).toEqual(['etcd-even-members etcd']);
    expect(triage(results)[0]!.explains).toEqual(['control-plane-not-ha']);
  });

  it('API servers refused with healthy etcd: the API server process on each master is the cause, the load balancer is explained', () => {
    const results = [
      apiReachable('10.0.0.10', 'apiserver-refused', 'kubeconfig'),
      ...CP.map((h) => apiReachable(h, 'apiserver-refused')),
      ...CP.map((h) => port(h, 6443, 'port-refused')),
      result('etcd-quorum', 'etcd', 'etcd', undefined, {}, 'ok'),
    ];
    const causes = triage(results);
    expect(causes.map((c) => `${c.code} ${c.subject}`)).toEqual(CP.map((h) => `apiserver-refused apiserver https://${h}:6443`));
    expect(causes[0]!.explainsFindings).toEqual([
      { code: 'apiserver-refused', subject: `apiserver ${LB} (kubeconfig)` },
      { code: 'port-refused', subject: 'port 10.0.0.11:6443' },
    ]);
  });

  it('the load balancer stays a cause of its own while one API server behind it still answers', () => {
    const results = [
      apiReachable('10.0.0.10', 'apiserver-timeout', 'kubeconfig'),
      apiReachable(CP[0]!, 'apiserver-refused'),
      apiReachable(CP[1]!, undefined),
      apiReachable(CP[2]!, undefined),
    ];
    expect(summary(results)).toEqual([`apiserver-refused apiserver https://${CP[0]}:6443`, `apiserver-timeout apiserver ${LB} (kubeconfig)`]);
  });

  it('quorum lost: explains not-ready API servers, the missing leader, the dead members and their closed ports', () => {
    const member = (name: string, host: string) =>
      result(
        'etcd-members',
        'etcd',
        `etcd member ${name} (https://${host}:2379)`,
        'etcd-member-unreachable',
        { name, clientURLs: [`https://${host}:2379`], peerURLs: [`https://${host}:2380`] },
        'warn',
        { member: { name, clientURLs: [`https://${host}:2379`], peerURLs: [`https://${host}:2380`] } },
      );
    const results = [
      apiHealth('10.0.0.10', 'apiserver-not-ready', 'kubeconfig'),
      ...CP.map((h) => apiHealth(h, 'apiserver-not-ready')),
      result('etcd-quorum', 'etcd', 'etcd', 'etcd-quorum-lost'),
      result('etcd-quorum', 'etcd', 'etcd', 'etcd-no-leader'),
      member('cp-2', CP[1]!),
      member('cp-3', CP[2]!),
      port(CP[1]!, 2379, 'port-refused'),
      port(CP[1]!, 2380, 'port-refused'),
      port(CP[2]!, 2379, 'port-refused'),
    ];
    const causes = triage(results);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ code: 'etcd-quorum-lost', subject: 'etcd' });
    expect(new Set(causes[0]!.explains)).toEqual(new Set(['apiserver-not-ready', 'etcd-no-leader', 'etcd-member-unreachable', 'port-refused']));
    expect(causes[0]!.explainsFindings).toHaveLength(results.length - 1);
  });

  it('an expired apiserver-etcd-client certificate explains refused and not-ready API servers; another expired file does not', () => {
    const results = [
      certFile('apiserver-etcd-client', 'cert-expired'),
      certFile('front-proxy-client', 'cert-expired'),
      ...CP.map((h) => apiHealth(h, 'apiserver-not-ready')),
      apiReachable('10.0.0.10', 'apiserver-refused', 'kubeconfig'),
    ];
    const causes = triage(results);
    expect(causes.map((c) => c.subject)).toEqual(['/etc/kubernetes/pki/apiserver-etcd-client.crt', '/etc/kubernetes/pki/front-proxy-client.crt']);
    expect(causes[0]!.explains).toEqual(['apiserver-not-ready', 'apiserver-refused']);
    expect(causes[1]!.explains).toEqual([]);
  });

  it('the served certificate and its file are one fact: the file is the cause of every TLS error', () => {
    const served = (host: string, source: string) =>
      result(
        'certs-served',
        'certs',
        `apiserver ${host}:6443`,
        'cert-expired',
        {
          role: 'apiserver',
          host,
          port: 6443,
          serial: 'serial-apiserver',
          issuer: 'CN=kubernetes',
          source,
        },
        'crit',
        { host, port: 6443, certificate: { serial: 'serial-apiserver', issuer: 'CN=kubernetes', role: 'apiserver-serving' } },
      );
    const results = [
      certFile('apiserver', 'cert-expired'),
      served('10.0.0.10', 'endpoint (kubeconfig server)'),
      ...CP.map((h) => served(h, 'endpoint')),
      ...CP.map((h) => apiReachable(h, 'apiserver-tls-error')),
      apiReachable('10.0.0.10', 'apiserver-tls-error', 'kubeconfig'),
    ];
    const causes = triage(results);
    expect(summary(results)).toEqual(['cert-expired /etc/kubernetes/pki/apiserver.crt']);
    expect(causes[0]!.explains).toEqual(['cert-expired', 'apiserver-tls-error']);
  });

  it('kubelet stopped on one worker: the kubelet on that node explains its NotReady and its port, not other nodes', () => {
    const node = (name: string, host: string) =>
      result('nodes-ready', 'nodes', `node ${name}`, 'node-not-ready', { node: name, host }, 'crit', { node: name, host });
    const results = [
      node('worker-2', '10.0.0.22'),
      node('worker-3', '10.0.0.23'),
      result('kubelet', 'kubelet', 'kubelet worker-2', 'kubelet-unreachable', { node: 'worker-2', host: '10.0.0.22', port: 10250 }, 'crit', {
        node: 'worker-2',
        host: '10.0.0.22',
        port: 10250,
      }),
      port('10.0.0.22', 10250, 'port-refused', 'worker-2'),
    ];
    const causes = triage(results);
    expect(summary(results)).toEqual(['kubelet-unreachable kubelet worker-2', 'node-not-ready node worker-3']);
    expect(causes[0]!.explainsFindings).toEqual([
      { code: 'node-not-ready', subject: 'node worker-2' },
      { code: 'port-refused', subject: 'port 10.0.0.22:10250 (worker-2)' },
    ]);
  });

  it('memory pressure explains its own node being NotReady', () => {
    const results = [
      result('nodes-pressure', 'nodes', 'node worker-1', 'node-memory-pressure', { node: 'worker-1' }, 'warn', { node: 'worker-1' }),
      result('nodes-ready', 'nodes', 'node worker-1', 'node-not-ready', { node: 'worker-1' }, 'crit', { node: 'worker-1' }),
    ];
    expect(summary(results)).toEqual(['node-memory-pressure node worker-1']);
  });

  it('ranks independent causes: control-plane certificate ≻ API server process ≻ kubelet ≻ other certificate', () => {
    const results = [
      certFile('front-proxy-client', 'cert-expired'),
      result('kubelet', 'kubelet', 'kubelet worker-1', 'kubelet-unreachable', { node: 'worker-1', host: '10.0.0.21', port: 10250 }, 'crit', {
        node: 'worker-1',
        host: '10.0.0.21',
        port: 10250,
      }),
      apiReachable(CP[0]!, 'apiserver-refused'),
      certFile('apiserver', 'cert-expired'),
    ];
    expect(summary(results)).toEqual([
      'cert-expired /etc/kubernetes/pki/apiserver.crt',
      'apiserver-refused apiserver https://10.0.0.11:6443',
      'kubelet-unreachable kubelet worker-1',
      'cert-expired /etc/kubernetes/pki/front-proxy-client.crt',
    ]);
  });

  it('lost quorum comes before everything else, and explains the API servers that fail with it', () => {
    const results = [
      certFile('apiserver', 'cert-expired'),
      apiReachable(CP[0]!, 'apiserver-refused'),
      result('etcd-quorum', 'etcd', 'etcd', 'etcd-quorum-lost'),
    ];
    const causes = triage(results);
    expect(causes.map((c) => c.code)).toEqual(['etcd-quorum-lost', 'cert-expired']);
    expect(causes[0]!.explains).toEqual(['apiserver-refused']);
  });

  it('an expired kubeconfig client certificate explains the 401', () => {
    const own = result(
      'certs-kubeconfig',
      'certs',
      "kubeconfig user 'admin' client certificate",
      'cert-expired',
      {
        source: "kubeconfig user 'admin' client certificate",
        serial: 'k1',
        issuer: 'CN=kubernetes',
      },
      'crit',
      { certificate: { serial: 'k1', issuer: 'CN=kubernetes', role: 'kubeconfig-client' } },
    );
    const results = [
      own,
      result(
        'apiserver-reachable',
        'apiserver',
        `apiserver ${LB} (kubeconfig)`,
        'apiserver-unauthorized',
        {
          endpoint: LB,
          host: '10.0.0.10',
          port: 6443,
          source: 'kubeconfig',
        },
        'crit',
        endpointAbout('10.0.0.10', 'kubeconfig'),
      ),
    ];
    expect(summary(results)).toEqual(["cert-expired kubeconfig user 'admin' client certificate"]);
  });

  it('reads certificate roles from the typed about, not from data or words in paths', () => {
    expect(certificateRole(certFile('apiserver-kubelet-client', 'cert-expired'))).toBe('other');
    expect(certificateRole(certFile('apiserver-etcd-client', 'cert-expired'))).toBe('apiserver-etcd-client');
    expect(certificateRole(result('certs-served', 'certs', 'etcd 10.0.0.11:2380 (peer)', 'cert-expired', { role: 'apiserver-etcd-client' }))).toBeNull();
  });

  // How fast is measured in bench/triage-scale.mjs; here, that the answer at this size is right.
  it('ranks 9,000 findings: each dead kubelet explains its NotReady node and its refused port', () => {
    const results: Result[] = [];
    for (let i = 0; i < 3000; i++) {
      const host = `10.1.${Math.floor(i / 250)}.${i % 250}`;
      results.push(result('nodes-ready', 'nodes', `node w${i}`, 'node-not-ready', { node: `w${i}`, host }, 'crit', { node: `w${i}`, host }));
      results.push(
        result('kubelet', 'kubelet', `kubelet w${i}`, 'kubelet-unreachable', { node: `w${i}`, host, port: 10250 }, 'crit', {
          node: `w${i}`,
          host,
          port: 10250,
        }),
      );
      results.push(port(host, 10250, 'port-refused', `w${i}`));
    }
    const causes = triage(results);
    expect(causes).toHaveLength(3000);
    expect(causes.every((c) => c.code === 'kubelet-unreachable' && c.explainsFindings.length === 2)).toBe(true);
    // A scale case, not a timing one: the shared machine may be slow, so vitest's 5 s default is too tight.
  }, 30_000);

  it('renaming or dropping data keys cannot change the ranking: triage reads the typed about only', () => {
    const results = [
      certFile('apiserver-etcd-client', 'cert-expired'),
      certFile('front-proxy-client', 'cert-expired'),
      apiReachable('10.0.0.10', 'apiserver-refused', 'kubeconfig'),
      ...CP.map((h) => apiHealth(h, 'apiserver-not-ready')),
      ...CP.map((h) => port(h, 6443, 'port-refused')),
      result('kubelet', 'kubelet', 'kubelet worker-2', 'kubelet-unreachable', { node: 'worker-2', host: '10.0.0.22', port: 10250 }, 'crit', {
        node: 'worker-2',
        host: '10.0.0.22',
        port: 10250,
      }),
      result('nodes-ready', 'nodes', 'node worker-2', 'node-not-ready', { node: 'worker-2', host: '10.0.0.22' }, 'crit', {
        node: 'worker-2',
        host: '10.0.0.22',
      }),
      port('10.0.0.22', 10250, 'port-refused', 'worker-2'),
    ];
    const renamed = results.map((r) => ({ ...r, data: Object.fromEntries(Object.entries(r.data ?? {}).map(([k, v]) => [`renamed_${k}`, v])) }));
    const dropped = results.map(({ data: _data, ...r }) => r);
    const swapped = results.map((r) => ({
      ...r,
      data: { node: 'elsewhere', host: '192.0.2.1', endpoint: 'https://192.0.2.1:1', role: 'etcd', source: 'kubeconfig client certificate' },
    }));
    const before = triage(results);
    expect(before[0]).toMatchObject({ code: 'cert-expired', subject: '/etc/kubernetes/pki/apiserver-etcd-client.crt' });
    expect(before.map((c) => c.code)).toContain('kubelet-unreachable');
    expect(triage(renamed)).toEqual(before);
    expect(triage(dropped)).toEqual(before);
    expect(triage(swapped)).toEqual(before);
  });
});
