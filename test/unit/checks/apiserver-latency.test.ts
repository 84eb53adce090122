// apiserver-latency judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { apiserverLatency } from '../../../src/checks/apiserver-latency.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { LB, ok, fakeKube, VERSION, reachableProbes, metricsWithP99 } from '../../helpers/fake-api.js';

describe('apiserver-latency', () => {
  const latencyKube = (p99Seconds: number | 'forbidden', versionMs = 4) =>
    fakeKube((path) => {
      if (path === '/version') return ok(VERSION, versionMs);
      if (path === '/metrics')
        return p99Seconds === 'forbidden' ? { kind: 'forbidden', status: 403, message: 'HTTP 403', ms: 1 } : ok(metricsWithP99(p99Seconds));
      return undefined;
    });

  it('reports median and max round trip and the p99 from the histogram, ok under the threshold', async () => {
    const kube = latencyKube(0.08);
    const [f] = await apiserverLatency.run(fakeContext({ probes: { kube, ...reachableProbes() }, targets: { kubeServer: LB } }));
    expect(f).toMatchObject({ status: 'ok', data: { samples: 5, medianMs: 4, maxMs: 4, thresholdMs: 1000, p99Observations: 100 } });
    // One for reachability, then the five timed samples.
    expect(kube.asked.filter((a) => a.endsWith('/version'))).toHaveLength(6);
    expect(f!.message).toMatch(/^round trip median 4 ms, max 4 ms over 5 requests; p99 of GET\/LIST since start \d+ ms$/);
  });

  it('raises apiserver-latency-high when the p99 exceeds --latency-warn', async () => {
    const [f] = await apiserverLatency.run(
      fakeContext({ probes: { kube: latencyKube(2), ...reachableProbes() }, targets: { kubeServer: LB }, options: { latencyWarnMs: 1000 } }),
    );
    // Rank 99 of 100 lies in (1 s, 2 s], which holds the slowest 5: 1 + 1 × 4/5, as PromQL computes it.
    expect(f).toMatchObject({ status: 'warn', code: 'apiserver-latency-high', data: { p99Ms: 1800 } });
    expect(f!.message).toMatch(/^the server's p99 for GET\/LIST is 1\.80 s, above --latency-warn 1\.00 s/);
  });

  it('judges the round trip alone when /metrics is forbidden, and says why the p99 is missing', async () => {
    const [f] = await apiserverLatency.run(
      fakeContext({ probes: { kube: latencyKube('forbidden', 300), ...reachableProbes() }, targets: { kubeServer: LB }, options: { latencyWarnMs: 200 } }),
    );
    expect(f).toMatchObject({
      status: 'warn',
      code: 'apiserver-latency-high',
      data: { medianMs: 300, p99Ms: null, p99Unknown: 'p99 not read: needs get on the non-resource URL /metrics' },
    });
  });

  // Requests to /version in order: the first is the reachability probe, then the five samples.
  const timingOut = (which: readonly number[]) => {
    let n = 0;
    return fakeKube((path) => {
      if (path === '/version') {
        n += 1;
        return which.includes(n) ? { kind: 'timeout' as const, message: 'no answer within 3000 ms', ms: 3000 } : ok(VERSION, 4);
      }
      if (path === '/metrics') return ok(metricsWithP99(0.08));
      return undefined;
    });
  };

  it('takes one sample that runs into --timeout as a hiccup: ok, said in the message, five samples still taken', async () => {
    const kube = timingOut([3]);
    const [f] = await apiserverLatency.run(fakeContext({ probes: { kube, ...reachableProbes() }, targets: { kubeServer: LB } }));
    expect(f).toMatchObject({ status: 'ok', data: { samples: 4, medianMs: 4 } });
    expect(f!.message).toContain('over 4 requests (1 more ran into --timeout)');
  });

  it('raises apiserver-latency-high on the second sample past --timeout', async () => {
    const [f] = await apiserverLatency.run(fakeContext({ probes: { kube: timingOut([2, 5]), ...reachableProbes() }, targets: { kubeServer: LB } }));
    expect(f).toMatchObject({ status: 'warn', code: 'apiserver-latency-high' });
    expect(f!.message).toMatch(/took longer than --timeout \(\d+ ms\) twice, the second time on request 4 of 5/);
  });
});
