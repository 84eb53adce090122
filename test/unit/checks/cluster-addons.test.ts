// cluster-addons from a fake API in the shapes the distributions build: kubeadm (CoreDNS
// Deployment, kube-proxy DaemonSet), Cilium's kube-proxy replacement, k3s (kube-proxy in the
// server process), and a cluster whose DNS lives outside kube-system: no false alarm where an
// add-on is absent by design, and the right code when one is down.
import { describe, expect, it } from 'vitest';
import { clusterAddons } from '../../../src/checks/cluster-addons.js';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { fakeApi, list } from '../../helpers/fake-objects-api.js';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/kube-system/deployments';
const DAEMONSETS = '/apis/apps/v1/namespaces/kube-system/daemonsets';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices?labelSelector=kubernetes.io/service-name=kube-dns';

const deployment = (name: string, replicas: number, ready: number, labels: Record<string, string> = { 'k8s-app': 'kube-dns' }) => ({
  metadata: { name, namespace: 'kube-system', labels },
  spec: { replicas },
  status: ready > 0 ? { readyReplicas: ready } : {},
});
const daemonSet = (name: string, desired: number, ready: number, labels: Record<string, string>) => ({
  metadata: { name, namespace: 'kube-system', labels },
  status: { desiredNumberScheduled: desired, numberReady: ready },
});
const dnsService = (ready: number) => ({
  '/api/v1/namespaces/kube-system/services/kube-dns': { metadata: { name: 'kube-dns' } },
  [SLICES]: list([{ endpoints: Array.from({ length: ready }, (_, i) => ({ addresses: [`10.244.0.${i + 2}`], conditions: { ready: true } })) }]),
});

function run(deployments: unknown[], daemonSets: unknown[], extra: Record<string, unknown> = {}) {
  const kube = fakeApi({ [DEPLOYMENTS]: list(deployments), [DAEMONSETS]: list(daemonSets), ...extra });
  return clusterAddons.run(fakeContext({ probes: { kube } }));
}

const KUBE_PROXY = (desired: number, ready: number) => daemonSet('kube-proxy', desired, ready, { 'k8s-app': 'kube-proxy' });

