// JUnit as GitLab, Jenkins and GitHub reporters read it: counts that match the test cases,
// markup escaped, and times that nest (a case within its suite, a suite within the run).
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildReport } from '../../src/engine/report.js';
import type { Result } from '../../src/engine/types.js';
import { renderJunit } from '../../src/render/junit.js';
import { fixedReport } from '../helpers/fixed-report.js';

const report = fixedReport();
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' });

interface Doc {
  testsuites: {
    time: string;
    failures: string;
    testsuite: { name: string; time: string; testcase: { time: string; failure?: { type: string; '#text': string }; skipped?: { message: string } }[] }[];
  };
}

describe('junit renderer', () => {
  const xml = renderJunit(report, { failOn: 'crit' });

  it('is well-formed XML with a suite per component and a failure per crit finding', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml) as Doc;
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(['k8sdoc.apiserver', 'k8sdoc.etcd', 'k8sdoc.certs', 'k8sdoc.nodes', 'k8sdoc.kubelet', 'k8sdoc.ports']);
    expect(doc.testsuites.failures).toBe('2');
    const etcd = suites.find((s) => s.name === 'k8sdoc.etcd')!;
    expect(etcd.testcase[0]!.failure!.type).toBe('etcd-quorum-lost');
    expect(etcd.testcase[0]!.failure!['#text']).toContain('Fix:');
    expect(etcd.testcase[0]!.failure!['#text']).toContain('Docs: https://etcd.io/docs/v3.5/op-guide/recovery/');
    const nodes = suites.find((s) => s.name === 'k8sdoc.nodes')!;
    expect(nodes.testcase[0]!.skipped!.message).toContain('API server unreachable');
  });

  it('escapes markup in messages and fails warnings only with --fail-on warn', () => {
    expect(xml).toContain('&lt;soon&gt; &amp; &quot;quoted&quot;');
    const strict = parser.parse(renderJunit(report, { failOn: 'warn' })) as Doc;
    expect(strict.testsuites.failures).toBe('3');
  });

  it('nests times: testsuites is the run, a suite never exceeds it, a case never exceeds its suite', () => {
    // Concurrent checks: eight kubelet results of 300 ms each within a 412 ms run.
    const kubelets: Result[] = Array.from({ length: 8 }, (_, i) => ({
      check: 'kubelet',
      component: 'kubelet',
      subject: `kubelet worker-${i}`,
      status: 'ok',
      message: 'answers',
      durationMs: 300 - i,
    }));
    const busy = fixedReport(kubelets);
    const doc = parser.parse(renderJunit(busy, { failOn: 'crit' })) as Doc;
    expect(doc.testsuites.time).toBe('0.412');
    for (const suite of doc.testsuites.testsuite) {
      expect(Number(suite.time)).toBeLessThanOrEqual(Number(doc.testsuites.time));
      for (const t of suite.testcase) expect(Number(t.time)).toBeLessThanOrEqual(Number(suite.time));
    }
    const kubelet = doc.testsuites.testsuite.find((s) => s.name === 'k8sdoc.kubelet')!;
    expect(kubelet.time).toBe('0.300');
    expect(kubelet.testcase.map((t) => t.time)).toEqual(['0.003', ...kubelets.map((r) => (r.durationMs / 1000).toFixed(3))]);
  });

  it('never lets a result that outlasted the run (clock rounding) push a suite past its parent', () => {
    const odd = buildReport({
      version: '0.1.0',
      context: null,
      server: null,
      startedAt: new Date('2026-11-25T10:00:00Z'),
      durationMs: 100,
      results: [{ check: 'ports', component: 'ports', subject: 'port 10.0.0.1:6443', status: 'ok', message: 'open', durationMs: 101 }],
    });
    const doc = parser.parse(renderJunit(odd, { failOn: 'crit' })) as Doc;
    expect(doc.testsuites.time).toBe('0.100');
    expect(doc.testsuites.testsuite[0]!.time).toBe('0.100');
    expect(doc.testsuites.testsuite[0]!.testcase[0]!.time).toBe('0.100');
  });
});
