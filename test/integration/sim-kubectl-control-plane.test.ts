// What the simulator grew for the control-plane and add-on checks, read by the real kubectl as
// an operator reads it: leader-election Leases, crash-looping and restarted control-plane pods,
// webhook configurations, APIServices, CSRs, kube-system's Deployments, DaemonSets and
// EndpointSlices, and nodes with their versions, Ready transitions and taints. If a field name
// or a format drifts from what a real API server serves, kubectl prints it differently and
// these fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { kubectl } from '../helpers/kubectl.js';

function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

async function ok(kubeconfig: string, args: string[]): Promise<string> {
  const r = await kubectl(kubeconfig, args);
  expect(r.stderr, `kubectl ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** metav1.MicroTime as the API server encodes it: RFC 3339, UTC, six fractional digits. */
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('kubectl against a control plane in trouble', () => {
  let cluster: SimCluster;
  let kc: string;
  beforeAll(async () => {
    cluster = await startCluster(
      {
        name: 'control-plane-trouble',
        description: "etcd crash-looping on cp-3, controller-managers restarted, a webhook without backend, metrics-server down, worker-2's kubelet stopped",
        controlPlanes: 3,
        workers: 3,
        nodes: { 'worker-2': { kubelet: 'down', stoppedPostingMinutesAgo: 10 } },
        controlPlane: {
          programs: {
            etcd: { state: 'crashloop', nodes: ['cp-3'], restarts: 9, exitCode: 2, message: 'panic: freepages: failed to get all reachable pages' },
            'kube-controller-manager': { state: 'restarted', restarts: 3, endedSecondsAgo: 330, message: 'leaderelection lost' },
          },
        },
        addons: {
          webhooks: [
            { name: 'policy-guard', kind: 'validating', backend: 'down' },
            { name: 'sidecar-injector', kind: 'mutating', backend: 'up' },
          ],
          metricsServer: 'down',
          pendingServingCsrs: ['worker-1'],
        },
      },
      // Nothing here asks etcd: the pods' states are the scenario's.
      { block: BLOCKS.simKubectlControlPlane, etcd: false },
    );
    kc = cluster.kubeconfigPath;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('get leases -n kube-system: each leader Lease held by a control-plane node, as leader election names its holder', async () => {
    const [header, ...body] = rows(await ok(kc, ['get', 'leases', '-n', 'kube-system']));
    expect(header).toEqual(['NAME', 'HOLDER', 'AGE']);
    expect(body.map((r) => r[0])).toEqual(['kube-controller-manager', 'kube-scheduler']);
    for (const r of body) {
      expect(r[1]).toMatch(new RegExp(`^cp-1_${UUID}$`));
      expect(r[2]).toBe('3d');
    }
  });

  it('the leader Lease carries acquireTime and renewTime as MicroTime, and its transitions', async () => {
    const spec = JSON.parse(await ok(kc, ['get', 'lease', '-n', 'kube-system', 'kube-controller-manager', '-o', 'jsonpath={.spec}'])) as Record<
      string,
      unknown
    >;
    expect(Object.keys(spec).sort()).toEqual(['acquireTime', 'holderIdentity', 'leaseDurationSeconds', 'leaseTransitions', 'renewTime']);
    expect(spec.renewTime).toMatch(MICRO_TIME);
    expect(spec.acquireTime).toMatch(MICRO_TIME);
    expect(spec).toMatchObject({ leaseDurationSeconds: 15, leaseTransitions: 3 });
    expect(Date.now() - Date.parse(spec.renewTime as string)).toBeLessThan(60_000);
    // A node's own Lease is the kubelet's: no acquireTime, no transitions.
    const node = JSON.parse(await ok(kc, ['get', 'lease', '-n', 'kube-node-lease', 'worker-1', '-o', 'jsonpath={.spec}'])) as Record<string, unknown>;
    expect(Object.keys(node).sort()).toEqual(['holderIdentity', 'leaseDurationSeconds', 'renewTime']);
    expect(node.renewTime).toMatch(MICRO_TIME);
  });

  it('get pods -n kube-system: CrashLoopBackOff with its restarts and when, restarted pods Running with "(5m30s ago)"', async () => {
    const [header, ...body] = rows(await ok(kc, ['get', 'pods', '-n', 'kube-system']));
    expect(header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const pod = (name: string) => body.find((r) => r[0] === name)?.slice(1);
    expect(pod('etcd-cp-3')).toEqual(['0/1', 'CrashLoopBackOff', '9 (90s ago)', '3d']);
    expect(pod('etcd-cp-1')).toEqual(['1/1', 'Running', '0', '3d']);
    for (const n of ['cp-1', 'cp-2', 'cp-3']) expect(pod(`kube-controller-manager-${n}`)).toEqual(['1/1', 'Running', '3 (5m30s ago)', '3d']);
    // worker-2's kubelet stopped: its pods keep their phase, and the node controller marked them not ready.
    const onWorker2 = rows(await ok(kc, ['get', 'pods', '-n', 'kube-system', '-o', 'wide', '--no-headers'])).filter((r) => r[6] === 'worker-2');
    expect(onWorker2.map((r) => r[0]!.replace(/-[a-z0-9]{5}$/, '').replace(/-[0-9a-f]{10}$/, ''))).toEqual(['coredns', 'kube-proxy']);
    for (const r of onWorker2) expect(r.slice(1, 3)).toEqual(['0/1', 'Running']);
  });

  it('describe pod shows the crash-looping etcd container: waiting, its last termination, exit code and message', async () => {
    const out = await ok(kc, ['describe', 'pod', '-n', 'kube-system', 'etcd-cp-3']);
    expect(out).toMatch(/^Status:\s+Running$/m);
    expect(out).toMatch(/^ {4}State:\s+Waiting\n {6}Reason:\s+CrashLoopBackOff\n {4}Last State:\s+Terminated\n/m);
    expect(out).toMatch(
      /^ {6}Reason:\s+Error\n {6}Message:\s+panic: freepages: failed to get all reachable pages\n {6}Exit Code:\s+2\n {6}Started:\s+\w{3}, .+\n {6}Finished:\s+\w{3}, .+$/m,
    );
    expect(out).toMatch(/^ {4}Ready:\s+False\n {4}Restart Count:\s+9$/m);
    expect(out).toMatch(/^Controlled By:\s+Node\/cp-3$/m);
    // The back-off message names the container and the pod as the kubelet writes it.
    const waiting = await ok(kc, ['get', 'pod', '-n', 'kube-system', 'etcd-cp-3', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}']);
    expect(waiting).toMatch(new RegExp(`^back-off 5m0s restarting failed container=etcd pod=etcd-cp-3_kube-system\\(${UUID}\\)$`));
  });

  it('get validatingwebhookconfigurations,mutatingwebhookconfigurations: one table per kind', async () => {
    const out = await ok(kc, ['get', 'validatingwebhookconfigurations,mutatingwebhookconfigurations']);
    const tables = out.trim().split('\n\n').map(rows);
    expect(tables).toEqual([
      [
        ['NAME', 'WEBHOOKS', 'AGE'],
        ['validatingwebhookconfiguration.admissionregistration.k8s.io/policy-guard', '1', '3d'],
      ],
      [
        ['NAME', 'WEBHOOKS', 'AGE'],
        ['mutatingwebhookconfiguration.admissionregistration.k8s.io/sidecar-injector', '1', '3d'],
      ],
    ]);
    const policy = await ok(kc, [
      'get',
      'validatingwebhookconfiguration',
      'policy-guard',
      '-o',
      'jsonpath={.webhooks[0].failurePolicy} {.webhooks[0].clientConfig.service.namespace}/{.webhooks[0].clientConfig.service.name}',
    ]);
    expect(policy).toBe('Fail policy-guard-system/policy-guard');
  });

  it("get apiservices: metrics-server's is False (MissingEndpoints), the built-in groups Local", async () => {
    const [header, ...body] = rows(await ok(kc, ['get', 'apiservices']));
    expect(header).toEqual(['NAME', 'SERVICE', 'AVAILABLE', 'AGE']);
    expect(body.find((r) => r[0] === 'v1beta1.metrics.k8s.io')).toEqual([
      'v1beta1.metrics.k8s.io',
      'kube-system/metrics-server',
      'False (MissingEndpoints)',
      '3d',
    ]);
    expect(body.find((r) => r[0] === 'v1.coordination.k8s.io')).toEqual(['v1.coordination.k8s.io', 'Local', 'True', '3d']);
    const message = await ok(kc, ['get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].message}']);
    expect(message).toBe('endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"');
  });

  it('get csr: the kubelet-serving request of worker-1 Pending', async () => {
    const [header, ...body] = rows(await ok(kc, ['get', 'csr']));
    expect(header).toEqual(['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
    expect(body).toHaveLength(1);
    expect(body[0]).toEqual([
      expect.stringMatching(/^csr-[0-9a-z]{5}$/),
      expect.stringMatching(/^2\dm$/),
      'kubernetes.io/kubelet-serving',
      'system:node:worker-1',
      '<none>',
      'Pending',
    ]);
  });

  it('get deploy,ds -n kube-system: READY against the desired count, the DaemonSet short of worker-2', async () => {
    const [deployments, daemonSets] = (await ok(kc, ['get', 'deploy,ds', '-n', 'kube-system'])).trim().split('\n\n').map(rows);
    expect(deployments).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['deployment.apps/coredns', '1/2', '2', '1', '3d'],
      ['deployment.apps/metrics-server', '0/1', '1', '0', '3d'],
    ]);
    expect(daemonSets).toEqual([
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
      ['daemonset.apps/kube-proxy', '6', '6', '5', '6', '5', '<none>', '3d'],
    ]);
  });

  it('get endpointslices -n kube-system: kube-dns lists both replicas, ready or not', async () => {
    const [header, ...body] = rows(await ok(kc, ['get', 'endpointslices', '-n', 'kube-system']));
    expect(header).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    const dns = body.find((r) => r[0]!.startsWith('kube-dns-'))!;
    expect(dns.slice(1, 3)).toEqual(['IPv4', '53,53,9153']);
    expect(dns[3]!.split(',')).toHaveLength(2);
    const ready = await ok(kc, [
      'get',
      'endpointslices',
      '-n',
      'kube-system',
      '-l',
      'kubernetes.io/service-name=kube-dns',
      '-o',
      'jsonpath={.items[0].endpoints[*].conditions.ready}',
    ]);
    expect(ready.split(' ').sort()).toEqual(['false', 'true']);
  });

  it('describe node: the stopped kubelet left the unreachable taints and every condition Unknown', async () => {
    const out = await ok(kc, ['describe', 'node', 'worker-2']);
    expect(out).toMatch(/^Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule$/m);
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'])
      expect(out).toMatch(new RegExp(`^  ${type}\\s+Unknown\\s+.+\\s+NodeStatusUnknown\\s+Kubelet stopped posting node status\\.$`, 'm'));
  });

  it('kubectl only read', () => {
    expect(cluster.requestLog.writes()).toEqual([]);
  });
});

describe('kubectl against nodes that flapped or run a skewed kubelet', () => {
  let cluster: SimCluster;
  let kc: string;
  beforeAll(async () => {
    const skew = buildScenario('kubelet-skew');
    cluster = await startCluster(
      { ...skew, name: 'nodes-flap-and-skew', nodes: { ...skew.nodes, 'worker-1': { readyAgainMinutesAgo: 4 } } },
      { block: BLOCKS.simKubectlControlPlaneNodes, etcd: false },
    );
    kc = cluster.kubeconfigPath;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("get nodes: each kubelet's version in the VERSION column", async () => {
    const [header, ...body] = rows(await ok(kc, ['get', 'nodes']));
    expect(header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(Object.fromEntries(body.map((r) => [r[0], [r[1], r[4]]]))).toEqual({
      'cp-1': ['Ready', 'v1.32.0'],
      'cp-2': ['Ready', 'v1.32.0'],
      'cp-3': ['Ready', 'v1.32.0'],
      'worker-1': ['Ready', 'v1.32.0'],
      'worker-2': ['Ready', 'v1.28.15'],
      'worker-3': ['Ready', 'v1.33.1'],
    });
    const info = await ok(kc, ['describe', 'node', 'worker-2']);
    expect(info).toMatch(/^ {2}Kubelet Version:\s+v1\.28\.15$/m);
  });

  it('describe node: a node back from NotReady shows every condition changed minutes ago, and no taint', async () => {
    const out = await ok(kc, ['describe', 'node', 'worker-1']);
    expect(out).toMatch(/^Taints:\s+<none>$/m);
    const conditions = out.split('\n').filter((l) => /^ {2}(MemoryPressure|DiskPressure|PIDPressure|Ready) /.test(l));
    expect(conditions).toHaveLength(4);
    expect(conditions.find((l) => l.startsWith('  Ready '))).toMatch(/\sTrue\s.*\sKubeletReady\s+kubelet is posting ready status$/);
    for (const line of conditions) {
      // LastHeartbeatTime, then LastTransitionTime, as "Mon, 02 Jan 2006 15:04:05 -0700".
      const [, transition] = [...line.matchAll(/\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g)].map((m) => Date.parse(m[0]));
      expect(Date.now() - transition!).toBeGreaterThan(3 * 60_000);
      expect(Date.now() - transition!).toBeLessThan(5 * 60_000);
    }
    // The nodes that never left Ready changed when they registered, days ago.
    const steady = await ok(kc, ['get', 'node', 'worker-3', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].lastTransitionTime}']);
    expect(Date.now() - Date.parse(steady)).toBeGreaterThan(86_400_000);
  });

  it('a kubelet that comes back during the run turns its node Ready with a fresh transition', async () => {
    await cluster.setKubelet('worker-3', 'down');
    expect(rows(await ok(kc, ['get', 'node', 'worker-3', '--no-headers']))[0]?.[1]).toBe('NotReady');
    await cluster.setKubelet('worker-3', 'up');
    const ready = JSON.parse(await ok(kc, ['get', 'node', 'worker-3', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")]}'])) as {
      status: string;
      lastTransitionTime: string;
    };
    expect(ready.status).toBe('True');
    expect(Date.now() - Date.parse(ready.lastTransitionTime)).toBeLessThan(60_000);
  });
});
