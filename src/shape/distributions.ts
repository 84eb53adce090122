// What each distribution puts on a control-plane node and how its operators act on it, as data:
// where the admin kubeconfig and the PKI live, which certificates to expect and how each one
// renews, which etcd client certificate etcdctl needs, which ports listen where, and the
// commands of a fix (status, logs, restart, certificate renewal, etcd snapshot, membership).
// The catalogue fills its fix templates from `FIXES`; discovery tries `ADMIN_KUBECONFIGS` and
// `PKI_DIRS`; the certificate checks read `certificates` and `renewal` so that a k3s leaf at
// 100 days (renewed by the next restart) is not judged like a kubeadm leaf at 100 days.
//
// Every value was read in the distribution's own source or documentation:
// - kubeadm: cmd/kubeadm/app/constants/constants.go (file names, 365-day leaves, 10-year CAs,
//   ports 2379/2380/2381/10250/10257/10259, the etcd and apiserver pod annotations),
//   cmd/kubeadm/app/phases/controlplane/manifests.go (`--etcd-servers=https://127.0.0.1:2379`,
//   `[::1]` when the advertise address is IPv6), phases/etcd/local.go (listen-client-urls on
//   loopback and the node address).
// - k3s: pkg/daemons/config/types.go (`CertificateRenewDays = 120`, 90 before the May 2025
//   releases v1.33.1+k3s1, v1.32.5+k3s1, v1.31.9+k3s1, v1.30.13+k3s1), pkg/daemons/control/deps
//   (server/tls file names, etcd/client.crt with etcd/server-ca.crt), pkg/etcd/etcd.go
//   (`etcd.<program>.cattle.io/node-name|node-address`), pkg/cli/cert (`certificate rotate`).
// - RKE2: the k3s code with program name `rke2` (scripts/build-binary), supervisor on 9345
//   (pkg/cli/defaults), static pods, containerd at /run/k3s/containerd/containerd.sock.
// - Talos: cmd/talosctl/cmd/talos/{etcd,service,logs}.go for the talosctl verbs; etcd is a
//   host service; controller-manager and scheduler bind 127.0.0.1.
// - MicroK8s: microk8s-resources/default-args (API on 16443, dqlite behind
//   `unix://…/kine.sock:12379`), snap/snapcraft.yaml (daemon-kubelite, daemon-k8s-dqlite),
//   scripts/wrappers/refresh_certs.py (`refresh-certs --cert server.crt`), certs made with
//   `-days 365` (server, front proxy client) and `-days 3650` (CA).
import type { Distribution } from './types.js';

export type Owner = 'you' | 'provider';

export interface CertificateSpec {
  /** Path relative to the distribution's PKI folder. */
  file: string;
  /** What it is for, in words. */
  role: string;
  /** Lifetime as issued, in days. */
  lifetimeDays: number;
  ca: boolean;
}

export interface Renewal {
  leafDays: number;
  caDays: number;
  /**
   * Leaves this close to expiry (days) are renewed by the distribution itself at the next
   * service start; a certificate inside this window is a restart away from renewal, not a fault.
   */
  autoRenewWithinDays: number | null;
  /** The same window before `autoRenewSince` releases. */
  autoRenewWithinDaysBefore?: number;
  autoRenewSince?: string;
  /** How leaves renew, for the fix text. */
  leaves: string;
  /** How CAs renew, for the fix text. */
  cas: string;
}

export interface EtcdClientFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface PortSpec {
  port: number;
  what: string;
  /** Bound to loopback on the node by default: unreachable from anywhere else, and that is by design. */
  loopbackOnly: boolean;
}

/**
 * The commands of a fix. Placeholders in angle brackets are filled by the catalogue (see
 * `PLACEHOLDERS`): `<component>` (kube-apiserver, etcd …), `<container-id>`, `<node>`,
 * `<node-ip>`, `<member-id>`, `<snapshot-file>`, `<pod>`, and for managed clusters `<cluster>`
 * and `<group>`.
 */
