// The nodes and kubelet components against the simulator, run as a user runs them (spawned
// CLI, JSON): NotReady with a stopped kubelet, memory pressure, and RBAC that forbids nodes.
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import type { ReportResult } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { clusterPerTest } from '../helpers/cluster-per-test.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const start = clusterPerTest({ block: BLOCKS.nodesSim, etcd: false });

async function check(kubeconfig: string, only: string, extra: string[] = []) {
  const run = await runCli(['check', '--kubeconfig', kubeconfig, '--only', only, '-o', 'json', '--timeout', '2s', ...extra]);
  return { run, report: parseJsonReport(run) };
}

const problems = (results: ReportResult[]) => results.filter((r) => r.status === 'warn' || r.status === 'crit');

describe('nodes and kubelets on the simulator', () => {
  it('healthy: every node Ready without pressure, every kubelet answers with healthz ok', async () => {
    const c = await start('healthy');
    const { run, report } = await check(c.kubeconfigPath, 'nodes,kubelet');
    expect(run.code, run.stderr).toBe(0);
    const names = c.hosts.map((h) => h.name).sort();
    for (const id of ['nodes-ready', 'nodes-pressure', 'kubelet']) {
      const results = report.results.filter((r) => r.check === id);
      expect(results.map((r) => r.data?.['node']).sort(), id).toEqual(names);
      expect(
        results.every((r) => r.status === 'ok'),
        id,
      ).toBe(true);
    }
    expect(report.results.find((r) => r.check === 'kubelet')!.message).toMatch(/^answers TLS on 10250 \(\d+ ms\); healthz ok$/);
  });

  it('notready-nodes: node-not-ready and kubelet-unreachable for worker-2 only, the kubelet ranked as the cause', async () => {
    const c = await start('notready-nodes');
    const worker2 = c.hosts.find((h) => h.name === 'worker-2')!;
    const { run, report } = await check(c.kubeconfigPath, 'nodes,kubelet');
    expect(run.code).toBe(1);
    const found = problems(report.results)
      .filter((r) => r.check === 'nodes-ready' || r.check === 'kubelet')
      .map((r) => [r.check, r.code, r.data?.['node'], r.data?.['host']]);
    expect(found).toEqual([
      ['nodes-ready', 'node-not-ready', 'worker-2', worker2.address],
      ['kubelet', 'kubelet-unreachable', 'worker-2', worker2.address],
    ]);
    // The node controller's unreachable taint, and the add-ons whose replica sat on worker-2, are the other echoes.
    for (const r of problems(report.results).filter((r) => r.check !== 'nodes-ready' && r.check !== 'kubelet'))
      expect(['node-unreachable', 'coredns-unavailable', 'kube-proxy-unavailable']).toContain(r.code);
    const notReady = report.results.find((r) => r.code === 'node-not-ready')!;
    // The kubelet stopped 10 minutes ago; the node controller noticed 40 s later. Ages are taken
    // on the server's clock, whose Date header has whole seconds.
    expect(notReady.message).toMatch(
      /^NotReady for 9m[12]\ds \(Ready=Unknown, NodeStatusUnknown: Kubelet stopped posting node status\); lease last renewed (9m5\ds|10m) ago: the kubelet stopped heartbeating/,
    );
    expect(notReady.message).toContain('kubelet: port 10250 refuses connections: the kubelet is not running');
    expect(notReady.data).toMatchObject({ ready: 'Unknown', leaseStale: true, kubelet: 'refused' });
    expect(notReady.steps!.map((s) => s.text).join('\n')).toMatch(/systemctl restart kubelet[\s\S]*free -m/);
    expect(report.results.find((r) => r.code === 'kubelet-unreachable')!.message).toBe(
      'port 10250 refuses connections: the kubelet is not running; this is why node worker-2 is NotReady',
    );
    // The pressure conditions of a node that stopped posting are unknown, not "fine".
    expect(report.results.find((r) => r.check === 'nodes-pressure' && r.data?.['node'] === 'worker-2')).toMatchObject({ status: 'skip' });
    expect(report.rootCauses[0]).toEqual(
      expect.objectContaining({
        code: 'kubelet-unreachable',
        subject: 'kubelet worker-2',
        // The CoreDNS replica on worker-2 is down with its node: an echo, not a cause of its own.
        explains: ['node-not-ready', 'node-unreachable', 'coredns-unavailable'],
        explainsFindings: [
          { code: 'node-not-ready', subject: 'node worker-2' },
          { code: 'node-unreachable', subject: 'node worker-2' },
          { code: 'coredns-unavailable', subject: 'coredns kube-system/coredns on node worker-2' },
        ],
      }),
    );
  });

  it('memory-pressure: node-memory-pressure on worker-1, nothing else', async () => {
    const c = await start('memory-pressure');
    const { report } = await check(c.kubeconfigPath, 'nodes');
    expect(problems(report.results)).toEqual([
      expect.objectContaining({
        check: 'nodes-pressure',
        status: 'warn',
        code: 'node-memory-pressure',
        subject: 'node worker-1',
        data: expect.objectContaining({ node: 'worker-1', conditions: ['MemoryPressure'] }),
      }),
    ]);
    expect(problems(report.results)[0]!.message).toBe(
      "MemoryPressure (the host's memory is nearly full: pods are being evicted) [KubeletHasInsufficientMemory: kubelet has insufficient memory available]",
    );
  });

  it('a cordoned node is information, not a problem', async () => {
    const c = await start({ ...buildScenario('healthy'), nodes: { 'worker-3': { unschedulable: true } } });
    const { run, report } = await check(c.kubeconfigPath, 'nodes-ready');
    expect(run.code).toBe(0);
    expect(report.results.find((r) => r.data?.['node'] === 'worker-3')).toMatchObject({ status: 'ok', code: 'node-cordoned' });
  });

  it('403 on nodes: the node checks skip naming the missing permission, never "healthy", never a crash', async () => {
    const c = await start({ ...buildScenario('healthy'), apiServers: { forbidden: ['nodes'] } });
    const { report } = await check(c.kubeconfigPath, 'nodes,control-plane-ha,kubelet', ['--hosts', c.hosts.map((h) => h.address).join(',')]);
    for (const id of ['nodes-ready', 'nodes-pressure', 'control-plane-ha']) {
      expect(report.results.filter((r) => r.check === id)).toEqual([
        expect.objectContaining({ status: 'skip', message: 'needs list nodes (RBAC: the credentials may not list nodes)' }),
      ]);
    }
    // The kubelets are still probed from --hosts: a missing permission narrows the view, it does not end it.
    const kubelets = report.results.filter((r) => r.check === 'kubelet');
    expect(kubelets).toHaveLength(c.hosts.length);
    expect(kubelets.every((r) => r.status === 'ok')).toBe(true);
    expect(report.results.some((r) => r.status === 'error')).toBe(false);
  });

  it('403 on nodes/proxy: kubelets are judged by their port, healthz named as not permitted', async () => {
    const c = await start({ ...buildScenario('healthy'), apiServers: { forbidden: ['nodes/proxy'] } });
    const { report } = await check(c.kubeconfigPath, 'kubelet');
    const kubelets = report.results.filter((r) => r.check === 'kubelet');
    expect(kubelets).toHaveLength(c.hosts.length);
    for (const r of kubelets) expect(r).toMatchObject({ status: 'ok', data: expect.objectContaining({ healthz: 'not-checked' }) });
    expect(kubelets[0]!.message).toMatch(/healthz not checked: needs get nodes\/proxy$/);
    expect(c.requestLog.entries((e) => e.path.includes('/proxy/'))).toHaveLength(1);
  });
});
