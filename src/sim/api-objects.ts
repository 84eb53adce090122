// The cluster add-on objects the simulated API servers serve besides nodes, pods, leases and
// namespaces: the Deployments and DaemonSets behind the system pods, Services with their
// Endpoints and EndpointSlices, admission webhook configurations, APIServices and
// CertificateSigningRequests. Workload status, endpoints and APIService availability are
// derived at request time from the pods the cluster state serves, so a backend made not
// ready shows the same way through every object kubectl can list.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { column, humanDuration, kubeTime, type ApiResource } from './api-wire.js';
import type { Printer } from './api-tables.js';
import type { KubeObject } from './cluster-state.js';

const NAME_DOC = 'Name must be unique within a namespace.';
const AGE_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created.';

/** An admission webhook a scenario registers, and what became of its backend. */
export interface WebhookSpec {
  /** The configuration's name (`policy-guard`). */
  name: string;
  kind: 'validating' | 'mutating';
  /** Default `Fail`, as the API server defaults it. */
  failurePolicy?: 'Fail' | 'Ignore';
  /**
   * `up`: a Deployment with ready pods behind its Service; `down`: the Deployment's pods are
   * not ready, so the Service has no ready endpoints; `no-service`: the Service was deleted;
   * `no-namespace`: the whole namespace was deleted; `url`: the webhook calls a URL, no Service.
   */
  backend: 'up' | 'down' | 'no-service' | 'no-namespace' | 'url';
  /** Namespace of the backend (default `<name>-system`). */
  namespace?: string;
}

/** Add-ons and their faults, on top of the distribution's own system pods. */
export interface AddonsSpec {
  webhooks?: WebhookSpec[];
  /** metrics-server and its APIService v1beta1.metrics.k8s.io (k3s bundles it: `up` there by default). */
  metricsServer?: 'up' | 'down';
  /** How many CoreDNS pods are not ready (from the first). */
  corednsNotReady?: number;
  /** Nodes whose kube-proxy pod is not ready. */
  kubeProxyNotReady?: string[];
  /** Cilium with its kube-proxy replacement: a `cilium` DaemonSet and no kube-proxy. */
  ciliumKubeProxyReplacement?: boolean;
  /** Nodes whose kubelet-serving CSR waits for approval (serverTLSBootstrap without an approver). */
  pendingServingCsrs?: string[];
}

export interface ExtraKind {
  resource: string;
  group: string;
  version: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  printer: Printer;
}

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function age(o: KubeObject, now: Date): string {
  return humanDuration(now.getTime() - Date.parse(o.metadata.creationTimestamp));
}

function selectorText(selector: Record<string, string> | undefined): string {
  const entries = Object.entries(selector ?? {});
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

const nameColumn = () => column('Name', NAME_DOC, { format: 'name' });
const ageColumn = () => column('Age', AGE_DOC);

const DEPLOYMENT_PRINTER: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }),
    ageColumn(),
    column('Containers', 'Names of each container in the template.', { priority: 1 }),
    column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
    column('Selector', 'Label selector for pods.', { priority: 1 }),
  ],
  cells(o, now) {
    const d = o as Obj;
    const containers = (d.spec.template.spec.containers as { name: string; image: string }[]) ?? [];
    return [
      o.metadata.name,
      `${d.status.readyReplicas ?? 0}/${d.spec.replicas}`,
      d.status.updatedReplicas ?? 0,
      d.status.availableReplicas ?? 0,
      age(o, now),
      containers.map((c) => c.name).join(','),
      containers.map((c) => c.image).join(','),
      selectorText(d.spec.selector.matchLabels),
    ];
  },
};

const DAEMONSET_PRINTER: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'The desired number of pods.', { type: 'integer' }),
    column('Current', 'The current number of pods.', { type: 'integer' }),
    column('Ready', 'The number of pods ready.', { type: 'integer' }),
    column('Up-to-date', 'The number of pods updated.', { type: 'integer' }),
    column('Available', 'The number of pods available.', { type: 'integer' }),
    column('Node Selector', 'Which nodes the pods should run on.'),
    ageColumn(),
  ],
  cells(o, now) {
    const s = (o as Obj).status;
    return [
      o.metadata.name,
      s.desiredNumberScheduled,
      s.currentNumberScheduled,
      s.numberReady,
      s.updatedNumberScheduled,
      s.numberAvailable ?? 0,
      selectorText((o as Obj).spec.template.spec.nodeSelector),
      age(o, now),
    ];
  },
};

