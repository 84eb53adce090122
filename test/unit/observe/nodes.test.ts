// nodes judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../helpers/fake-context.js';
import { nodeObject, fakeApi } from '../../helpers/fake-nodes.js';

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
