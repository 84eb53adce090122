// A whole simulated cluster on loopback, in the shape its distribution builds it (kubeadm,
// k3s, RKE2, Talos, MicroK8s, OpenShift or a managed control plane): PKI and kubeconfigs on
// disk, each control-plane node's files under a root of its own, static pod manifests,
// real etcd members (when the binary is installed and the datastore is etcd), an API
// server and a kubelet per node, and a load balancer. Started from a scenario, stopped
// without leaving a process, a port or a file behind.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TokenTable, type Grant } from './api-access.js';
import { createServer as createHttpsServer } from 'node:https';
import { SimApiServer, API_SERVER_PORT } from './api-server.js';
import { AddonObjects } from './api-objects.js';
import { ClusterState, type SimNode } from './cluster-state.js';
import { etcdAvailable, startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';
import { EtcdReadiness } from './etcd-readiness.js';
import { hostPlan } from './hosts.js';
import { customKinds, withAddons } from './addons.js';
import { SimKubelet } from './kubelet.js';
import { SimLoadBalancer } from './load-balancer.js';
import { issue, kubeconfigYaml, validFor, writeKubeadmPki, type KubeadmPki } from './pki.js';
import { RequestLog } from './request-log.js';
import { buildScenario, type AnyScenarioName } from './scenarios/index.js';
import { controlPlaneName, workerName, type ScenarioSpec } from './scenarios/spec.js';
import { servedCertificate } from './served-certs.js';
import { STATIC_COMPONENTS, staticPodManifest, type ControlPlaneLayout } from './static-pods.js';
import { ModalListener, type ListenMode } from './faults.js';
import { datastoreOf, etcdServersFormOf, EXTERNAL_ETCD_HOSTS, hasEtcd, type Datastore, type Distribution } from './scenarios/spec.js';
import type { ClusterShape } from './shape-kit.js';
import { kubeadmShape } from './shape-kubeadm.js';
import { RANCHER_VERSIONS, rancherEtcdMemberName, rancherShape } from './shape-rancher.js';
import {
  EKS_VERSION,
  managedShape,
  MICROK8S_VERSION,
  microk8sShape,
  OPENSHIFT_KUBERNETES_VERSION,
  openshiftShape,
  TALOS_KUBERNETES_VERSION,
  talosShape,
} from './shape-others.js';
import { frontPki, kubeconfigFor, writeKubeadmNodeFiles, writeMicrok8sNodeFiles, writeRancherNodeFiles, type FrontPki, type NodeFiles } from './node-files.js';
import { KUBERNETES_VERSION } from './static-pods.js';

export type { NodeFiles } from './node-files.js';

/** The API endpoint's port: 6443 for most, MicroK8s 16443, a managed endpoint 443. */
export const API_PORTS: Record<Distribution, number> = {
  kubeadm: API_SERVER_PORT,
  k3s: API_SERVER_PORT,
  rke2: API_SERVER_PORT,
  talos: API_SERVER_PORT,
  openshift: API_SERVER_PORT,
  microk8s: 16443,
  managed: 443,
};

/** The RKE2 supervisor's port (k3s serves its supervisor on the API port). */
export const RKE2_SUPERVISOR_PORT = 9345;

const GIT_VERSIONS: Record<Distribution, string> = {
  kubeadm: KUBERNETES_VERSION,
  k3s: RANCHER_VERSIONS.k3s,
  rke2: RANCHER_VERSIONS.rke2,
  talos: TALOS_KUBERNETES_VERSION,
  microk8s: MICROK8S_VERSION,
  openshift: OPENSHIFT_KUBERNETES_VERSION,
  managed: EKS_VERSION,
};

/** Where k8sdoc can stand to look at the cluster, and what it has there. */
export interface SimVantages {
  /** A machine outside the cluster with a copy of the admin kubeconfig. */
  jumpHost: {
    kubeconfig: string;
    /** The etcd client certificate, for a jump host that was given one; null when the cluster has no etcd to reach. */
    etcdClient: { caFile: string; certFile: string; keyFile: string } | null;
  };
  /** Each control-plane node's files (none for Talos, OpenShift and managed control planes). */
  nodes: NodeFiles[];
  /**
   * A pod with the k8sdoc service account: its token folder and the environment a pod gets.
   * In a real pod the service host is the kubernetes Service's cluster IP; here it is the
   * API endpoint the Service would lead to.
   */
  inCluster: { serviceAccountDir: string; env: { KUBERNETES_SERVICE_HOST: string; KUBERNETES_SERVICE_PORT: string }; kubeconfig: string; token: string };
}

export interface SimHost {
  name: string;
  address: string;
  role: 'control-plane' | 'worker';
}

/** An etcd member as the simulator placed it: on which host, under which member name. */
export interface SimEtcdPlacement {
  /** The node (or, for an external etcd, the etcd host) it runs on. */
  host: string;
  address: string;
  member: string;
}

export interface StartClusterOptions {
  /** Address block (see hosts.ts): 0 for the demo, the test file's own block in tests. */
  block: number;
  /** Directory for PKI, kubeconfigs, manifests and etcd data; created, and removed by stop(). Default: a fresh temp dir. */
  workDir?: string;
  /** Start real etcd members (`true`), the in-process stand-in (`'standin'`), or none. Default: real ones when the `etcd` binary is on PATH. */
  etcd?: boolean | 'standin';
}

export interface SimTokens {
  table: TokenTable;
  /** Registers a bearer token with `grant`'s rules and writes a kubeconfig that uses it (server: the cluster's). */
  kubeconfig(grant: Grant, o?: { server?: string; fileName?: string }): Promise<{ token: string; path: string }>;
}

export interface SimCluster {
  scenario: ScenarioSpec;
  distribution: Distribution;
  datastore: Datastore;
  /** Where the etcd members run (empty without etcd). */
  etcdPlacement: SimEtcdPlacement[];
  /** The API endpoint's port (see API_PORTS). */
  apiPort: number;
  block: number;
  workDir: string;
  /** The admin kubeconfig a jump host holds: kubeadm's admin.conf, or the distribution's own, server = the API endpoint. */
  kubeconfigPath: string;
  /** The URL admin.conf points at. */
  server: string;
  /**
   * The simulator's own kubeadm-shaped PKI and kubeconfigs (admin.conf, super-admin.conf, …):
   * a kubeadm cluster's /etc/kubernetes. Other distributions' node files are in `vantages.nodes`.
   */
  kubernetesDir: string;
  /** Stands in for /etc/kubernetes/pki. */
  pkiDir: string;
  /** Stands in for /etc/kubernetes/manifests on cp-1 (kubeadm). */
  manifestsDir: string;
  vantages: SimVantages;
  /** RKE2 supervisors (:9345), one per server. */
  supervisors: ModalListener[];
  pki: KubeadmPki;
  hosts: SimHost[];
  loadBalancer?: SimLoadBalancer;
  apiServers: SimApiServer[];
  kubelets: SimKubelet[];
  etcd?: EtcdCluster;
  state: ClusterState;
  requestLog: RequestLog;
  tokens: SimTokens;
  /** k8sdoc flags that point `check` at this cluster. */
  checkArgs: string[];
  /** Wall time startCluster took. */
  startupMs: number;
  /** Stops or starts a node's kubelet; anything but `up` also stops its status updates (NotReady after the lease runs out). */
  setKubelet(nodeName: string, mode: ListenMode): Promise<void>;
  stop(): Promise<void>;
}

// Work dirs of clusters still running, removed if the process exits without stop().
const liveWorkDirs = new Set<string>();
let exitHookInstalled = false;
function removeWorkDirsAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dir of liveWorkDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** The RKE2 supervisor: TLS with its own certificate, `/ping` answers `pong`, the rest 401 without a node token. */
function supervisorListener(host: string, serving: { certPem: string; keyPem: string }): ModalListener {
  return new ModalListener(host, RKE2_SUPERVISOR_PORT, () => {
    const server = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      const ping = req.method === 'GET' && req.url === '/ping';
      res.writeHead(ping ? 200 : 401, { 'Content-Type': 'text/plain' });
      res.end(ping ? 'pong' : 'Unauthorized');
    });
    server.on('tlsClientError', () => undefined);
    return server;
  });
}

