import { describe, expect, it } from 'vitest';
import { histogramBuckets, histogramCount, histogramQuantile, parseLabels } from '../../../src/judge/histogram.js';

const METRIC = 'apiserver_request_duration_seconds';

function bucketLines(labels: string, counts: [string, number][]): string {
  return counts.map(([le, n]) => `${METRIC}_bucket{${labels},le="${le}"} ${n}`).join('\n');
}

const PAGE = [
  `# HELP ${METRIC} [STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.`,
  `# TYPE ${METRIC} histogram`,
  bucketLines('component="apiserver",dry_run="",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"', [
    ['0.05', 50],
    ['0.1', 80],
    ['0.5', 95],
    ['1', 100],
    ['+Inf', 100],
  ]),
  `${METRIC}_sum{component="apiserver",dry_run="",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"} 9.5`,
  `${METRIC}_count{component="apiserver",dry_run="",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"} 100`,
  bucketLines('component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="GET",version="v1"', [
    ['0.05', 100],
    ['0.1', 100],
    ['0.5', 100],
    ['1', 100],
    ['+Inf', 100],
  ]),
  // Long-running WATCH requests would swamp the quantile: they must be filtered out.
  bucketLines('component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"', [
    ['0.05', 0],
    ['0.1', 0],
    ['0.5', 0],
    ['1', 0],
    ['+Inf', 500],
  ]),
  'apiserver_request_total{code="200",verb="GET"} 4',
  '',
].join('\n');

const readVerbs = (l: Record<string, string>) => l['verb'] === 'GET' || l['verb'] === 'LIST';

describe('histogramBuckets', () => {
  it('sums the selected label sets per bound and leaves the rest out', () => {
    expect(histogramBuckets(PAGE, METRIC, readVerbs)).toEqual([
      { le: 0.05, count: 150 },
      { le: 0.1, count: 180 },
      { le: 0.5, count: 195 },
      { le: 1, count: 200 },
      { le: Infinity, count: 200 },
    ]);
  });

  it('is empty when the metric is absent', () => {
    expect(histogramBuckets('up 1\n', METRIC, () => true)).toEqual([]);
  });
});

describe('histogramQuantile (PromQL semantics)', () => {
  const buckets = histogramBuckets(PAGE, METRIC, readVerbs);

  it('interpolates inside the bucket that holds the rank', () => {
    // rank 0.99 × 200 = 198 lies in (0.5, 1] which holds 5 observations above 195.
    expect(histogramQuantile(0.99, buckets)).toBeCloseTo(0.5 + 0.5 * (3 / 5), 10);
    // rank 100 lies in the first bucket: 0 + 0.05 × 100/150.
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.05 * (100 / 150), 10);
  });

  it('answers the highest finite bound when the rank falls into +Inf', () => {
    const slow = [
      { le: 0.1, count: 1 },
      { le: 1, count: 2 },
      { le: Infinity, count: 100 },
    ];
    expect(histogramQuantile(0.99, slow)).toBe(1);
  });

  it('is null without observations or without a +Inf bucket', () => {
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNull();
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 3 },
        { le: 2, count: 3 },
      ]),
    ).toBeNull();
    expect(histogramCount(buckets)).toBe(200);
  });
});

describe('parseLabels', () => {
  it('unescapes quoted values', () => {
    expect(parseLabels('a="x",b="say \\"hi\\"",c="line\\nbreak"')).toEqual({ a: 'x', b: 'say "hi"', c: 'line\nbreak' });
  });
});
