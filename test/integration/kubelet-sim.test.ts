// Kubelets on the simulator, as a user runs k8sdoc: a hung kubelet (TCP accepted, no TLS) is
// told apart from a stopped one, within --timeout, in both the kubelet and the node finding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const TIMEOUT_MS = 800;
let cluster: SimCluster;

beforeAll(async () => {
  cluster = await startCluster(
    {
      ...buildScenario('healthy'),
      nodes: { 'worker-1': { kubelet: 'hang', stoppedPostingMinutesAgo: 3 }, 'worker-3': { kubelet: 'down', stoppedPostingMinutesAgo: 3 } },
    },
    { block: BLOCKS.kubeletSim, etcd: false },
  );
});

afterAll(async () => {
  await cluster?.stop();
});

describe('kubelet', () => {
  it('a hung kubelet and a stopped one: each named for what it is, each decided within --timeout', async () => {
    const run = await runCli([
      'check',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--only',
      'kubelet,nodes-ready,ports',
      '--timeout',
      `${TIMEOUT_MS}ms`,
      '-o',
      'json',
    ]);
    const report = parseJsonReport(run);
    const kubelet = (node: string) => report.results.find((r) => r.check === 'kubelet' && r.data?.['node'] === node)!;
    const nodeReady = (node: string) => report.results.find((r) => r.check === 'nodes-ready' && r.data?.['node'] === node)!;

    expect(kubelet('worker-1')).toMatchObject({
      status: 'crit',
      code: 'kubelet-unreachable',
      data: expect.objectContaining({ kubelet: 'timeout', stage: 'tls' }),
    });
    expect(kubelet('worker-1').message).toBe(
      `port 10250 accepts TCP but the TLS handshake never completes within ${TIMEOUT_MS} ms: the kubelet is hung; this is why node worker-1 is NotReady`,
    );
    expect(kubelet('worker-3').message).toBe('port 10250 refuses connections: the kubelet is not running; this is why node worker-3 is NotReady');
    expect(nodeReady('worker-1').message).toContain('kubelet: port 10250 accepts TCP but the TLS handshake never completes');
    expect(nodeReady('worker-3').message).toContain('kubelet: port 10250 refuses connections');

    // The port itself is open on the hung host and refused on the stopped one.
    const port = (node: string) => report.results.find((r) => r.check === 'ports' && r.data?.['node'] === node && r.data?.['port'] === 10250)!;
    expect(port('worker-1')).toMatchObject({ status: 'ok' });
    expect(port('worker-3')).toMatchObject({ status: 'crit', code: 'port-refused' });

    // Every other kubelet answers; the kubelet is the root cause of each NotReady node.
    expect(report.results.filter((r) => r.check === 'kubelet' && r.status === 'ok')).toHaveLength(cluster.hosts.length - 2);
    const causes = report.rootCauses.map((c) => `${c.code} ${c.subject}`);
    expect(causes).toContain('kubelet-unreachable kubelet worker-1');
    expect(report.rootCauses.some((c) => c.code === 'node-not-ready')).toBe(false);
    // One hung handshake bounds the run, not one per probe.
    expect(run.ms).toBeLessThan(TIMEOUT_MS * 3 + 3000);
  });
});
