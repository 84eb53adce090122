// Where etcd is and how to authenticate to it, when the flags do not say: the endpoints
// kube-apiserver itself uses (--etcd-servers in its static pod manifest, else in the
// kube-system pod), else the control-plane nodes on :2379; the client certificate kubeadm
// leaves for health checks, when this user can read it.
import { PORTS } from '../judge/ports.js';
import { parseYamlLazily } from '../util/yaml.js';
import type { CheckContext } from '../engine/types.js';
import type { Endpoint, Targets } from './targets.js';
import type { Discoverer } from './discover.js';
import { parseEndpoint } from '../judge/url.js';
import { manifestPath } from './manifests.js';

export const APISERVER_MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';
export const KUBEADM_ETCD_TLS = {
  caFile: '/etc/kubernetes/pki/etcd/ca.crt',
  certFile: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  keyFile: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
} as const;

interface PodLike {
  metadata?: { name?: string };
  spec?: { containers?: { name?: string; command?: string[]; args?: string[] }[] };
}

/** The value of --etcd-servers in a kube-apiserver pod spec, or null. */
export function etcdServersOf(pod: PodLike): string[] | null {
  for (const c of pod.spec?.containers ?? []) {
    for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) {
      const match = /^--etcd-servers=(.+)$/.exec(arg.trim());
      if (match)
        return match[1]!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
    }
  }
  return null;
}

function toEndpoints(urls: string[], source: string, notes: string[]): Endpoint[] {
  return urls.flatMap((u) => {
    try {
      return [parseEndpoint(u, '--etcd-servers', source, PORTS.etcdClient)];
    } catch (e) {
      notes.push(`etcd: ignoring '${u}' from ${source}: ${(e as Error).message}`);
      return [];
    }
  });
}

async function fromManifest(ctx: CheckContext, notes: string[]): Promise<Endpoint[]> {
  // Beside --pki-dir when given (a copy of /etc/kubernetes), else kubeadm's APISERVER_MANIFEST.
  const path = manifestPath(ctx.targets, 'kube-apiserver');
  const read = await ctx.facts.files.read(path);
  if (read.kind !== 'ok') return [];
  try {
    const servers = etcdServersOf((await parseYamlLazily(read.data.toString('utf8'))) as PodLike);
    return servers ? toEndpoints(servers, 'manifest', notes) : [];
  } catch (e) {
    notes.push(`etcd: ${path} is not valid YAML (${(e as Error).message.split('\n')[0]})`);
    return [];
  }
}

async function getJson<T>(ctx: CheckContext, path: string): Promise<T | null> {
  if (!ctx.facts.api.configured) return null;
  // An API server already known to be down or hung would cost another --timeout per question.
  if ((await ctx.facts.api.unavailable()) !== null) return null;
  const outcome = await ctx.facts.api.get(path);
  if (outcome.kind !== 'ok') return null;
  try {
    return JSON.parse(outcome.body) as T;
  } catch {
    return null;
  }
}

async function fromApiServerPod(ctx: CheckContext, notes: string[]): Promise<Endpoint[]> {
  const list = await getJson<{ items?: PodLike[] }>(ctx, '/api/v1/namespaces/kube-system/pods?labelSelector=component%3Dkube-apiserver');
  for (const pod of list?.items ?? []) {
    const servers = etcdServersOf(pod);
    if (servers) return toEndpoints(servers, `pod ${pod.metadata?.name ?? 'kube-apiserver'}`, notes);
  }
  return [];
}

interface NodeList {
  items?: { metadata?: { name?: string; labels?: Record<string, string> }; status?: { addresses?: { type?: string; address?: string }[] } }[];
}

async function fromControlPlaneNodes(ctx: CheckContext, targets: Targets, notes: string[]): Promise<Endpoint[]> {
  const nodes = await getJson<NodeList>(ctx, '/api/v1/nodes?labelSelector=node-role.kubernetes.io%2Fcontrol-plane');
  const fromApi = (nodes?.items ?? []).flatMap((n) => {
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    return ip ? [{ address: ip, name: n.metadata?.name }] : [];
  });
  const hosts = fromApi.length > 0 ? fromApi : targets.hosts.filter((h) => h.controlPlane).map((h) => ({ address: h.address, name: h.name }));
  return hosts.flatMap((h) =>
    toEndpoints(
      [`https://${h.address.includes(':') ? `[${h.address}]` : h.address}:${PORTS.etcdClient}`],
      h.name ? `node ${h.name}` : 'control-plane host',
      notes,
    ),
  );
}

async function readable(ctx: CheckContext, path: string): Promise<boolean> {
  return (await ctx.facts.files.read(path)).kind === 'ok';
}

/** kubeadm's healthcheck client, for whichever of the files the flags left open; cert and key only as a pair. */
async function defaultTls(ctx: CheckContext, targets: Targets): Promise<void> {
  const tls = targets.etcdTls;
  if (!tls.caFile && (await readable(ctx, KUBEADM_ETCD_TLS.caFile))) tls.caFile = KUBEADM_ETCD_TLS.caFile;
  if (!tls.certFile && !tls.keyFile) {
    const [cert, key] = await Promise.all([readable(ctx, KUBEADM_ETCD_TLS.certFile), readable(ctx, KUBEADM_ETCD_TLS.keyFile)]);
    if (cert && key) {
      tls.certFile = KUBEADM_ETCD_TLS.certFile;
      tls.keyFile = KUBEADM_ETCD_TLS.keyFile;
    } else if (cert) {
      targets.notes.push(`etcd: ${KUBEADM_ETCD_TLS.keyFile} is not readable by this user (run as root to use it)`);
    }
  }
}

export const etcdDiscoverer: Discoverer = {
  name: 'etcd',
  async discover(targets, ctx) {
    const notes = targets.notes;
    if (targets.etcd.length === 0) {
      for (const source of [() => fromManifest(ctx, notes), () => fromApiServerPod(ctx, notes), () => fromControlPlaneNodes(ctx, targets, notes)]) {
        const found = await source();
        if (found.length > 0) {
          targets.etcd.push(...found);
          notes.push(`etcd: ${found.length} endpoint(s) from ${found[0]!.source}`);
          break;
        }
      }
    }
    await defaultTls(ctx, targets);
  },
};
