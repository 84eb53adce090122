// nodes-ready, nodes-pressure and the shared paginated node list, judged from fake API answers.
import { describe, expect, it } from 'vitest';
import { nodesPressure } from '../../src/checks/nodes-pressure.js';
import { nodesReady } from '../../src/checks/nodes-ready.js';
import type { KubeOutcome, KubeProbe, TcpOutcome, TlsInspection } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/fake-context.js';

const SERVER_NOW = new Date('2026-11-25T10:00:00Z');

interface NodeFixture {
  address?: string;
  controlPlane?: boolean;
  ready?: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  sinceMinutes?: number;
  true?: string[];
  unschedulable?: boolean;
}

function nodeObject(name: string, f: NodeFixture = {}) {
  const since = new Date(SERVER_NOW.getTime() - (f.sinceMinutes ?? 60 * 24) * 60_000).toISOString();
  const cond = (type: string, status: string, reason = '', message = '') => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: since,
    lastHeartbeatTime: since,
  });
  const unknown = f.ready === 'Unknown';
  const pressure = (type: string) =>
    cond(type, unknown ? 'Unknown' : (f.true ?? []).includes(type) ? 'True' : 'False', unknown ? 'NodeStatusUnknown' : `Kubelet${type}`);
  return {
    metadata: { name, labels: f.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
    spec: f.unschedulable ? { unschedulable: true } : {},
    status: {
      addresses: [{ type: 'Hostname', address: name }, ...(f.address ? [{ type: 'InternalIP', address: f.address }] : [])],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { kubeletVersion: 'v1.32.0' },
      conditions: [
        pressure('MemoryPressure'),
        pressure('DiskPressure'),
        pressure('PIDPressure'),
        ...(f.true ?? [])
          .filter((t) => !['MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(t))
          .map((t) => cond(t, 'True', `${t}Detected`, `${t} seen`)),
        cond('Ready', f.ready ?? 'True', f.reason ?? 'KubeletReady', f.message ?? 'kubelet is posting ready status'),
      ],
    },
  };
}

function ok(body: unknown): KubeOutcome {
  return { kind: 'ok', status: 200, headers: { date: SERVER_NOW.toUTCString() }, body: JSON.stringify(body), ms: 1, truncated: false };
}

function lease(name: string, renewedSecondsAgo: number) {
  return {
    metadata: { name },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(SERVER_NOW.getTime() - renewedSecondsAgo * 1000).toISOString() },
  };
}

/** An API that pages `nodes` by `limit`, serves `leases`, and logs every path asked. */
function fakeApi(nodes: unknown[], leases: unknown[] | 'forbidden' = []): KubeProbe & { paths: string[] } {
  const paths: string[] = [];
  return {
    server: 'https://127.0.0.1:6443',
    paths,
    async get(path) {
      paths.push(path);
      const url = new URL(path, 'https://x');
      const limit = Number(url.searchParams.get('limit') ?? '0');
      const start = Number(url.searchParams.get('continue') ?? '0');
      const page = (items: unknown[]) => {
        const end = limit > 0 ? Math.min(start + limit, items.length) : items.length;
        return ok({ items: items.slice(start, end), metadata: end < items.length ? { continue: String(end) } : {} });
      };
      if (url.pathname === '/api/v1/nodes') return page(nodes);
      if (url.pathname.endsWith('/namespaces/kube-node-lease/leases')) {
        if (leases === 'forbidden') return { kind: 'forbidden', message: 'HTTP 403 Forbidden', status: 403, ms: 1 };
        return page(leases);
      }
      return { kind: 'http', message: `HTTP 404 for ${path}`, status: 404, ms: 1 };
    },
  };
}

function kubeletPorts(refusing: string[]) {
  return {
    tcp: async (host: string): Promise<TcpOutcome> =>
      refusing.includes(host) ? { kind: 'refused', message: `tcp ${host}:10250: connection refused`, ms: 0 } : { kind: 'ok', ms: 1 },
    tls: async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 2, chain: [], verifyError: null }),
  };
}

describe('nodeList', () => {
  it('lists 1,234 nodes in pages of 500 with continue tokens, once per run', async () => {
    const nodes = Array.from({ length: 1234 }, (_, i) => nodeObject(`n${String(i).padStart(4, '0')}`, { address: `10.0.${Math.floor(i / 250)}.${i % 250}` }));
    const kube = fakeApi(nodes);
    const ctx = fakeContext({ probes: { kube } });
    const first = await ctx.facts.nodes();
    const second = await ctx.facts.nodes();
    expect(second).toBe(first);
    expect(first.kind === 'ok' && first.nodes.length).toBe(1234);
    expect(kube.paths).toEqual(['/api/v1/nodes?limit=500', '/api/v1/nodes?limit=500&continue=500', '/api/v1/nodes?limit=500&continue=1000']);
  });
});

