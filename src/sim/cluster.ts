// A whole simulated kubeadm cluster on loopback: PKI and kubeconfigs on disk laid out
// like /etc/kubernetes, static pod manifests, real etcd members (when the binary is
// installed), an API server and a kubelet per node, and a load balancer. Started from a
// scenario, stopped without leaving a process, a port or a file behind.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TokenTable, type Grant } from './api-access.js';
import { SimApiServer, API_SERVER_PORT } from './api-server.js';
import { ClusterState, type SimNode } from './cluster-state.js';
import { etcdAvailable, startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';
import { EtcdReadiness } from './etcd-readiness.js';
import { hostPlan } from './hosts.js';
import { SimKubelet } from './kubelet.js';
import { SimLoadBalancer } from './load-balancer.js';
import { issue, kubeconfigYaml, validFor, writeKubeadmPki, type KubeadmPki } from './pki.js';
import { RequestLog } from './request-log.js';
import { buildScenario, type ScenarioName } from './scenarios/index.js';
import { controlPlaneName, workerName, type ScenarioSpec } from './scenarios/spec.js';
import { servedCertificate } from './served-certs.js';
import { STATIC_COMPONENTS, staticPodManifest, type ControlPlaneLayout } from './static-pods.js';
import type { ListenMode } from './faults.js';

export interface SimHost {
  name: string;
  address: string;
  role: 'control-plane' | 'worker';
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
  block: number;
  workDir: string;
  /** admin.conf: embedded client certificate (kubeadm:cluster-admins), server = load balancer or the only API server. */
  kubeconfigPath: string;
  /** The URL admin.conf points at. */
  server: string;
  /** Stands in for /etc/kubernetes: admin.conf, super-admin.conf, controller-manager.conf, scheduler.conf, kubelet.conf. */
  kubernetesDir: string;
  /** Stands in for /etc/kubernetes/pki. */
  pkiDir: string;
  /** Stands in for /etc/kubernetes/manifests on cp-1. */
  manifestsDir: string;
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

export async function startCluster(scenario: ScenarioName | ScenarioSpec, opts: StartClusterOptions): Promise<SimCluster> {
  const started = performance.now();
  const spec = typeof scenario === 'string' ? buildScenario(scenario) : scenario;
  if (spec.controlPlanes < 1) throw new Error('a cluster needs at least one control-plane node');
  const plan = hostPlan(opts.block);
  const hosts = hostsOf(spec, opts.block);
  const controlPlane = hosts.filter((h) => h.role === 'control-plane');
  const withEtcd = opts.etcd === undefined ? etcdAvailable() : opts.etcd !== false;

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
  let loadBalancer: SimLoadBalancer | undefined;
  let etcd: EtcdCluster | undefined;
  let etcdReadiness: EtcdReadiness | undefined;
  let etcdStarting: Promise<EtcdCluster | undefined> = Promise.resolve(undefined);

  const stop = async (): Promise<void> => {
    await loadBalancer?.stop();
    await Promise.all([...apiServers.map((a) => a.stop()), ...kubelets.map((k) => k.stop())]);
    etcdReadiness?.close();
    await etcd?.stop();
    await rm(workDir, { recursive: true, force: true });
    liveWorkDirs.delete(workDir);
  };

  try {
    const useLoadBalancer = spec.loadBalancer ?? spec.controlPlanes > 1;
    const server = useLoadBalancer ? `https://${plan.loadBalancer}:${API_SERVER_PORT}` : `https://${controlPlane[0]!.address}:${API_SERVER_PORT}`;
    const apiServerNames = {
      dnsNames: ['localhost', ...controlPlane.map((h) => h.name)],
      ipAddresses: [...controlPlane.map((h) => h.address), ...(useLoadBalancer ? [plan.loadBalancer] : []), '127.0.0.1'],
    };
    const pki = await writeKubeadmPki(pkiDir, {
      apiServerHosts: [...apiServerNames.dnsNames, ...apiServerNames.ipAddresses],
      etcdHosts: [...controlPlane.map((h) => h.address), ...controlPlane.map((h) => h.name)],
      overrides: spec.pki,
    });
    await mkdir(manifestsDir, { recursive: true });
    const kubeconfigPath = await writeKubeconfigs(
      kubernetesDir,
      pki,
      server,
      `https://${controlPlane[0]!.address}:${API_SERVER_PORT}`,
      controlPlane[0]!.name,
      spec,
    );

    const etcdMembers = controlPlane.map((h) => ({ name: h.name, host: h.address }));
    const layout: ControlPlaneLayout = {
      pkiDir,
      kubeconfigDir: kubernetesDir,
      etcdServers: etcdMembers.map((m) => `https://${m.host}:2379`),
      etcdInitialCluster: etcdMembers.map((m) => `${m.name}=https://${m.host}:2380`).join(','),
    };
    await Promise.all(
      STATIC_COMPONENTS.map((c) => writeFile(join(manifestsDir, `${c}.yaml`), stringify(staticPodManifest(c, controlPlane[0]!, layout)), { mode: 0o600 })),
    );

    // etcd takes the longest: let it elect a leader while the rest starts.
    etcdStarting = withEtcd
      ? startEtcdCluster({
          implementation: opts.etcd === 'standin' ? 'standin' : 'etcd',
          members: etcdMembers,
          pki,
          workDir,
          ...(spec.etcd?.quotaBackendBytes ? { quotaBackendBytes: spec.etcd.quotaBackendBytes } : {}),
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
      };
    });
    const state = new ClusterState(
      nodes,
      layout,
      {
        etcdMember: (name) => etcd?.members.find((m) => m.name === name)?.state ?? null,
        apiServer: (name) => apiServers.find((a) => a.nodeName === name)?.mode ?? null,
      },
      createdAt,
    );

    const kubeletClient =
      pki.certs['apiserver-kubelet-client'] ??
      (await issue(pki.authorities.ca, { commonName: 'kube-apiserver-kubelet-client', organization: ['kubeadm:cluster-admins'], usage: 'client' }));
    const etcdClient = pki.certs['apiserver-etcd-client'];
    if (withEtcd && etcdClient) {
      etcdReadiness = new EtcdReadiness({
        endpoints: () => etcd?.members.map((m) => m.clientUrl) ?? [],
        tls: { ca: pki.authorities.etcdCa.certPem, cert: etcdClient.certPem, key: etcdClient.keyPem },
      });
    }

    for (const h of controlPlane) {
      const s = { ...spec.apiServers, ...spec.apiServer?.[h.name] };
      const serving = await servedCertificate(s.servedCert ?? 'valid', pki, apiServerNames);
      apiServers.push(
        new SimApiServer({
          nodeName: h.name,
          host: h.address,
          state,
          clientCaPem: pki.authorities.ca.certPem,
          serving,
          kubeletClient,
          tokens,
          requestLog,
          ...(etcdReadiness ? { etcd: etcdReadiness } : {}),
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
    ]);
    if (useLoadBalancer) {
      loadBalancer = new SimLoadBalancer(
        plan.loadBalancer,
        API_SERVER_PORT,
        apiServers.map((a) => ({ host: a.host, port: a.port })),
      );
      await loadBalancer.start();
    }

    etcd = await etcdStarting;
    if (etcd) {
      for (const name of spec.etcd?.kill ?? []) await etcd.kill(name);
      for (const name of spec.etcd?.pause ?? []) etcd.pause(name);
      if (spec.etcd?.nospace) await etcd.raiseNospace();
    }

    const checkArgs = [
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
    ];

    let tokenFiles = 0;
    const simTokens: SimTokens = {
      table: tokens,
      async kubeconfig(grant, o = {}) {
        const token = tokens.add(grant);
        const path = join(workDir, o.fileName ?? `token-${++tokenFiles}.conf`);
        await writeFile(path, kubeconfigYaml({ server: o.server ?? server, caPem: pki.authorities.ca.certPem, user: { token }, userName: grant.user }), {
          mode: 0o600,
        });
        return { token, path };
      },
    };

    return {
      scenario: spec,
      block: opts.block,
      workDir,
      kubeconfigPath,
      server,
      kubernetesDir,
      pkiDir,
      manifestsDir,
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
