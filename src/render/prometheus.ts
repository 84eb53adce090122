// Prometheus text exposition (format 0.0.4), for node_exporter's textfile collector or a
// Pushgateway. The rule every family follows: a series' labels never depend on the outcome.
// A check's status is a state set (all five statuses always present, 1 on the current one),
// so `for:` clauses keep counting while a problem persists; the catalogue code, which does
// change with the outcome, is a separate info series to join on. docs/metrics.md lists every
// family.
import type { Report, ReportResult, Status } from '../engine/types.js';
import { derivedFamilies, joinLabels, type Family, type Sample } from './prometheus-families.js';

const STATUSES: readonly Status[] = ['ok', 'warn', 'crit', 'skip', 'error'];
const LEVELS = ['ok', 'warn', 'crit'] as const;
/** Which of two statuses describes a subject when a check reports it twice. */
const RANK: Record<Status, number> = { ok: 0, skip: 1, warn: 2, error: 3, crit: 4 };

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string>): string {
  // An empty label is the same as no label to Prometheus: leave it out.
  const set = Object.entries(pairs).filter(([, v]) => v !== '');
  return set.length === 0 ? '' : `{${set.map(([k, v]) => `${k}="${label(v)}"`).join(',')}}`;
}

function num(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** A check's identity in every per-check family: what it is about, never how it went. */
function identity(r: ReportResult): Record<string, string> {
  return { check: r.check, component: r.component, subject: r.subject };
}

function keyOf(pairs: Record<string, string>): string {
  return JSON.stringify(Object.entries(pairs).filter(([, v]) => v !== ''));
}

/** One sample per distinct label set; `merge` decides the value when two results share one. */
function unique(samples: Sample[], merge: (a: number, b: number) => number = (a) => a): Sample[] {
  const byKey = new Map<string, Sample>();
  for (const s of samples) {
    const key = keyOf(s.labels);
    const had = byKey.get(key);
    byKey.set(key, had ? { labels: had.labels, value: merge(had.value, s.value) } : s);
  }
  return [...byKey.values()];
}

function runFamilies(report: Report): Family[] {
  const endedAt = (Date.parse(report.startedAt) + report.durationMs) / 1000;
  return [
    {
      name: 'k8sdoc_build_info',
      help: 'The k8sdoc build that wrote these metrics (always 1).',
      samples: [{ labels: { version: report.tool.version, nodejs_version: process.versions.node, schema_version: String(report.schemaVersion) }, value: 1 }],
    },
    {
      name: 'k8sdoc_last_run_timestamp_seconds',
      help: 'When the run that wrote these metrics finished, as a Unix timestamp (alert when it grows old).',
      samples: [{ labels: {}, value: endedAt }],
    },
    {
      name: 'k8sdoc_run_duration_seconds',
      help: 'Time the whole run took.',
      samples: [{ labels: {}, value: report.durationMs / 1000 }],
    },
    // Only on a stopped run, so that every other run's output keeps its families.
    ...(report.interrupted
      ? [
          {
            name: 'k8sdoc_run_interrupted',
            help: '1 when SIGINT or SIGTERM stopped the run: the other figures are partial.',
            samples: [{ labels: {}, value: 1 }],
          },
        ]
      : []),
    {
      name: 'k8sdoc_run_status',
      help: 'Verdict of the run (worst status of the findings a config file does not ignore): 1 for the current one, 0 for the others.',
      samples: LEVELS.map((s) => ({ labels: { status: s }, value: report.status === s ? 1 : 0 })),
    },
    {
      name: 'k8sdoc_results',
      help: 'Results of the run by status (ignored findings are counted in k8sdoc_results_ignored instead).',
      samples: STATUSES.map((s) => ({ labels: { status: s }, value: report.summary[s] })),
    },
    {
      name: 'k8sdoc_results_ignored',
      help: 'Findings a config file ignores.',
      samples: [{ labels: {}, value: report.summary.ignored ?? 0 }],
    },
    {
      name: 'k8sdoc_root_cause_info',
      help: 'The independent root causes of the run, most likely first (rank 1); absent when nothing is wrong.',
      samples: report.rootCauses.map((c, i) => ({ labels: { code: c.code, subject: c.subject, rank: String(i + 1) }, value: 1 })),
    },
  ];
}

function checkFamilies(report: Report): Family[] {
  // A check that reports the same subject twice (two alarms on `etcd`) shows its worst status.
  const worst = new Map<string, { r: ReportResult; status: Status }>();
  for (const r of report.results) {
    const key = keyOf(identity(r));
    const had = worst.get(key);
    if (!had || RANK[r.status] > RANK[had.status]) worst.set(key, { r, status: r.status });
  }
  const problems = report.results.filter((r) => (r.status === 'warn' || r.status === 'crit') && r.code);
  const durations = new Map<string, number>();
  for (const r of report.results) durations.set(r.check, Math.max(durations.get(r.check) ?? 0, r.durationMs));
  return [
    {
      name: 'k8sdoc_check_status',
      help: 'Status of a check for one subject: 1 for the current status, 0 for the others (the labels never change with the status).',
      samples: [...worst.values()].flatMap(({ r, status }) => STATUSES.map((s) => ({ labels: { ...identity(r), status: s }, value: status === s ? 1 : 0 }))),
    },
    {
      name: 'k8sdoc_check_info',
      help: 'The host, node and etcd member a check result is about, to join k8sdoc_check_status on (check, subject).',
      samples: unique(
        report.results.filter((r) => Object.keys(joinLabels(r)).length > 0).map((r) => ({ labels: { ...identity(r), ...joinLabels(r) }, value: 1 })),
      ),
    },
    {
      name: 'k8sdoc_finding_info',
      help: 'The catalogue code of each warn or crit finding (`k8sdoc explain <code>`); absent while the check passes.',
      samples: unique(problems.map((r) => ({ labels: { ...identity(r), code: r.code! }, value: 1 }))),
    },
    {
      name: 'k8sdoc_finding_ignored',
      help: 'Findings a config file ignores (1), to leave out of alerts with `unless on (check, subject)`.',
      samples: unique(problems.filter((r) => r.ignored).map((r) => ({ labels: { ...identity(r), code: r.code! }, value: 1 }))),
    },
    {
      name: 'k8sdoc_check_duration_seconds',
      help: 'Time a check took (its longest result).',
      samples: [...durations].map(([check, msTaken]) => ({ labels: { check }, value: msTaken / 1000 })),
    },
  ];
}

export function renderPrometheus(report: Report): string {
  const out: string[] = [];
  for (const family of [...runFamilies(report), ...checkFamilies(report), ...derivedFamilies(report)]) {
    if (family.samples.length === 0) continue;
    out.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`);
    for (const sample of family.samples) out.push(`${family.name}${labels(sample.labels)} ${num(sample.value)}`);
  }
  return `${out.join('\n')}\n`;
}