export interface FixVocabulary {
  /** Who runs the control plane: a managed provider's control plane cannot be repaired from here. */
  owner: Owner;
  status: readonly string[];
  logs: readonly string[];
  restart: readonly string[];
  renewCertificates: readonly string[];
  etcdSnapshot: readonly string[];
  etcdMembers: readonly string[];
  etcdRemoveMember: readonly string[];
  /**
   * Where one program runs differently from the rest (the kubelet is a systemd unit while the
   * control plane runs as static pods; Talos runs etcd and the kubelet as its own services):
   * its status, logs and restart commands, which replace the general ones for that program.
   */
  programs?: Readonly<Record<string, ProgramFixes>>;
  /** Restoring etcd from a snapshot when a majority of the members is gone for good. */
  etcdRestore: readonly string[];
  /**
   * etcdctl as it runs on one of this distribution's control-plane nodes, with the node's own
   * client certificate (`<etcdctl>` steps when the run had none); null where no etcdctl runs there.
   */
  etcdctl: string | null;
}

/** The commands of `@status`, `@logs` and `@restart` for one program. */
export type ProgramFixes = Partial<Pick<FixVocabulary, 'status' | 'logs' | 'restart'>>;

/** A kubelet run by systemd, as kubeadm, kind's nodes and the managed providers' nodes run it. */
const SYSTEMD_KUBELET: ProgramFixes = {
  status: ['systemctl status kubelet   # on the node'],
  logs: ['journalctl -u kubelet --since -30m   # on the node'],
  restart: ['systemctl restart kubelet   # on the node'],
};

export const PLACEHOLDERS = ['component', 'container-id', 'node', 'node-ip', 'member-id', 'snapshot-file', 'pod', 'cluster', 'group'] as const;

export interface DistributionProfile {
  distribution: Distribution;
  title: string;
  /** Admin kubeconfigs to try, in order, as root on a control-plane node. */
  adminKubeconfigs: readonly string[];
  pkiDir: string | null;
  /** Kubeconfigs on the node that embed a client certificate of their own. */
  kubeconfigsWithCertificates: readonly string[];
  certificates: readonly CertificateSpec[];
  renewal: Renewal | null;
  /** The client certificate etcdctl (and k8sdoc) uses, relative to `pkiDir`. */
  etcdClient: EtcdClientFiles | null;
  ports: readonly PortSpec[];
  /** Paths whose presence on this machine means it is one of this distribution's control-plane nodes. */
  controlPlaneMarkers: readonly string[];
  /** Paths whose presence means the opposite (a worker of this distribution), checked first. */
  workerMarkers: readonly string[];
  fixes: FixVocabulary;
}

const YEAR = 365;
const TEN_YEARS = 3650;

const leaf = (file: string, role: string, lifetimeDays = YEAR): CertificateSpec => ({ file, role, lifetimeDays, ca: false });
const ca = (file: string, role: string, lifetimeDays = TEN_YEARS): CertificateSpec => ({ file, role, lifetimeDays, ca: true });

const KUBEADM_ETCDCTL =
  'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key';

const k3sEtcdctl = (program: 'k3s' | 'rke2') =>
  `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/var/lib/rancher/${program}/server/tls/etcd/server-ca.crt --cert=/var/lib/rancher/${program}/server/tls/etcd/client.crt --key=/var/lib/rancher/${program}/server/tls/etcd/client.key`;

const API = (port: number): PortSpec => ({ port, what: 'API server', loopbackOnly: false });
const KUBELET: PortSpec = { port: 10250, what: 'kubelet', loopbackOnly: false };
const ETCD_CLIENT: PortSpec = { port: 2379, what: 'etcd client (loopback and the node address)', loopbackOnly: false };
const ETCD_PEER: PortSpec = { port: 2380, what: 'etcd peer', loopbackOnly: false };
const ETCD_METRICS: PortSpec = { port: 2381, what: 'etcd metrics (http://127.0.0.1:2381)', loopbackOnly: true };
const CONTROLLER_MANAGER: PortSpec = { port: 10257, what: 'kube-controller-manager (--bind-address=127.0.0.1)', loopbackOnly: true };
const SCHEDULER: PortSpec = { port: 10259, what: 'kube-scheduler (--bind-address=127.0.0.1)', loopbackOnly: true };

/** etcd and the kubelet are Talos services of their own (machined runs them, not containerd's pods). */
function talosService(name: string): ProgramFixes {
  return {
    status: [`talosctl -n <node-ip> service ${name}`],
    logs: [`talosctl -n <node-ip> logs ${name}`],
    restart: [`talosctl -n <node-ip> service ${name} restart`],
  };
}

