// Several clusters in one output (check --context a,b,c, --all-contexts): a summary row per
// cluster first, then each cluster's full report. The machine formats combine the
// single-cluster outputs rather than re-implementing them, so every cluster reads exactly
// as it would alone, with its context added where the format needs it to tell them apart.
import { Chalk } from 'chalk';
import type { Level, Report } from '../engine/types.js';
import type { OutputFormat } from '../options.js';
import { safeText } from '../util/terminal-text.js';
import { render } from './index.js';
import type { RenderOptions } from './options.js';

/** A cluster that could not be checked as asked (its kubeconfig entry is broken), and why. */
export interface ClusterFailure {
  context: string;
  message: string;
}

export interface ManyReports {
  tool: { name: 'k8sdoc'; version: string };
  startedAt: string;
  durationMs: number;
  /** Reports in the order the contexts were asked for. */
  clusters: (Report | ClusterFailure)[];
}

const isReport = (c: Report | ClusterFailure): c is Report => 'results' in c;
const contextOf = (c: Report | ClusterFailure) => (isReport(c) ? (c.target.context ?? '') : c.context);

const LEVEL_ORDER: Record<Level, number> = { ok: 0, warn: 1, crit: 2 };

/** The worst status over the clusters that ran. */
export function worstLevel(reports: readonly Report[]): Level {
  return reports.reduce<Level>((worst, r) => (LEVEL_ORDER[r.status] > LEVEL_ORDER[worst] ? r.status : worst), 'ok');
}

function cause(report: Report): string {
  const first = report.rootCauses[0];
  if (first) return `${first.code}  ${first.subject}`;
  const problem = report.results.find((r) => !r.ignored && (r.status === 'crit' || r.status === 'warn'));
  return problem ? `${problem.code ?? problem.check}  ${problem.subject}` : '-';
}

function summaryTable(many: ManyReports, options: RenderOptions): string[] {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const rows = many.clusters.map((cl) =>
    isReport(cl) ? [contextOf(cl), cl.status.toUpperCase(), cause(cl), `${cl.durationMs} ms`] : [cl.context, 'NOT RUN', cl.message, '-'],
  );
  const header = ['CONTEXT', 'STATUS', 'MOST LIKELY CAUSE', 'TIME'];
  const safe = rows.map((r) => r.map((cell) => safeText(cell)));
  const widths = [0, 1].map((i) => Math.max(header[i]!.length, ...safe.map((r) => r[i]!.length)));
  const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}   ${r[1]!.padEnd(widths[1]!)}   ${r[2]}   ${r[3]}`;
  const timeWidth = Math.max(header[3]!.length, ...safe.map((r) => r[3]!.length));
  const causeWidth = Math.max(header[2]!.length, ...safe.map((r) => r[2]!.length));
  const aligned = (r: string[]) => line([r[0]!, r[1]!, r[2]!.padEnd(causeWidth), r[3]!.padStart(timeWidth)]);
  return [
    c.bold(`k8sdoc ${many.tool.version} · ${many.clusters.length} clusters · ${many.durationMs} ms`),
    '',
    c.bold(aligned(header)),
    ...safe.map(aligned),
    '',
  ];
}

function table(many: ManyReports, options: RenderOptions): string {
  const parts = [summaryTable(many, options).join('\n')];
  for (const cl of many.clusters) {
    const title = `═══ context ${safeText(contextOf(cl))} `;
    parts.push(`\n${title}${'═'.repeat(Math.max(3, Math.min(options.width, 100) - title.length))}\n\n`);
    parts.push(isReport(cl) ? render(cl, 'table', options) : `k8sdoc: ${safeText(cl.message)}\n`);
  }
  return parts.join('');
}

/** `{ schemaVersion: 1, tool, startedAt, durationMs, status, reports: [...], failed: [...] }`. */
function json(many: ManyReports): string {
  const reports = many.clusters.filter(isReport);
  const failed = many.clusters.filter((c) => !isReport(c));
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      tool: many.tool,
      startedAt: many.startedAt,
      durationMs: many.durationMs,
      status: worstLevel(reports),
      reports,
      failed,
    },
    null,
    2,
  )}\n`;
}

