// etcd's performance from two scrapes of a member's /metrics a few seconds apart, judged by
// the thresholds of etcd's own alert rules (contrib/mixin/alerts/alerts.libsonnet):
// WAL fsync p99 > 0.5 s warning, > 1 s critical; backend commit p99 > 0.25 s; peer round trip
// p99 > 0.15 s (per peer); >= 4 leader changes in 15 minutes; failed proposals at more than 5
// per second. Percentiles and rates come from the difference between the scrapes; where the
// window saw nothing (an idle member) the cumulative figures since the member started are all
// there is, and the message says so. Pure: no I/O.
import { raise } from '../catalogue/raise.js';
import type { About, Finding } from '../engine/types.js';
import { histogramBuckets, histogramCount, histogramQuantile, parseLabels, type Bucket } from './histogram.js';

export const WAL_FSYNC_WARN_S = 0.5;
export const WAL_FSYNC_CRIT_S = 1;
export const BACKEND_COMMIT_WARN_S = 0.25;
export const PEER_RTT_WARN_S = 0.15;
/** etcdHighNumberOfLeaderChanges: increase over 15 minutes. */
export const LEADER_CHANGES_PER_15M = 4;
/** etcdHighNumberOfFailedProposals: rate(...[15m]) > 5, a per-second rate. */
export const FAILED_PROPOSALS_PER_S = 5;

export const METRIC = {
  walFsync: 'etcd_disk_wal_fsync_duration_seconds',
  backendCommit: 'etcd_disk_backend_commit_duration_seconds',
  peerRtt: 'etcd_network_peer_round_trip_time_seconds',
  leaderChanges: 'etcd_server_leader_changes_seen_total',
  proposalsFailed: 'etcd_server_proposals_failed_total',
  hasLeader: 'etcd_server_has_leader',
  startTime: 'process_start_time_seconds',
} as const;

export interface MemberMetrics {
  /** `etcd member cp-1 (https://10.0.0.1:2379)`. */
  subject: string;
  /** Member name (for the finding's `about`). */
  name: string;
  endpoint: string;
  first: string;
  /** The second scrape's text; null when it failed (then only "since start" is known). */
  second: string | null;
  /** Milliseconds between the scrapes. */
  windowMs: number;
  /** Wall clock of the second scrape (or the first), seconds since the epoch, for the uptime. */
  nowSeconds: number;
}

/** A gauge or counter summed over its label sets; null when absent. */
export function sampleSum(text: string, name: string, select: (labels: Record<string, string>) => boolean = () => true): number | null {
  let sum: number | null = null;
  const pattern = new RegExp(`^${name}(\\{[^}]*\\})?\\s+([0-9.eE+-]+|NaN|[+-]Inf)\\s*$`, 'gm');
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const labels = m[1] ? parseLabels(m[1].slice(1, -1)) : {};
    const v = Number(m[2]);
    if (Number.isFinite(v) && select(labels)) sum = (sum ?? 0) + v;
  }
  return sum;
}

/** Bucket-wise difference of two cumulative histograms (second − first), as rate() sees it. */
export function bucketDelta(first: readonly Bucket[], second: readonly Bucket[]): Bucket[] {
  const before = new Map(first.map((b) => [b.le, b.count]));
  return second.map((b) => ({ le: b.le, count: Math.max(0, b.count - (before.get(b.le) ?? 0)) }));
}

export interface Percentile {
  /** Seconds; null when the histogram is absent or empty. */
  p99: number | null;
  /** Where it came from: the window between the scrapes, or everything since the member started. */
  over: 'window' | 'since-start' | 'absent';
  observations: number;
}

