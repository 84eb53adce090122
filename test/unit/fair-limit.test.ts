// The --concurrency budget shared by several clusters: never more than `max` in flight, and a
// cluster that queues thousands of probes first does not hold the others back.
import { describe, expect, it } from 'vitest';
import { createFairLimiter } from '../../src/engine/fair-limit.js';

/** A task that runs until released, recording the order tasks started in. */
function gate() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  const task = (name: string) => () =>
    new Promise<void>((resolve) => {
      started.push(name);
      releases.push(resolve);
    });
  /** Lets the task that started first finish, and waits for the limiter to start the next. */
  const releaseOne = async () => {
    releases.shift()!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, task, releaseOne, running: () => releases.length };
}

describe('createFairLimiter', () => {
  it('never runs more than max at once over all lanes', async () => {
    const fair = createFairLimiter(3);
    const [a, b] = [fair.lane(), fair.lane()];
    const g = gate();
    const all = [...Array.from({ length: 10 }, (_, i) => a(g.task(`a${i}`))), ...Array.from({ length: 10 }, (_, i) => b(g.task(`b${i}`)))];
    await Promise.resolve();
    while (g.started.length < 20 || g.running() > 0) {
      expect(fair.active).toBeLessThanOrEqual(3);
      expect(g.running()).toBeLessThanOrEqual(3);
      await g.releaseOne();
    }
    await Promise.all(all);
    expect(fair.active).toBe(0);
  });

  it('lanes take freed slots in turn: a lane queued later is not served after the whole earlier queue', async () => {
    const fair = createFairLimiter(2);
    const [a, b] = [fair.lane(), fair.lane()];
    const g = gate();
    const queued = Array.from({ length: 100 }, (_, i) => a(g.task(`a${i}`)));
    await Promise.resolve();
    const late = [b(g.task('b0')), b(g.task('b1'))];
    for (let i = 0; i < 4; i++) await g.releaseOne();
    // a0 and a1 ran first; of the next four slots, b got two, long before a's 98 waiting probes.
    expect(g.started.slice(0, 6).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'b0', 'b1']);
    while (g.running() > 0) await g.releaseOne();
    await Promise.all([...queued, ...late]);
    expect(g.started).toHaveLength(102);
  });

  it('a lane alone uses every slot (an idle lane leaves its share to the others)', async () => {
    const fair = createFairLimiter(4);
    const a = fair.lane();
    fair.lane();
    const g = gate();
    const tasks = Array.from({ length: 8 }, (_, i) => a(g.task(`a${i}`)));
    await Promise.resolve();
    expect(g.running()).toBe(4);
    while (g.running() > 0) await g.releaseOne();
    await Promise.all(tasks);
  });

  it("resize caps one lane without touching the others' slots", async () => {
    const fair = createFairLimiter(4);
    const [a, b] = [fair.lane(), fair.lane()];
    a.resize(1);
    const g = gate();
    const tasks = [...Array.from({ length: 3 }, (_, i) => a(g.task(`a${i}`))), ...Array.from({ length: 3 }, (_, i) => b(g.task(`b${i}`)))];
    await Promise.resolve();
    expect(g.started.filter((n) => n.startsWith('a'))).toEqual(['a0']);
    expect(g.started.filter((n) => n.startsWith('b'))).toEqual(['b0', 'b1', 'b2']);
    while (g.running() > 0) await g.releaseOne();
    await Promise.all(tasks);
  });
});