function hostsOf(spec: ScenarioSpec, block: number): SimHost[] {
  const plan = hostPlan(block);
  const hosts: SimHost[] = [];
  for (let i = 0; i < spec.controlPlanes; i++) hosts.push({ name: controlPlaneName(i), address: plan.controlPlane(i), role: 'control-plane' });
  for (let i = 0; i < spec.workers; i++) hosts.push({ name: workerName(i, spec.workers), address: plan.worker(i), role: 'worker' });
  return hosts;
}

async function writeKubeconfigs(dir: string, pki: KubeadmPki, server: string, localServer: string, firstNode: string, spec: ScenarioSpec): Promise<string> {
  const ca = pki.authorities.ca;
  const validity = spec.kubeconfigValidity ?? validFor(365);
  const files: { file: string; cn: string; o: string[]; user: string; server: string }[] = [
    { file: 'admin.conf', cn: 'kubernetes-admin', o: ['kubeadm:cluster-admins'], user: 'kubernetes-admin', server },
    { file: 'super-admin.conf', cn: 'kubernetes-super-admin', o: ['system:masters'], user: 'kubernetes-super-admin', server: localServer },
    { file: 'controller-manager.conf', cn: 'system:kube-controller-manager', o: [], user: 'system:kube-controller-manager', server: localServer },
    { file: 'scheduler.conf', cn: 'system:kube-scheduler', o: [], user: 'system:kube-scheduler', server: localServer },
    { file: 'kubelet.conf', cn: `system:node:${firstNode}`, o: ['system:nodes'], user: `system:node:${firstNode}`, server },
  ];
  const issued = await Promise.all(files.map((f) => issue(ca, { commonName: f.cn, organization: f.o, usage: 'client', validity })));
  await Promise.all(
    files.map((f, i) =>
      writeFile(
        join(dir, f.file),
        kubeconfigYaml({ server: f.server, caPem: ca.certPem, user: { certPem: issued[i]!.certPem, keyPem: issued[i]!.keyPem }, userName: f.user }),
        { mode: 0o600 },
      ),
    ),
  );
  return join(dir, 'admin.conf');
}