/** p99 over the window when the window saw observations, else since start. */
export function p99(m: MemberMetrics, metric: string, select: (labels: Record<string, string>) => boolean = () => true): Percentile {
  const first = histogramBuckets(m.first, metric, select);
  if (first.length === 0) return { p99: null, over: 'absent', observations: 0 };
  if (m.second !== null) {
    const delta = bucketDelta(first, histogramBuckets(m.second, metric, select));
    const n = histogramCount(delta);
    if (n > 0) return { p99: histogramQuantile(0.99, delta), over: 'window', observations: n };
  }
  const latest = m.second !== null ? histogramBuckets(m.second, metric, select) : first;
  const n = histogramCount(latest);
  return { p99: n > 0 ? histogramQuantile(0.99, latest) : null, over: n > 0 ? 'since-start' : 'absent', observations: n };
}

function seconds(s: number): string {
  return s >= 1 ? `${s.toFixed(2)} s` : `${Math.round(s * 1000)} ms`;
}

function windowText(m: MemberMetrics): string {
  return `${(m.windowMs / 1000).toFixed(1)} s between two scrapes`;
}

function uptimeText(m: MemberMetrics, text: string): { seconds: number | null; words: string } {
  const start = sampleSum(text, METRIC.startTime);
  if (start === null || start <= 0) return { seconds: null, words: 'since the member started' };
  const up = Math.max(1, m.nowSeconds - start);
  const h = up / 3600;
  return {
    seconds: up,
    words: `since the member started ${h >= 48 ? `${Math.round(h / 24)} d` : h >= 1 ? `${h.toFixed(1)} h` : `${Math.round(up / 60)} min`} ago`,
  };
}

function over(m: MemberMetrics, p: Percentile, text: string): string {
  return p.over === 'window' ? `over the ${windowText(m)} (${p.observations} observations)` : uptimeText(m, text).words;
}

