// The run budget, the priority lanes and the open-file cap as pure units.
import { describe, expect, it } from 'vitest';
import { OUT_OF_BUDGET, runCheck, withinBudget } from '../../src/engine/runner.js';
import { createLimiter, fanoutShare } from '../../src/engine/limit.js';
import { limitProbes } from '../../src/engine/limited-probes.js';
import { capByOpenFiles, openFileSoftLimit } from '../../src/util/open-files.js';
import { deadlineFor, resolveCheckOptions } from '../../src/options.js';
import type { Check, Finding } from '../../src/engine/types.js';
import type { TcpOutcome } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/fake-context.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            64                   1048576              files
Max locked memory         8388608              8388608              bytes
`;

describe('run budget', () => {
  it('a check whose targets outlast the budget keeps what finished and names the rest, instead of the guard discarding it all', async () => {
    const check: Check = {
      id: 'fanout',
      component: 'kubelet',
      title: 'fan-out',
      needs: [],
      codes: [],
      async run(ctx) {
        const targets = [1, 2, 3, 4].map((i) => (i <= 2 ? Promise.resolve(i) : new Promise<number>(() => undefined)));
        const got = await Promise.all(targets.map((t) => withinBudget(ctx, t)));
        const findings: Finding[] = got.filter((g) => g !== OUT_OF_BUDGET).map((g) => ({ status: 'ok', subject: `target ${g}`, message: 'answers' }));
        const cut = got.filter((g) => g === OUT_OF_BUDGET).length;
        return [...findings, { status: 'skip', subject: 'fanout', message: `${cut} targets not probed within the budget` }];
      },
    };
    const spent: string[] = [];
    const results = await runCheck(check, fakeContext(), { checkTimeoutMs: 300, onBudgetSpent: (c) => spent.push(c) });
    expect(results.map((r) => [r.subject, r.status, r.message])).toEqual([
      ['target 1', 'ok', 'answers'],
      ['target 2', 'ok', 'answers'],
      ['fanout', 'skip', '2 targets not probed within the budget'],
    ]);
    expect(spent).toEqual(['fanout']);
  });

  it('a check that finishes in time is not reported as cut short', async () => {
    const check: Check = { id: 'quick', component: 'nodes', title: 'quick', needs: [], codes: [], run: async () => [] };
    const spent: string[] = [];
    await runCheck(check, fakeContext(), { checkTimeoutMs: 300, onBudgetSpent: (c) => spent.push(c) });
    expect(spent).toEqual([]);
  });

  it('--deadline defaults to ten rounds of --timeout, at least 10 s, and may not be shorter than --timeout', () => {
    expect(deadlineFor(5000)).toBe(50_000);
    expect(deadlineFor(300)).toBe(10_000);
    const env = { isTTY: false, env: {} };
    expect(resolveCheckOptions({ timeout: '5s' }, env).deadlineMs).toBe(50_000);
    expect(resolveCheckOptions({ deadline: '2m' }, env).deadlineMs).toBe(120_000);
    expect(() => resolveCheckOptions({ timeout: '5s', deadline: '2s' }, env)).toThrow(/--deadline \(2000 ms\) must be at least --timeout \(5000 ms\)/);
  });
});

describe('priority lanes', () => {
  it('a control-plane probe finds a free slot while kubelet dials fill every fan-out slot', async () => {
    const limit = createLimiter(8);
    const hang = () => new Promise<TcpOutcome>(() => undefined);
    const asked: string[] = [];
    const probes = limitProbes(
      {
        tcp: async (h) => {
          asked.push(h);
          return h === 'api' ? { kind: 'ok', ms: 1 } : hang();
        },
        tls: hang as never,
        kube: null,
        etcd: null,
        files: { read: hang as never, list: hang as never, stat: hang as never },
      },
      limit,
      undefined,
      { fanout: createLimiter(fanoutShare(8)), priority: (h) => h === 'api' },
    );
    for (let i = 0; i < 100; i++) void probes.tcp(`kubelet-${i}`, 10250, { timeoutMs: 1000 });
    await expect(probes.tcp('api', 6443, { timeoutMs: 1000 })).resolves.toMatchObject({ kind: 'ok' });
    // The kubelet dials held only their share.
    expect(asked.filter((h) => h.startsWith('kubelet-'))).toHaveLength(fanoutShare(8));
  });

  it('keeps a quarter of the slots, at most 8, and shares the one slot of --concurrency 1', () => {
    expect([1, 2, 8, 32, 512].map(fanoutShare)).toEqual([1, 2, 6, 24, 504]);
  });
});

describe('open-file cap', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    expect(openFileSoftLimit(() => LIMITS)).toBe(64);
    expect(openFileSoftLimit(() => LIMITS.replace(/Max open files {12}64/, 'Max open files            unlimited'))).toBeNull();
    expect(
      openFileSoftLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeNull();
  });

  it('caps --concurrency to half of what the limit leaves, and leaves it alone without a limit', () => {
    expect(capByOpenFiles(32, 64)).toBe(16);
    expect(capByOpenFiles(32, 1024)).toBe(32);
    expect(capByOpenFiles(512, 20)).toBe(1);
    expect(capByOpenFiles(32, null)).toBe(32);
  });
});