describe('cluster-addons', () => {
  it('kubeadm, healthy: CoreDNS 2/2 with endpoints, kube-proxy on every node', async () => {
    const findings = await run([deployment('coredns', 2, 2)], [KUBE_PROXY(6, 6)], dnsService(2));
    expect(findings.map((f) => [f.subject, f.status, f.message])).toEqual([
      ['coredns kube-system/coredns', 'ok', '2/2 replicas ready; the kube-dns Service has 2 ready endpoints'],
      ['kube-proxy', 'ok', 'kube-proxy DaemonSet: 6/6 pods ready'],
    ]);
  });

  it('CoreDNS with no ready replica is critical; one of two ready is a warning', async () => {
    const [down] = await run([deployment('coredns', 2, 0)], [KUBE_PROXY(3, 3)], dnsService(0));
    expect(down).toMatchObject({
      status: 'crit',
      code: 'coredns-unavailable',
      message: 'has 0 of 2 replicas ready; the kube-dns Service has 0 ready endpoints: name resolution fails in every pod',
    });
    expect(ENTRIES['coredns-unavailable'].fix[0]).toBe('kubectl -n kube-system get deploy,pods -l k8s-app=kube-dns -o wide');
    const [half] = await run([deployment('coredns', 2, 1)], [KUBE_PROXY(3, 3)], dnsService(1));
    expect(half).toMatchObject({
      status: 'warn',
      code: 'coredns-unavailable',
      message: 'has 1 of 2 replicas ready; the kube-dns Service has 1 ready endpoint',
    });
  });

  it('kube-proxy not ready on some nodes is a warning, on none critical', async () => {
    const some = await run([deployment('coredns', 2, 2)], [KUBE_PROXY(6, 5)], dnsService(2));
    expect(some[1]).toMatchObject({
      status: 'warn',
      code: 'kube-proxy-unavailable',
      message: 'kube-proxy DaemonSet: 5 of 6 pods ready: Service addresses do not work from 1 node',
    });
    const none = await run([deployment('coredns', 2, 2)], [KUBE_PROXY(6, 0)], dnsService(2));
    expect(none[1]).toMatchObject({ status: 'crit', code: 'kube-proxy-unavailable' });
  });

  it("kube-proxy pods missing only on NotReady nodes are the nodes' problem, not a kube-proxy finding", async () => {
    const node = (name: string, ready: string) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready }] } });
    const findings = await run([deployment('coredns', 2, 2)], [KUBE_PROXY(3, 2)], {
      ...dnsService(2),
      '/api/v1/nodes': list([node('w1', 'True'), node('w2', 'Unknown'), node('w3', 'True')]),
    });
    expect(findings[1]).toMatchObject({
      status: 'ok',
      message: 'kube-proxy DaemonSet: 2/3 pods ready; the rest are on nodes that are not Ready (w2): see nodes-ready',
    });
  });

  describe('CoreDNS replicas on a node that is not Ready', () => {
    const node = (name: string, ready: string) => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready }] } });
    const dnsPod = (name: string, nodeName: string, ready: string) => ({
      metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': '668d6bf9bc' } },
      spec: { nodeName },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready }] },
    });
    const cluster = (pods: unknown[], nodes: unknown[]) => ({
      ...dnsService(1),
      '/api/v1/namespaces/kube-system/pods': list(pods),
      '/api/v1/nodes': list(nodes),
    });

    it('are about that node, one finding per node, so that its NotReady explains them', async () => {
      const findings = await run(
        [deployment('coredns', 3, 1)],
        [KUBE_PROXY(3, 3)],
        cluster(
          [dnsPod('coredns-668d6bf9bc-a1', 'w1', 'True'), dnsPod('coredns-668d6bf9bc-b2', 'w2', 'False'), dnsPod('coredns-668d6bf9bc-c3', 'w3', 'False')],
          [node('w1', 'True'), node('w2', 'Unknown'), node('w3', 'False')],
        ),
      );
      const dns = findings.filter((f) => f.code === 'coredns-unavailable');
      expect(dns.map((f) => [f.subject, f.status, f.about])).toEqual([
        ['coredns kube-system/coredns on node w2', 'warn', { node: 'w2' }],
        ['coredns kube-system/coredns on node w3', 'warn', { node: 'w3' }],
      ]);
      expect(dns[0]!.message).toBe(
        'has 1 of 3 replicas ready; the kube-dns Service has 1 ready endpoint; 1 not ready (coredns-668d6bf9bc-b2) on node w2, which is not Ready: they keep the status its kubelet last reported until they are evicted',
      );
    });

    it('a replica not ready on a Ready node is about that node too, and says the node is Ready', async () => {
      const findings = await run(
        [deployment('coredns', 3, 1)],
        [KUBE_PROXY(3, 3)],
        cluster(
          [dnsPod('coredns-668d6bf9bc-a1', 'w1', 'True'), dnsPod('coredns-668d6bf9bc-b2', 'w2', 'False'), dnsPod('coredns-668d6bf9bc-c3', 'w3', 'False')],
          [node('w1', 'True'), node('w2', 'Unknown'), node('w3', 'True')],
        ),
      );
      const dns = findings.filter((f) => f.code === 'coredns-unavailable');
      expect(dns.map((f) => [f.subject, f.about?.node ?? null, f.data?.['nodeReady']])).toEqual([
        ['coredns kube-system/coredns on node w2', 'w2', false],
        ['coredns kube-system/coredns on node w3', 'w3', true],
      ]);
      expect(dns[1]!.message).toBe('has 1 of 3 replicas ready; the kube-dns Service has 1 ready endpoint; 1 not ready (coredns-668d6bf9bc-c3) on node w3');
    });

    it('replicas no listed pod accounts for stay a finding about the Deployment alone', async () => {
      const findings = await run(
        [deployment('coredns', 3, 1)],
        [KUBE_PROXY(3, 3)],
        cluster([dnsPod('coredns-668d6bf9bc-a1', 'w1', 'True'), dnsPod('coredns-668d6bf9bc-b2', 'w2', 'False')], [node('w1', 'True'), node('w2', 'Unknown')]),
      );
      const dns = findings.filter((f) => f.code === 'coredns-unavailable');
      expect(dns.map((f) => [f.subject, f.about])).toEqual([
        ['coredns kube-system/coredns on node w2', { node: 'w2' }],
        ['coredns kube-system/coredns', undefined],
      ]);
      expect(dns[1]!.message).toBe('has 1 of 3 replicas ready; 1 not on any node listed above; the kube-dns Service has 1 ready endpoint');
    });

    it('every replica on dead nodes is still critical, graded as the Deployment is', async () => {
      const findings = await run([deployment('coredns', 1, 0)], [KUBE_PROXY(3, 3)], {
        ...cluster([dnsPod('coredns-668d6bf9bc-b2', 'w2', 'False')], [node('w1', 'True'), node('w2', 'Unknown')]),
        ...dnsService(0),
      });
      expect(findings[0]).toMatchObject({ status: 'crit', code: 'coredns-unavailable', about: { node: 'w2' } });
      expect(findings[0]!.message).toMatch(/: name resolution fails in every pod$/);
    });
  });

  it("Cilium's kube-proxy replacement: no kube-proxy DaemonSet is no fault, Cilium is judged in its place", async () => {
    const findings = await run([deployment('coredns', 2, 2)], [daemonSet('cilium', 4, 4, { 'k8s-app': 'cilium' })], dnsService(2));
    expect(findings[1]).toMatchObject({
      status: 'ok',
      subject: 'kube-proxy (replaced by cilium)',
      message: "no kube-proxy: Cilium's kube-proxy replacement serves Services, cilium DaemonSet: 4/4 pods ready",
    });
  });

  it('k3s: bundled CoreDNS as a Deployment and kube-proxy inside the server process: no alarm', async () => {
    const findings = await run([deployment('coredns', 1, 1), deployment('local-path-provisioner', 1, 1, { app: 'local-path-provisioner' })], [], dnsService(1));
    expect(findings.map((f) => f.status)).toEqual(['ok', 'ok']);
    expect(findings[1]!.message).toMatch(/^no kube-proxy DaemonSet in kube-system: it runs inside the distribution/);
  });

  it('DNS outside kube-system (OpenShift, some providers): said, not raised', async () => {
    const findings = await run([], [KUBE_PROXY(2, 2)]);
    expect(findings[0]).toMatchObject({ status: 'ok', subject: 'coredns' });
    expect(findings[0]!.message).toMatch(/^no CoreDNS Deployment in kube-system: cluster DNS runs elsewhere here/);
  });

  it('says which permission is missing', async () => {
    const kube = fakeApi({}, { forbidden: ['/apis/apps'] });
    const findings = await clusterAddons.run(fakeContext({ probes: { kube } }));
    expect(findings.map((f) => [f.status, f.message])).toEqual([
      ['skip', 'CoreDNS not checked: needs list deployments (apps) in namespace kube-system'],
      ['skip', 'kube-proxy not checked: needs list daemonsets (apps) in namespace kube-system'],
    ]);
  });
});
