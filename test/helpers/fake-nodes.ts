// Node, lease and kubelet fixtures for unit tests of the node and kubelet checks.
import type { KubeOutcome, KubeProbe, TcpOutcome, TlsInspection } from '../../src/probes/types.js';

export const SERVER_NOW = new Date('2026-11-25T10:00:00Z');

export interface NodeFixture {
  address?: string;
  controlPlane?: boolean;
  ready?: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  sinceMinutes?: number;
  true?: string[];
  unschedulable?: boolean;
}

export function nodeObject(name: string, f: NodeFixture = {}) {
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

export function ok(body: unknown): KubeOutcome {
  return { kind: 'ok', status: 200, headers: { date: SERVER_NOW.toUTCString() }, body: JSON.stringify(body), ms: 1, truncated: false };
}

export function lease(name: string, renewedSecondsAgo: number) {
  return {
    metadata: { name },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(SERVER_NOW.getTime() - renewedSecondsAgo * 1000).toISOString() },
  };
}

/** An API that pages `nodes` by `limit`, serves `leases`, and logs every path asked. */
export function fakeApi(nodes: unknown[], leases: unknown[] | 'forbidden' = []): KubeProbe & { paths: string[] } {
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

export function kubeletPorts(refusing: string[]) {
  return {
    tcp: async (host: string): Promise<TcpOutcome> =>
      refusing.includes(host) ? { kind: 'refused', message: `tcp ${host}:10250: connection refused`, ms: 0 } : { kind: 'ok', ms: 1 },
    tls: async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 2, chain: [], verifyError: null }),
  };
}
