// What a PKI folder is, from its own files and path, and what the distribution that made it
// keeps in it and beside it: the certificates to expect (a missing one is a finding only for
// that distribution's list), the kubeconfigs next to it, the etcd client certificate
// etcdctl uses, the file each served certificate comes from, and how leaves renew. Pure:
// callers list the folder and hand the names in.
import { posix } from 'node:path';
import type { CertificateRole } from '../engine/types.js';
import { profileOf, PROFILES, type Renewal } from './distributions.js';
import type { Distribution } from './types.js';

/** The distributions whose control-plane nodes keep a PKI folder k8sdoc can read. */
export type PkiDistribution = 'kubeadm' | 'k3s' | 'rke2' | 'microk8s';

export interface PkiFolderKind {
  distribution: PkiDistribution | 'unknown';
  /** What gave it away, in words for --debug and messages. */
  evidence: string;
}

const RANCHER_NAMES = ['server-ca.crt', 'client-ca.crt', 'serving-kube-apiserver.crt'];

function rancherProgram(dir: string, names: readonly string[], hint: Distribution | undefined): { program: 'k3s' | 'rke2'; why: string } {
  const path = `${posix.resolve(dir)}/`;
  if (path.includes('/rancher/rke2/')) return { program: 'rke2', why: 'its path is under rancher/rke2' };
  if (path.includes('/rancher/k3s/')) return { program: 'k3s', why: 'its path is under rancher/k3s' };
  if (names.includes('client-rke2-controller.crt')) return { program: 'rke2', why: 'it holds client-rke2-controller.crt' };
  if (names.includes('client-k3s-controller.crt')) return { program: 'k3s', why: 'it holds client-k3s-controller.crt' };
  if (hint === 'rke2') return { program: 'rke2', why: 'the cluster is RKE2' };
  return { program: 'k3s', why: 'k3s and RKE2 name their files alike; k3s assumed' };
}

/**
 * Which distribution laid out a PKI folder, from the names in it (and its path): k3s and RKE2
 * name their CAs server-ca.crt and client-ca.crt in server/tls; MicroK8s keeps ca.crt with
 * server.crt (no apiserver.crt) in certs/; kubeadm has ca.crt (or at least ca.key). `hint` is
 * the cluster's distribution when known, used only where the files cannot tell.
 */
export function distributionOfPkiFolder(dir: string, names: readonly string[], hint?: Distribution): PkiFolderKind {
  const rancher = RANCHER_NAMES.filter((n) => names.includes(n));
  if (rancher.length > 0) {
    const { program, why } = rancherProgram(dir, names, hint);
    return { distribution: program, evidence: `${rancher.join(', ')} (k3s/RKE2 server/tls names); ${program}: ${why}` };
  }
  const path = `${posix.resolve(dir)}/`;
  if (path.includes('/snap/microk8s/') || (names.includes('ca.crt') && names.includes('server.crt') && !names.includes('apiserver.crt'))) {
    return {
      distribution: 'microk8s',
      evidence: path.includes('/snap/microk8s/') ? 'its path is under snap/microk8s' : 'ca.crt with server.crt (MicroK8s certs names)',
    };
  }
  if (names.includes('ca.crt') || names.includes('ca.key')) return { distribution: 'kubeadm', evidence: 'ca.crt or ca.key (kubeadm names)' };
  if (hint === 'kubeadm' || hint === 'kind' || hint === 'k3s' || hint === 'rke2' || hint === 'microk8s') {
    return { distribution: hint === 'kind' ? 'kubeadm' : hint, evidence: `no telling file; the cluster is ${hint}` };
  }
  return { distribution: 'unknown', evidence: 'no file names of kubeadm, k3s, RKE2 or MicroK8s' };
}

