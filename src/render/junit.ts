// JUnit XML shaped for GitLab, Jenkins and GitHub test reporters: one testsuite per
// component, one testcase per result, one failed test per finding.
import { COMPONENTS, type Report, type ReportResult } from '../engine/types.js';
import type { RenderOptions } from './options.js';

function xml(text: string): string {
  // XML 1.0 forbids most control characters even escaped; drop them.
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

function details(r: ReportResult): string {
  const lines = [r.message];
  if (r.symptom) lines.push(`Symptom: ${r.symptom}`);
  if (r.cause) lines.push(`Cause: ${r.cause}`);
  if (r.fix) lines.push('Fix:', ...r.fix.map((f) => `  ${f}`));
  if (r.docs) lines.push(`Docs: ${r.docs}`);
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(r: ReportResult, failOn: RenderOptions['failOn'], runMs: number): string {
  const attrs = `classname="k8sdoc.${xml(r.component)}.${xml(r.check)}" name="${xml(`${r.check}: ${r.subject}`)}" time="${seconds(Math.min(r.durationMs, runMs))}"`;
  const failing = !r.ignored && (r.status === 'crit' || (r.status === 'warn' && failOn === 'warn'));
  let body = '';
  if (failing) body = `<failure message="${xml(r.message)}" type="${xml(r.code ?? r.status)}">${xml(details(r))}</failure>`;
  else if (r.status === 'error') body = `<error message="${xml(r.message)}" type="error">${xml(r.message)}</error>`;
  else if (r.status === 'skip') body = `<skipped message="${xml(r.message)}"/>`;
  else if (r.status === 'warn' || r.status === 'crit')
    body = `<system-out>${xml(`${r.status.toUpperCase()}${r.ignored ? ' (ignored)' : ''} ${r.code}: ${details(r)}`)}</system-out>`;
  return body === '' ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>${body}</testcase>`;
}

export function renderJunit(report: Report, options: Pick<RenderOptions, 'failOn'>): string {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  // Plugins' own components (`ingress`) follow the built-in ones, each a suite of its own.
  const components: string[] = [...new Set<string>([...COMPONENTS, ...report.results.map((r) => r.component)])];
  for (const component of components) {
    const results = report.results.filter((r) => r.component === component);
    if (results.length === 0) continue;
    const f = results.filter((r) => !r.ignored && (r.status === 'crit' || (r.status === 'warn' && options.failOn === 'warn'))).length;
    const e = results.filter((r) => r.status === 'error').length;
    const s = results.filter((r) => r.status === 'skip').length;
    // Checks run concurrently and every result of a check carries the check's own duration,
    // so a sum would count the same wall-clock time many times over and exceed the run. The
    // longest result is the time the component took at least, and never more than the run.
    const runMs = report.durationMs;
    const time = Math.min(
      runMs,
      results.reduce((longest, r) => Math.max(longest, r.durationMs), 0),
    );
    total += results.length;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(
      `  <testsuite name="k8sdoc.${component}" tests="${results.length}" failures="${f}" errors="${e}" skipped="${s}" time="${seconds(time)}" timestamp="${report.startedAt.replace(/Z$/, '')}">`,
      ...results.map((r) => testcase(r, options.failOn, runMs)),
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="k8sdoc" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
