// One problem, one line of severity: a root cause is at least as grave as what it explains,
// its echoes point back at it (`explainedBy`), the summary counts it once, and the exit code
// follows the problems: removing the echoes never changes it.
import { describe, expect, it } from 'vitest';
import { buildReport, exitCodeFor } from '../../src/engine/report.js';
import type { About, Result, Status } from '../../src/engine/types.js';
import type { Code } from '../../src/catalogue/codes.js';

function r(check: string, component: Result['component'], subject: string, code: Code, status: Status, about: About): Result {
  return { check, component, subject, code, status, message: subject, durationMs: 1, about };
}

const report = (results: Result[]) => buildReport({ version: '0.1.0', context: 'c', server: null, startedAt: new Date(0), durationMs: 1, results });

describe('one problem, one line of severity', () => {
  const pressure = r('nodes-pressure', 'nodes', 'node w1', 'node-memory-pressure', 'warn', { node: 'w1' });
  const notReady = r('nodes-ready', 'nodes', 'node w1', 'node-not-ready', 'crit', { node: 'w1' });
  const kubelet = r('kubelet', 'kubelet', 'kubelet w1', 'kubelet-unhealthy', 'crit', { node: 'w1', host: '10.0.0.21', port: 10250 });

  it('lifts a cause to the severity of the gravest finding it explains, and marks each echo', () => {
    const rep = report([pressure, notReady, kubelet]);
    const cause = rep.results.find((x) => x.code === 'node-memory-pressure')!;
    expect(cause.status).toBe('crit');
    expect(cause.explainedBy).toBeUndefined();
    for (const code of ['node-not-ready', 'kubelet-unhealthy']) {
      expect(rep.results.find((x) => x.code === code)!.explainedBy).toEqual({ code: 'node-memory-pressure', subject: 'node w1' });
    }
    expect(rep.summary).toMatchObject({ problems: 1, explained: 2 });
  });

  it('no explained finding is graver than its cause, and the exit code is the same without the echoes', () => {
    const zombie = [
      r('etcd-members', 'etcd', 'etcd member m3', 'etcd-member-unreachable', 'crit', {
        member: { id: 'abc', name: 'm3', clientURLs: ['https://10.0.0.13:2379'], peerURLs: ['https://10.0.0.13:2380'] },
      }),
      r('etcd-quorum', 'etcd', 'etcd', 'etcd-quorum-at-risk', 'warn', {}),
      r('ports', 'ports', 'port 10.0.0.13:2379', 'port-refused', 'crit', { host: '10.0.0.13', port: 2379 }),
      r('ports', 'ports', 'port 10.0.0.13:2380', 'port-refused', 'crit', { host: '10.0.0.13', port: 2380 }),
    ];
    for (const results of [zombie, [pressure, notReady, kubelet]]) {
      const rep = report(results);
      const order: Record<string, number> = { ok: 0, skip: 0, error: 0, warn: 1, crit: 2 };
      for (const x of rep.results.filter((y) => y.explainedBy)) {
        const cause = rep.results.find((y) => y.code === x.explainedBy!.code && y.subject === x.explainedBy!.subject)!;
        expect(order[x.status]).toBeLessThanOrEqual(order[cause.status]!);
      }
      const withoutEchoes = { ...rep, results: rep.results.filter((y) => !y.explainedBy) };
      for (const failOn of ['warn', 'crit'] as const) expect(exitCodeFor(withoutEchoes, failOn)).toBe(exitCodeFor(rep, failOn));
      expect(rep.rootCauses, JSON.stringify(rep.rootCauses)).toHaveLength(1);
    }
  });

  it('an echo alone never fails the run: the exit code follows its cause', () => {
    const rep = report([pressure, notReady]);
    const echoOnly = { ...rep, results: rep.results.filter((y) => y.explainedBy) };
    expect(exitCodeFor(echoOnly, 'crit')).toBe(0);
    expect(exitCodeFor(rep, 'crit')).toBe(1);
  });
});