const SERVICE_PRINTER: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'The type of the service.'),
    column('Cluster-IP', 'The cluster IP of the service.'),
    column('External-IP', 'The external IP of the service.'),
    column('Port(s)', 'The ports of the service.'),
    ageColumn(),
    column('Selector', 'The selector of the service.', { priority: 1 }),
  ],
  cells(o, now) {
    const spec = (o as Obj).spec;
    const ports = (spec.ports as { port: number; protocol: string }[]).map((p) => `${p.port}/${p.protocol}`).join(',');
    return [o.metadata.name, spec.type, spec.clusterIP, '<none>', ports, age(o, now), selectorText(spec.selector)];
  },
};

const ENDPOINTS_PRINTER: Printer = {
  columns: [nameColumn(), column('Endpoints', 'Endpoints of the service.'), ageColumn()],
  cells(o, now) {
    const subsets = ((o as Obj).subsets ?? []) as { addresses?: { ip: string }[]; ports: { port: number }[] }[];
    const pairs = subsets.flatMap((s) => (s.addresses ?? []).flatMap((a) => s.ports.map((p) => `${a.ip}:${p.port}`)));
    const shown = pairs.length === 0 ? '<none>' : pairs.length > 3 ? `${pairs.slice(0, 3).join(',')} + ${pairs.length - 3} more...` : pairs.join(',');
    return [o.metadata.name, shown, age(o, now)];
  },
};

const ENDPOINTSLICE_PRINTER: Printer = {
  columns: [
    nameColumn(),
    column('AddressType', 'The type of addresses in this EndpointSlice.'),
    column('Ports', 'The ports of this EndpointSlice.'),
    column('Endpoints', 'The endpoints of this EndpointSlice.'),
    ageColumn(),
  ],
  cells(o, now) {
    const s = o as Obj;
    const ports = ((s.ports ?? []) as { port: number }[]).map((p) => String(p.port)).join(',') || '<unset>';
    const addresses = ((s.endpoints ?? []) as { addresses: string[] }[]).flatMap((e) => e.addresses);
    const shown =
      addresses.length === 0 ? '<unset>' : addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',');
    return [o.metadata.name, s.addressType, ports, shown, age(o, now)];
  },
};

const WEBHOOK_PRINTER: Printer = {
  columns: [nameColumn(), column('Webhooks', 'The number of webhooks in the configuration.', { type: 'integer' }), ageColumn()],
  cells(o, now) {
    return [o.metadata.name, ((o as Obj).webhooks ?? []).length, age(o, now)];
  },
};

const APISERVICE_PRINTER: Printer = {
  columns: [
    nameColumn(),
    column('Service', 'The reference to the service that hosts this API endpoint.'),
    column('Available', 'Whether this service is available.'),
    ageColumn(),
  ],
  cells(o, now) {
    const a = o as Obj;
    const service = a.spec.service ? `${a.spec.service.namespace}/${a.spec.service.name}` : 'Local';
    const available = (a.status.conditions as { type: string; status: string; reason: string }[]).find((c) => c.type === 'Available');
    const shown = !available ? 'Unknown' : available.status === 'True' ? 'True' : `${available.status} (${available.reason})`;
    return [o.metadata.name, service, shown, age(o, now)];
  },
};

const CSR_PRINTER: Printer = {
  columns: [
    nameColumn(),
    ageColumn(),
    column('SignerName', 'The signer name of the request.'),
    column('Requestor', 'Name of the user that requested the certificate.'),
    column('RequestedDuration', 'The requested duration of the certificate.'),
    column('Condition', 'The state of the request.'),
  ],
  cells(o, now) {
    const c = o as Obj;
    const conditions = (c.status?.conditions ?? []) as { type: string }[];
    return [
      o.metadata.name,
      age(o, now),
      c.spec.signerName,
      c.spec.username,
      '<none>',
      conditions.length === 0 ? 'Pending' : conditions.map((x) => x.type).join(','),
    ];
  },
};