describe('nodes-ready', () => {
  it('reports every node, ok ones too, and names cordoned nodes as information', async () => {
    const kube = fakeApi(
      [nodeObject('cp-1', { address: '10.0.0.11', controlPlane: true }), nodeObject('w1', { address: '10.0.0.21', unschedulable: true })],
      [lease('cp-1', 3), lease('w1', 5)],
    );
    const findings = await nodesReady.run(fakeContext({ probes: { kube } }));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      status: 'ok',
      subject: 'node cp-1',
      message: 'Ready (kubelet v1.32.0)',
      data: { node: 'cp-1', host: '10.0.0.11', leaseStale: false },
    });
    expect(findings[1]).toMatchObject({ status: 'ok', code: 'node-cordoned', subject: 'node w1' });
    expect(findings[1]!.message).toContain('cordoned (SchedulingDisabled)');
  });

  it('a NotReady node with a stopped kubelet: reason, since when, stale lease, refused port', async () => {
    const kube = fakeApi(
      [
        nodeObject('w1', { address: '10.0.0.21' }),
        nodeObject('w2', {
          address: '10.0.0.22',
          ready: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          sinceMinutes: 12,
        }),
      ],
      [lease('w1', 4), lease('w2', 13 * 60)],
    );
    const findings = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts(['10.0.0.22']) } }));
    const w2 = findings.find((f) => f.subject === 'node w2')!;
    expect(w2).toMatchObject({
      status: 'crit',
      code: 'node-not-ready',
      data: { node: 'w2', host: '10.0.0.22', ready: 'Unknown', reason: 'NodeStatusUnknown', sinceSeconds: 720, leaseStale: true, kubelet: 'refused' },
    });
    expect(w2.message).toBe(
      'NotReady for 12m (Ready=Unknown, NodeStatusUnknown: Kubelet stopped posting node status); lease last renewed 13m ago: the kubelet stopped heartbeating (lease duration 40s); kubelet: port 10250 refuses connections: the kubelet is not running',
    );
    expect(findings.find((f) => f.subject === 'node w1')!.status).toBe('ok');
  });

  it('a NotReady node whose kubelet answers tells the other story, and names memory pressure', async () => {
    const kube = fakeApi(
      [
        nodeObject('w3', {
          address: '10.0.0.23',
          ready: 'False',
          reason: 'KubeletNotReady',
          message: 'container runtime is down',
          sinceMinutes: 3,
          true: ['MemoryPressure'],
        }),
      ],
      [lease('w3', 2)],
    );
    const [w3] = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts([]) } }));
    expect(w3).toMatchObject({ status: 'crit', code: 'node-not-ready', data: { kubelet: 'up', leaseStale: false, memoryPressure: true } });
    expect(w3!.message).toContain('its kubelet answers on 10250, so the kubelet runs but cannot report to the control plane');
    expect(w3!.message).toContain("MemoryPressure is True: the host's memory is full");
  });

  it('a Ready node whose lease stopped renewing is node-lease-stale', async () => {
    const kube = fakeApi([nodeObject('w4', { address: '10.0.0.24' })], [lease('w4', 55)]);
    const [w4] = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts(['10.0.0.24']) } }));
    expect(w4).toMatchObject({ status: 'crit', code: 'node-lease-stale', data: { leaseRenewedSecondsAgo: 55, leaseStale: true, kubelet: 'refused' } });
  });

  it('leases it may not list leave the verdict standing and say what is missing', async () => {
    const kube = fakeApi([nodeObject('w1', { address: '10.0.0.21', ready: 'False', reason: 'KubeletNotReady' })], 'forbidden');
    const [w1] = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts([]) } }));
    expect(w1).toMatchObject({
      status: 'crit',
      code: 'node-not-ready',
      data: { leaseStale: null, leaseUnknown: 'needs list leases in namespace kube-node-lease' },
    });
    expect(w1!.message).toContain('lease not checked (needs list leases in namespace kube-node-lease)');
  });
});

describe('nodes-pressure', () => {
  it('memory, disk and PID pressure are warnings, NetworkUnavailable critical, all named', async () => {
    const kube = fakeApi([
      nodeObject('w1', { true: ['MemoryPressure'] }),
      nodeObject('w2', { true: ['DiskPressure', 'NetworkUnavailable'] }),
      nodeObject('w3'),
    ]);
    const findings = await nodesPressure.run(fakeContext({ probes: { kube } }));
    expect(findings.map((f) => [f.subject, f.status, f.code])).toEqual([
      ['node w1', 'warn', 'node-memory-pressure'],
      // One finding per node, under its gravest condition's code: the severity is that code's.
      ['node w2', 'crit', 'node-network-unavailable'],
      ['node w3', 'ok', undefined],
    ]);
    expect(findings[1]!.message).toMatch(/^DiskPressure .*; NetworkUnavailable \(the pod network \(CNI\) is not configured/);
    expect(findings[0]!.data).toMatchObject({ node: 'w1', conditions: ['MemoryPressure'] });
  });

  it('vendor conditions are reported only when --node-conditions names them', async () => {
    const nodes = [nodeObject('w1', { true: ['KernelDeadlock', 'FrequentKubeletRestart'] })];
    const unasked = await nodesPressure.run(fakeContext({ probes: { kube: fakeApi(nodes) } }));
    expect(unasked[0]).toMatchObject({ status: 'ok' });
    const asked = await nodesPressure.run(
      fakeContext({ probes: { kube: fakeApi(nodes) }, options: { nodeConditions: ['KernelDeadlock', 'ReadonlyFilesystem'] } }),
    );
    expect(asked[0]).toMatchObject({
      status: 'warn',
      code: 'node-condition',
      data: { conditions: ['KernelDeadlock'], conditionsNotReported: ['ReadonlyFilesystem'] },
    });
    expect(asked[0]!.message).toBe('KernelDeadlock [KernelDeadlockDetected: KernelDeadlock seen]');
  });

  it('a node whose kubelet stopped posting has unknown conditions: skip, never healthy', async () => {
    const [f] = await nodesPressure.run(fakeContext({ probes: { kube: fakeApi([nodeObject('w2', { ready: 'Unknown', reason: 'NodeStatusUnknown' })]) } }));
    expect(f).toMatchObject({ status: 'skip', subject: 'node w2' });
  });
});
