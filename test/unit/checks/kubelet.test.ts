// The kubelet check from fake sockets and a fake API: up, refused, hung, healthz permissions.
import { describe, expect, it } from 'vitest';
import { kubelet } from '../../../src/checks/kubelet.js';
import type { HostTarget } from '../../../src/discovery/targets.js';
import type { KubeOutcome, KubeProbe, TcpOutcome, TlsInspection } from '../../../src/probes/types.js';
import { fakeContext } from '../../helpers/fake-context.js';

function node(name: string, address: string, ready: 'True' | 'Unknown') {
  return { metadata: { name }, status: { addresses: [{ type: 'InternalIP', address }], conditions: [{ type: 'Ready', status: ready }] } };
}

function api(nodes: unknown[], healthz: (name: string) => KubeOutcome): KubeProbe & { proxied: string[] } {
  const proxied: string[] = [];
  return {
    server: 'https://10.0.0.10:6443',
    proxied,
    async get(path) {
      const m = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/healthz$/.exec(path);
      if (m) {
        proxied.push(m[1]!);
        return healthz(m[1]!);
      }
      if (path === '/version') return { kind: 'ok', status: 200, headers: {}, body: '{"gitVersion":"v1.32.0"}', ms: 1, truncated: false };
      if (path.startsWith('/api/v1/nodes?'))
        return { kind: 'ok', status: 200, headers: {}, body: JSON.stringify({ items: nodes, metadata: {} }), ms: 1, truncated: false };
      return { kind: 'http', status: 404, message: '404', ms: 1 };
    },
  };
}

const HOSTS: HostTarget[] = [
  { address: '10.0.0.21', name: 'w1', controlPlane: false },
  { address: '10.0.0.22', name: 'w2', controlPlane: false },
  { address: '10.0.0.23', name: 'w3', controlPlane: false },
];
const NODES = [node('w1', '10.0.0.21', 'True'), node('w2', '10.0.0.22', 'Unknown'), node('w3', '10.0.0.23', 'True')];

/** w2 refuses; w3 accepts TCP and never finishes the handshake (a hung kubelet). */
const sockets = {
  tcp: async (host: string): Promise<TcpOutcome> =>
    host === '10.0.0.22' ? { kind: 'refused', message: `tcp ${host}:10250: connection refused`, ms: 0 } : { kind: 'ok', ms: 1 },
  tls: async (host: string): Promise<TlsInspection> =>
    host === '10.0.0.23'
      ? { kind: 'timeout', ms: 3000, chain: [], verifyError: null, failure: { kind: 'timeout', message: `tls ${host}:10250 did not answer within 3000 ms` } }
      : { kind: 'ok', ms: 2, chain: [], verifyError: 'self-signed certificate not trusted' },
};