export const EXTRA_KINDS: readonly ExtraKind[] = [
  { resource: 'services', group: '', version: 'v1', kind: 'Service', listKind: 'ServiceList', namespaced: true, shortNames: ['svc'], printer: SERVICE_PRINTER },
  {
    resource: 'endpoints',
    group: '',
    version: 'v1',
    kind: 'Endpoints',
    listKind: 'EndpointsList',
    namespaced: true,
    shortNames: ['ep'],
    printer: ENDPOINTS_PRINTER,
  },
  {
    resource: 'deployments',
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    namespaced: true,
    shortNames: ['deploy'],
    printer: DEPLOYMENT_PRINTER,
  },
  {
    resource: 'daemonsets',
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    listKind: 'DaemonSetList',
    namespaced: true,
    shortNames: ['ds'],
    printer: DAEMONSET_PRINTER,
  },
  {
    resource: 'endpointslices',
    group: 'discovery.k8s.io',
    version: 'v1',
    kind: 'EndpointSlice',
    listKind: 'EndpointSliceList',
    namespaced: true,
    printer: ENDPOINTSLICE_PRINTER,
  },
  {
    resource: 'validatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingWebhookConfiguration',
    listKind: 'ValidatingWebhookConfigurationList',
    namespaced: false,
    printer: WEBHOOK_PRINTER,
  },
  {
    resource: 'mutatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'MutatingWebhookConfiguration',
    listKind: 'MutatingWebhookConfigurationList',
    namespaced: false,
    printer: WEBHOOK_PRINTER,
  },
  {
    resource: 'apiservices',
    group: 'apiregistration.k8s.io',
    version: 'v1',
    kind: 'APIService',
    listKind: 'APIServiceList',
    namespaced: false,
    printer: APISERVICE_PRINTER,
  },
  {
    resource: 'certificatesigningrequests',
    group: 'certificates.k8s.io',
    version: 'v1',
    kind: 'CertificateSigningRequest',
    listKind: 'CertificateSigningRequestList',
    namespaced: false,
    shortNames: ['csr'],
    printer: CSR_PRINTER,
  },
];

const READ_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function extraKind(resource: string, group: string): ExtraKind | undefined {
  return EXTRA_KINDS.find((k) => k.resource === resource && k.group === group);
}

/** The discovery groups of the extra kinds (the core group's are added to /api/v1). */
export function extraGroups(): {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion: { groupVersion: string; version: string };
}[] {
  const names = [...new Set(EXTRA_KINDS.filter((k) => k.group !== '').map((k) => k.group))];
  return names.map((name) => {
    const gv = { groupVersion: `${name}/v1`, version: 'v1' };
    return { name, versions: [gv], preferredVersion: gv };
  });
}

/** The APIResource entries of the extra kinds in one group version (`v1` for the core group). */
export function extraResources(groupVersion: string): ApiResource[] {
  return EXTRA_KINDS.filter((k) => (k.group === '' ? 'v1' : `${k.group}/${k.version}`) === groupVersion).map((k) => ({
    name: k.resource,
    singularName: k.kind.toLowerCase(),
    namespaced: k.namespaced,
    kind: k.kind,
    verbs: READ_VERBS,
    ...(k.shortNames ? { shortNames: k.shortNames } : {}),
  }));
}

function uid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

interface PodLike {
  metadata: KubeObject['metadata'] & { ownerReferences?: { kind: string; name: string }[] };
  spec: { nodeName?: string; containers: { name: string; image: string }[]; [k: string]: unknown };
  status: {
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { ready: boolean; [k: string]: unknown }[];
    [k: string]: unknown;
  };
}

