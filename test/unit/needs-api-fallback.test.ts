import { describe, expect, it } from 'vitest';
import { NEEDS } from '../../src/engine/needs.js';
import type { KubeOutcome, KubeProbe, TlsInspection } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/fake-context.js';

const LB = 'https://10.0.0.10:6443';
const MASTERS = ['https://10.0.0.11:6443', 'https://10.0.0.12:6443'];

const ok = (ms: number): KubeOutcome => ({ kind: 'ok', status: 200, headers: {}, body: '{"gitVersion":"v1.32.0"}', ms, truncated: false });
const timeout: KubeOutcome = { kind: 'timeout', message: 'GET /version did not answer within 200 ms', ms: 200 };
const unauthorized: KubeOutcome = { kind: 'unauthorized', message: 'HTTP 401 Unauthorized', status: 401, ms: 1 };

function later<T>(ms: number, value: T): Promise<T> {
  return new Promise((r) => setTimeout(() => r(value), ms));
}

function setup(answers: Record<string, () => Promise<KubeOutcome>>) {
  const used: string[] = [];
  const kube: KubeProbe = {
    server: LB,
    get: (_path, o) => answers[o.server ?? LB]!(),
    useServer: (url) => used.push(url),
  };
  const tls = async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 1, chain: [], verifyError: null });
  const ctx = fakeContext({
    probes: { kube, tls },
    targets: {
      kubeServer: { url: LB, host: '10.0.0.10', port: 6443, source: 'kubeconfig' },
      apiServers: MASTERS.map((url, i) => ({ url, host: `10.0.0.1${i + 1}`, port: 6443, source: '--apiserver' })),
    },
    options: { timeoutMs: 200 },
  });
  return { ctx, used };
}

describe('api need: the kubeconfig server, else a master that answers', () => {
  it('keeps the kubeconfig server when it answers', async () => {
    const { ctx, used } = setup({ [LB]: () => later(20, ok(20)), [MASTERS[0]!]: () => later(5, ok(5)), [MASTERS[1]!]: () => later(5, ok(5)) });
    expect(await NEEDS.api(ctx)).toBeNull();
    expect(used).toEqual([]);
  });

  it('switches to an answering master when the balancer hangs, without waiting out the timeout', async () => {
    const { ctx, used } = setup({ [LB]: () => later(1000, timeout), [MASTERS[0]!]: () => later(1000, timeout), [MASTERS[1]!]: () => later(5, ok(5)) });
    const started = Date.now();
    expect(await NEEDS.api(ctx)).toBeNull();
    // A grace for the balancer, then the master: far less than the balancer's timeout.
    expect(Date.now() - started).toBeLessThan(800);
    expect(used).toEqual([MASTERS[1]]);
    expect(ctx.targets.notes.join('\n')).toContain(`API requests go to ${MASTERS[1]} instead`);
  });

  it('reports the balancer unreachable when no master answers either', async () => {
    const { ctx, used } = setup({ [LB]: () => later(30, timeout), [MASTERS[0]!]: () => later(10, timeout), [MASTERS[1]!]: () => later(10, timeout) });
    expect(await NEEDS.api(ctx)).toBe('API server unreachable (timed out)');
    expect(used).toEqual([]);
  });

  it('does not route around rejected credentials', async () => {
    const { ctx, used } = setup({ [LB]: () => later(5, unauthorized), [MASTERS[0]!]: () => later(50, ok(50)), [MASTERS[1]!]: () => later(50, ok(50)) });
    expect(await NEEDS.api(ctx)).toBe('API server rejects the credentials (401)');
    expect(used).toEqual([]);
  });
});

describe("nodes need: the run's one node list, not a request of its own", () => {
  function withList(list: () => Promise<KubeOutcome>) {
    const asked: string[] = [];
    const kube: KubeProbe = {
      server: LB,
      get: (path) => {
        asked.push(path);
        return path === '/version' ? Promise.resolve(ok(1)) : list();
      },
    };
    return { ctx: fakeContext({ probes: { kube }, options: { timeoutMs: 200 } }), asked };
  }

  it('met when the list was read, with no request beyond it', async () => {
    const { ctx, asked } = withList(async () => ({ ...ok(1), body: '{"items":[],"metadata":{}}' }));
    expect(await NEEDS.nodes(ctx)).toBeNull();
    expect(await NEEDS.nodes(ctx)).toBeNull();
    expect(asked).toEqual(['/version', '/api/v1/nodes?limit=500']);
  });

  it('names the permission on 403, and a list that timed out is not asked for again', async () => {
    const forbidden = withList(async () => ({ kind: 'forbidden', message: 'HTTP 403 Forbidden', status: 403, ms: 1 }));
    expect(await NEEDS.nodes(forbidden.ctx)).toBe('needs list nodes (RBAC: the credentials may not list nodes)');
    const hung = withList(async () => timeout);
    expect(await NEEDS.nodes(hung.ctx)).toBe(`cannot list nodes (${timeout.message})`);
    expect(await NEEDS.nodes(hung.ctx)).toMatch(/^cannot list nodes/);
    expect(hung.asked.filter((p) => p.startsWith('/api/v1/nodes'))).toHaveLength(1);
  });
});