function xmlAttr(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/**
 * One <testsuites> holding every cluster's suites, each suite and test class prefixed with
 * its context (`prod/k8sdoc.etcd`), so reporters that key tests by classname and name keep
 * two clusters' results apart. A cluster that did not run is one suite with one error.
 */
function junit(many: ManyReports, options: RenderOptions): string {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites: string[] = [];
  for (const cl of many.clusters) {
    const ctx = xmlAttr(contextOf(cl));
    if (!isReport(cl)) {
      totals.tests += 1;
      totals.errors += 1;
      suites.push(
        `  <testsuite name="${ctx}/k8sdoc" tests="1" failures="0" errors="1" skipped="0" time="0.000">`,
        `    <testcase classname="${ctx}/k8sdoc" name="run" time="0.000"><error message="${xmlAttr(cl.message)}" type="usage">${xmlAttr(cl.message)}</error></testcase>`,
        '  </testsuite>',
      );
      continue;
    }
    const single = render(cl, 'junit', options);
    const root = /<testsuites\b([^>]*)>/.exec(single);
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
      totals[key] += Number(new RegExp(`\\b${key}="(\\d+)"`).exec(root?.[1] ?? '')?.[1] ?? 0);
    }
    const inner = single.slice((root?.index ?? 0) + (root?.[0].length ?? 0), single.lastIndexOf('</testsuites>'));
    suites.push(
      inner
        .replace(/(<testsuite\b[^>]*?\bname=")/g, `$1${ctx}/`)
        .replace(/(<testcase\b[^>]*?\bclassname=")/g, `$1${ctx}/`)
        .replace(/^\n+|\n+$/g, ''),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="k8sdoc" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${(many.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Splits a sample line into name, label body (without braces) and the rest; label values may hold `}`. */
function splitSample(line: string): { name: string; labels: string; rest: string } | null {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) return null;
  if (line[name.length] !== '{') return { name, labels: '', rest: line.slice(name.length) };
  let quoted = false;
  for (let i = name.length + 1; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '\\') i += 1;
    else if (ch === '"') quoted = !quoted;
    else if (ch === '}' && !quoted) return { name, labels: line.slice(name.length + 1, i), rest: line.slice(i + 1) };
  }
  return null;
}

/**
 * Every cluster's exposition merged into one: each metric family once (HELP and TYPE from the
 * first cluster that has it, as the format requires), every sample with a `context` label.
 */
function prometheus(many: ManyReports, options: RenderOptions): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  const familyOf = (name: string) => {
    let family = families.get(name);
    if (!family) families.set(name, (family = { meta: [], samples: [] }));
    return family;
  };
  for (const cl of many.clusters.filter(isReport)) {
    const context = `context="${labelValue(contextOf(cl))}"`;
    // Samples belong to the family of the HELP/TYPE above them (histogram _bucket/_sum too).
    let current: string | null = null;
    for (const line of render(cl, 'prometheus', options).split('\n')) {
      const meta = /^# (HELP|TYPE) (\S+) /.exec(line);
      if (meta) {
        current = meta[2]!;
        const family = familyOf(current);
        if (!family.meta.some((m) => m.startsWith(`# ${meta[1]} ${current} `))) family.meta.push(line);
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      const sample = splitSample(line);
      if (!sample) continue;
      const labels = sample.labels.trim() === '' ? context : `${context},${sample.labels}`;
      familyOf(current ?? sample.name).samples.push(`${sample.name}{${labels}}${sample.rest}`);
    }
  }
  const out: string[] = [];
  for (const { meta, samples } of families.values()) out.push(...meta, ...samples);
  return `${out.join('\n')}\n`;
}

export function renderMany(many: ManyReports, format: OutputFormat, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return json(many);
    case 'junit':
      return junit(many, options);
    case 'prometheus':
      return prometheus(many, options);
    case 'table':
      return table(many, options);
    default:
      // A format without its own many-cluster form: each cluster's output in turn.
      return many.clusters.map((cl) => (isReport(cl) ? render(cl, format, options) : `k8sdoc: ${safeText(cl.message)}\n`)).join('\n');
  }
}
