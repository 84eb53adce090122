// A real etcd cluster with a kubeadm PKI for one test file: members on the block's
// control-plane addresses, a temporary folder that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPlan } from '../../src/sim/hosts.js';
import { writeKubeadmPki, type KubeadmPki } from '../../src/sim/pki.js';
import { startEtcdCluster, type EtcdCluster, type EtcdMemberSpec } from '../../src/sim/etcd-cluster.js';

export interface EtcdFixture {
  cluster: EtcdCluster;
  pki: KubeadmPki;
  workDir: string;
  /** Spec of the i-th control-plane host of the block, named m1, m2 …; also for members added later. */
  spec(index: number): EtcdMemberSpec;
  dispose(): Promise<void>;
}

/** Room in the server certificate for members a test adds later (unstarted, learner). */
const SPARE_HOSTS = 2;

export async function startEtcdFixture(block: number, size: number, o: { quotaBackendBytes?: number } = {}): Promise<EtcdFixture> {
  const plan = hostPlan(block);
  const spec = (i: number): EtcdMemberSpec => ({ name: `m${i + 1}`, host: plan.controlPlane(i) });
  const workDir = mkdtempSync(join(tmpdir(), 'k8sdoc-etcd-'));
  try {
    const hosts = Array.from({ length: size + SPARE_HOSTS }, (_, i) => spec(i).host);
    const pki = await writeKubeadmPki(join(workDir, 'pki'), { apiServerHosts: hosts, etcdHosts: hosts });
    const members = Array.from({ length: size }, (_, i) => spec(i));
    const cluster = await startEtcdCluster({ members, pki, workDir, quotaBackendBytes: o.quotaBackendBytes });
    return {
      cluster,
      pki,
      workDir,
      spec,
      async dispose() {
        await cluster.stop();
        rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
}
