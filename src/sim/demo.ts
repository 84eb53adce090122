// What `k8sdoc demo` needs from the simulator: the scenario menu and a started cluster
// with the `check` flags that point at it. The CLI prints, runs check and cleans up.
import { startCluster, type SimCluster } from './cluster.js';
import { etcdAvailable } from './etcd-cluster.js';
import { ALL_SCENARIO_NAMES, buildScenario, isScenarioName, type AnyScenarioName, type ScenarioName } from './scenarios/index.js';
import type { Distribution } from './scenarios/spec.js';

export const DEFAULT_DEMO_SCENARIO: ScenarioName = 'healthy';

export interface ScenarioSummary {
  name: AnyScenarioName;
  /** Who built the cluster (`kubeadm` for the scenarios that name none). */
  distribution: Distribution;
  description: string;
}

export function listScenarios(): ScenarioSummary[] {
  return ALL_SCENARIO_NAMES.map((name) => {
    const spec = buildScenario(name);
    return { name, distribution: spec.distribution ?? 'kubeadm', description: spec.description };
  });
}

export interface DemoOptions {
  /** Leave the cluster running after the check (the caller stops it on Ctrl-C). */
  keep?: boolean;
  /** Address block; the demo owns block 0. */
  block?: number;
  /** Override etcd detection (default: real etcd when the binary is on PATH). */
  etcd?: boolean;
}

export interface Demo {
  cluster: SimCluster;
  /** Flags for `k8sdoc check` (without the word `check`) that point it at the cluster. */
  checkArgv: string[];
  /** Lines to show the user before the diagnosis. */
  notes: string[];
}

export class UnknownScenarioError extends Error {
  constructor(name: string) {
    super(`unknown scenario '${name}': choose one of ${ALL_SCENARIO_NAMES.join(', ')} (k8sdoc demo --list)`);
  }
}

export async function startDemo(name: string, o: DemoOptions = {}): Promise<Demo> {
  if (!isScenarioName(name)) throw new UnknownScenarioError(name);
  const withEtcd = o.etcd ?? etcdAvailable();
  const cluster = await startCluster(name, { block: o.block ?? 0, etcd: withEtcd });
  const notes = [
    `scenario ${name}: ${cluster.scenario.description}`,
    `started in ${(cluster.startupMs / 1000).toFixed(1)} s on ${cluster.hosts.length} simulated hosts (127.${cluster.block}.0.0/16)`,
  ];
  const checkArgv = [...cluster.checkArgs];
  if (!cluster.etcd) {
    notes.push('etcd not installed: the etcd part is skipped; install it with `apt-get install etcd-server` to see real etcd members');
    checkArgv.push('--skip', 'etcd');
  }
  const kubeletHosts = cluster.kubelets.map((k) => k.host);
  if (kubeletHosts.length > 0 && kubeletHosts.length < cluster.hosts.length) {
    // Hosts without a simulated kubelet would read as thousands of dead kubelets.
    checkArgv.push('--hosts', kubeletHosts.join(','));
    notes.push(
      `only ${kubeletHosts.length} of ${cluster.hosts.length} nodes run a simulated kubelet: kubelets and ports are probed on those hosts (--hosts); every node is still judged from the API`,
    );
  }
  if (o.keep) {
    notes.push(`kubeconfig: ${cluster.kubeconfigPath}`);
    notes.push(`try: kubectl --kubeconfig ${cluster.kubeconfigPath} get nodes`);
    notes.push(`or:  k8sdoc check ${checkArgv.join(' ')}`);
    notes.push('press Ctrl-C to stop the cluster and remove its files');
  }
  return { cluster, checkArgv, notes };
}