/** The peers a member measures round trips to (the `To` label). */
function peers(text: string): string[] {
  const found = new Set<string>();
  const prefix = `${METRIC.peerRtt}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const to = parseLabels(line.slice(prefix.length, line.lastIndexOf('}')))['To'];
    if (to !== undefined) found.add(to);
  }
  return [...found].sort();
}

/** Every finding for one member, and the figures for its ok line. */
export function judgeMemberPerformance(m: MemberMetrics): { findings: Finding[]; figures: Record<string, unknown>; summary: string[] } {
  const findings: Finding[] = [];
  const about: About = { member: { name: m.name, clientURLs: [m.endpoint] }, endpoint: m.endpoint };
  const latest = m.second ?? m.first;
  const figures: Record<string, unknown> = { member: m.name, endpoint: m.endpoint, windowMs: m.second !== null ? m.windowMs : null };
  const summary: string[] = [];

  const fsync = p99(m, METRIC.walFsync);
  figures['walFsyncP99Seconds'] = fsync.p99;
  figures['walFsyncOver'] = fsync.over;
  if (fsync.p99 !== null) {
    summary.push(`WAL fsync p99 ${seconds(fsync.p99)}`);
    if (fsync.p99 > WAL_FSYNC_WARN_S) {
      const critical = fsync.p99 > WAL_FSYNC_CRIT_S;
      findings.push(
        raise({
          code: 'etcd-wal-fsync-slow',
          ...(critical ? { grade: 'critical' } : {}),
          subject: m.subject,
          message: `WAL fsync p99 is ${seconds(fsync.p99)} ${over(m, fsync, latest)} (etcd's alert: > ${WAL_FSYNC_WARN_S} s warning, > ${WAL_FSYNC_CRIT_S} s critical; a healthy disk stays under 10 ms)`,
          data: { ...figures },
          about,
        }),
      );
    }
  }

  const commit = p99(m, METRIC.backendCommit);
  figures['backendCommitP99Seconds'] = commit.p99;
  if (commit.p99 !== null) {
    summary.push(`backend commit p99 ${seconds(commit.p99)}`);
    if (commit.p99 > BACKEND_COMMIT_WARN_S) {
      findings.push(
        raise({
          code: 'etcd-backend-commit-slow',
          subject: m.subject,
          message: `backend commit p99 is ${seconds(commit.p99)} ${over(m, commit, latest)} (etcd's alert: > ${BACKEND_COMMIT_WARN_S} s)`,
          data: { ...figures },
          about,
        }),
      );
    }
  }

  const rtts: Record<string, number | null> = {};
  for (const peer of peers(latest)) {
    const rtt = p99(m, METRIC.peerRtt, (l) => l['To'] === peer);
    rtts[peer] = rtt.p99;
    if (rtt.p99 !== null && rtt.p99 > PEER_RTT_WARN_S) {
      findings.push(
        raise({
          code: 'etcd-peer-latency-high',
          subject: m.subject,
          message: `round trip to peer ${peer} p99 is ${seconds(rtt.p99)} ${over(m, rtt, latest)} (etcd's alert: > ${PEER_RTT_WARN_S} s)`,
          data: { ...figures, peer, peerRttP99Seconds: rtt.p99 },
          about,
        }),
      );
    }
  }
  figures['peerRttP99Seconds'] = rtts;
  const worstRtt = Object.values(rtts).filter((v): v is number => v !== null);
  if (worstRtt.length > 0) summary.push(`peer round trip p99 ≤ ${seconds(Math.max(...worstRtt))}`);

  const changesFirst = sampleSum(m.first, METRIC.leaderChanges);
  const changesLatest = sampleSum(latest, METRIC.leaderChanges);
  if (changesLatest !== null) {
    figures['leaderChangesSinceStart'] = changesLatest;
    const inWindow = m.second !== null && changesFirst !== null ? Math.max(0, changesLatest - changesFirst) : null;
    figures['leaderChangesInWindow'] = inWindow;
    const uptime = uptimeText(m, latest);
    // The first election of a starting member counts one change: it is not a fault.
    const afterFirst = Math.max(0, changesLatest - 1);
    const per15m = uptime.seconds !== null ? (afterFirst / uptime.seconds) * 900 : null;
    if (inWindow !== null && inWindow > 0) {
      findings.push(
        raise({
          code: 'etcd-leader-changes',
          subject: m.subject,
          message: `${inWindow} leader change${inWindow === 1 ? '' : 's'} over the ${windowText(m)}, ${changesLatest} ${uptime.words}`,
          data: { ...figures },
          about,
        }),
      );
    } else if (per15m !== null && afterFirst >= LEADER_CHANGES_PER_15M && per15m >= LEADER_CHANGES_PER_15M) {
      findings.push(
        raise({
          code: 'etcd-leader-changes',
          subject: m.subject,
          message: `${changesLatest} leader changes ${uptime.words}: ${per15m.toFixed(1)} per 15 min on average (etcd's alert: ≥ ${LEADER_CHANGES_PER_15M} in 15 min); none over the ${windowText(m)}`,
          data: { ...figures, leaderChangesPer15m: per15m },
          about,
        }),
      );
    }
  }

  const failedFirst = sampleSum(m.first, METRIC.proposalsFailed);
  const failedLatest = sampleSum(latest, METRIC.proposalsFailed);
  if (failedLatest !== null) {
    figures['proposalsFailedSinceStart'] = failedLatest;
    if (m.second !== null && failedFirst !== null && m.windowMs > 0) {
      const rate = Math.max(0, failedLatest - failedFirst) / (m.windowMs / 1000);
      figures['proposalsFailedPerSecond'] = rate;
      if (rate > FAILED_PROPOSALS_PER_S) {
        findings.push(
          raise({
            code: 'etcd-proposals-failed',
            subject: m.subject,
            message: `${rate.toFixed(1)} failed proposals per second over the ${windowText(m)} (etcd's alert: > ${FAILED_PROPOSALS_PER_S}/s); ${failedLatest} since the member started`,
            data: { ...figures },
            about,
          }),
        );
      }
    }
  }

  const hasLeader = sampleSum(latest, METRIC.hasLeader);
  figures['hasLeader'] = hasLeader;
  // etcd-quorum judges the leader from every member's status; here it only explains the figures.
  if (hasLeader === 0) summary.push('no leader (etcd_server_has_leader 0: see etcd-quorum)');
  return { findings, figures, summary };
}
