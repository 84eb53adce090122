// The JSON report as scripts read it: catalogue text with causes one by one and a docs page
// on every problem, and no raw control character a terminal would act on.
import { describe, expect, it } from 'vitest';
import { ALL_CODES, entryFor } from '../../src/catalogue/index.js';
import { COMPACT_ABOVE_RESULTS, renderJson } from '../../src/render/json.js';
import { fixedReport } from '../helpers/fixed-report.js';
import { assertValidReport } from '../helpers/report-schema.js';

const report = fixedReport();

describe('json renderer', () => {
  const json = JSON.parse(renderJson(report));

  it('follows the contract: schemaVersion 1, catalogue text on problems only, in a stable key order', () => {
    assertValidReport(JSON.parse(renderJson(report)));
    expect(json.schemaVersion).toBe(1);
    expect(json.tool).toEqual({ name: 'k8sdoc', version: '0.1.0' });
    expect(json.target).toEqual({ context: 'prod', server: 'https://10.0.1.10:6443' });
    const quorum = json.results.find((r: { check: string }) => r.check === 'etcd-quorum');
    expect(Object.keys(quorum)).toEqual([
      'check',
      'component',
      'subject',
      'status',
      'message',
      'code',
      'symptom',
      'cause',
      'causes',
      'fix',
      'steps',
      'docs',
      'durationMs',
      'data',
    ]);
    const ok = json.results.find((r: { status: string }) => r.status === 'ok');
    for (const key of ['symptom', 'cause', 'causes', 'fix', 'steps', 'docs']) expect(ok[key]).toBeUndefined();
  });

  it('gives every problem its causes one by one (the joined cause kept beside them) and its docs page', () => {
    const problems = json.results.filter((r: { status: string }) => r.status === 'warn' || r.status === 'crit');
    expect(problems.length).toBe(3);
    for (const r of problems) {
      const entry = entryFor(r.code);
      expect(r.causes).toEqual(entry.causes);
      expect(r.cause).toBe(r.causes.join('; '));
      expect(r.docs).toBe(entry.docs);
    }
    expect(problems.find((r: { code: string }) => r.code === 'etcd-quorum-lost').docs).toBe('https://etcd.io/docs/v3.5/op-guide/recovery/');
  });

  it('every catalogue entry links a documentation page on kubernetes.io or etcd.io', () => {
    for (const code of ALL_CODES) expect(entryFor(code).docs, code).toMatch(/^https:\/\/(kubernetes\.io|etcd\.io|docs\.k3s\.io|docs\.rke2\.io)\/[\w./#-]+$/);
  });

  it('escapes C0, DEL and C1 control characters from a hostile cluster, and parses back to the same strings', () => {
    const hostile = 'node \u001b[2Jx\u0007 \u007f \u0085 \u009b31m \u009d0;title\u009c';
    const withHostile = fixedReport([
      {
        check: 'nodes-ready',
        component: 'nodes',
        subject: `node ${hostile}`,
        status: 'crit',
        code: 'node-not-ready',
        message: hostile,
        durationMs: 1,
        data: { node: hostile },
      },
    ]);
    const text = renderJson(withHostile);
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text).toContain('\\u001b[2Jx\\u0007 \\u007f \\u0085 \\u009b31m \\u009d0;title\\u009c');
    assertValidReport(JSON.parse(text));
    const parsed = JSON.parse(text);
    const r = parsed.results.at(-1);
    expect([r.message, r.data.node, r.subject]).toEqual([hostile, hostile, `node ${hostile}`]);
  });

  it('writes a report of thousands of results without indentation, the same data, controls still escaped', () => {
    const many = fixedReport(
      Array.from({ length: COMPACT_ABOVE_RESULTS + 1 }, (_, i) => ({
        check: 'kubelet',
        component: 'kubelet' as const,
        subject: `kubelet worker-${i}`,
        status: 'crit' as const,
        code: 'kubelet-unreachable' as const,
        message: i === 0 ? 'hostile \u009b31m' : 'no answer',
        durationMs: 1,
      })),
    );
    const text = renderJson(many);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('hostile \\u009b31m');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(many)));
    // A small report stays indented for people.
    expect(renderJson(report).split('\n').length).toBeGreaterThan(20);
  });
});
