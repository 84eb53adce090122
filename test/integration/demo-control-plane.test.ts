// `k8sdoc demo` for the control plane's own programs, spawned as a user runs it: a leaderless
// controller-manager, a crash-looping etcd pod and a scheduler outage each lead with their own
// most likely cause, and explain what follows from it.
import { describe, expect, it } from 'vitest';
import { DEMO_BLOCK_ENV } from '../../src/sim/demo.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';

function demo(args: string[]) {
  return runCli(['demo', ...args, '-o', 'json', '--timeout', '2s'], { env: { [DEMO_BLOCK_ENV]: String(BLOCKS.demoControlPlane) }, killAfterMs: 90_000 });
}

describe.sequential('demo scenarios of the control plane', () => {
  it('controller-manager-no-leader: no active leader leads and explains the restarted controller-managers', async () => {
    const run = await demo(['controller-manager-no-leader']);
    const report = parseJsonReport(run);
    expect(run.code, problemsOf(report)).toBe(1);
    expect(report.rootCauses.map((c) => c.code)).toEqual(['controller-manager-no-leader']);
    expect(report.rootCauses[0]!.explains).toEqual(['control-plane-pod-restarting']);
    const lead = report.results.find((r) => r.code === 'controller-manager-no-leader')!;
    expect(lead.message).toMatch(
      /^no active leader: the Lease names cp-1, but it was last renewed \d+m(\d+s)? ago \(duration 15s\); pods: 3 of 3 Ready, 9 restarts in all$/,
    );
    expect(lead.fix?.[0]).toMatch(/^kubectl -n kube-system get lease kube-controller-manager -o yaml/);
  });

  it('etcd-crashloop: the crash-looping etcd pod leads, with its exit code and message, and explains its member and ports', async () => {
    const run = await demo(['etcd-crashloop']);
    const report = parseJsonReport(run);
    expect(run.code, problemsOf(report)).toBe(1);
    expect(report.rootCauses.map((c) => `${c.code} ${c.subject}`)).toEqual(['control-plane-pod-crashloop pod kube-system/etcd-cp-3']);
    expect(report.rootCauses[0]!.explains).toEqual(expect.arrayContaining(['etcd-member-unreachable', 'etcd-quorum-at-risk', 'port-refused']));
    // The pod's last run ended 90 s before the cluster's start; whole-second clocks may read 89 s.
    expect(report.results.find((r) => r.code === 'control-plane-pod-crashloop')!.message).toMatch(
      /^etcd on cp-3 in CrashLoopBackOff after 9 restarts; last run ended (89|90)s ago, exit 2 \(Error\): panic: freepages: failed to get all reachable pages \(page 1342: multiple references \(stack: \[1342\]\)\)$/,
    );
  });

  it('scheduler-down: the crash-looping schedulers lead and explain the missing leader and the Pending pods', async () => {
    const run = await demo(['scheduler-down']);
    const report = parseJsonReport(run);
    expect(run.code, problemsOf(report)).toBe(1);
    expect(report.rootCauses.map((c) => `${c.code} ${c.subject}`)).toEqual(
      [1, 2, 3].map((i) => `control-plane-pod-crashloop pod kube-system/kube-scheduler-cp-${i}`),
    );
    expect(report.rootCauses[0]!.explains).toEqual(['scheduler-no-leader', 'pods-unscheduled']);
    expect(report.results.find((r) => r.code === 'pods-unscheduled')).toMatchObject({ status: 'warn', data: { pending: 3 } });
  });

  it('healthy: both leaders and every control-plane pod ok', async () => {
    const run = await demo(['healthy', '--only', 'control-plane']);
    const report = parseJsonReport(run);
    expect(run.code, problemsOf(report)).toBe(0);
    expect(report.results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(report.results.filter((r) => r.check === 'control-plane-pods')).toHaveLength(12);
  });
});
