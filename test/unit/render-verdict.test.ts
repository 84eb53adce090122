// One fault, said once: a 401 that two checks see on one API server is one problem (counted
// once, the second check's words under it), "Same on:" never names the problem's own subject,
// and the table ends with the verdict as it opens: status, cause, first step.
import { describe, expect, it } from 'vitest';
import { buildReport, exitCodeFor } from '../../src/engine/report.js';
import type { Result } from '../../src/engine/types.js';
import { renderTable } from '../../src/render/table.js';
import { problemsOf } from '../../src/render/view.js';

function apiFinding(check: string, host: string, code: Result['code'], message: string, kubeconfig = false): Result {
  const endpoint = `https://${host}:6443`;
  return {
    check,
    component: 'apiserver',
    subject: `apiserver ${endpoint}${kubeconfig ? ' (kubeconfig)' : ''}`,
    status: 'crit',
    code,
    message,
    durationMs: 1,
    data: { endpoint, host, port: 6443 },
    about: { endpoint, host, port: 6443, ...(kubeconfig ? { kubeconfigServer: true } : {}) },
  };
}

/** A bearer token the API servers reject: /version (apiserver-reachable) and /readyz (apiserver-health) both answer 401. */
function rejected(host: string, kubeconfig = false): Result[] {
  return [
    apiFinding('apiserver-reachable', host, 'apiserver-unauthorized', 'GET /version is rejected with HTTP 401', kubeconfig),
    apiFinding('apiserver-health', host, 'apiserver-unauthorized', 'GET /readyz is rejected with HTTP 401: health unknown', kubeconfig),
  ];
}

const report = (results: Result[]) =>
  buildReport({ version: '0.1.0', context: 'prod', server: 'https://10.0.0.10:6443', startedAt: new Date(0), durationMs: 5, results });

const render = (results: Result[], width = 120) => renderTable(report(results), { color: false, width }).split('\n');

describe('one 401, counted once', () => {
  it('the second check seeing the same 401 is the same problem: one root cause, one problem line, its words under it', () => {
    const rep = report(rejected('10.0.0.10', true));
    expect(rep.rootCauses.map((rc) => rc.code)).toEqual(['apiserver-unauthorized']);
    expect(rep.summary).toMatchObject({ crit: 2, problems: 1 });
    // The same finding again is not a finding it explains.
    expect(rep.summary.explained).toBeUndefined();
    const health = rep.results.find((r) => r.check === 'apiserver-health')!;
    expect(health.explainedBy).toEqual({ code: 'apiserver-unauthorized', subject: 'apiserver https://10.0.0.10:6443 (kubeconfig)' });
    for (const failOn of ['warn', 'crit'] as const) {
      expect(exitCodeFor(rep, failOn)).toBe(1);
      expect(exitCodeFor({ ...rep, results: rep.results.filter((r) => !r.explainedBy) }, failOn)).toBe(1);
    }

    const lines = render(rejected('10.0.0.10', true));
    expect(lines.filter((l) => /^CRIT apiserver-unauthorized/.test(l))).toEqual(['CRIT apiserver-unauthorized  apiserver https://10.0.0.10:6443 (kubeconfig)']);
    expect(lines).toContain('  Also seen by apiserver-health: GET /readyz is rejected with HTTP 401: health unknown');
    expect(lines.some((l) => l.includes('Explains:'))).toBe(false);
    expect(lines.find((l) => l.startsWith('Summary:'))).toMatch(/; 1 problem → CRIT$/);
    expect(lines[1]).toBe('CRIT  most likely cause: apiserver-unauthorized on apiserver https://10.0.0.10:6443 (kubeconfig)');
  });

  it('a 401 on every API server: one problem, the others on "Same on:", which never names the problem\'s own subject', () => {
    const results = ['10.0.0.11', '10.0.0.12', '10.0.0.13'].flatMap((h) => rejected(h));
    const problems = problemsOf(report(results));
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p!.same.map((s) => s.subject)).toEqual(['apiserver https://10.0.0.12:6443', 'apiserver https://10.0.0.13:6443']);
    expect(p!.same.map((s) => s.subject)).not.toContain(p!.result.subject);
    expect(p!.also.map((a) => a.check)).toEqual(['apiserver-health']);

    const lines = render(results);
    const same = lines.find((l) => l.startsWith('  Same on: '))!;
    expect(same).toBe('  Same on: apiserver https://10.0.0.12:6443, apiserver https://10.0.0.13:6443');
    expect(lines.filter((l) => /^CRIT apiserver-unauthorized /.test(l))).toHaveLength(1);
  });
});

describe('the verdict where the eye is', () => {
  it('the report ends with the verdict it opens with: status, most likely cause and first step', () => {
    const lines = render(rejected('10.0.0.10', true), 80);
    const header = lines.findIndex((l) => / · \d+ ms$/.test(l));
    const end = lines.length - 1; // the trailing newline
    const opening = lines.slice(header + 1, lines.indexOf('', header));
    expect(opening[0]).toMatch(/^CRIT {2}most likely cause: apiserver-unauthorized on/);
    expect(opening.some((l) => l.startsWith('  First step: '))).toBe(true);
    expect(lines.slice(end - opening.length, end)).toEqual(opening);
  });
});
