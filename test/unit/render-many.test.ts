// Several clusters in one output: each cluster's lines are exactly what it prints alone, with
// its context added, whatever its names and subjects hold.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { render } from '../../src/render/index.js';
import { renderMany, type ManyReports } from '../../src/render/many.js';
import { fixedReport } from '../helpers/fixed-report.js';

const options = { color: false, width: 100, failOn: 'crit' as const };

function clusterReport(context: string): Report {
  const report = fixedReport([
    // Label values that a naive parser would cut: a brace, a quote, a backslash, a newline.
    { check: 'nodes-ready', component: 'nodes', subject: 'node a}b "c" \\d\ne', status: 'warn', code: 'node-not-ready', message: 'NotReady', durationMs: 1 },
  ]);
  return { ...report, target: { ...report.target, context } };
}

const many = (contexts: string[]): ManyReports => ({
  tool: { name: 'k8sdoc', version: '0.1.0' },
  startedAt: '2026-11-25T10:00:00.000Z',
  durationMs: 500,
  clusters: [...contexts.map(clusterReport), { context: 'stale', message: "context 'stale' points to cluster 'gone'" }],
});

describe('renderMany', () => {
  it('prometheus: per cluster, the samples are the single output with a context label in front', () => {
    const contexts = ['prod', 'we"ird\\ctx'];
    const out = renderMany(many(contexts), 'prometheus', options);
    const lines = out.split('\n').filter((l) => l !== '');
    for (const [i, context] of contexts.entries()) {
      const label = `context="${context.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
      const single = render(clusterReport(context), 'prometheus', options)
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'));
      const mine = lines.filter((l) => l.includes(`{${label}`)).map((l) => l.replace(`{${label},`, '{').replace(`{${label}}`, ''));
      expect(mine.sort(), `cluster ${i}`).toEqual(single.sort());
    }
    // Each family declared once, before its samples.
    const meta = lines.filter((l) => l.startsWith('# '));
    expect(new Set(meta).size).toBe(meta.length);
    expect(lines.filter((l) => !l.startsWith('#')).every((l) => /^[a-z0-9_]+\{context="/.test(l))).toBe(true);
  });

  it('junit: valid XML, suites and classes prefixed by context (escaped), counts that add up, a cluster that did not run as an error', () => {
    const out = renderMany(many(['prod', 'a&b<"c">']), 'junit', options);
    expect(XMLValidator.validate(out)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(out) as {
      testsuites: { '@_tests': string; '@_errors': string; testsuite: { '@_name': string; testcase: { '@_classname': string }[] }[] };
    };
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s['@_name'].split('/')[0])).toEqual(expect.arrayContaining(['prod', 'a&b<"c">', 'stale']));
    for (const s of suites) for (const t of s.testcase) expect(t['@_classname'].startsWith(`${s['@_name'].split('/')[0]}/`)).toBe(true);
    expect(Number(doc.testsuites['@_tests'])).toBe(suites.reduce((n, s) => n + s.testcase.length, 0));
    // One error per cluster's crashed check, and one for the cluster that did not run.
    expect(Number(doc.testsuites['@_errors'])).toBe(3);
  });

  it('json: the worst status of the reports, each report whole, the failed contexts apart', () => {
    const doc = JSON.parse(renderMany(many(['prod', 'dev']), 'json', options)) as { status: string; reports: Report[]; failed: unknown[] };
    expect(doc.status).toBe('crit');
    expect(doc.reports).toEqual([clusterReport('prod'), clusterReport('dev')]);
    expect(doc.failed).toEqual([{ context: 'stale', message: "context 'stale' points to cluster 'gone'" }]);
  });

  it('table: one summary row per cluster; a context name cannot drive the terminal from the summary or a title', () => {
    const out = renderMany(many(['prod', 'evil\u001b[2J']), 'table', options);
    // The summary and the section titles are this renderer's; each section body is the single-cluster table's.
    const own = [out.slice(0, out.indexOf('═══')), ...out.split('\n').filter((l) => l.startsWith('═══'))].join('\n');
    expect(own).not.toContain('\u001b');
    expect(own).toContain('═══ context evil\\x1b[2J ═');
    expect(out).toMatch(/^prod +CRIT +etcd-quorum-lost +etcd +412 ms$/m);
    expect(out).toMatch(/^evil\\x1b\[2J +CRIT /m);
    expect(out).toMatch(/^stale +NOT RUN +context 'stale' points to cluster 'gone' +- *$/m);
    expect(out.indexOf('═══ context prod ')).toBeLessThan(out.indexOf('═══ context evil'));
  });
});
