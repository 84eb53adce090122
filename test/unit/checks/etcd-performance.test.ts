// etcd performance judged from fixture /metrics pages (the shapes etcd exposes): percentiles
// over the window between two scrapes, "since start" when the window saw nothing, and the
// thresholds of etcd's own alert rules.
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { judgeMemberPerformance, p99, type MemberMetrics } from '../../../src/judge/etcd-performance.js';

/** A histogram whose observations all fall in the bucket at `le` (cumulative, as Prometheus writes it). */
function histogram(name: string, bounds: number[], counts: Record<number, number>, labels = ''): string {
  let cumulative = 0;
  const lines = bounds.map((le) => {
    cumulative += counts[le] ?? 0;
    return `${name}_bucket{${labels}${labels ? ',' : ''}le="${le}"} ${cumulative}`;
  });
  lines.push(`${name}_bucket{${labels}${labels ? ',' : ''}le="+Inf"} ${cumulative}`, `${name}_count${labels ? `{${labels}}` : ''} ${cumulative}`);
  return lines.join('\n');
}

// etcd's buckets: 0.001 × 2^n for fsync and commit, 0.0001 × 2^n for the peer round trip.
const DISK = Array.from({ length: 14 }, (_, i) => 0.001 * 2 ** i);
const PEER = Array.from({ length: 16 }, (_, i) => 0.0001 * 2 ** i);

function page(o: {
  fsync?: Record<number, number>;
  commit?: Record<number, number>;
  rtt?: Record<number, number>;
  leaderChanges?: number;
  failed?: number;
  hasLeader?: number;
  start?: number;
}): string {
  return [
    '# HELP etcd_disk_wal_fsync_duration_seconds The latency distributions of fsync called by WAL.',
    '# TYPE etcd_disk_wal_fsync_duration_seconds histogram',
    histogram('etcd_disk_wal_fsync_duration_seconds', DISK, o.fsync ?? { [DISK[2]!]: 100 }),
    histogram('etcd_disk_backend_commit_duration_seconds', DISK, o.commit ?? { [DISK[3]!]: 100 }),
    histogram('etcd_network_peer_round_trip_time_seconds', PEER, o.rtt ?? { [PEER[5]!]: 50 }, 'To="8e9e05c52164694d"'),
    `etcd_server_leader_changes_seen_total ${o.leaderChanges ?? 1}`,
    `etcd_server_proposals_failed_total ${o.failed ?? 0}`,
    `etcd_server_has_leader ${o.hasLeader ?? 1}`,
    `process_start_time_seconds ${o.start ?? 1_764_000_000}`,
    '',
  ].join('\n');
}

const NOW_S = 1_764_000_000 + 10 * 86_400;

function member(first: string, second: string | null, windowMs = 5000): MemberMetrics {
  return { subject: 'etcd member cp-1 (https://10.0.0.1:2379)', name: 'cp-1', endpoint: 'https://10.0.0.1:2379', first, second, windowMs, nowSeconds: NOW_S };
}