describe('kubelet', () => {
  it('tells a stopped kubelet on a NotReady node from a hung one, and names node and host for triage', async () => {
    const kube = api(NODES, () => ({ kind: 'ok', status: 200, headers: {}, body: 'ok', ms: 1, truncated: false }));
    const findings = await kubelet.run(fakeContext({ probes: { kube, ...sockets }, targets: { hosts: HOSTS } }));
    expect(findings.map((f) => [f.subject, f.status, f.code])).toEqual([
      ['kubelet w1', 'ok', undefined],
      ['kubelet w2', 'crit', 'kubelet-unreachable'],
      ['kubelet w3', 'crit', 'kubelet-unreachable'],
    ]);
    expect(findings[0]!.message).toBe('answers TLS on 10250 (3 ms); healthz ok');
    expect(findings[1]).toMatchObject({
      message: 'port 10250 refuses connections: the kubelet is not running; this is why node w2 is NotReady',
      data: { node: 'w2', host: '10.0.0.22', kubelet: 'refused', stage: 'tcp', nodeReady: false },
    });
    expect(findings[2]!.message).toMatch(
      /^port 10250 accepts TCP but the TLS handshake never completes within 3000 ms: the kubelet is hung; the node still reports Ready/,
    );
    expect(findings[2]!.timedOut).toEqual(['tls 10.0.0.23:10250']);
    // Only the kubelet that answered is asked through the proxy.
    expect(kube.proxied).toEqual(['w1']);
  });

  it('asks healthz once when nodes/proxy is forbidden and says which permission is missing', async () => {
    const kube = api([node('w1', '10.0.0.21', 'True'), node('w3', '10.0.0.23', 'True')], () => ({
      kind: 'forbidden',
      status: 403,
      message: 'HTTP 403 Forbidden',
      ms: 1,
    }));
    const findings = await kubelet.run(
      fakeContext({
        probes: { kube, ...sockets, tls: async () => ({ kind: 'ok', ms: 1, chain: [], verifyError: null }) },
        targets: { hosts: [HOSTS[0]!, HOSTS[2]!] },
      }),
    );
    expect(kube.proxied).toHaveLength(1);
    for (const f of findings) expect(f).toMatchObject({ status: 'ok', data: { healthz: 'not-checked' } });
    expect(findings.every((f) => f.message.endsWith('healthz not checked: needs get nodes/proxy'))).toBe(true);
  });

  it('a kubelet whose healthz fails is kubelet-unhealthy with the body named', async () => {
    const kube = api([NODES[0]], () => ({
      kind: 'http',
      status: 500,
      message: 'HTTP 500',
      body: '[-]syncloop failed: reason withheld\nhealthz check failed\n',
      ms: 1,
    }));
    const [f] = await kubelet.run(fakeContext({ probes: { kube, ...sockets }, targets: { hosts: [HOSTS[0]!] } }));
    expect(f).toMatchObject({
      status: 'crit',
      code: 'kubelet-unhealthy',
      message: 'answers TLS on 10250 (3 ms), but its /healthz fails (HTTP 500: [-]syncloop failed: reason withheld)',
    });
  });

  it("asks an answering kubelet's healthz without waiting for a hung handshake elsewhere", async () => {
    let releaseHung!: () => void;
    const hung = new Promise<void>((r) => (releaseHung = r));
    const kube = api([NODES[0], NODES[2]], () => ({ kind: 'ok', status: 200, headers: {}, body: 'ok', ms: 1, truncated: false }));
    const tls = async (host: string): Promise<TlsInspection> => {
      if (host === '10.0.0.23') {
        await hung; // ends only once w1's healthz was asked: the check must not wait for it first
        return { kind: 'timeout', ms: 3000, chain: [], verifyError: null, failure: { kind: 'timeout', message: 'timed out' } };
      }
      return { kind: 'ok', ms: 2, chain: [], verifyError: null };
    };
    const get = kube.get.bind(kube);
    kube.get = async (path, o) => {
      const outcome = await get(path, o);
      if (path.endsWith('/proxy/healthz')) releaseHung();
      return outcome;
    };
    const findings = await kubelet.run(fakeContext({ probes: { kube, ...sockets, tls }, targets: { hosts: [HOSTS[0]!, HOSTS[2]!] } }));
    expect(kube.proxied).toEqual(['w1']);
    expect(findings.map((f) => [f.subject, f.status])).toEqual([
      ['kubelet w1', 'ok'],
      ['kubelet w3', 'crit'],
    ]);
  });

  it('does not ask for the node list again when the API server already timed out on /version', async () => {
    const asked: string[] = [];
    const kube: KubeProbe = {
      server: 'https://10.0.0.10:6443',
      async get(path) {
        asked.push(path);
        return { kind: 'timeout', message: 'GET /version did not answer within 3000 ms', ms: 3000 };
      },
    };
    const findings = await kubelet.run(fakeContext({ probes: { kube, ...sockets }, targets: { hosts: [HOSTS[0]!] } }));
    expect(asked).toEqual(['/version']);
    expect(findings[0]).toMatchObject({ status: 'ok', message: 'answers TLS on 10250 (3 ms); healthz not checked: the node is not known to the API' });
  });

  it('works without an API server: probes the --hosts given, healthz not asked', async () => {
    const findings = await kubelet.run(fakeContext({ probes: sockets, targets: { hosts: [{ address: '10.0.0.22', controlPlane: true }] } }));
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'crit',
        code: 'kubelet-unreachable',
        subject: 'kubelet 10.0.0.22',
        message: 'port 10250 refuses connections: the kubelet is not running',
      }),
    ]);
  });
});
