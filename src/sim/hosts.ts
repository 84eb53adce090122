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
 * Blocks 256..511 share the /16 of block (b - 256) but use its third octets 201..255, which
 * no block below 256 touches (their hosts end at .199, their spares at .200): more test files
 * than /16s in 127/8, without two of them ever sharing an address.
 */
const HIGH_BLOCK_OCTET = 201;

export function hostPlan(block: number): HostPlan {
  if (!Number.isInteger(block) || block < 0 || block > 511) throw new RangeError(`address block must be 0..511, got ${block}`);
  const high = block > 255;
  const base = `127.${block & 255}`;
  // First third octet of the block, the last one for workers, and the spares' octet.
  const first = high ? HIGH_BLOCK_OCTET : 0;
  const lastWorkerOctet = high ? 254 : 199;
  const spareOctet = high ? 255 : 200;
  return {
    block,
    loadBalancer: `${base}.${first}.10`,
    controlPlane: (i) => {
      if (i < 0 || i > 8) throw new RangeError('at most 9 control-plane hosts');
      return `${base}.${first}.${11 + i}`;
    },
    // Workers 0..228 sit beside the control plane (127.b.0.21+) as the README shows;
    // larger clusters spill into 127.b.1.x and up.
    worker: (i) => {
      if (i < 229) return `${base}.${first}.${21 + i}`;
      const j = i - 229;
      const third = first + 1 + Math.floor(j / WORKERS_PER_OCTET);
      if (third > lastWorkerOctet) throw new RangeError('too many workers for one block');
      return `${base}.${third}.${1 + (j % WORKERS_PER_OCTET)}`;
    },
    etcdHost: (i) => {
      if (i < 0 || i > 7) throw new RangeError('at most 8 external etcd hosts');
      return `${base}.${first}.${2 + i}`;
    },
    spare: (i) => {
      if (i < 0 || i > 249) throw new RangeError('spare index must be 0..249');
      return `${base}.${spareOctet}.${1 + i}`;
    },
  };
}