function podReady(p: PodLike): boolean {
  return p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** Marks a pod's containers not ready, as a failing readiness probe leaves it (still Running). */
function notReady(p: PodLike): PodLike {
  return {
    ...p,
    status: {
      ...p.status,
      conditions: (p.status.conditions ?? []).map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False' } : c)),
      containerStatuses: (p.status.containerStatuses ?? []).map((c) => ({ ...c, ready: false })),
    },
  };
}

interface ServiceDef {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  clusterIP: string;
  ports: { name: string; port: number; targetPort: number; protocol: string }[];
}

const HTTPS_PORT = [{ name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' }];

function webhookNamespace(w: WebhookSpec): string {
  return w.namespace ?? `${w.name}-system`;
}

/**
 * The add-on objects of one simulated cluster. `basePods` is the cluster state's pod list
 * (computed per request); everything here is derived from it and from the spec.
 */
export class AddonObjects {
  private csrObjects: KubeObject[] = [];

  constructor(
    private readonly spec: AddonsSpec,
    private readonly createdAt: Date,
    private readonly controlPlaneAddresses: readonly string[],
  ) {}

  /** CSRs carry a real PKCS#10 request; made once when the cluster starts. */
  async prepare(): Promise<void> {
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    this.csrObjects = await Promise.all(
      (this.spec.pendingServingCsrs ?? []).map(async (node) => {
        const request = await x509.Pkcs10CertificateRequestGenerator.create({
          name: `O=system:nodes, CN=system:node:${node}`,
          keys: keys as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0]['keys'],
          signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        });
        const name = `csr-${hex(`csr/${node}`, 5)}`;
        return {
          metadata: {
            name,
            uid: uid(`csr/${name}`),
            resourceVersion: String(5000 + this.csrObjects.length),
            creationTimestamp: kubeTime(new Date(Date.now() - 20 * 60_000)),
          },
          spec: {
            request: Buffer.from(request.toString('pem')).toString('base64'),
            signerName: 'kubernetes.io/kubelet-serving',
            usages: ['digital signature', 'server auth'],
            username: `system:node:${node}`,
            groups: ['system:nodes', 'system:authenticated'],
          },
          status: {},
        };
      }),
    );
  }

  /** Namespaces the add-ons add (webhook backends), besides the distribution's own. */
  namespaceObjects(createdAt: Date): KubeObject[] {
    const names = [...new Set((this.spec.webhooks ?? []).filter((w) => w.backend !== 'no-namespace' && w.backend !== 'url').map(webhookNamespace))];
    return names.map((name) => ({
      metadata: {
        name,
        uid: uid(`ns/${name}`),
        resourceVersion: String(1500 + name.length),
        creationTimestamp: kubeTime(createdAt),
        labels: { 'kubernetes.io/metadata.name': name },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }));
  }

  /** The pods as served: the state's with the faults applied, plus the add-ons' own. */
  pods(basePods: readonly KubeObject[]): KubeObject[] {
    const s = this.spec;
    let pods = basePods as unknown as PodLike[];
    const nodes = [...new Set(pods.map((p) => p.spec.nodeName).filter((n): n is string => typeof n === 'string'))].sort();
    if (s.ciliumKubeProxyReplacement) {
      pods = pods.filter((p) => !(p.metadata.namespace === 'kube-system' && owner(p)?.name === 'kube-proxy'));
      pods.push(
        ...nodes.map((n, i) =>
          this.pod(
            'kube-system',
            `cilium-${hex(`cilium/${n}`, 5)}`,
            'DaemonSet',
            'cilium',
            n,
            { 'k8s-app': 'cilium' },
            'quay.io/cilium/cilium:v1.16.5',
            `10.244.${i}.1`,
          ),
        ),
      );
    }
    let corednsDown = s.corednsNotReady ?? 0;
    pods = pods.map((p) => {
      if (p.metadata.namespace !== 'kube-system') return p;
      if (p.metadata.labels?.['k8s-app'] === 'kube-dns' && corednsDown > 0) {
        corednsDown -= 1;
        return notReady(p);
      }
      if (owner(p)?.name === 'kube-proxy' && s.kubeProxyNotReady?.includes(p.spec.nodeName ?? '')) return notReady(p);
      return p;
    });
    const hasMetricsServer = pods.some((p) => p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'metrics-server');
    const workers = nodes.length > 0 ? nodes : ['unscheduled'];
    if (s.metricsServer && !hasMetricsServer) {
      pods.push(
        this.pod(
          'kube-system',
          'metrics-server',
          'ReplicaSet',
          'metrics-server',
          workers[0]!,
          { 'k8s-app': 'metrics-server' },
          'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
          '10.244.9.10',
        ),
      );
    }
    if (s.metricsServer === 'down')
      pods = pods.map((p) => (p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'metrics-server' ? notReady(p) : p));
    for (const w of s.webhooks ?? []) {
      if (w.backend === 'no-namespace' || w.backend === 'url') continue;
      const ns = webhookNamespace(w);
      for (let i = 0; i < 2; i++) {
        const p = this.pod(
          ns,
          w.name,
          'ReplicaSet',
          w.name,
          workers[i % workers.length]!,
          { app: w.name },
          `ghcr.io/example/${w.name}:v1.4.0`,
          `10.244.8.${10 + i}`,
          i,
        );
        pods.push(w.backend === 'down' ? crashLooping(p) : p);
      }
    }
    return (pods as unknown as KubeObject[]).sort((a, b) => key(a).localeCompare(key(b)));
  }

  private pod(
    ns: string,
    name: string,
    ownerKind: 'DaemonSet' | 'ReplicaSet',
    ownerName: string,
    node: string,
    labels: Record<string, string>,
    image: string,
    ip: string,
    index = 0,
  ): PodLike {
    const hash = hex(`${ns}/${ownerName}`, 10);
    const owned = ownerKind === 'ReplicaSet' ? `${ownerName}-${hash}` : ownerName;
    const podName = ownerKind === 'ReplicaSet' ? `${owned}-${hex(`${owned}/${index}`, 5)}` : name;
    const created = kubeTime(this.createdAt);
    return {
      metadata: {
        name: podName,
        namespace: ns,
        uid: uid(`pod/${ns}/${podName}`),
        resourceVersion: String(4000 + index),
        creationTimestamp: created,
        labels: { ...labels, ...(ownerKind === 'ReplicaSet' ? { 'pod-template-hash': hash } : {}) },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: ownerKind, name: owned, controller: true, uid: uid(`${ownerKind}/${ns}/${owned}`) } as { kind: string; name: string },
        ],
      },
      spec: { nodeName: node, containers: [{ name: ownerName, image }] },
      status: {
        phase: 'Running',
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
          type,
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: created,
        })),
        podIP: ip,
        podIPs: [{ ip }],
        startTime: created,
        containerStatuses: [{ name: ownerName, image, ready: true, restartCount: 0, started: true, state: { running: { startedAt: created } } }],
      },
    };
  }

  /** The Deployments and DaemonSets that own the pods. */
  workloads(pods: readonly KubeObject[], kind: 'Deployment' | 'DaemonSet'): KubeObject[] {
    const groups = new Map<string, PodLike[]>();
    for (const p of pods as unknown as PodLike[]) {
      const o = owner(p);
      if (!o || (kind === 'DaemonSet' ? o.kind !== 'DaemonSet' : o.kind !== 'ReplicaSet')) continue;
      const name = kind === 'DaemonSet' ? o.name : o.name.replace(/-[0-9a-f]{10}$/, '');
      const k = `${p.metadata.namespace}/${name}`;
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    return [...groups.entries()].map(([k, members]) => {
      const [ns, name] = k.split('/') as [string, string];
      const first = members[0]!;
      const labels = Object.fromEntries(
        Object.entries(first.metadata.labels ?? {}).filter(([l]) => !['pod-template-hash', 'controller-revision-hash', 'pod-template-generation'].includes(l)),
      );
      const ready = members.filter(podReady).length;
      const metadata = {
        name,
        namespace: ns,
        uid: uid(`${kind}/${ns}/${name}`),
        resourceVersion: String(3000 + ready),
        creationTimestamp: kubeTime(this.createdAt),
        generation: 1,
        labels,
      };
      const template = { metadata: { labels }, spec: { containers: first.spec.containers } };
      if (kind === 'DaemonSet') {
        return {
          metadata,
          spec: { selector: { matchLabels: labels }, template, updateStrategy: { type: 'RollingUpdate' } },
          status: {
            currentNumberScheduled: members.length,
            desiredNumberScheduled: members.length,
            numberMisscheduled: 0,
            numberReady: ready,
            updatedNumberScheduled: members.length,
            numberAvailable: ready,
            ...(ready < members.length ? { numberUnavailable: members.length - ready } : {}),
            observedGeneration: 1,
          },
        };
      }
      return {
        metadata,
        spec: { replicas: members.length, selector: { matchLabels: labels }, template, strategy: { type: 'RollingUpdate' } },
        status: {
          observedGeneration: 1,
          replicas: members.length,
          updatedReplicas: members.length,
          ...(ready > 0 ? { readyReplicas: ready, availableReplicas: ready } : {}),
          ...(ready < members.length ? { unavailableReplicas: members.length - ready } : {}),
          conditions: [
            {
              type: 'Available',
              status: ready > 0 ? 'True' : 'False',
              reason: ready > 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
              message: ready > 0 ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
            },
          ],
        },
      };
    });
  }

  private services(pods: readonly KubeObject[]): ServiceDef[] {
    const list = pods as unknown as PodLike[];
    const defs: ServiceDef[] = [
      {
        namespace: 'default',
        name: 'kubernetes',
        selector: {},
        clusterIP: '10.96.0.1',
        ports: [{ name: 'https', port: 443, targetPort: 6443, protocol: 'TCP' }],
      },
    ];
    if (list.some((p) => p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'kube-dns')) {
      defs.push({
        namespace: 'kube-system',
        name: 'kube-dns',
        selector: { 'k8s-app': 'kube-dns' },
        clusterIP: '10.96.0.10',
        ports: [
          { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
          { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' },
        ],
      });
    }
    if (list.some((p) => p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'metrics-server')) {
      defs.push({ namespace: 'kube-system', name: 'metrics-server', selector: { 'k8s-app': 'metrics-server' }, clusterIP: '10.96.0.20', ports: HTTPS_PORT });
    }
    for (const w of this.spec.webhooks ?? []) {
      if (w.backend === 'up' || w.backend === 'down') {
        defs.push({ namespace: webhookNamespace(w), name: w.name, selector: { app: w.name }, clusterIP: `10.96.1.${10 + defs.length}`, ports: HTTPS_PORT });
      }
    }
    return defs;
  }

  private backends(def: ServiceDef, pods: readonly KubeObject[]): { ready: PodLike[]; notReady: PodLike[] } | { ips: string[] } {
    if (def.name === 'kubernetes') return { ips: [...this.controlPlaneAddresses] };
    const selected = (pods as unknown as PodLike[]).filter(
      (p) => p.metadata.namespace === def.namespace && Object.entries(def.selector).every(([k, v]) => p.metadata.labels?.[k] === v),
    );
    return { ready: selected.filter(podReady), notReady: selected.filter((p) => !podReady(p)) };
  }

  /** Every object of one extra kind, as the cluster is right now. */
  objects(resource: string, basePods: readonly KubeObject[]): KubeObject[] {
    const pods = this.pods(basePods);
    const created = kubeTime(this.createdAt);
    const meta = (name: string, namespace?: string, labels?: Record<string, string>) => ({
      name,
      ...(namespace ? { namespace } : {}),
      uid: uid(`${resource}/${namespace ?? ''}/${name}`),
      resourceVersion: String(2000 + name.length),
      creationTimestamp: created,
      ...(labels ? { labels } : {}),
    });
    switch (resource) {
      case 'deployments':
        return this.workloads(pods, 'Deployment');
      case 'daemonsets':
        return this.workloads(pods, 'DaemonSet');
      case 'services':
        return this.services(pods).map((d) => ({
          metadata: meta(d.name, d.namespace, d.name === 'kubernetes' ? { component: 'apiserver', provider: 'kubernetes' } : {}),
          spec: {
            type: 'ClusterIP',
            clusterIP: d.clusterIP,
            clusterIPs: [d.clusterIP],
            ports: d.ports,
            ...(Object.keys(d.selector).length > 0 ? { selector: d.selector } : {}),
            sessionAffinity: 'None',
          },
          status: { loadBalancer: {} },
        }));
      case 'endpoints':
        return this.services(pods).map((d) => {
          const b = this.backends(d, pods);
          const ports = d.ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol }));
          const address = (p: PodLike) => ({
            ip: p.status.podIP ?? '',
            nodeName: p.spec.nodeName,
            targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace },
          });
          const subset =
            'ips' in b
              ? { addresses: b.ips.map((ip) => ({ ip })), ports }
              : {
                  ...(b.ready.length > 0 ? { addresses: b.ready.map(address) } : {}),
                  ...(b.notReady.length > 0 ? { notReadyAddresses: b.notReady.map(address) } : {}),
                  ports,
                };
          const empty = !('addresses' in subset) && !('notReadyAddresses' in subset);
          return { metadata: meta(d.name, d.namespace), ...(empty ? {} : { subsets: [subset] }) };
        });
      case 'endpointslices':
        return this.services(pods).map((d) => {
          const b = this.backends(d, pods);
          const endpoint = (ip: string, ready: boolean, p?: PodLike) => ({
            addresses: [ip],
            conditions: { ready, serving: ready, terminating: false },
            ...(p ? { nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace } } : {}),
          });
          const endpoints =
            'ips' in b
              ? b.ips.map((ip) => endpoint(ip, true))
              : [...b.ready.map((p) => endpoint(p.status.podIP ?? '', true, p)), ...b.notReady.map((p) => endpoint(p.status.podIP ?? '', false, p))];
          return {
            metadata: meta(`${d.name}-${hex(`slice/${d.name}`, 5)}`, d.namespace, {
              'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
              'kubernetes.io/service-name': d.name,
            }),
            addressType: 'IPv4',
            endpoints,
            ports: d.ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })),
          };
        });
      case 'validatingwebhookconfigurations':
      case 'mutatingwebhookconfigurations': {
        const kind = resource === 'validatingwebhookconfigurations' ? 'validating' : 'mutating';
        return (this.spec.webhooks ?? [])
          .filter((w) => w.kind === kind)
          .map((w) => ({
            metadata: meta(w.name),
            webhooks: [
              {
                name: `${kind === 'validating' ? 'validate' : 'mutate'}.${w.name}.example.com`,
                clientConfig:
                  w.backend === 'url'
                    ? { url: `https://${w.name}.example.com:9443/${kind === 'validating' ? 'validate' : 'mutate'}` }
                    : { service: { namespace: webhookNamespace(w), name: w.name, path: `/${kind === 'validating' ? 'validate' : 'mutate'}`, port: 443 } },
                failurePolicy: w.failurePolicy ?? 'Fail',
                matchPolicy: 'Equivalent',
                namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
                objectSelector: {},
                rules: [{ apiGroups: ['', 'apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'deployments'], scope: '*' }],
                sideEffects: 'None',
                timeoutSeconds: 10,
                admissionReviewVersions: ['v1'],
              },
            ],
          }));
      }
      case 'apiservices':
        return this.apiServices(pods, meta);
      case 'certificatesigningrequests':
        return this.csrObjects;
      default:
        return [];
    }
  }

  private apiServices(pods: readonly KubeObject[], meta: (name: string) => KubeObject['metadata']): KubeObject[] {
    const local = [
      ['', 'v1', 18000],
      ['admissionregistration.k8s.io', 'v1', 16700],
      ['apiregistration.k8s.io', 'v1', 18200],
      ['apps', 'v1', 17800],
      ['certificates.k8s.io', 'v1', 17300],
      ['coordination.k8s.io', 'v1', 16500],
      ['discovery.k8s.io', 'v1', 16200],
    ] as const;
    const created = kubeTime(this.createdAt);
    const out: KubeObject[] = local.map(([group, version, priority]) => ({
      metadata: { ...meta(group === '' ? version : `${version}.${group}`), labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
      spec: { ...(group ? { group } : {}), version, groupPriorityMinimum: priority, versionPriority: 15 },
      status: {
        conditions: [{ type: 'Available', status: 'True', lastTransitionTime: created, reason: 'Local', message: 'Local APIServices are always available' }],
      },
    }));
    const metrics = this.services(pods).find((d) => d.name === 'metrics-server');
    if (metrics) {
      const b = this.backends(metrics, pods);
      const up = 'ips' in b || b.ready.length > 0;
      out.push({
        metadata: { ...meta('v1beta1.metrics.k8s.io'), labels: { 'k8s-app': 'metrics-server' } },
        spec: {
          service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
          group: 'metrics.k8s.io',
          version: 'v1beta1',
          insecureSkipTLSVerify: true,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
        status: {
          conditions: [
            up
              ? { type: 'Available', status: 'True', lastTransitionTime: created, reason: 'Passed', message: 'all checks passed' }
              : {
                  type: 'Available',
                  status: 'False',
                  lastTransitionTime: kubeTime(new Date(Date.now() - 12 * 60_000)),
                  reason: 'MissingEndpoints',
                  message: 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"',
                },
          ],
        },
      });
    }
    return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }
}

function owner(p: PodLike): { kind: string; name: string } | undefined {
  return p.metadata.ownerReferences?.[0];
}

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** A webhook backend that exits at start: Running phase, container waiting in CrashLoopBackOff. */
function crashLooping(p: PodLike): PodLike {
  const down = notReady(p);
  return {
    ...down,
    status: {
      ...down.status,
      containerStatuses: (down.status.containerStatuses ?? []).map((c) => ({
        ...c,
        started: false,
        restartCount: 9,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
      })),
    },
  };
}
