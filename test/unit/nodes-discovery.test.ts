// Control-plane discovery: hosts and API servers from the node list, flags kept as given.
import { describe, expect, it } from 'vitest';
import { discoverFromNodes } from '../../src/discovery/control-plane.js';
import type { KubeOutcome, KubeProbe, TlsInspection } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/fake-context.js';

const ITEMS = [
  {
    metadata: { name: 'cp-1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.11' }] },
  },
  {
    metadata: { name: 'cp-2', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.12' }] },
  },
  { metadata: { name: 'w1', labels: {} }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.21' }] } },
  { metadata: { name: 'ghost', labels: {} }, status: { addresses: [{ type: 'Hostname', address: 'ghost' }] } },
];

function api(versionDown = false): KubeProbe & { paths: string[] } {
  const paths: string[] = [];
  const ok = (body: unknown): KubeOutcome => ({ kind: 'ok', status: 200, headers: {}, body: JSON.stringify(body), ms: 1, truncated: false });
  return {
    server: 'https://10.0.0.11:6443',
    paths,
    async get(path) {
      paths.push(path);
      if (path === '/version')
        return versionDown ? { kind: 'refused', message: 'tcp 10.0.0.10:6443: connection refused', ms: 0 } : ok({ gitVersion: 'v1.32.0' });
      return ok({ items: ITEMS, metadata: {} });
    },
  };
}

const KUBE_SERVER = { url: 'https://10.0.0.11:6443', host: '10.0.0.11', port: 6443, source: 'kubeconfig' };
/** The `api` need shakes hands with the kubeconfig server before asking /version. */
const tls = async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 1, chain: [], verifyError: null });

describe('control-plane discovery', () => {
  it('every node with an InternalIP becomes a host; control-plane nodes become API servers on :6443', async () => {
    const ctx = fakeContext({ probes: { kube: api(), tls }, targets: { kubeServer: KUBE_SERVER } });
    await discoverFromNodes(ctx.targets, ctx);
    expect(ctx.targets.hosts).toEqual([
      { address: '10.0.0.11', name: 'cp-1', controlPlane: true },
      { address: '10.0.0.12', name: 'cp-2', controlPlane: true },
      { address: '10.0.0.21', name: 'w1', controlPlane: false },
    ]);
    // cp-1 is already the kubeconfig server: probed once, not twice.
    expect(ctx.targets.apiServers).toEqual([{ url: 'https://10.0.0.12:6443', host: '10.0.0.12', port: 6443, source: 'node cp-2' }]);
    expect(ctx.targets.notes.join('\n')).toContain('1 node(s) without an InternalIP, not probed: ghost');
  });

  it('--hosts and --apiserver are kept as given; known addresses are named after their node', async () => {
    const given = { url: 'https://10.9.9.9:6443', host: '10.9.9.9', port: 6443, source: '--apiserver' };
    const ctx = fakeContext({
      probes: { kube: api(), tls },
      targets: {
        kubeServer: KUBE_SERVER,
        apiServers: [given],
        hosts: [
          { address: '10.0.0.21', controlPlane: true },
          { address: '10.0.0.99', controlPlane: true },
        ],
      },
      options: { hosts: ['10.0.0.21', '10.0.0.99'], apiservers: [given.url] },
    });
    await discoverFromNodes(ctx.targets, ctx);
    expect(ctx.targets.hosts).toEqual([
      { address: '10.0.0.21', name: 'w1', controlPlane: true },
      { address: '10.0.0.99', controlPlane: true },
    ]);
    expect(ctx.targets.apiServers).toEqual([given]);
  });

  it('an unreachable API server costs one request and leaves a note, not a failure', async () => {
    const kube = api(true);
    const ctx = fakeContext({ probes: { kube, tls }, targets: { kubeServer: KUBE_SERVER } });
    await discoverFromNodes(ctx.targets, ctx);
    expect(kube.paths).toEqual(['/version']);
    expect(ctx.targets.hosts).toEqual([]);
    expect(ctx.targets.notes).toEqual(['control-plane discovery: API server unreachable (connection refused)']);
  });
});