/** kubeadm's name for a file (`etcd/healthcheck-client.crt` → `etcd-healthcheck-client`), as `kubeadm certs check-expiration` prints it. */
export function certificateNameOf(file: string): string {
  return file.replace(/\.(crt|pem|cer)$/i, '').replace(/\//g, '-');
}

export interface ExpectedFile {
  /** Path relative to the PKI folder. */
  file: string;
  name: string;
  role: string;
  lifetimeDays: number;
  ca: boolean;
  /** What it is for, as far as the failures it can cause go (triage). */
  certificateRole: CertificateRole;
  /** Only present where the node runs etcd (an `etcd/` folder beside it). */
  etcdOnly: boolean;
}

const KUBEADM_ROLES: Readonly<Record<string, CertificateRole>> = {
  'ca.crt': 'cluster-ca',
  'apiserver.crt': 'apiserver-serving',
  'apiserver-etcd-client.crt': 'apiserver-etcd-client',
  'etcd/ca.crt': 'etcd',
  'etcd/server.crt': 'etcd',
  'etcd/peer.crt': 'etcd',
  'etcd/healthcheck-client.crt': 'etcd-healthcheck-client',
};

const RANCHER_ROLES: Readonly<Record<string, CertificateRole>> = {
  'server-ca.crt': 'cluster-ca',
  'serving-kube-apiserver.crt': 'apiserver-serving',
  'etcd/server-ca.crt': 'etcd',
  'etcd/peer-ca.crt': 'etcd',
  'etcd/server-client.crt': 'etcd',
  'etcd/peer-server-client.crt': 'etcd',
  // kube-apiserver's --etcd-certfile and etcdctl's client certificate both.
  'etcd/client.crt': 'apiserver-etcd-client',
};

const MICROK8S_ROLES: Readonly<Record<string, CertificateRole>> = { 'ca.crt': 'cluster-ca', 'server.crt': 'apiserver-serving' };

/** What a file of this distribution's folder is for; `other` when it is not one it makes. */
export function certificateRoleOf(distribution: PkiDistribution | 'unknown', file: string): CertificateRole {
  const table = distribution === 'kubeadm' ? KUBEADM_ROLES : distribution === 'microk8s' ? MICROK8S_ROLES : distribution === 'unknown' ? {} : RANCHER_ROLES;
  return table[file] ?? 'other';
}

/** The certificates the distribution makes in its PKI folder, CAs first. Unknown folders expect nothing. */
export function expectedCertificates(distribution: PkiDistribution | 'unknown'): ExpectedFile[] {
  if (distribution === 'unknown') return [];
  const specs = PROFILES[distribution].certificates;
  return [...specs]
    .sort((a, b) => Number(b.ca) - Number(a.ca))
    .map((s) => ({
      file: s.file,
      name: certificateNameOf(s.file),
      role: s.role,
      lifetimeDays: s.lifetimeDays,
      ca: s.ca,
      certificateRole: certificateRoleOf(distribution, s.file),
      // kubeadm makes apiserver-etcd-client only for its own (stacked) etcd.
      etcdOnly: s.file.startsWith('etcd/') || (distribution === 'kubeadm' && s.file === 'apiserver-etcd-client.crt'),
    }));
}

/**
 * The node's `/` when the folder sits at the distribution's own path under it
 * (`/srv/copy/var/lib/rancher/k3s/server/tls` → `/srv/copy`), else null.
 */
export function nodeRootOf(pkiDir: string, distribution: PkiDistribution): string | null {
  const own: string | null = PROFILES[distribution].pkiDir;
  if (own === null) return null;
  const dir = posix.resolve(pkiDir);
  if (dir === own) return '/';
  return dir.endsWith(own) ? dir.slice(0, dir.length - own.length) || '/' : null;
}

export interface KubeconfigBeside {
  path: string;
  name: string;
  /** The distribution always writes it: missing is a finding. */
  required: boolean;
}

/** kubeadm's kubeconfigs in /etc/kubernetes, next to pki/ (super-admin.conf only since v1.29). */
const KUBEADM_KUBECONFIGS: readonly { name: string; required: boolean }[] = [
  { name: 'admin.conf', required: true },
  { name: 'super-admin.conf', required: false },
  { name: 'controller-manager.conf', required: true },
  { name: 'scheduler.conf', required: true },
  { name: 'kubelet.conf', required: true },
];

/**
 * The kubeconfigs kept beside the folder, on the node or in a copy of its files: kubeadm's in
 * the parent folder; k3s/RKE2's server/cred beside server/tls and /etc/rancher/<program>/<program>.yaml
 * under the node's root; MicroK8s's credentials/ beside certs/. Only kubeadm's are required.
 */
export function kubeconfigsBeside(pkiDir: string, distribution: PkiDistribution | 'unknown'): KubeconfigBeside[] {
  const dir = posix.resolve(pkiDir);
  const parent = posix.dirname(dir);
  switch (distribution) {
    case 'kubeadm':
    case 'unknown':
      // A folder of unknown make is read as kubeadm's would be, nothing required.
      return KUBEADM_KUBECONFIGS.map((k) => ({ path: posix.join(parent, k.name), name: k.name, required: distribution === 'kubeadm' && k.required }));
    case 'k3s':
    case 'rke2': {
      const root = nodeRootOf(dir, distribution);
      const own = `/etc/rancher/${distribution}/${distribution}.yaml`;
      return [
        ...(root !== null ? [{ path: posix.join(root, own), name: `${distribution}.yaml`, required: false }] : []),
        ...['admin', 'controller', 'scheduler', 'supervisor'].map((n) => ({
          path: posix.join(parent, 'cred', `${n}.kubeconfig`),
          name: `cred/${n}.kubeconfig`,
          required: false,
        })),
      ];
    }
    case 'microk8s':
      return ['client', 'controller', 'scheduler', 'kubelet', 'proxy'].map((n) => ({
        path: posix.join(parent, 'credentials', `${n}.config`),
        name: `credentials/${n}.config`,
        required: false,
      }));
  }
}

/** The client certificate etcdctl uses on such a node, as absolute paths under `pkiDir`; null when it has none. */
export function etcdClientOf(pkiDir: string, distribution: PkiDistribution | 'unknown'): { caFile: string; certFile: string; keyFile: string } | null {
  if (distribution === 'unknown') return null;
  const files = PROFILES[distribution].etcdClient;
  if (files === null) return null;
  const dir = posix.resolve(pkiDir);
  return { caFile: posix.join(dir, files.caFile), certFile: posix.join(dir, files.certFile), keyFile: posix.join(dir, files.keyFile) };
}

export type ServedRole = 'apiserver' | 'etcd-client' | 'etcd-peer';

const SERVING_FILES: Readonly<Record<PkiDistribution, Readonly<Record<ServedRole, string | null>>>> = {
  kubeadm: { apiserver: 'apiserver.crt', 'etcd-client': 'etcd/server.crt', 'etcd-peer': 'etcd/peer.crt' },
  // k3s's :6443 is its supervisor, which serves the dynamiclistener certificate (CN and O
  // `k3s`, kept in the kube-system/k3s-serving secret); serving-kube-apiserver.crt is what
  // the real kube-apiserver behind it serves on 127.0.0.1:6444. No file to compare with.
  k3s: { apiserver: null, 'etcd-client': 'etcd/server-client.crt', 'etcd-peer': 'etcd/peer-server-client.crt' },
  rke2: { apiserver: 'serving-kube-apiserver.crt', 'etcd-client': 'etcd/server-client.crt', 'etcd-peer': 'etcd/peer-server-client.crt' },
  microk8s: { apiserver: 'server.crt', 'etcd-client': null, 'etcd-peer': null },
};

/** The file (relative to the PKI folder) an endpoint of this role serves from; null when none does. */
export function servingFileOf(distribution: PkiDistribution | 'unknown', role: ServedRole): string | null {
  return distribution === 'unknown' ? SERVING_FILES.kubeadm[role] : SERVING_FILES[distribution][role];
}

/** How to make the component serve a renewed file, in the distribution's words. */
export function restartAdviceOf(distribution: PkiDistribution | 'unknown', role: ServedRole): string {
  switch (distribution) {
    case 'k3s':
      return 'restart k3s: systemctl restart k3s';
    case 'rke2':
      return 'restart RKE2: systemctl restart rke2-server';
    case 'microk8s':
      return 'restart MicroK8s: snap restart microk8s';
    default:
      return role === 'apiserver'
        ? 'restart kube-apiserver: move /etc/kubernetes/manifests/kube-apiserver.yaml out of the folder and back after 20 s'
        : 'restart etcd: move /etc/kubernetes/manifests/etcd.yaml out of the folder and back after 20 s';
  }
}

/** What the certificate judgement needs to know of a distribution's renewal. */
export interface RenewalContext {
  /** Leaves within this many days of expiry are renewed at the next start (null: never by themselves). */
  autoRenewWithinDays: number | null;
  /** Says how a leaf renews, for messages: `k3s renews it at the next start of k3s: systemctl restart k3s`. */
  how: string;
}

const SERVICE: Readonly<Record<PkiDistribution, string>> = { kubeadm: 'kubelet', k3s: 'k3s', rke2: 'rke2-server', microk8s: 'snap.microk8s.daemon-kubelite' };

/** The renewal of leaves on such a node, or null when nothing is known (judge with the thresholds alone). */
export function renewalContextOf(distribution: PkiDistribution | 'unknown'): RenewalContext | null {
  if (distribution === 'unknown') return null;
  const renewal: Renewal | null = profileOf(distribution)?.renewal ?? null;
  if (renewal === null) return null;
  if (renewal.autoRenewWithinDays === null) {
    const how = distribution === 'kubeadm' ? 'kubeadm certs renew all, then restart the control-plane static pods' : 'microk8s refresh-certs --cert <file>';
    return { autoRenewWithinDays: null, how: `it does not renew by itself: ${how}` };
  }
  const since = renewal.autoRenewWithinDaysBefore !== undefined ? ` (${renewal.autoRenewWithinDaysBefore} days before the May 2025 releases)` : '';
  return {
    autoRenewWithinDays: renewal.autoRenewWithinDays,
    how: `${distribution} renews it at the next start of ${distribution} within ${renewal.autoRenewWithinDays} days of expiry${since}: systemctl restart ${SERVICE[distribution]} (or ${distribution} certificate rotate now)`,
  };
}

/**
 * The cluster's distribution as discovery inferred it, when it did. Read structurally so that
 * this code works whether or not the targets carry a shape yet.
 */
export function shapeDistributionOf(targets: object): Distribution | undefined {
  const shape = (targets as { shape?: { distribution?: Distribution } | null }).shape;
  return shape?.distribution;
}
