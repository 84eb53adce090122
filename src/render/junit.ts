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
  return lines.join('\n');
}

function testcase(r: ReportResult, failOn: RenderOptions['failOn']): string {
  const attrs = `classname="k8sdoc.${xml(r.component)}.${xml(r.check)}" name="${xml(`${r.check}: ${r.subject}`)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
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
  for (const component of COMPONENTS) {
    const results = report.results.filter((r) => r.component === component);
    if (results.length === 0) continue;
    const f = results.filter((r) => !r.ignored && (r.status === 'crit' || (r.status === 'warn' && options.failOn === 'warn'))).length;
    const e = results.filter((r) => r.status === 'error').length;
    const s = results.filter((r) => r.status === 'skip').length;
    const time = results.reduce((sum, r) => sum + r.durationMs, 0) / 1000;
    total += results.length;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(
      `  <testsuite name="k8sdoc.${component}" tests="${results.length}" failures="${f}" errors="${e}" skipped="${s}" time="${time.toFixed(3)}" timestamp="${report.startedAt.replace(/Z$/, '')}">`,
      ...results.map((r) => testcase(r, options.failOn)),
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="k8sdoc" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