describe('etcd performance', () => {
  it('a healthy member: nothing raised, figures for the ok line', () => {
    const first = page({});
    const second = page({ fsync: { [DISK[2]!]: 140 }, commit: { [DISK[3]!]: 130 } });
    const r = judgeMemberPerformance(member(first, second));
    expect(r.findings).toEqual([]);
    expect(r.summary[0]).toMatch(/^WAL fsync p99 \d+ ms$/);
    expect(r.figures).toMatchObject({ walFsyncOver: 'window', hasLeader: 1, leaderChangesSinceStart: 1, leaderChangesInWindow: 0 });
  });

  it('WAL fsync p99 over 0.5 s in the window warns, over 1 s is critical, and says over which window', () => {
    const first = page({});
    const slow = judgeMemberPerformance(member(first, page({ fsync: { [DISK[2]!]: 100, [DISK[9]!]: 40 } })));
    expect(slow.findings).toEqual([
      expect.objectContaining({ status: 'warn', code: 'etcd-wal-fsync-slow', about: expect.objectContaining({ endpoint: 'https://10.0.0.1:2379' }) }),
    ]);
    expect(slow.findings[0]!.message).toMatch(
      /^WAL fsync p99 is 509 ms over the 5\.0 s between two scrapes \(40 observations\) \(etcd's alert: > 0\.5 s warning, > 1 s critical/,
    );
    const worse = judgeMemberPerformance(member(first, page({ fsync: { [DISK[2]!]: 100, [DISK[11]!]: 40 } })));
    expect(worse.findings[0]).toMatchObject({ status: 'crit', code: 'etcd-wal-fsync-slow' });
    expect(ENTRIES['etcd-wal-fsync-slow'].fix[0]).toMatch(/etcd_disk_wal_fsync_duration_seconds/);
  });

  it('an idle window falls back to the figures since the member started, and says so', () => {
    const slowSinceStart = page({ fsync: { [DISK[10]!]: 100 } });
    const p = p99(member(slowSinceStart, slowSinceStart), 'etcd_disk_wal_fsync_duration_seconds');
    expect(p.over).toBe('since-start');
    const r = judgeMemberPerformance(member(slowSinceStart, slowSinceStart));
    expect(r.findings[0]!.message).toMatch(/since the member started 10 d ago/);
  });

  it('backend commit over 0.25 s and a peer round trip over 0.15 s are warnings naming the peer', () => {
    const first = page({});
    const r = judgeMemberPerformance(member(first, page({ commit: { [DISK[3]!]: 100, [DISK[9]!]: 20 }, rtt: { [PEER[5]!]: 50, [PEER[12]!]: 30 } })));
    expect(r.findings.map((f) => [f.code, f.status])).toEqual([
      ['etcd-backend-commit-slow', 'warn'],
      ['etcd-peer-latency-high', 'warn'],
    ]);
    expect(r.findings[1]!.message).toMatch(/^round trip to peer 8e9e05c52164694d p99 is/);
  });

  it('a leader change inside the window, or at least 4 per 15 minutes since start, is reported', () => {
    const now = judgeMemberPerformance(member(page({ leaderChanges: 3 }), page({ leaderChanges: 4 })));
    expect(now.findings).toEqual([expect.objectContaining({ code: 'etcd-leader-changes', status: 'warn' })]);
    expect(now.findings[0]!.message).toMatch(/^1 leader change over the 5\.0 s between two scrapes, 4 since the member started 10 d ago$/);
    // 10 days up and 6 changes: far below 4 per 15 minutes.
    expect(judgeMemberPerformance(member(page({ leaderChanges: 6 }), page({ leaderChanges: 6 }))).findings).toEqual([]);
    // Up 20 minutes with 9 changes: 6 per 15 minutes.
    const churn = page({ leaderChanges: 9, start: NOW_S - 1200 });
    expect(judgeMemberPerformance(member(churn, churn)).findings[0]!.message).toMatch(/^9 leader changes since the member started 20 min ago: 6\.0 per 15 min/);
  });

  it('failed proposals above 5 per second over the window are reported; a few over days are not', () => {
    const r = judgeMemberPerformance(member(page({ failed: 10 }), page({ failed: 60 })));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'etcd-proposals-failed' })]);
    expect(r.findings[0]!.message).toMatch(/^10\.0 failed proposals per second over the 5\.0 s/);
    expect(judgeMemberPerformance(member(page({ failed: 40 }), page({ failed: 41 }))).findings).toEqual([]);
  });

  it('without a second scrape, judges what the first says since start', () => {
    const r = judgeMemberPerformance(member(page({ fsync: { [DISK[11]!]: 10 } }), null));
    expect(r.findings[0]).toMatchObject({ code: 'etcd-wal-fsync-slow', status: 'crit' });
    expect(r.findings[0]!.message).toMatch(/since the member started/);
  });
});
