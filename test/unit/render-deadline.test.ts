// A run cut short by --deadline says so in the text outputs, with what it could not finish
// counted, not only in JSON's deadlineReached: an on-call reader of the table or the Markdown
// must know the report is partial, and where.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/report.js';
import { notFinishedFinding } from '../../src/engine/runner.js';
import type { Result } from '../../src/engine/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/table.js';
import { defaultOptions } from '../helpers/fake-context.js';

const options = defaultOptions({ deadlineMs: 50_000 });
const kubelets = Array.from({ length: 412 }, (_, i) => `worker-${i + 1}`);

function cutResult(check: string, component: Result['component'], finding: ReturnType<typeof notFinishedFinding>): Result {
  return { ...finding, check, component, durationMs: 49_000 };
}

const results: Result[] = [
  {
    check: 'kubelet',
    component: 'kubelet',
    subject: 'kubelet worker-0',
    status: 'crit',
    code: 'kubelet-unreachable',
    message: 'port 10250 accepts TCP but the TLS handshake never completes within 5000 ms: the kubelet is hung',
    durationMs: 49_000,
    about: { node: 'worker-0', host: '10.0.0.20', port: 10250 },
  },
  cutResult('kubelet', 'kubelet', notFinishedFinding({ options }, { subject: 'kubelet', what: 'kubelets not probed', names: kubelets })),
  cutResult(
    'certs-served',
    'certs',
    notFinishedFinding({ options }, { subject: 'endpoints', what: 'served certificates not inspected', names: ['10.0.0.21:10250', '10.0.0.22:10250'] }),
  ),
  { check: 'nodes-ready', component: 'nodes', subject: 'node worker-0', status: 'ok', message: 'Ready', durationMs: 49_000 },
];

const report = buildReport({
  version: '0.0.0-test',
  context: 'prod',
  server: 'https://10.0.0.10:6443',
  startedAt: new Date('2026-11-25T10:00:00Z'),
  durationMs: 50_012,
  results,
  deadlineReached: { deadlineMs: 50_000, checks: ['kubelet', 'certs-served', 'nodes-ready'] },
});

const NOTE =
  'Deadline 50s reached: 412 kubelets not probed (kubelet), 2 served certificates not inspected (certs-served); nodes-ready stopped with what it had found.';

describe('a run that reached its --deadline', () => {
  it('the table says so above the verdict, with what was left undone counted', () => {
    const lines = renderTable(report, { color: false, width: 200 }).split('\n');
    const note = lines.indexOf(NOTE);
    expect(note).toBeGreaterThan(-1);
    expect(note).toBeLessThan(lines.findIndex((l) => l.startsWith('CRIT  most likely cause')));
  });

  it('the Markdown says so as a quoted note under the title', () => {
    const md = renderMarkdown(report);
    // Markdown escapes the parentheses.
    const quoted = `> ${NOTE.replace(/[()]/g, (p) => `\\${p}`)}`;
    expect(md).toContain(quoted);
    expect(md.indexOf(quoted)).toBeLessThan(md.indexOf('**Summary:**'));
  });

  it('a run within its deadline has no such line', () => {
    const inTime = buildReport({
      version: '0.0.0-test',
      context: 'prod',
      server: null,
      startedAt: new Date('2026-11-25T10:00:00Z'),
      durationMs: 900,
      results: results.slice(0, 1),
      deadlineReached: { deadlineMs: 50_000, checks: [] },
    });
    expect(renderTable(inTime, { color: false, width: 200 })).not.toMatch(/Deadline .* reached/);
    expect(renderMarkdown(inTime)).not.toMatch(/Deadline .* reached/);
  });
});
