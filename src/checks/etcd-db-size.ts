// How full is each member's database? Against the quota (--etcd-quota, else the member's own
// etcd_server_quota_backend_bytes from /metrics, else etcd's 2 GiB default): above 80 % is a
// warning, above 95 % critical, at 100 % etcd raises NOSPACE. Much allocated-but-unused space
// (size vs size in use) is a hint to defragment.
import { raise } from '../catalogue/raise.js';
import type { Check, Finding } from '../engine/types.js';
import type { EtcdView } from '../observe/etcd-view.js';
import { memberAbout, memberSubject, NO_CREDENTIALS_SKIP } from '../judge/etcd.js';
import { collectAlarms } from './etcd-alarms.js';

export const WARN_RATIO = 0.8;
export const CRIT_RATIO = 0.95;
/** Fragmented: at least half the file unused, and enough of it to matter. */
export const FRAGMENTED_RATIO = 0.5;
export const FRAGMENTED_MIN_BYTES = 64 * 1024 * 1024;

/** A sample's value from Prometheus text format, or null when absent. */
export function metricValue(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)\\s*$`, 'm').exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : null;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}

export interface QuotaSettings {
  quotaBytes: number;
  /** The user gave --etcd-quota: it wins over what the member says. */
  fromFlag: boolean;
}

export function judgeDbSize(view: EtcdView, quota: QuotaSettings): Finding[] {
  const findings: Finding[] = [];
  const sizes: Record<string, unknown>[] = [];
  // etcd's own verdict beats our estimate: a member with NOSPACE raised is full, whatever
  // its file size says right now (members apply and grow their files at slightly different
  // moments, so a full cluster can show one member at 93 %).
  const nospace = new Set(
    collectAlarms(view)
      .filter((a) => a.alarm === 'NOSPACE')
      .map((a) => a.memberId),
  );
  for (const m of view.members) {
    const answer = m.answer;
    if (!answer || answer.status.kind !== 'ok') continue;
    const s = answer.status.value;
    const fromMetrics = !quota.fromFlag && answer.metrics?.kind === 'ok' ? metricValue(answer.metrics.value, 'etcd_server_quota_backend_bytes') : null;
    const quotaBytes = fromMetrics ?? quota.quotaBytes;
    const quotaSource = fromMetrics !== null ? 'metrics' : quota.fromFlag ? '--etcd-quota' : 'default';
    const ratio = quotaBytes > 0 ? s.dbSize / quotaBytes : 0;
    const percent = Math.round(ratio * 1000) / 10;
    const unused = Math.max(0, s.dbSize - s.dbSizeInUse);
    const alarmed = nospace.has('0') || nospace.has(m.id ?? s.memberId);
    const data = { member: m.label, dbSize: s.dbSize, dbSizeInUse: s.dbSizeInUse, quotaBytes, quotaSource, percent, nospace: alarmed };
    sizes.push(data);
    const figures = `${formatBytes(s.dbSize)} of ${formatBytes(quotaBytes)} quota (${percent} %, quota from ${quotaSource})`;
    if (ratio > WARN_RATIO || alarmed) {
      const code = 'etcd-db-near-quota' as const;

      const raised = alarmed ? '; etcd has raised NOSPACE for it: writes are refused' : '';
      const reclaim = unused > 0 ? `; ${formatBytes(unused)} could be reclaimed by defragmenting` : '';
      findings.push(
        raise({
          code,
          ...(ratio > CRIT_RATIO || alarmed ? { grade: 'full' } : {}),
          subject: memberSubject(m),
          // A raised NOSPACE changes what shows and what to do first: writes already fail.
          about: alarmed ? { ...memberAbout(m), evidence: { alarm: 'nospace' } } : memberAbout(m),
          message: `database is ${figures}${raised}${reclaim}`,
          data,
        }),
      );
    }
    if (s.dbSize > 0 && unused / s.dbSize >= FRAGMENTED_RATIO && unused >= FRAGMENTED_MIN_BYTES) {
      const code = 'etcd-db-fragmented' as const;
      findings.push(
        raise({
          code,
          subject: memberSubject(m),
          about: memberAbout(m),
          message: `only ${formatBytes(s.dbSizeInUse)} of the ${formatBytes(s.dbSize)} file is in use: etcdctl defrag --endpoints=${m.endpoint} would return ${formatBytes(unused)}`,
          data,
        }),
      );
    }
  }
  if (sizes.length === 0) return [{ status: 'skip', subject: 'etcd', message: 'no etcd member answered: database size unknown (see etcd-members)' }];
  if (findings.length > 0) return findings;
  const largest = sizes.reduce((a, b) => ((b.percent as number) > (a.percent as number) ? b : a));
  return [
    {
      status: 'ok',
      subject: 'etcd',
      message: `largest database ${formatBytes(largest.dbSize as number)} on ${largest.member as string}: ${largest.percent as number} % of the ${formatBytes(largest.quotaBytes as number)} quota`,
      data: { members: sizes },
    },
  ];
}

export const etcdDbSize: Check = {
  prewarm: (ctx) => ctx.facts.etcd.prewarm(),
  id: 'etcd-db-size',
  component: 'etcd',
  title: 'etcd databases are well below their quota and not badly fragmented',
  needs: ['etcd'],
  codes: ['etcd-db-near-quota', 'etcd-db-fragmented'],
  async run(ctx) {
    const view = await ctx.facts.etcd.view();
    if (view === null) return [...NO_CREDENTIALS_SKIP];
    return judgeDbSize(view, { quotaBytes: ctx.options.etcdQuotaBytes, fromFlag: ctx.options.etcdQuotaFromFlag });
  },
};
