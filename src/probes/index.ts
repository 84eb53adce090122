import type { ResolvedKubeconfig } from '../discovery/kubeconfig.js';
import type { Targets } from '../discovery/targets.js';
import type { CheckOptions } from '../options.js';
import { filesProbe } from './files.js';
import { createKubeProbe } from './kube.js';
import { probeTcp } from './tcp.js';
import { inspectTls } from './tls.js';
import { createEtcdProbeFactoryForTls } from './etcd.js';
import type { Probes } from './types.js';

export interface ProbeSet {
  probes: Probes;
  /** Releases sockets and clients so the process can end. */
  close(): Promise<void>;
}

export function createProbes(kubeconfig: ResolvedKubeconfig | null, targets: Targets, options: CheckOptions): ProbeSet {
  const kube = kubeconfig ? createKubeProbe(kubeconfig, { insecureSkipTlsVerify: options.insecureSkipTlsVerify, concurrency: options.concurrency }) : null;
  const probes: Probes = { tcp: probeTcp, tls: inspectTls, kube, etcd: createEtcdProbeFactoryForTls(targets.etcdTls), files: filesProbe };
  return {
    probes,
    async close() {
      kube?.close();
      await probes.etcd?.close();
    },
  };
}
