// The vocabulary of a cluster's shape, shared by inference, etcd endpoint resolution and the
// per-distribution data. Inputs are plain data (what discovery read from the API server, the
// kubeconfig and this machine's files), so every judgement here is a pure function.

export const DISTRIBUTIONS = ['kubeadm', 'k3s', 'rke2', 'talos', 'microk8s', 'openshift', 'kind', 'eks', 'gke', 'aks', 'unknown'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export const DATASTORES = ['etcd-stacked', 'etcd-external', 'etcd-embedded', 'kine-sqlite', 'kine-sql', 'dqlite', 'managed', 'unknown'] as const;
export type Datastore = (typeof DATASTORES)[number];

export type Vantage = 'jump-host' | 'control-plane-node' | 'in-cluster';

/** Datastores with no etcd member k8sdoc could talk to: the etcd checks skip, ports 2379/2380 are not probed. */
export function hasEtcd(datastore: Datastore): boolean {
  return datastore === 'etcd-stacked' || datastore === 'etcd-external' || datastore === 'etcd-embedded';
}

export interface NodeAddress {
  type: string;
  address: string;
}

export interface NodeTaint {
  key: string;
  value?: string;
  effect?: string;
}

/** The parts of a Node object the shape is read from. */
export interface NodeFacts {
  name: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  taints?: readonly NodeTaint[];
  addresses?: readonly NodeAddress[];
  /** status.nodeInfo.kubeletVersion, e.g. `v1.31.4+k3s1`. */
  kubeletVersion?: string;
  /** status.nodeInfo.osImage, e.g. `Talos (v1.9.1)`. */
  osImage?: string;
  /** spec.providerID, e.g. `k3s://cp-1`, `kind://docker/kind/kind-control-plane`. */
  providerID?: string;
}

export interface ContainerFacts {
  name?: string;
  command?: readonly string[];
  args?: readonly string[];
}

/** A pod in kube-system or an openshift-* namespace, or a static pod manifest read from disk. */
export interface PodFacts {
  namespace: string;
  name: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  nodeName?: string;
  /** status.hostIP: the address of the node the pod runs on. */
  hostIP?: string;
  containers?: readonly ContainerFacts[];
}

export interface Shape {
  distribution: Distribution;
  datastore: Datastore;
  vantage: Vantage;
  /** The node k8sdoc runs on, when it runs on one and can tell which. */
  localNode?: string;
  /** Each conclusion with the facts it rests on, in words a user reads. */
  evidence: string[];
}

/** The node's InternalIP (first of them), else its first address of any kind. */
export function internalIP(node: NodeFacts | undefined): string | undefined {
  const addresses = node?.addresses ?? [];
  return addresses.find((a) => a.type === 'InternalIP')?.address ?? addresses[0]?.address;
}

/**
 * `--name=value` flags of a pod's containers (command and args, first occurrence wins). A flag
 * written as two words (`--etcd-servers`, `https://…`) is read too, as some distributions'
 * generators write them that way.
 */
export function podFlags(pod: Pick<PodFacts, 'containers'> | undefined): Map<string, string> {
  const flags = new Map<string, string>();
  for (const c of pod?.containers ?? []) {
    // A container run through `sh -c` (OpenShift's) carries its flags inside one script word.
    const words = [...(c.command ?? []), ...(c.args ?? [])].flatMap((w) => (/^\s*--/.test(w) ? [w.trim()] : w.trim().split(/\s+/)));
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      const joined = /^--([a-z0-9-]+)=(.*)$/.exec(word);
      if (joined) {
        if (!flags.has(joined[1]!)) flags.set(joined[1]!, unquote(joined[2]!));
        continue;
      }
      const bare = /^--([a-z0-9-]+)$/.exec(word);
      const next = words[i + 1];
      if (bare && next !== undefined && !next.startsWith('-')) {
        if (!flags.has(bare[1]!)) flags.set(bare[1]!, unquote(next));
        i += 1;
      }
    }
  }
  return flags;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** A comma-separated URL list as flags carry them. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
