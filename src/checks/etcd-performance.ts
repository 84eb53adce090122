// Is etcd fast enough? Each member's /metrics is scraped twice a few seconds apart (the etcd
// view's scrape, then facts.etcd.metricsAgain()), and WAL fsync, backend commit and peer round
// trip percentiles, leader changes and failed proposals are judged over that window against
// etcd's own alert thresholds (src/judge/etcd-performance.ts). A slow disk is the usual root
// of leader changes and of a slow API server, so it is reported as the cause of both.
import type { Check, Finding } from '../engine/types.js';
import { memberSubject, NO_CREDENTIALS_SKIP } from '../judge/etcd.js';
import { judgeMemberPerformance } from '../judge/etcd-performance.js';
import { safeText } from '../util/terminal-text.js';

export const etcdPerformance: Check = {
  prewarm: (ctx) => ctx.facts.etcd.prewarm(),
  id: 'etcd-performance',
  component: 'etcd',
  title: "etcd's disk (WAL fsync, backend commit), peer round trips, leader changes and failed proposals, from two /metrics scrapes",
  needs: ['etcd'],
  codes: ['etcd-wal-fsync-slow', 'etcd-backend-commit-slow', 'etcd-peer-latency-high', 'etcd-leader-changes', 'etcd-proposals-failed'],
  async run(ctx) {
    const view = await ctx.facts.etcd.view();
    if (view === null) return [...NO_CREDENTIALS_SKIP];
    if (ctx.options.etcdQuotaFromFlag)
      return [{ status: 'skip', subject: 'etcd', message: "not asked for /metrics (--etcd-quota was given, so the members' metrics were not read)" }];
    const pairs = (await ctx.facts.etcd.metricsAgain()) ?? [];
    const byEndpoint = new Map(pairs.map((p) => [p.endpoint, p]));
    const findings: Finding[] = [];
    const oks: Finding[] = [];
    for (const m of view.members) {
      const answer = m.answer;
      if (!answer || answer.metrics === null) continue;
      const subject = memberSubject(m);
      if (answer.metrics.kind !== 'ok') {
        oks.push({ status: 'skip', subject, message: `/metrics not readable: ${safeText(answer.metrics.message)}` });
        continue;
      }
      const pair = byEndpoint.get(answer.endpoint);
      const second = pair?.second.kind === 'ok' ? pair.second.value : null;
      const judged = judgeMemberPerformance({
        subject,
        name: m.label,
        endpoint: answer.endpoint,
        first: answer.metrics.value,
        second,
        windowMs: pair?.windowMs ?? 0,
        nowSeconds: ctx.now.getTime() / 1000,
      });
      findings.push(...judged.findings);
      if (judged.findings.length === 0) {
        const how =
          second !== null
            ? `over ${((pair?.windowMs ?? 0) / 1000).toFixed(1)} s between two scrapes where the window saw activity, else since start`
            : 'since start (the second scrape failed)';
        const said = judged.summary.length > 0 ? judged.summary.join(', ') : 'none of the performance metrics is exposed';
        oks.push({ status: 'ok', subject, message: `${said} (${how})`, data: judged.figures });
      }
    }
    if (findings.length === 0 && oks.length === 0) return [{ status: 'skip', subject: 'etcd', message: 'no etcd member answered /metrics (see etcd-members)' }];
    return [...findings, ...oks];
  },
};
