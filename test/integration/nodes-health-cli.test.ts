// nodes-health and cluster-addons run by the built CLI against the simulator: a node whose
// Ready flapped and kubelets outside the supported version skew each lead the report with their
// own code and first step, and a worker whose kubelet died while it hosted a CoreDNS replica
// is the most likely cause, the degraded CoreDNS explained by it.
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import type { AnyScenarioName } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function check(name: AnyScenarioName, block: number) {
  cluster = await startCluster(name, { block });
  // Only the checks that judge nodes, kubelets and add-ons: on a machine shared with other
  // suites the API latency check may see a slow request, which is no concern of these tests.
  const run = await runCli(['check', ...cluster.checkArgs, '--skip', 'apiserver-latency', '-o', 'json'], { killAfterMs: 60_000 });
  return { run, report: parseJsonReport(run) };
}

const problems = (report: ReturnType<typeof parseJsonReport>) =>
  report.results.filter((r) => r.status === 'warn' || r.status === 'crit').map((r) => [r.status, r.code, r.subject]);

describe.sequential('nodes-health and add-ons on the simulator, through the CLI', () => {
  it('node-flapping: the node that turned Ready 4 minutes ago leads, with its events as the first step; nothing else is wrong', async () => {
    const { run, report } = await check('node-flapping', BLOCKS.nodesHealthCli);
    expect(problems(report), problemsOf(report)).toEqual([['warn', 'node-ready-flapping', 'node worker-1']]);
    expect(run.code).toBe(0);
    expect(report.rootCauses.map((c) => `${c.code} ${c.subject}`)).toEqual(['node-ready-flapping node worker-1']);
    const finding = report.results.find((r) => r.code === 'node-ready-flapping')!;
    expect(finding.message).toMatch(/^turned Ready 4 min ago after being NotReady or Unknown \(within the last 15 min\)/);
    expect(finding.steps?.[0]).toEqual({
      kind: 'command',
      filled: true,
      text: "kubectl get events -A --field-selector involvedObject.kind=Node,involvedObject.name=worker-1 | grep -E 'NodeReady|NodeNotReady'   # how often",
    });
  });

  it('kubelet-skew: a kubelet four minors behind and one ahead of the API server, each raised, nothing else', async () => {
    const { run, report } = await check('kubelet-skew', BLOCKS.nodesHealthCli);
    expect(problems(report), problemsOf(report)).toEqual([
      ['warn', 'kubelet-version-skew', 'node worker-2'],
      ['warn', 'kubelet-version-skew', 'node worker-3'],
    ]);
    expect(run.code).toBe(0);
    const skew = report.results.filter((r) => r.code === 'kubelet-version-skew').map((r) => r.message);
    expect(skew).toEqual([
      'kubelet v1.28.15 with API server v1.32.0: the kubelet is 4 minor versions older than the API server (supported: at most 3 for an API server at 1.32)',
      'kubelet v1.33.1 with API server v1.32.0: the kubelet is 1 minor version newer than the API server (a kubelet must never be newer)',
    ]);
    expect(report.rootCauses[0]?.code).toBe('kubelet-version-skew');
    expect(report.results.find((r) => r.code === 'kubelet-version-skew')!.steps?.[0]?.text).toBe('kubectl get nodes -o wide   # VERSION column');
  });

  it('notready-nodes: the dead kubelet of the worker that hosts a CoreDNS replica leads, and explains the degraded CoreDNS', async () => {
    const { run, report } = await check('notready-nodes', BLOCKS.addonsDeadNodeCli);
    expect(run.code).toBe(1);
    const pods = await cluster!.state.pods();
    expect(pods.filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns').map((p) => (p.spec as { nodeName: string }).nodeName)).toContain('worker-2');
    expect(
      report.rootCauses.map((c) => `${c.code} ${c.subject}`),
      problemsOf(report),
    ).toEqual(['kubelet-unreachable kubelet worker-2']);
    expect(report.rootCauses[0]!.explains).toEqual(expect.arrayContaining(['node-not-ready', 'node-unreachable', 'coredns-unavailable']));
    const dns = report.results.filter((r) => r.code === 'coredns-unavailable');
    expect(dns).toHaveLength(1);
    expect(dns[0]).toMatchObject({
      status: 'warn',
      subject: 'coredns kube-system/coredns on node worker-2',
      explainedBy: { code: 'kubelet-unreachable', subject: 'kubelet worker-2' },
    });
    expect(dns[0]!.message).toMatch(
      /^has 1 of 2 replicas ready; the kube-dns Service has 1 ready endpoint; 1 not ready \(coredns-\S+\) on node worker-2, which is not Ready/,
    );
    // kube-proxy's pod there is the node's too: no finding of its own.
    expect(report.results.find((r) => r.check === 'cluster-addons' && r.subject === 'kube-proxy')?.status).toBe('ok');
  });
});
