import { describe, expect, it } from 'vitest';
import { runCheck, runChecks } from '../../src/engine/runner.js';
import { createLimiter } from '../../src/engine/limit.js';
import type { Check, Finding } from '../../src/engine/types.js';
import { fakeContext } from '../helpers/fake-context.js';

function check(id: string, run: () => Promise<Finding[]>, needs: Check['needs'] = []): Check {
  return { id, component: 'etcd', title: id, needs, codes: ['etcd-quorum-lost'], run };
}

const guard = { checkTimeoutMs: 200 };

describe('runner', () => {
  it('passes findings through, tagged with check, component and duration', async () => {
    const results = await runCheck(
      check('good', async () => [{ status: 'ok', subject: 'etcd', message: 'fine' }]),
      fakeContext(),
      guard,
    );
    expect(results).toEqual([expect.objectContaining({ check: 'good', component: 'etcd', status: 'ok', message: 'fine', durationMs: expect.any(Number) })]);
  });

  it('keeps a failing finding with its code', async () => {
    const [r] = await runCheck(
      check('bad', async () => [{ status: 'crit', subject: 'etcd', message: '1 of 3', code: 'etcd-quorum-lost' }]),
      fakeContext(),
      guard,
    );
    expect(r).toMatchObject({ status: 'crit', code: 'etcd-quorum-lost' });
  });

  it('turns a thrown error into an error result instead of crashing the run', async () => {
    const results = await runChecks(
      [
        check('boom', async () => {
          throw new Error('kaput\nsecond line');
        }),
        check('fine', async () => [{ status: 'ok', subject: 's', message: 'm' }]),
      ],
      fakeContext(),
      guard,
    );
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['boom', 'error'],
      ['fine', 'ok'],
    ]);
    expect(results[0]!.message).toBe('check failed: kaput');
  });

  it('cuts off a check that outlives its guard', async () => {
    const started = Date.now();
    const [r] = await runCheck(
      check('slow', () => new Promise(() => undefined)),
      fakeContext(),
      { checkTimeoutMs: 100 },
    );
    expect(r).toMatchObject({ status: 'error', message: expect.stringContaining('did not finish within 100 ms') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('skips a check whose need is unmet, with the reason, and asks the need only once', async () => {
    let asked = 0;
    const needs = {
      api: async () => {
        asked += 1;
        return 'API server unreachable (connection refused)';
      },
      nodes: async () => null,
      etcd: async () => null,
    };
    let ran = false;
    const body = async () => {
      ran = true;
      return [];
    };
    const results = await runChecks([check('a', body, ['api']), check('b', body, ['api'])], fakeContext(), { ...guard, needs });
    expect(ran).toBe(false);
    expect(asked).toBe(1);
    expect(results.map((r) => [r.status, r.message])).toEqual([
      ['skip', 'API server unreachable (connection refused)'],
      ['skip', 'API server unreachable (connection refused)'],
    ]);
  });

  it('reports a warn without a catalogue code as a bug, not as a silent warning', async () => {
    const [r] = await runCheck(
      check('sloppy', async () => [{ status: 'warn', subject: 's', message: 'hmm' }]),
      fakeContext(),
      guard,
    );
    expect(r).toMatchObject({ status: 'error', message: expect.stringContaining('without a catalogue code') });
  });

  it('reports a check with nothing to say as one ok line', async () => {
    const results = await runCheck(
      check('quiet', async () => []),
      fakeContext(),
      guard,
    );
    expect(results).toEqual([expect.objectContaining({ status: 'ok', message: 'nothing to report' })]);
  });
});

describe('limiter', () => {
  it('never has more than the cap in flight', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limit(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe('limiter under churn', () => {
  it('never exceeds the cap when newcomers arrive while a slot is handed over', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    const task = () =>
      limit(async () => {
        active += 1;
        peak = Math.max(peak, active);
        await Promise.resolve();
        active -= 1;
      });
    const first = Array.from({ length: 10 }, task);
    // Newcomers queued in the same turns as the releases.
    const later = Array.from({ length: 10 }, () => Promise.resolve().then(task));
    await Promise.all([...first, ...later]);
    expect(peak).toBe(2);
  });
});

describe('limiter resize', () => {
  /** Tasks that stay in flight until released, so the test sees exactly how many started. */
  function gated(limit: ReturnType<typeof createLimiter>, n: number) {
    let started = 0;
    const gates: (() => void)[] = [];
    const done = Array.from({ length: n }, () =>
      limit(async () => {
        started += 1;
        await new Promise<void>((r) => gates.push(r));
      }),
    );
    return { started: () => started, releaseOne: () => gates.shift()?.(), done };
  }
  const turn = () => new Promise((r) => setImmediate(r));

  it('growing starts queued work at once, up to the new cap', async () => {
    const limit = createLimiter(2);
    const t = gated(limit, 6);
    await turn();
    expect(t.started()).toBe(2);
    limit.resize(5);
    await turn();
    expect(t.started()).toBe(5);
    for (let i = 0; i < 6; i++) {
      t.releaseOne();
      await turn();
    }
    await Promise.all(t.done);
    expect(t.started()).toBe(6);
  });

  it('shrinking lets what is in flight finish and hands out no slot until under the new cap', async () => {
    const limit = createLimiter(4);
    const t = gated(limit, 8);
    await turn();
    expect(t.started()).toBe(4);
    limit.resize(1);
    t.releaseOne();
    t.releaseOne();
    await turn();
    expect(t.started()).toBe(4); // 2 still in flight, cap 1: nobody starts
    t.releaseOne();
    await turn();
    expect(t.started()).toBe(4); // 1 in flight = cap
    t.releaseOne();
    await turn();
    expect(t.started()).toBe(5); // the freed slot goes to the next waiter
    for (let i = 0; i < 8; i++) {
      t.releaseOne();
      await turn();
    }
    await Promise.all(t.done);
    expect(t.started()).toBe(8);
  });
});