export async function startCluster(scenario: AnyScenarioName | ScenarioSpec, opts: StartClusterOptions): Promise<SimCluster> {
  const started = performance.now();
  const spec = typeof scenario === 'string' ? buildScenario(scenario) : scenario;
  const distribution: Distribution = spec.distribution ?? 'kubeadm';
  const datastore = datastoreOf(spec);
  const form = etcdServersFormOf(spec);
  const managed = distribution === 'managed';
  if (spec.controlPlanes < 1 && !managed) throw new Error('a cluster needs at least one control-plane node');
  if (managed && spec.controlPlanes !== 0) throw new Error('a managed control plane has no control-plane nodes: set controlPlanes to 0');
  const plan = hostPlan(opts.block);
  const hosts = hostsOf(spec, opts.block);
  const controlPlane = hosts.filter((h) => h.role === 'control-plane');
  const apiPort = API_PORTS[distribution];
  const rancher = distribution === 'k3s' || distribution === 'rke2';
  const memberName = (node: string) => (rancher ? rancherEtcdMemberName(node) : node);
  const etcdPlacement: SimEtcdPlacement[] = !hasEtcd(datastore)
    ? []
    : datastore === 'etcd-external'
      ? Array.from({ length: EXTERNAL_ETCD_HOSTS }, (_, i) => ({ host: `etcd-${i + 1}`, address: plan.etcdHost(i), member: `etcd-${i + 1}` }))
      : controlPlane.map((h) => ({ host: h.name, address: h.address, member: memberName(h.name) }));
  const withEtcd = etcdPlacement.length > 0 && (opts.etcd === undefined ? etcdAvailable() : opts.etcd !== false);

  removeWorkDirsAtExit();
  const workDir = opts.workDir ?? (await mkdtemp(join(tmpdir(), `k8sdoc-sim-${spec.name}-`)));
  await mkdir(workDir, { recursive: true });
  liveWorkDirs.add(workDir);

  const kubernetesDir = join(workDir, 'kubernetes');
  const pkiDir = join(kubernetesDir, 'pki');
  const manifestsDir = join(kubernetesDir, 'manifests');

  const requestLog = new RequestLog();
  const tokens = new TokenTable();
  const apiServers: SimApiServer[] = [];
  const kubelets: SimKubelet[] = [];
  const supervisors: ModalListener[] = [];
  const readinessChecks: EtcdReadiness[] = [];
  let loadBalancer: SimLoadBalancer | undefined;
  let etcd: EtcdCluster | undefined;
  let etcdStarting: Promise<EtcdCluster | undefined> = Promise.resolve(undefined);

  const stop = async (): Promise<void> => {
    await loadBalancer?.stop();
    await Promise.all([...apiServers.map((a) => a.stop()), ...kubelets.map((k) => k.stop()), ...supervisors.map((l) => l.close())]);
    for (const r of readinessChecks) r.close();
    await etcd?.stop();
    await rm(workDir, { recursive: true, force: true });
    liveWorkDirs.delete(workDir);
  };

  try {
    const useLoadBalancer =
      !managed && (spec.loadBalancer ?? (spec.controlPlanes > 1 && (distribution === 'kubeadm' || distribution === 'talos' || distribution === 'openshift')));
    const endpointHost = managed || useLoadBalancer ? plan.loadBalancer : controlPlane[0]!.address;
    const server = `https://${endpointHost}:${apiPort}`;
    const apiServerNames = {
      dnsNames: ['localhost', ...controlPlane.map((h) => h.name)],
      ipAddresses: [...controlPlane.map((h) => h.address), ...(useLoadBalancer || managed ? [plan.loadBalancer] : []), '127.0.0.1'],
    };
    const pki = await writeKubeadmPki(pkiDir, {
      apiServerHosts: [...apiServerNames.dnsNames, ...apiServerNames.ipAddresses],
      etcdHosts: [...etcdPlacement.map((m) => m.address), ...etcdPlacement.map((m) => m.host)],
      overrides: spec.pki,
    });
    await mkdir(manifestsDir, { recursive: true });
    const front: (FrontPki & { extra: Record<string, import('./pki.js').Issued> }) | null =
      distribution === 'kubeadm'
        ? null
        : await frontPki({
            distribution,
            pki,
            ...apiServerNames,
            token: () => tokens.add({ user: 'kubernetes-admin', groups: ['system:masters'], rules: [] }),
          });
    const adminConf = await writeKubeconfigs(
      kubernetesDir,
      pki,
      server,
      `https://${controlPlane[0]?.address ?? endpointHost}:${apiPort}`,
      controlPlane[0]?.name ?? 'worker-1',
      spec,
    );
    let kubeconfigPath = adminConf;
    if (front) {
      kubeconfigPath = join(workDir, 'jump-host.conf');
      await writeFile(
        kubeconfigPath,
        kubeconfigFor(
          server,
          front,
          distribution === 'k3s' || distribution === 'rke2' ? { clusterName: 'default', contextName: 'default', userName: 'default' } : {},
        ),
        {
          mode: 0o600,
        },
      );
    }

    const memberUrls = etcdPlacement.map((m) => `https://${m.address}:2379`);
    const localEtcd = form === 'as-written' && (datastore === 'etcd-stacked' || datastore === 'etcd-embedded') && distribution !== 'openshift';
    const layoutFor = (i: number, dirs: { pkiDir: string; kubeconfigDir: string } = { pkiDir, kubeconfigDir: kubernetesDir }): ControlPlaneLayout => {
      if (form === 'members' || datastore === 'etcd-external') {
        return { ...dirs, etcdServers: memberUrls, etcdInitialCluster: etcdPlacement.map((m) => `${m.member}=https://${m.address}:2380`).join(',') };
      }
      // kubeadm writes the local member for each API server and never rewrites
      // --initial-cluster after a join: each member lists those that existed when it joined.
      return {
        ...dirs,
        etcdServers: ['https://127.0.0.1:2379'],
        etcdInitialCluster: etcdPlacement
          .slice(0, i + 1)
          .map((m) => `${m.member}=https://${m.address}:2380`)
          .join(','),
        etcdJoined: i > 0,
      };
    };
    if (distribution === 'kubeadm') {
      await Promise.all(
        STATIC_COMPONENTS.filter((c) => c !== 'etcd' || datastore !== 'etcd-external').map((c) =>
          writeFile(join(manifestsDir, `${c}.yaml`), stringify(staticPodManifest(c, controlPlane[0]!, layoutFor(0))), { mode: 0o600 }),
        ),
      );
    }

    // etcd takes the longest: let it elect a leader while the rest starts.
    etcdStarting = withEtcd
      ? startEtcdCluster({
          implementation: opts.etcd === 'standin' ? 'standin' : 'etcd',
          members: etcdPlacement.map((m) => ({ name: m.member, host: m.address })),
          pki,
          workDir,
          ...(spec.etcd?.quotaBackendBytes ? { quotaBackendBytes: spec.etcd.quotaBackendBytes } : {}),
          ...(rancher ? { heartbeatMs: 500, electionMs: 5000 } : {}),
        })
      : Promise.resolve(undefined);
    etcdStarting.catch(() => undefined);

    const createdAt = new Date(Date.now() - 3 * 86_400_000);
    const nodes: SimNode[] = hosts.map((h) => {
      const n = spec.nodes?.[h.name];
      const stopped = n?.kubelet !== undefined && n.kubelet !== 'up';
      return {
        name: h.name,
        address: h.address,
        role: h.role,
        createdAt,
        stoppedPostingAt: stopped ? new Date(Date.now() - (n?.stoppedPostingMinutesAgo ?? 5) * 60_000) : null,
        pressure: { memory: n?.memoryPressure ?? false, disk: n?.diskPressure ?? false, pid: n?.pidPressure ?? false },
        unschedulable: n?.unschedulable ?? false,
        ...(n?.kubeletVersion ? { kubeletVersion: n.kubeletVersion } : {}),
        ...(n?.readyAgainMinutesAgo !== undefined ? { readySince: new Date(Date.now() - n.readyAgainMinutesAgo * 60_000) } : {}),
      };
    });
    const shape: ClusterShape = (() => {
      switch (distribution) {
        case 'kubeadm':
          return kubeadmShape({ layoutFor: (_n, i) => layoutFor(i), externalEtcd: datastore === 'etcd-external', localEtcd });
        case 'k3s':
        case 'rke2':
          return rancherShape({ distribution, etcd: hasEtcd(datastore), firstServer: controlPlane[0]!.address });
        case 'talos':
          return talosShape();
        case 'microk8s':
          return microk8sShape();
        case 'openshift':
          return openshiftShape({ etcdMembers: memberUrls });
        case 'managed':
          return managedShape();
      }
    })();
    const placementOf = (node: string) => etcdPlacement.find((m) => m.host === node);
    const state = new ClusterState(
      nodes,
      withAddons(shape, spec.thirdParty),
      {
        etcdMember: (name) => {
          const p = placementOf(name);
          return (p && etcd?.members.find((m) => m.name === p.member)?.state) ?? null;
        },
        apiServer: (name) => apiServers.find((a) => a.nodeName === name)?.mode ?? null,
      },
      createdAt,
      spec.controlPlane,
    );
    state.customKinds = customKinds(spec.thirdParty, createdAt);

    const kubeletClient =
      pki.certs['apiserver-kubelet-client'] ??
      (await issue(pki.authorities.ca, { commonName: 'kube-apiserver-kubelet-client', organization: ['kubeadm:cluster-admins'], usage: 'client' }));
    const etcdClient = pki.certs['apiserver-etcd-client'];
    const etcdTls = etcdClient ? { ca: pki.authorities.etcdCa.certPem, cert: etcdClient.certPem, key: etcdClient.keyPem } : null;
    const readiness = (endpoints: () => string[]): EtcdReadiness => {
      const r = new EtcdReadiness({ endpoints, tls: etcdTls! });
      readinessChecks.push(r);
      return r;
    };
    // An API server reads etcd through its --etcd-servers: all members, or only the one
    // beside it when the distribution writes a loopback URL there.
    const shared = withEtcd && etcdTls && !localEtcd ? readiness(() => etcd?.members.map((m) => m.clientUrl) ?? []) : undefined;
    const readinessFor = (node: string): EtcdReadiness | undefined => {
      if (!withEtcd || !etcdTls) return undefined;
      if (!localEtcd) return shared;
      const member = placementOf(node)?.member;
      return readiness(() => etcd?.members.filter((m) => m.name === member).map((m) => m.clientUrl) ?? []);
    };

    const addons = new AddonObjects(
      spec.addons ?? {},
      createdAt,
      controlPlane.map((h) => h.address),
    );
    await addons.prepare();

    const apiHosts = managed ? [{ name: 'eks-control-plane', address: plan.loadBalancer }] : controlPlane;
    for (const h of apiHosts) {
      const s = { ...spec.apiServers, ...spec.apiServer?.[h.name] };
      const serving = front ? front.serving : await servedCertificate(s.servedCert ?? 'valid', pki, apiServerNames);
      const readinessCheck = readinessFor(h.name);
      apiServers.push(
        new SimApiServer({
          nodeName: h.name,
          host: h.address,
          port: apiPort,
          state,
          clientCaPem: front ? front.clientCa.certPem : pki.authorities.ca.certPem,
          serving,
          kubeletClient,
          tokens,
          requestLog,
          ...(distribution !== 'kubeadm' ? { gitVersion: GIT_VERSIONS[distribution] } : {}),
          addons,
          ...(readinessCheck ? { etcd: readinessCheck } : {}),
          faults: {
            ...(s.slowMs !== undefined ? { slowMs: s.slowMs } : {}),
            ...(s.readyzFailing ? { readyzFailing: s.readyzFailing } : {}),
            ...(s.p99LatencySeconds !== undefined ? { p99LatencySeconds: s.p99LatencySeconds } : {}),
            ...(s.unauthorized ? { unauthorized: s.unauthorized } : {}),
            ...(s.forbidden ? { forbidden: s.forbidden } : {}),
          },
        }),
      );
    }
    if (distribution === 'rke2' && front) for (const h of controlPlane) supervisors.push(supervisorListener(h.address, front.extra.supervisor!));

    const kubeletHosts = spec.kubelets === 'none' ? [] : spec.kubelets === 'control-plane' ? controlPlane : hosts;
    const kubeletCerts = await Promise.all(
      kubeletHosts.map((h) =>
        issue(pki.authorities.ca, {
          commonName: `system:node:${h.name}`,
          organization: ['system:nodes'],
          dnsNames: [h.name],
          ipAddresses: [h.address],
          usage: 'server',
        }),
      ),
    );
    kubeletHosts.forEach((h, i) =>
      kubelets.push(new SimKubelet({ nodeName: h.name, host: h.address, clientCaPem: pki.authorities.ca.certPem, serving: kubeletCerts[i]!, requestLog })),
    );

    const apiServerMode = (name: string): ListenMode => ({ ...spec.apiServers, ...spec.apiServer?.[name] }).mode ?? 'up';
    await Promise.all([
      ...apiServers.map((a) => a.setMode(apiServerMode(a.nodeName))),
      ...kubelets.map((k) => k.setMode(spec.nodes?.[k.nodeName]?.kubelet ?? 'up')),
      ...supervisors.map((l) => l.setMode('up')),
    ]);
    if (useLoadBalancer) {
      // In the form kubeadm writes, an API server whose local member is gone fails /healthz,
      // and the balancer's health check takes it out, as HAProxy's `option httpchk` does.
      loadBalancer = new SimLoadBalancer(
        plan.loadBalancer,
        apiPort,
        apiServers.map((a) => ({ host: a.host, port: a.port, ...(localEtcd ? { healthy: () => a.healthy() } : {}) })),
      );
      await loadBalancer.start();
    }

    etcd = await etcdStarting;
    if (etcd) {
      // Faults name etcd members by the node (or etcd host) they run on.
      const member = (name: string) => placementOf(name)?.member ?? name;
      for (const name of spec.etcd?.kill ?? []) await etcd.kill(member(name));
      for (const name of spec.etcd?.pause ?? []) etcd.pause(member(name));
      if (spec.etcd?.nospace) await etcd.raiseNospace();
    }

    // Each control-plane node's files, as the distribution lays them out.
    const nodeFiles: NodeFiles[] = [];
    const nodesRoot = join(workDir, 'nodes');
    for (const [i, h] of controlPlane.entries()) {
      const root = join(nodesRoot, h.name);
      if (distribution === 'kubeadm') {
        const dirs = { pkiDir: join(root, 'etc', 'kubernetes', 'pki'), kubeconfigDir: join(root, 'etc', 'kubernetes') };
        const manifests: Record<string, string> = {};
        for (const c of STATIC_COMPONENTS)
          if (c !== 'etcd' || datastore !== 'etcd-external') manifests[`${c}.yaml`] = stringify(staticPodManifest(c, h, layoutFor(i, dirs)));
        nodeFiles.push(await writeKubeadmNodeFiles(root, h.name, kubernetesDir, manifests));
      } else if ((distribution === 'k3s' || distribution === 'rke2') && front) {
        nodeFiles.push(
          await writeRancherNodeFiles({
            distribution,
            root,
            node: h,
            front,
            pki,
            etcdMembers: hasEtcd(datastore) ? controlPlane.map((c) => ({ name: c.name, address: c.address })) : null,
          }),
        );
      } else if (distribution === 'microk8s' && front) {
        nodeFiles.push(await writeMicrok8sNodeFiles(root, h, front));
      }
    }

    const jumpEtcdClient = !etcd ? null : (nodeFiles[0]?.etcdClient ?? etcd.clientTls);
    const checkArgs =
      spec.distribution === undefined
        ? [
            '--kubeconfig',
            kubeconfigPath,
            '--apiserver',
            apiServers.map((a) => a.url).join(','),
            '--pki-dir',
            pkiDir,
            ...(etcd
              ? [
                  '--etcd',
                  etcd.endpoints.join(','),
                  '--etcd-cacert',
                  etcd.clientTls.caFile,
                  '--etcd-cert',
                  etcd.clientTls.certFile,
                  '--etcd-key',
                  etcd.clientTls.keyFile,
                ]
              : []),
          ]
        : [
            '--kubeconfig',
            kubeconfigPath,
            '--apiserver',
            apiServers.map((a) => a.url).join(','),
            ...(nodeFiles[0] ? ['--pki-dir', nodeFiles[0].pkiDir] : []),
            ...(etcd && jumpEtcdClient
              ? [
                  '--etcd',
                  etcd.endpoints.join(','),
                  '--etcd-cacert',
                  jumpEtcdClient.caFile,
                  '--etcd-cert',
                  jumpEtcdClient.certFile,
                  '--etcd-key',
                  jumpEtcdClient.keyFile,
                ]
              : []),
          ];

    let tokenFiles = 0;
    const servingCaPem = front ? front.servingCa.certPem : pki.authorities.ca.certPem;
    const simTokens: SimTokens = {
      table: tokens,
      async kubeconfig(grant, o = {}) {
        const token = tokens.add(grant);
        const path = join(workDir, o.fileName ?? `token-${++tokenFiles}.conf`);
        await writeFile(path, kubeconfigYaml({ server: o.server ?? server, caPem: servingCaPem, user: { token }, userName: grant.user }), {
          mode: 0o600,
        });
        return { token, path };
      },
    };

    // The service account deploy/ binds: read-only on everything k8sdoc looks at.
    const inClusterGrant = {
      user: 'system:serviceaccount:k8sdoc:k8sdoc',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:k8sdoc'],
      rules: [
        { verbs: ['get', 'list'], resources: ['nodes', 'nodes/proxy', 'pods', 'namespaces', 'leases'] },
        { verbs: ['get'], resources: ['/readyz', '/readyz/*', '/livez', '/livez/*', '/healthz', '/healthz/*', '/version', '/metrics'] },
      ],
    };
    const inClusterKubeconfig = await simTokens.kubeconfig(inClusterGrant, { fileName: 'in-cluster.conf' });
    const serviceAccountDir = join(workDir, 'serviceaccount');
    await mkdir(serviceAccountDir, { recursive: true });
    await Promise.all([
      writeFile(join(serviceAccountDir, 'token'), inClusterKubeconfig.token, { mode: 0o600 }),
      writeFile(join(serviceAccountDir, 'ca.crt'), servingCaPem),
      writeFile(join(serviceAccountDir, 'namespace'), 'k8sdoc'),
    ]);

    return {
      scenario: spec,
      distribution,
      datastore,
      etcdPlacement,
      apiPort,
      block: opts.block,
      workDir,
      kubeconfigPath,
      server,
      kubernetesDir,
      pkiDir,
      manifestsDir,
      vantages: {
        jumpHost: { kubeconfig: kubeconfigPath, etcdClient: jumpEtcdClient },
        nodes: nodeFiles,
        inCluster: {
          serviceAccountDir,
          env: { KUBERNETES_SERVICE_HOST: endpointHost, KUBERNETES_SERVICE_PORT: String(apiPort) },
          kubeconfig: inClusterKubeconfig.path,
          token: inClusterKubeconfig.token,
        },
      },
      supervisors,
      pki,
      hosts,
      ...(loadBalancer ? { loadBalancer } : {}),
      apiServers,
      kubelets,
      ...(etcd ? { etcd } : {}),
      state,
      requestLog,
      tokens: simTokens,
      checkArgs,
      startupMs: Math.round(performance.now() - started),
      async setKubelet(nodeName, mode) {
        const kubelet = kubelets.find((k) => k.nodeName === nodeName);
        if (kubelet) await kubelet.setMode(mode);
        state.setPosting(nodeName, mode === 'up');
      },
      stop,
    };
  } catch (e) {
    // A half-started cluster is torn down before the error reaches the caller,
    // including etcd members still starting.
    if (!etcd) etcd = await etcdStarting.catch(() => undefined);
    await stop().catch(() => undefined);
    throw e;
  }
}
