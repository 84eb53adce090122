// Prometheus histograms from a /metrics text page: the buckets of one metric summed over the
// label sets we select, and a quantile computed as PromQL's histogram_quantile computes it.
// The API server's /metrics is several MB: only the lines of the metric asked for are parsed.

export interface Bucket {
  /** Upper bound of the bucket (`le`), Infinity for `+Inf`. */
  le: number;
  /** Cumulative count of observations at or below `le`. */
  count: number;
}

/** Label values of one sample line: `name{a="x",b="y \"q\""} 12` → { a: 'x', b: 'y "q"' }. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseSampleValue(text: string): number {
  const v = text.trim().split(/\s+/)[0] ?? '';
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

/**
 * The `<metric>_bucket` samples whose labels pass `select`, summed per `le` across label sets
 * (as `sum by (le)` does), sorted by bound. Empty when the metric is absent.
 */
export function histogramBuckets(text: string, metric: string, select: (labels: Record<string, string>) => boolean): Bucket[] {
  const prefix = `${metric}_bucket{`;
  const sums = new Map<number, number>();
  let start = text.indexOf(prefix);
  while (start !== -1) {
    const lineEnd = text.indexOf('\n', start);
    const line = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
    const close = line.lastIndexOf('}');
    // A line that starts with the prefix mid-line (inside a comment) is not a sample.
    const atLineStart = start === 0 || text[start - 1] === '\n';
    if (close !== -1 && atLineStart) {
      const labels = parseLabels(line.slice(prefix.length, close));
      const le = labels['le'];
      const value = parseSampleValue(line.slice(close + 1));
      if (le !== undefined && Number.isFinite(value) && select(labels)) {
        const bound = le === '+Inf' ? Infinity : Number(le);
        if (!Number.isNaN(bound)) sums.set(bound, (sums.get(bound) ?? 0) + value);
      }
    }
    start = lineEnd === -1 ? -1 : text.indexOf(prefix, lineEnd);
  }
  return [...sums.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * PromQL's histogram_quantile over cumulative buckets: linear interpolation inside the bucket
 * that holds the rank; a rank in the +Inf bucket yields the highest finite bound. Null when
 * there are no observations or no +Inf bucket.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  if (buckets.length < 2) return null;
  const last = buckets[buckets.length - 1]!;
  if (last.le !== Infinity || last.count <= 0) return null;
  const rank = q * last.count;
  let index = buckets.findIndex((b) => b.count >= rank);
  if (index === -1) index = buckets.length - 1;
  if (index === buckets.length - 1) return buckets[buckets.length - 2]!.le;
  const bucket = buckets[index]!;
  if (index === 0 && bucket.le <= 0) return bucket.le;
  const lower = index === 0 ? 0 : buckets[index - 1]!.le;
  const below = index === 0 ? 0 : buckets[index - 1]!.count;
  const inBucket = bucket.count - below;
  if (inBucket <= 0) return bucket.le;
  return lower + (bucket.le - lower) * ((rank - below) / inBucket);
}

/** Total observations of a cumulative histogram (the +Inf bucket). */
export function histogramCount(buckets: readonly Bucket[]): number {
  const last = buckets[buckets.length - 1];
  return last && last.le === Infinity ? last.count : 0;
}
