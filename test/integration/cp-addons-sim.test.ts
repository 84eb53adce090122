// The add-on objects of the simulator as the real kubectl sees them, and the add-on checks
// run by the built CLI against it: a dead webhook backend, an unavailable metrics-server, a
// CoreDNS replica down and a Pending kubelet-serving CSR are each found with the right code;
// Cilium's kube-proxy replacement and every distribution's healthy shape raise nothing; and
// etcd performance is read from the real etcd members' /metrics.
import { execFile } from 'node:child_process';
import { get as httpsGet } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { METRIC } from '../../src/judge/etcd-performance.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';

const run = promisify(execFile);

async function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'k8sdoc-kubectl-cache-'));
  try {
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout=20s', ...args]);
    return stdout;
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

const ADDON_CHECKS = 'admission-webhooks,aggregated-apis,cluster-addons,etcd-performance,kubelet-certificates,nodes-health';

describe('add-on faults, seen by kubectl and by k8sdoc', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster(
      {
        name: 'addons-broken',
        description: 'a webhook without backend, metrics-server down, one CoreDNS replica down, a Pending kubelet-serving CSR',
        controlPlanes: 1,
        workers: 2,
        nodes: { 'worker-2': { kubelet: 'down', stoppedPostingMinutesAgo: 10 } },
        addons: {
          webhooks: [
            { name: 'policy-guard', kind: 'validating', backend: 'down' },
            { name: 'old-injector', kind: 'mutating', backend: 'no-namespace', failurePolicy: 'Ignore' },
            { name: 'external', kind: 'validating', backend: 'url' },
          ],
          metricsServer: 'down',
          corednsNotReady: 1,
          pendingServingCsrs: ['worker-1'],
        },
      },
      { block: BLOCKS.cpAddonsSim },
    );
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('kubectl lists the Deployments, DaemonSets, Services and EndpointSlices of kube-system', async () => {
    const out = await kubectl(cluster.kubeconfigPath, ['get', 'deploy,ds,svc,endpointslices', '-n', 'kube-system']);
    expect(out).toMatch(/^deployment\.apps\/coredns\s+1\/2\s+2\s+1\s+3d$/m);
    expect(out).toMatch(/^deployment\.apps\/metrics-server\s+0\/1\s+1\s+0\s+3d$/m);
    expect(out).toMatch(/^daemonset\.apps\/kube-proxy\s+3\s+3\s+2\s+3\s+2\s+<none>\s+3d$/m);
    expect(out).toMatch(/^service\/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s+3d$/m);
    expect(out).toMatch(/^endpointslice\.discovery\.k8s\.io\/kube-dns-\w+\s+IPv4\s+53,53,9153\s+10\.244\.\d+\.\d+,10\.244\.\d+\.\d+\s+3d$/m);
  });

  it('kubectl lists the webhook configurations, APIServices and CSRs', async () => {
    const out = await kubectl(cluster.kubeconfigPath, ['get', 'validatingwebhookconfigurations,apiservices,csr']);
    expect(out).toMatch(/^validatingwebhookconfiguration\.admissionregistration\.k8s\.io\/policy-guard\s+1\s+3d$/m);
    expect(out).toMatch(/^apiservice\.apiregistration\.k8s\.io\/v1\.apps\s+Local\s+True\s+3d$/m);
    expect(out).toMatch(/^apiservice\.apiregistration\.k8s\.io\/v1beta1\.metrics\.k8s\.io\s+kube-system\/metrics-server\s+False \(MissingEndpoints\)\s+3d$/m);
    expect(out).toMatch(
      /^certificatesigningrequest\.certificates\.k8s\.io\/csr-\w+\s+2\dm\s+kubernetes\.io\/kubelet-serving\s+system:node:worker-1\s+<none>\s+Pending$/m,
    );
    const taints = await kubectl(cluster.kubeconfigPath, ['get', 'node', 'worker-2', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}']);
    expect(taints.trim()).toBe('node.kubernetes.io/unreachable:NoSchedule node.kubernetes.io/unreachable:NoExecute');
    const pods = rows(await kubectl(cluster.kubeconfigPath, ['get', 'pods', '-n', 'policy-guard-system']));
    expect(pods.slice(1).map((r) => [r[1], r[2]])).toEqual([
      ['0/1', 'CrashLoopBackOff'],
      ['0/1', 'CrashLoopBackOff'],
    ]);
  });

  it('k8sdoc finds each fault with its code, the blocking webhook first', async () => {
    const r = await runCli(['check', ...cluster.checkArgs, '--only', ADDON_CHECKS, '-o', 'json'], { killAfterMs: 60_000 });
    const report = parseJsonReport(r);
    const problems = report.results.filter((x) => x.status === 'warn' || x.status === 'crit').map((x) => [x.code, x.status, x.subject]);
    expect(problems, problemsOf(report)).toEqual(
      expect.arrayContaining([
        ['webhook-backend-down', 'crit', 'webhook validate.policy-guard.example.com (ValidatingWebhookConfiguration policy-guard)'],
        ['webhook-backend-down', 'warn', 'webhook mutate.old-injector.example.com (MutatingWebhookConfiguration old-injector)'],
        ['apiservice-unavailable', 'warn', 'apiservice v1beta1.metrics.k8s.io'],
        // The replica made not ready is the one on worker-2, whose kubelet is down too.
        ['coredns-unavailable', 'warn', 'coredns kube-system/coredns on node worker-2'],
        ['kubelet-serving-csr-pending', 'warn', 'kubelet worker-1'],
        ['node-unreachable', 'warn', 'node worker-2'],
      ]),
    );
    expect(problems).toHaveLength(6);
    // worker-2's kubelet is gone, so is its kube-proxy pod's readiness: the node's problem, not kube-proxy's.
    expect(report.results.find((x) => x.subject === 'kube-proxy')).toMatchObject({
      status: 'ok',
      message: 'kube-proxy DaemonSet: 2/3 pods ready; the rest are on nodes that are not Ready (worker-2): see nodes-ready',
    });
    expect(report.results.find((x) => x.code === 'apiservice-unavailable')!.message).toContain(
      '"endpoints for service/metrics-server in \\"kube-system\\" have no addresses with port name \\"https\\""'.replace(/\\"/g, '"'),
    );
    expect(report.results.find((x) => x.check === 'admission-webhooks' && x.status === 'skip')!.message).toMatch(/1 webhook calls a URL/);
    expect(report.rootCauses[0]).toMatchObject({ code: 'webhook-backend-down' });
    expect(report.results.find((x) => x.code === 'webhook-backend-down')!.fix![0]).toMatch(/^kubectl get validatingwebhookconfigurations/);
    expect(r.code).toBe(1);
  });
});

describe("Cilium's kube-proxy replacement", () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster(
      {
        name: 'cilium',
        description: 'Cilium replaces kube-proxy: a cilium DaemonSet, no kube-proxy',
        controlPlanes: 1,
        workers: 1,
        addons: { ciliumKubeProxyReplacement: true },
      },
      { block: BLOCKS.cpAddonsShapes },
    );
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('kubectl shows cilium and no kube-proxy; k8sdoc raises nothing', async () => {
    const ds = await kubectl(cluster.kubeconfigPath, ['get', 'ds', '-n', 'kube-system']);
    expect(ds).toMatch(/^cilium\s+2\s+2\s+2\s+2\s+2\s+<none>\s+3d$/m);
    expect(ds).not.toMatch(/kube-proxy/);
    const r = await runCli(['check', ...cluster.checkArgs, '--only', 'cluster-addons', '-o', 'json'], { killAfterMs: 60_000 });
    const report = parseJsonReport(r);
    expect(report.results.map((x) => [x.subject, x.status])).toEqual([
      ['coredns kube-system/coredns', 'ok'],
      ['kube-proxy (replaced by cilium)', 'ok'],
    ]);
  });
});

describe.skipIf(!etcdAvailable())('etcd performance from the real etcd members', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster({ name: 'etcd-perf', description: 'three real etcd members', controlPlanes: 3, workers: 0 }, { block: BLOCKS.cpAddonsEtcd });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('the metric names and histogram shapes k8sdoc reads are what etcd exposes', async () => {
    const client = cluster.pki.certs['apiserver-etcd-client']!;
    const text = await new Promise<string>((resolve, reject) => {
      const req = httpsGet(
        `${cluster.etcd!.members[0]!.clientUrl}/metrics`,
        { ca: cluster.pki.authorities.etcdCa.certPem, cert: client.certPem, key: client.keyPem },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
    });
    // The peer round-trip histogram (labelled by peer, `To`) is written only once etcd's prober
    // has reported a peer, 30 s after start: its shape is in the unit test's fixture.
    for (const h of [METRIC.walFsync, METRIC.backendCommit]) expect(text).toContain(`# TYPE ${h} histogram`);
    for (const c of [METRIC.leaderChanges, METRIC.proposalsFailed]) expect(text).toContain(`# TYPE ${c} counter`);
    expect(text).toContain(`# TYPE ${METRIC.hasLeader} gauge`);
    expect(text).toMatch(new RegExp(`^${METRIC.walFsync}_bucket\\{le="0.001"\\} \\d+$`, 'm'));
    expect(text).toMatch(new RegExp(`^${METRIC.startTime} \\d`, 'm'));

    const r = await runCli(['check', ...cluster.checkArgs, '--only', 'etcd-performance', '-o', 'json'], { killAfterMs: 60_000 });
    const report = parseJsonReport(r);
    const members = report.results.filter((x) => x.check === 'etcd-performance');
    expect(members.map((m) => m.status)).toEqual(['ok', 'ok', 'ok']);
    for (const m of members) {
      // Judged from etcd itself: fsync and commit histograms have observations; the window was measured.
      expect(m.data).toMatchObject({
        hasLeader: 1,
        walFsyncP99Seconds: expect.any(Number),
        backendCommitP99Seconds: expect.any(Number),
        windowMs: expect.any(Number),
      });
      expect(m.data!['windowMs'] as number).toBeGreaterThanOrEqual(1000);
      expect(m.data!['leaderChangesSinceStart']).toBeGreaterThanOrEqual(1);
      expect(m.data!['proposalsFailedSinceStart']).toBe(0);
    }
  });
});

describe('healthy shapes raise nothing in the add-on checks', () => {
  it.each(['kubeadm', 'k3s', 'k3s-etcd', 'rke2', 'talos', 'microk8s', 'openshift', 'managed', 'kubeadm-external-etcd'] as const)('%s', async (shape) => {
    const cluster = await startCluster(shape, { block: BLOCKS.cpAddonsShapes });
    try {
      const r = await runCli(['check', ...cluster.checkArgs, '--only', ADDON_CHECKS, '-o', 'json'], { killAfterMs: 60_000 });
      const report = parseJsonReport(r);
      expect(
        report.results.filter((x) => x.status === 'warn' || x.status === 'crit' || x.status === 'error'),
        problemsOf(report),
      ).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
});

// The spawned `demo webhook-down` itself is proven in demo-standin.test.ts (the demo's own block).
describe('the webhook-down scenario', () => {
  it('names the blocking webhook as the most likely cause, exit 1', async () => {
    const cluster = await startCluster('webhook-down', { block: BLOCKS.cpAddonsDemo });
    try {
      const r = await runCli(['check', ...cluster.checkArgs, '-o', 'json'], { killAfterMs: 90_000 });
      const report = parseJsonReport(r);
      expect(report.rootCauses[0], problemsOf(report)).toMatchObject({ code: 'webhook-backend-down', subject: expect.stringContaining('policy-guard') });
      expect(report.results.filter((x) => x.status === 'warn' || x.status === 'crit').map((x) => x.code)).toEqual(['webhook-backend-down']);
      expect(r.code).toBe(1);
    } finally {
      await cluster.stop();
    }
  });
});