/** The rest of the control plane are static pods in containerd's k8s.io namespace (`-k`). */
function talosStaticPod(name: string): ProgramFixes {
  return {
    status: [`talosctl -n <node-ip> containers -k | grep ${name}`],
    logs: [`talosctl -n <node-ip> logs -k <container-id>   # the ${name} id from: talosctl -n <node-ip> containers -k`],
    restart: [`talosctl -n <node-ip> restart -k <container-id>   # the ${name} id from: talosctl -n <node-ip> containers -k`],
  };
}

/** k3s and RKE2 share their PKI layout (RKE2 is built on the k3s code). */
function rancherCertificates(program: 'k3s' | 'rke2'): CertificateSpec[] {
  return [
    ca('server-ca.crt', 'cluster CA (serving certificates)'),
    ca('client-ca.crt', 'client CA'),
    ca('request-header-ca.crt', 'front proxy CA'),
    ca('etcd/server-ca.crt', 'etcd server CA'),
    ca('etcd/peer-ca.crt', 'etcd peer CA'),
    leaf('serving-kube-apiserver.crt', 'kube-apiserver serving certificate'),
    leaf('client-admin.crt', 'admin client certificate'),
    leaf('client-controller.crt', 'kube-controller-manager client certificate'),
    leaf('client-scheduler.crt', 'kube-scheduler client certificate'),
    leaf('client-kube-apiserver.crt', 'kube-apiserver client certificate'),
    leaf('client-kube-proxy.crt', 'kube-proxy client certificate'),
    leaf(`client-${program}-controller.crt`, `${program} controller client certificate`),
    leaf('client-auth-proxy.crt', 'front proxy client certificate'),
    leaf('etcd/server-client.crt', 'etcd serving certificate'),
    leaf('etcd/peer-server-client.crt', 'etcd peer certificate'),
    leaf('etcd/client.crt', 'etcd client certificate'),
  ];
}

function rancherRenewal(program: 'k3s' | 'rke2'): Renewal {
  return {
    leafDays: YEAR,
    caDays: TEN_YEARS,
    autoRenewWithinDays: 120,
    autoRenewWithinDaysBefore: 90,
    autoRenewSince:
      program === 'k3s'
        ? 'the May 2025 releases (v1.33.1+k3s1, v1.32.5+k3s1, v1.31.9+k3s1, v1.30.13+k3s1)'
        : 'the May 2025 releases (v1.33.1+rke2r1, v1.32.5+rke2r1, v1.31.9+rke2r1, v1.30.13+rke2r1)',
    leaves: `renewed when ${program} starts and the certificate is expired or within 120 days of expiry (90 days before May 2025 releases); \`${program} certificate rotate\` renews them now`,
    cas: `valid 10 years and never renewed by ${program}; rotating them is a manual procedure (\`${program} certificate rotate-ca\`)`,
  };
}

