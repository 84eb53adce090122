// Loopback has a whole /8, so every simulated machine gets its own address and every
// service listens on its real port (6443, 2379, 2380, 10250). Blocks keep parallel test
// files apart: block b owns 127.b.0.0/16.
//
// Block 0 belongs to `k8sdoc demo`. Test files take fixed blocks by area (see
// test/helpers/blocks.ts) so that two files never share an address.

export interface HostPlan {
  block: number;
  /** The load balancer in front of the API servers. */
  loadBalancer: string;
  controlPlane(index: number): string;
  worker(index: number): string;
  /** Hosts of an external etcd, which are not nodes of the cluster (at most 8). */
  etcdHost(index: number): string;
  /** A spare address in the block for ad-hoc servers (hung, refusing, hostile). */
  spare(index: number): string;
}

const WORKERS_PER_OCTET = 250;

/**
 * Blocks 256..511 have no /16 of their own (loopback has 256): block 256+k lives in third
 * octets 250 (hosts) and 251 (spares) of 127.k.0.0/16, which no block 0..255 uses (its
 * workers stop at third octet 199, its spares sit at 200). Such a block holds at most 229 workers.
 */
function highBlockPlan(block: number): HostPlan {
  const base = `127.${block - 256}`;
  return {
    block,
    loadBalancer: `${base}.250.10`,
    controlPlane: (i) => {
      if (i < 0 || i > 8) throw new RangeError('at most 9 control-plane hosts');
      return `${base}.250.${11 + i}`;
    },
    worker: (i) => {
      if (i < 0 || i > 228) throw new RangeError(`block ${block} holds at most 229 workers`);
      return `${base}.250.${21 + i}`;
    },
    etcdHost: (i) => {
      if (i < 0 || i > 7) throw new RangeError('at most 8 external etcd hosts');
      return `${base}.250.${2 + i}`;
    },
    spare: (i) => {
      if (i < 0 || i > 249) throw new RangeError('spare index must be 0..249');
      return `${base}.251.${1 + i}`;
    },
  };
}

export function hostPlan(block: number): HostPlan {
  if (Number.isInteger(block) && block >= 256 && block <= 511) return highBlockPlan(block);
  if (!Number.isInteger(block) || block < 0 || block > 255) throw new RangeError(`address block must be 0..511, got ${block}`);
  const base = `127.${block}`;
  return {
    block,
    loadBalancer: `${base}.0.10`,
    controlPlane: (i) => {
      if (i < 0 || i > 8) throw new RangeError('at most 9 control-plane hosts');
      return `${base}.0.${11 + i}`;
    },
    // Workers 0..228 sit beside the control plane (127.b.0.21+) as the README shows;
    // larger clusters spill into 127.b.1.x and up.
    worker: (i) => {
      if (i < 229) return `${base}.0.${21 + i}`;
      const j = i - 229;
      const third = 1 + Math.floor(j / WORKERS_PER_OCTET);
      if (third > 199) throw new RangeError('too many workers for one block');
      return `${base}.${third}.${1 + (j % WORKERS_PER_OCTET)}`;
    },
    etcdHost: (i) => {
      if (i < 0 || i > 7) throw new RangeError('at most 8 external etcd hosts');
      return `${base}.0.${2 + i}`;
    },
    spare: (i) => {
      if (i < 0 || i > 249) throw new RangeError('spare index must be 0..249');
      return `${base}.200.${1 + i}`;
    },
  };
}
