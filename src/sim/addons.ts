// Add-ons a site runs on top of the distribution, for plugins to be tested against: cert-manager
// (its `Certificate` objects, cert-manager.io/v1) and the ingress-nginx controller (its pods in
// the `ingress-nginx` namespace, whose readiness follows their node as every pod's does).
import { createHash } from 'node:crypto';
import { column, humanDuration } from './api-wire.js';
import type { Printer } from './api-tables.js';
import type { KubeObject } from './cluster-state.js';
import type { ClusterShape, PodTemplate } from './shape-kit.js';
import { kubeTime } from './api-wire.js';

export interface SimCertificate {
  namespace: string;
  name: string;
  /** Whether cert-manager reports it Ready (issued and current). Default true. */
  ready?: boolean;
  /** Days until the issued certificate expires (negative: expired). Default 60. */
  expiresInDays?: number;
  /** Why it is not Ready, as cert-manager's condition reason says (`DoesNotExist`, `Failed`). */
  reason?: string;
}

export interface AddonSpec {
  /** cert-manager's Certificate objects. */
  certificates?: SimCertificate[];
  /** The ingress-nginx controller: one pod on each named node. */
  ingressNginx?: { nodes: string[] };
}

/** A custom resource the simulated API servers serve besides the core kinds. */
export interface CustomKind {
  group: string;
  resource: string;
  kind: string;
  listKind: string;
  apiVersion: string;
  printer: Printer;
  objects(now: Date): KubeObject[];
}

function uid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const READY_DOC = 'Whether the certificate is issued and current (condition Ready).';

const CERTIFICATE_PRINTER: Printer = {
  columns: [
    column('Name', 'Name must be unique within a namespace.', { format: 'name' }),
    column('Ready', READY_DOC),
    column('Secret', 'The Secret the certificate is stored in.'),
    column('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  ],
  cells(o, now) {
    const status = o.status as { conditions?: { type: string; status: string }[] } | undefined;
    const ready = status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    return [
      o.metadata.name,
      ready,
      (o.spec as { secretName?: string }).secretName ?? '',
      humanDuration(now.getTime() - Date.parse(o.metadata.creationTimestamp)),
    ];
  },
};

function certificateObject(c: SimCertificate, createdAt: Date, now: Date): KubeObject {
  const ready = c.ready ?? true;
  const notAfter = new Date(now.getTime() + (c.expiresInDays ?? 60) * 86_400_000);
  const notBefore = new Date(notAfter.getTime() - 90 * 86_400_000);
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: {
      name: c.name,
      namespace: c.namespace,
      uid: uid(`certificate/${c.namespace}/${c.name}`),
      resourceVersion: '1',
      creationTimestamp: kubeTime(createdAt),
      generation: 1,
    },
    spec: {
      secretName: `${c.name}-tls`,
      dnsNames: [`${c.name}.example.com`],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' },
    },
    status: {
      conditions: [
        ready
          ? {
              type: 'Ready',
              status: 'True',
              reason: 'Ready',
              message: 'Certificate is up to date and has not expired',
              lastTransitionTime: kubeTime(createdAt),
              observedGeneration: 1,
            }
          : {
              type: 'Ready',
              status: 'False',
              reason: c.reason ?? 'Failed',
              message: 'Issuing certificate as Secret was previously issued by a different issuer',
              lastTransitionTime: kubeTime(createdAt),
              observedGeneration: 1,
            },
      ],
      notBefore: kubeTime(notBefore),
      notAfter: kubeTime(notAfter),
      renewalTime: kubeTime(new Date(notAfter.getTime() - 30 * 86_400_000)),
    },
  };
}

/** The custom kinds the add-ons bring (cert-manager's Certificates). */
export function customKinds(addons: AddonSpec | undefined, createdAt: Date): CustomKind[] {
  if (!addons?.certificates) return [];
  const certificates = addons.certificates;
  return [
    {
      group: 'cert-manager.io',
      resource: 'certificates',
      kind: 'Certificate',
      listKind: 'CertificateList',
      apiVersion: 'cert-manager.io/v1',
      printer: CERTIFICATE_PRINTER,
      objects: (now) => certificates.map((c) => certificateObject(c, createdAt, now)),
    },
  ];
}

/** The distribution's shape with the add-ons' namespaces and pods added. */
export function withAddons(shape: ClusterShape, addons: AddonSpec | undefined): ClusterShape {
  const ingress = addons?.ingressNginx;
  const namespaces = [...shape.namespaces, ...(addons?.certificates ? ['cert-manager'] : []), ...(ingress ? ['ingress-nginx'] : [])];
  if (!ingress && namespaces.length === shape.namespaces.length) return shape;
  return {
    node: (n, i) => shape.node(n, i),
    namespaces: [...new Set(namespaces)],
    pods: (nodes) => {
      const extra: PodTemplate[] = (ingress?.nodes ?? []).map((node, i) => ({
        namespace: 'ingress-nginx',
        name: `ingress-nginx-controller-6b7c9d${i}f5-${createHash('sha1').update(node).digest('hex').slice(0, 5)}`,
        node,
        labels: {
          'app.kubernetes.io/name': 'ingress-nginx',
          'app.kubernetes.io/instance': 'ingress-nginx',
          'app.kubernetes.io/component': 'controller',
          'pod-template-hash': '6b7c9df5',
        },
        owner: { kind: 'ReplicaSet', name: 'ingress-nginx-controller-6b7c9df5' },
        spec: { containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.11.3' }] },
        podIP: `10.244.${50 + i}.7`,
        health: 'node',
      }));
      return [...shape.pods(nodes), ...extra];
    },
  };
}