function rancherProfile(program: 'k3s' | 'rke2'): DistributionProfile {
  const service = program === 'k3s' ? 'k3s' : 'rke2-server';
  const dataDir = `/var/lib/rancher/${program}`;
  const crictl = program === 'k3s' ? 'k3s crictl' : `${dataDir}/bin/crictl --runtime-endpoint unix:///run/k3s/containerd/containerd.sock`;
  const agent = `${program}-agent`;
  // The kubelet runs inside the agent process on workers and inside the server process on
  // servers; journalctl takes both units and shows whichever this node has.
  const kubelet: ProgramFixes = {
    status: [`systemctl status ${agent}   # on a server node: systemctl status ${service}`],
    logs: [
      `journalctl -u ${agent} -u ${service} --since -30m`,
      ...(program === 'rke2' ? [`tail -n 100 ${dataDir}/agent/logs/kubelet.log   # RKE2 writes the kubelet's own log here`] : []),
    ],
    restart: [`systemctl restart ${agent}   # on a server node: systemctl restart ${service}`],
  };
  return {
    distribution: program,
    title: program === 'k3s' ? 'K3s' : 'RKE2',
    adminKubeconfigs: [`/etc/rancher/${program}/${program}.yaml`],
    pkiDir: `${dataDir}/server/tls`,
    kubeconfigsWithCertificates: [`/etc/rancher/${program}/${program}.yaml`, `${dataDir}/server/cred/admin.kubeconfig`],
    certificates: rancherCertificates(program),
    renewal: rancherRenewal(program),
    etcdClient: { caFile: 'etcd/server-ca.crt', certFile: 'etcd/client.crt', keyFile: 'etcd/client.key' },
    ports:
      program === 'k3s'
        ? [
            { port: 6443, what: 'k3s supervisor and API server (the supervisor serves its own certificate)', loopbackOnly: false },
            { port: 6444, what: 'kube-apiserver behind the supervisor (127.0.0.1)', loopbackOnly: true },
            ETCD_CLIENT,
            ETCD_PEER,
            ETCD_METRICS,
            KUBELET,
            CONTROLLER_MANAGER,
            SCHEDULER,
          ]
        : [
            API(6443),
            { port: 9345, what: 'RKE2 supervisor (node registration)', loopbackOnly: false },
            ETCD_CLIENT,
            ETCD_PEER,
            ETCD_METRICS,
            KUBELET,
            CONTROLLER_MANAGER,
            SCHEDULER,
          ],
    controlPlaneMarkers: [`${dataDir}/server`],
    workerMarkers: [],
    fixes: {
      owner: 'you',
      status: [`systemctl status ${service}`, ...(program === 'rke2' ? [`${crictl} ps -a --name <component>`] : [])],
      // RKE2 runs the control plane as static pods under its own containerd: the newest
      // container of the program, so that the line runs as printed.
      logs: [`journalctl -u ${service}`, ...(program === 'rke2' ? [`${crictl} logs --tail 100 $(${crictl} ps -a --name <component> -q | head -n1)`] : [])],
      restart: [`systemctl restart ${service}`],
      renewCertificates: [`systemctl stop ${service}`, `${program} certificate rotate`, `systemctl start ${service}`],
      etcdSnapshot: [`${program} etcd-snapshot save`],
      etcdMembers: [`${k3sEtcdctl(program)} member list -w table`],
      etcdRemoveMember: [`kubectl delete node <node>`, `${k3sEtcdctl(program)} member remove <member-id>`],
      programs: { kubelet },
      // On one server, with the others stopped; the others then rejoin with their data dirs removed.
      etcdRestore: [`${program} server --cluster-reset --cluster-reset-restore-path=<snapshot-file>`],
      etcdctl: k3sEtcdctl(program),
    },
  };
}

