// Prometheus text exposition (format 0.0.4): a state-set gauge per result, run figures,
// and every numeric figure from the results' data.
import type { Report, Status } from '../engine/types.js';
import { derivedFamilies } from './prometheus-families.js';

const STATUSES: readonly Status[] = ['ok', 'warn', 'crit', 'skip', 'error'];

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string>): string {
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(',')}}`;
}

function num(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** camelCase data keys become snake_case label values. */
function snake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .toLowerCase();
}

export function renderPrometheus(report: Report): string {
  const out: string[] = [];
  out.push('# HELP k8sdoc_check_status Result of a check for one subject: 1 for the current status, 0 for the others.');
  out.push('# TYPE k8sdoc_check_status gauge');
  for (const r of report.results) {
    for (const s of STATUSES) {
      out.push(
        `k8sdoc_check_status${labels({ check: r.check, component: r.component, subject: r.subject, code: r.code ?? '', status: s })} ${r.status === s ? 1 : 0}`,
      );
    }
  }
  out.push('# HELP k8sdoc_check_duration_seconds Time a check took.');
  out.push('# TYPE k8sdoc_check_duration_seconds gauge');
  const durations = new Map<string, number>();
  for (const r of report.results) durations.set(r.check, Math.max(durations.get(r.check) ?? 0, r.durationMs));
  for (const [check, ms] of durations) out.push(`k8sdoc_check_duration_seconds${labels({ check })} ${num(ms / 1000)}`);
  out.push('# HELP k8sdoc_results Results of the run by status.');
  out.push('# TYPE k8sdoc_results gauge');
  for (const s of STATUSES) out.push(`k8sdoc_results${labels({ status: s })} ${report.summary[s]}`);
  out.push('# HELP k8sdoc_run_duration_seconds Time the whole run took.');
  out.push('# TYPE k8sdoc_run_duration_seconds gauge');
  out.push(`k8sdoc_run_duration_seconds ${num(report.durationMs / 1000)}`);
  if (report.interrupted) {
    // Only on a stopped run, so that every other run's output keeps its families.
    out.push('# HELP k8sdoc_run_interrupted 1 when SIGINT or SIGTERM stopped the run: the other figures are partial.');
    out.push('# TYPE k8sdoc_run_interrupted gauge');
    out.push('k8sdoc_run_interrupted 1');
  }
  out.push('# HELP k8sdoc_result_value Numeric figures reported by checks (field names as in the JSON data, snake_case).');
  out.push('# TYPE k8sdoc_result_value gauge');
  const seen = new Set<string>();
  for (const r of report.results) {
    for (const [key, value] of Object.entries(r.data ?? {})) {
      const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      if (typeof v !== 'number') continue;
      const series = `k8sdoc_result_value${labels({ check: r.check, subject: r.subject, field: snake(key) })}`;
      if (seen.has(series)) continue;
      seen.add(series);
      out.push(`${series} ${num(v)}`);
    }
  }
  for (const family of derivedFamilies(report)) {
    out.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`);
    for (const sample of family.samples) out.push(`${family.name}${Object.keys(sample.labels).length > 0 ? labels(sample.labels) : ''} ${num(sample.value)}`);
  }
  return `${out.join('\n')}\n`;
}
