// The ports check: which host gets which port, how each failure is told apart, and that the
// fan-out stays under --concurrency however many hosts there are.
import { describe, expect, it } from 'vitest';
import { portPlan, ports } from '../../../src/checks/ports.js';
import type { HostTarget } from '../../../src/discovery/targets.js';
import { createLimiter } from '../../../src/engine/limit.js';
import { limitProbes } from '../../../src/engine/limited-probes.js';
import type { TcpOutcome } from '../../../src/probes/types.js';
import { contextOver, defaultOptions, emptyTargets, fakeContext, fakeProbes } from '../../helpers/fake-context.js';

const CP: HostTarget = { address: '10.0.0.11', name: 'cp-1', controlPlane: true };
const W: HostTarget = { address: '10.0.0.21', name: 'w1', controlPlane: false };
const plan = (ctx: ReturnType<typeof fakeContext>) => portPlan(ctx).map((t) => `${t.address}:${t.port}`);

describe('portPlan', () => {
  it('control-plane hosts get 6443, 2379, 2380 and 10250; workers 10250', () => {
    expect(plan(fakeContext({ targets: { hosts: [CP, W] } }))).toEqual([
      '10.0.0.11:6443',
      '10.0.0.11:2379',
      '10.0.0.11:2380',
      '10.0.0.11:10250',
      '10.0.0.21:10250',
    ]);
  });

  it('--hosts probes every port on every host given', () => {
    const ctx = fakeContext({ targets: { hosts: [{ address: 'a.example', controlPlane: true }] }, options: { hosts: ['a.example'] } });
    expect(plan(ctx)).toEqual(['a.example:6443', 'a.example:2379', 'a.example:2380', 'a.example:10250']);
  });

  it('an external etcd cluster gets the etcd ports instead of the control-plane hosts', () => {
    const etcd = [{ url: 'https://10.0.5.1:2379', host: '10.0.5.1', port: 2379, source: '--etcd' }];
    expect(plan(fakeContext({ targets: { hosts: [CP, W], etcd } }))).toEqual([
      '10.0.0.11:6443',
      '10.0.0.11:10250',
      '10.0.0.21:10250',
      '10.0.5.1:2379',
      '10.0.5.1:2380',
    ]);
  });
});

describe('ports', () => {
  it('tells open, refused, timeout and DNS failures apart, one finding per host:port', async () => {
    const outcomes: Record<string, TcpOutcome> = {
      '10.0.0.11:6443': { kind: 'refused', message: 'tcp 10.0.0.11:6443: connection refused', detail: 'ECONNREFUSED', ms: 0 },
      '10.0.0.11:2379': { kind: 'timeout', message: 'tcp 10.0.0.11:2379 did not answer within 500 ms', ms: 500 },
      'nohost.invalid:10250': { kind: 'dns', message: 'tcp nohost.invalid:10250: host name does not resolve (ENOTFOUND)', detail: 'ENOTFOUND', ms: 2 },
    };
    const ctx = fakeContext({
      probes: { tcp: async (h, p) => outcomes[`${h}:${p}`] ?? { kind: 'ok', ms: 1 } },
      targets: { hosts: [CP, { address: 'nohost.invalid', controlPlane: false }] },
      options: { timeoutMs: 500 },
    });
    const findings = await ports.run(ctx);
    expect(findings.map((f) => [f.subject, f.status, f.code ?? 'ok'])).toEqual([
      ['port 10.0.0.11:6443 (cp-1)', 'crit', 'port-refused'],
      ['port 10.0.0.11:2379 (cp-1)', 'crit', 'port-timeout'],
      ['port 10.0.0.11:2380 (cp-1)', 'ok', 'ok'],
      ['port 10.0.0.11:10250 (cp-1)', 'ok', 'ok'],
      ['port nohost.invalid:10250', 'crit', 'port-dns'],
    ]);
    expect(findings[0]).toMatchObject({
      message: 'refused from this host: nothing listens, kube-apiserver is down (or bound to another address)',
      data: { node: 'cp-1', host: '10.0.0.11', port: 6443 },
    });
    expect(findings[1]).toMatchObject({
      message: 'no answer from this host within 500 ms: a firewall drops the packets, or the host is down',
      timedOut: ['tcp 10.0.0.11:2379'],
    });
    expect(findings[3]!.message).toBe('open from this host: kubelet listens (1 ms)');
  });

  it('5,000 hosts never have more than --concurrency probes in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const slowTcp = async (): Promise<TcpOutcome> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return { kind: 'ok', ms: 0 };
    };
    const hosts = Array.from({ length: 5000 }, (_, i) => ({ address: `10.1.${Math.floor(i / 250)}.${i % 250}`, controlPlane: false }));
    const ctx = contextOver(limitProbes(fakeProbes({ tcp: slowTcp }), createLimiter(24)), {
      targets: emptyTargets({ hosts }),
      options: defaultOptions({ concurrency: 24 }),
    });
    const findings = await ports.run(ctx);
    expect(findings).toHaveLength(5000);
    expect(peak).toBe(24);
  });
});