export const PROFILES = {
  kubeadm: {
    distribution: 'kubeadm',
    title: 'kubeadm',
    adminKubeconfigs: ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf'],
    pkiDir: '/etc/kubernetes/pki',
    kubeconfigsWithCertificates: [
      '/etc/kubernetes/admin.conf',
      '/etc/kubernetes/super-admin.conf',
      '/etc/kubernetes/controller-manager.conf',
      '/etc/kubernetes/scheduler.conf',
    ],
    certificates: [
      ca('ca.crt', 'cluster CA'),
      ca('front-proxy-ca.crt', 'front proxy CA'),
      ca('etcd/ca.crt', 'etcd CA'),
      leaf('apiserver.crt', 'kube-apiserver serving certificate'),
      leaf('apiserver-kubelet-client.crt', 'kube-apiserver client certificate to kubelets'),
      leaf('apiserver-etcd-client.crt', 'kube-apiserver client certificate to etcd'),
      leaf('front-proxy-client.crt', 'front proxy client certificate'),
      leaf('etcd/server.crt', 'etcd serving certificate'),
      leaf('etcd/peer.crt', 'etcd peer certificate'),
      leaf('etcd/healthcheck-client.crt', 'etcd health-check client certificate'),
    ],
    renewal: {
      leafDays: YEAR,
      caDays: TEN_YEARS,
      autoRenewWithinDays: null,
      leaves: 'renewed by `kubeadm certs renew all` or by `kubeadm upgrade apply`; the control-plane static pods must then be restarted',
      cas: 'valid 10 years; kubeadm does not renew CAs',
    },
    etcdClient: { caFile: 'etcd/ca.crt', certFile: 'etcd/healthcheck-client.crt', keyFile: 'etcd/healthcheck-client.key' },
    ports: [API(6443), ETCD_CLIENT, ETCD_PEER, ETCD_METRICS, KUBELET, CONTROLLER_MANAGER, SCHEDULER],
    controlPlaneMarkers: ['/etc/kubernetes/manifests/kube-apiserver.yaml', '/etc/kubernetes/manifests/etcd.yaml'],
    workerMarkers: [],
    fixes: {
      owner: 'you',
      status: ['crictl ps -a --name <component>', 'kubectl -n kube-system get pods -l tier=control-plane -o wide'],
      // The newest container of the program, so that the line runs as printed.
      logs: ['crictl logs --tail 100 $(crictl ps -a --name <component> -q | head -n1)', 'journalctl -u kubelet --since -1h'],
      restart: ['mv /etc/kubernetes/manifests/<component>.yaml /etc/kubernetes/ && sleep 20 && mv /etc/kubernetes/<component>.yaml /etc/kubernetes/manifests/'],
      renewCertificates: [
        'kubeadm certs check-expiration',
        'kubeadm certs renew all',
        'then restart kube-apiserver, kube-controller-manager, kube-scheduler and etcd',
      ],
      etcdSnapshot: [`${KUBEADM_ETCDCTL} snapshot save <snapshot-file>`],
      etcdMembers: [`${KUBEADM_ETCDCTL} member list -w table`],
      etcdRemoveMember: [`${KUBEADM_ETCDCTL} member remove <member-id>`],
      programs: { kubelet: SYSTEMD_KUBELET },
      etcdRestore: [
        "etcdutl snapshot restore <snapshot-file> --data-dir /var/lib/etcd-restored   # then point the etcd manifest's data hostPath at it, on each member with its own --name and --initial-cluster",
      ],
      etcdctl: KUBEADM_ETCDCTL,
    },
  },
  k3s: rancherProfile('k3s'),
  rke2: rancherProfile('rke2'),
  talos: {
    distribution: 'talos',
    title: 'Talos Linux',
    adminKubeconfigs: [],
    pkiDir: null,
    kubeconfigsWithCertificates: [],
    certificates: [],
    renewal: null,
    etcdClient: null,
    ports: [
      API(6443),
      { port: 2379, what: 'etcd client (a Talos service, all addresses)', loopbackOnly: false },
      ETCD_PEER,
      KUBELET,
      CONTROLLER_MANAGER,
      SCHEDULER,
      { port: 50000, what: 'apid (talosctl)', loopbackOnly: false },
      { port: 50001, what: 'trustd', loopbackOnly: false },
    ],
    controlPlaneMarkers: [],
    workerMarkers: [],
    fixes: {
      owner: 'you',
      status: ['talosctl -n <node-ip> service etcd', 'talosctl -n <node-ip> service kubelet', 'talosctl -n <node-ip> health'],
      logs: ['talosctl -n <node-ip> logs etcd', 'talosctl -n <node-ip> logs kubelet', 'kubectl -n kube-system logs <pod>'],
      restart: ['talosctl -n <node-ip> service etcd restart', 'talosctl -n <node-ip> service kubelet restart'],
      renewCertificates: ['talosctl -n <node-ip> kubeconfig   # writes a fresh admin kubeconfig'],
      etcdSnapshot: ['talosctl -n <node-ip> etcd snapshot <snapshot-file>'],
      etcdMembers: ['talosctl -n <node-ip> etcd members'],
      etcdRemoveMember: ['talosctl -n <node-ip> etcd remove-member <member-id>'],
      programs: {
        etcd: talosService('etcd'),
        kubelet: talosService('kubelet'),
        'kube-apiserver': talosStaticPod('kube-apiserver'),
        'kube-controller-manager': talosStaticPod('kube-controller-manager'),
        'kube-scheduler': talosStaticPod('kube-scheduler'),
      },
      etcdRestore: ['talosctl -n <node-ip> bootstrap --recover-from=<snapshot-file>'],
      etcdctl: null,
    },
  },
  microk8s: {
    distribution: 'microk8s',
    title: 'MicroK8s',
    adminKubeconfigs: ['/var/snap/microk8s/current/credentials/client.config'],
    pkiDir: '/var/snap/microk8s/current/certs',
    kubeconfigsWithCertificates: ['/var/snap/microk8s/current/credentials/client.config'],
    certificates: [
      ca('ca.crt', 'cluster CA'),
      ca('front-proxy-ca.crt', 'front proxy CA'),
      leaf('server.crt', 'API server serving certificate'),
      leaf('front-proxy-client.crt', 'front proxy client certificate'),
    ],
    renewal: {
      leafDays: YEAR,
      caDays: TEN_YEARS,
      autoRenewWithinDays: null,
      leaves: 'renewed by `microk8s refresh-certs --cert server.crt` (and `--cert front-proxy-client.crt`)',
      cas: 'valid 10 years; `microk8s refresh-certs --cert ca.crt` replaces the CA and every certificate it signed',
    },
    etcdClient: null,
    ports: [API(16443), { port: 19001, what: 'dqlite', loopbackOnly: false }, { port: 25000, what: 'cluster agent (joins)', loopbackOnly: false }, KUBELET],
    controlPlaneMarkers: ['/var/snap/microk8s/current/var/kubernetes/backend'],
    // `microk8s join --worker` leaves this lock: the node runs no control plane.
    workerMarkers: ['/var/snap/microk8s/current/var/lock/clustered.lock'],
    fixes: {
      owner: 'you',
      status: ['microk8s status', 'microk8s inspect'],
      logs: ['journalctl -u snap.microk8s.daemon-kubelite', 'journalctl -u snap.microk8s.daemon-k8s-dqlite', 'snap logs microk8s'],
      restart: ['snap restart microk8s'],
      // kubelite runs the API server, controller-manager, scheduler, kubelet and proxy in one process.
      programs: {
        kubelet: {
          status: ['systemctl status snap.microk8s.daemon-kubelite   # kubelite runs the kubelet'],
          logs: ['journalctl -u snap.microk8s.daemon-kubelite --since -30m'],
          restart: ['snap restart microk8s.daemon-kubelite'],
        },
      },
      renewCertificates: ['microk8s refresh-certs --check', 'microk8s refresh-certs --cert server.crt'],
      etcdSnapshot: ['microk8s dbctl backup'],
      etcdMembers: [],
      etcdRemoveMember: [],
      etcdRestore: ['microk8s dbctl restore <snapshot-file>'],
      etcdctl: null,
    },
  },
  openshift: {
    distribution: 'openshift',
    title: 'OpenShift',
    adminKubeconfigs: [],
    pkiDir: null,
    kubeconfigsWithCertificates: [],
    certificates: [],
    // The operators rotate OpenShift's control-plane certificates on their own schedule.
    renewal: null,
    etcdClient: null,
    ports: [
      API(6443),
      { port: 2379, what: 'etcd client', loopbackOnly: false },
      ETCD_PEER,
      { port: 9978, what: 'etcd metrics (https)', loopbackOnly: false },
      KUBELET,
    ],
    controlPlaneMarkers: [],
    workerMarkers: [],
    fixes: {
      owner: 'you',
      status: ['oc get clusteroperators', 'oc -n openshift-etcd get pods -l app=etcd -o wide', 'oc -n openshift-kube-apiserver get pods -o wide'],
      logs: ['oc -n openshift-etcd logs <pod> -c etcd', 'oc adm node-logs <node> -u kubelet'],
      restart: ['oc -n openshift-etcd delete pod <pod>   # the operator recreates it'],
      renewCertificates: ['oc get clusteroperators kube-apiserver etcd   # the operators rotate the control-plane certificates'],
      etcdSnapshot: ['oc debug node/<node> -- chroot /host /usr/local/bin/cluster-backup.sh /home/core/assets/backup'],
      etcdMembers: ['oc -n openshift-etcd rsh <pod> etcdctl member list -w table'],
      etcdRemoveMember: ['oc -n openshift-etcd rsh <pod> etcdctl member remove <member-id>'],
      programs: {
        kubelet: {
          status: ['oc debug node/<node> -- chroot /host systemctl status kubelet'],
          logs: ['oc adm node-logs <node> -u kubelet'],
          restart: ['oc debug node/<node> -- chroot /host systemctl restart kubelet'],
        },
      },
      etcdRestore: ['oc debug node/<node> -- chroot /host /usr/local/bin/cluster-restore.sh /home/core/assets/backup'],
      etcdctl: 'oc -n openshift-etcd rsh <pod> etcdctl',
    },
  },
} as const satisfies Partial<Record<Distribution, DistributionProfile>>;

