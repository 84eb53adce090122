// The probes that start before discovery: each check's prewarm gets the targets known up front,
// leave discovery a reserve of slots while it runs, and get every slot once it is over; a
// prewarm that throws costs nothing but a debug line.
import { describe, expect, it } from 'vitest';
import { earlyShare, startEarlyProbes } from '../../src/engine/early-probes.js';
import { createLimiter } from '../../src/engine/limit.js';
import type { Check, CheckContext } from '../../src/engine/types.js';
import type { TcpOutcome } from '../../src/probes/types.js';
import { emptyTargets, fakeContext, fakeProbes } from '../helpers/fake-context.js';

const turn = () => new Promise((r) => setImmediate(r));

function check(id: string, prewarm?: (ctx: CheckContext) => void): Check {
  return { id, component: 'ports', title: id, needs: [], codes: [], run: async () => [], ...(prewarm ? { prewarm } : {}) };
}

describe('early probes', () => {
  it('leave discovery its slots while it runs, take all of them after, and share the run memo', async () => {
    const ctx = fakeContext({ options: { concurrency: 8 } });
    const limit = createLimiter(8);
    let inFlight = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const tcp = async (): Promise<TcpOutcome> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((r) => release.push(r));
      inFlight -= 1;
      return { kind: 'ok', ms: 1 };
    };
    const hosts = Array.from({ length: 20 }, (_, i) => ({ address: `10.0.0.${i + 1}`, controlPlane: false }));
    const early = startEarlyProbes(ctx, [check('ports', (c) => c.targets.hosts.forEach((h) => void c.facts.tcp(h.address, 10250)))], {
      raw: fakeProbes({ tcp }),
      limit,
      targets: async () => emptyTargets({ hosts }),
      factsFor: ctx.factsFor,
    });
    await turn();
    expect(peak).toBe(4); // --concurrency 8: discovery keeps half of so few
    // A check asking for the same socket gets the early probe, not a second connection.
    const same = ctx.facts.tcp('10.0.0.1', 10250);
    early.discoveryDone();
    await turn();
    expect(inFlight).toBe(8);
    while (release.length > 0) {
      release.shift()!();
      await turn();
    }
    expect(await same).toEqual({ kind: 'ok', ms: 1 });
    expect(peak).toBe(8);
  });

  it('keep 8 slots for discovery, never more than half', () => {
    expect([1, 2, 4, 8, 16, 32, 128].map(earlyShare)).toEqual([1, 1, 2, 4, 8, 24, 120]);
  });

  it('read the targets (the discovery cache) only when a selected check prewarms', async () => {
    let asked = 0;
    const quiet = fakeContext();
    startEarlyProbes(quiet, [check('quiet')], {
      raw: fakeProbes(),
      limit: createLimiter(4),
      targets: async () => (asked++, emptyTargets()),
      factsFor: quiet.factsFor,
    });
    await turn();
    expect(asked).toBe(0);
  });

  it('a prewarm that throws is logged and the others still start', async () => {
    const lines: string[] = [];
    const ctx = { ...fakeContext(), log: (l: string) => lines.push(l) };
    let started = false;
    startEarlyProbes(
      ctx,
      [
        check('broken', () => {
          throw new Error('boom');
        }),
        check('fine', () => (started = true)),
        check('no-prewarm'),
      ],
      { raw: fakeProbes(), limit: createLimiter(4), targets: async () => emptyTargets(), factsFor: ctx.factsFor },
    );
    await turn();
    expect(started).toBe(true);
    expect(lines).toEqual(['early probes of broken: boom']);
  });
});