/** A managed control plane: the provider runs the API server and etcd; nothing of it is on a node. */
function managedProfile(distribution: 'eks' | 'gke' | 'aks', title: string, cli: readonly string[]): DistributionProfile {
  return {
    distribution,
    title,
    adminKubeconfigs: [],
    pkiDir: null,
    kubeconfigsWithCertificates: [],
    certificates: [],
    renewal: null,
    etcdClient: null,
    ports: [API(443), KUBELET],
    controlPlaneMarkers: [],
    workerMarkers: [],
    fixes: {
      owner: 'provider',
      status: cli,
      logs: ["the control plane's logs are the provider's (enable control-plane logging in the provider's console)"],
      restart: ['the control plane is run by the provider: open a support case if it stays unavailable'],
      renewCertificates: ['the provider renews the control-plane certificates'],
      etcdSnapshot: ['the provider backs up etcd; back up your workloads with a tool such as Velero'],
      etcdMembers: [],
      etcdRemoveMember: [],
      // The nodes are yours: their kubelet is a systemd unit as anywhere else.
      programs: { kubelet: SYSTEMD_KUBELET },
      etcdRestore: [],
      etcdctl: null,
    },
  };
}

export const MANAGED_PROFILES = {
  eks: managedProfile('eks', 'Amazon EKS', ['aws eks describe-cluster --name <cluster> --query cluster.status']),
  gke: managedProfile('gke', 'Google GKE', ['gcloud container clusters describe <cluster> --format="value(status)"']),
  aks: managedProfile('aks', 'Azure AKS', ['az aks show --name <cluster> --resource-group <group> --query powerState']),
} as const;

/** kind is kubeadm in containers: the same files inside each node container. */
const KIND_PROFILE: DistributionProfile = {
  ...PROFILES.kubeadm,
  distribution: 'kind',
  title: 'kind',
  controlPlaneMarkers: [],
  fixes: {
    ...PROFILES.kubeadm.fixes,
    status: ['docker exec <node> crictl ps -a --name <component>', 'kind get nodes'],
    logs: ['docker exec <node> crictl logs <container-id>', 'kind export logs'],
    programs: {
      kubelet: {
        status: ['docker exec <node> systemctl status kubelet'],
        logs: ['docker exec <node> journalctl -u kubelet --since -30m'],
        restart: ['docker exec <node> systemctl restart kubelet'],
      },
    },
  },
};

export function profileOf(distribution: Distribution): DistributionProfile | null {
  if (distribution === 'kind') return KIND_PROFILE;
  if (distribution === 'eks' || distribution === 'gke' || distribution === 'aks') return MANAGED_PROFILES[distribution];
  if (distribution === 'unknown') return null;
  return PROFILES[distribution];
}

/** Every admin kubeconfig a root run on a node may try, in the order distributions are most common. */
export const ADMIN_KUBECONFIGS: readonly { distribution: Distribution; path: string }[] = (['kubeadm', 'k3s', 'rke2', 'microk8s'] as const).flatMap((d) =>
  PROFILES[d].adminKubeconfigs.map((path) => ({ distribution: d, path })),
);

/** Every PKI folder a run on a node may look for. */
export const PKI_DIRS: readonly { distribution: Distribution; path: string }[] = (['kubeadm', 'k3s', 'rke2', 'microk8s'] as const).flatMap((d) => {
  const path: string | null = PROFILES[d].pkiDir;
  return path === null ? [] : [{ distribution: d, path }];
});

/** The well-known paths whose existence `inferShape` takes as local facts. */
export const LOCAL_MARKERS: readonly string[] = [
  ...new Set((['kubeadm', 'k3s', 'rke2', 'microk8s'] as const).flatMap((d) => [...PROFILES[d].controlPlaneMarkers, ...PROFILES[d].workerMarkers])),
];

/**
 * How many days before expiry a certificate of this distribution is worth a warning: a leaf the
 * distribution renews at its next start only needs the restart, so its warning starts where the
 * automatic window would no longer save it. Returns null when the distribution renews nothing
 * itself (judge with the user's thresholds).
 */
export function autoRenewWindow(distribution: Distribution): number | null {
  return profileOf(distribution)?.renewal?.autoRenewWithinDays ?? null;
}

/** Ports bound to loopback on a node by this distribution: a refused or filtered probe of them from elsewhere is by design. */
export function loopbackOnlyPorts(distribution: Distribution): number[] {
  const profile = profileOf(distribution) ?? PROFILES.kubeadm;
  return profile.ports.filter((p) => p.loopbackOnly).map((p) => p.port);
}
