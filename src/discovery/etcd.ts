// Where etcd is and how to authenticate to it, when the flags do not say. The endpoints are
// the ones that are true from where k8sdoc runs (src/shape/etcd-endpoints.ts): a loopback URL
// in an API server's --etcd-servers is the host of that API server's pod, never this machine;
// the members' advertised URLs and the k3s/RKE2 node annotations add to them; one member seen
// under several URLs is kept once. A datastore that is not etcd (kine, dqlite, a managed
// control plane) gives no endpoint at all: there is no etcd to ask. The client certificate is
// the one the distribution leaves for health checks, beside --pki-dir or in its usual place,
// when this user can read it.
import { PORTS } from '../judge/ports.js';
import type { CheckContext } from '../engine/types.js';
import type { Endpoint, Targets } from './targets.js';
import type { Discoverer } from './discover.js';
import { parseEndpoint } from '../util/url.js';
import { PROFILES } from '../shape/distributions.js';
import { resolveEtcdEndpoints } from '../shape/etcd-endpoints.js';
import { hasEtcd, type Shape } from '../shape/types.js';
import { join } from 'node:path';
import { shapeEvidenceOf } from './shape.js';

export const APISERVER_MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';
export const KUBEADM_ETCD_TLS = {
  caFile: '/etc/kubernetes/pki/etcd/ca.crt',
  certFile: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  keyFile: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
} as const;

const UNKNOWN_SHAPE: Shape = { distribution: 'unknown', datastore: 'unknown', vantage: 'jump-host', evidence: [] };

function endpointOf(url: string, source: string, notes: string[]): Endpoint[] {
  try {
    return [parseEndpoint(url, '--etcd-servers', source, PORTS.etcdClient)];
  } catch (e) {
    notes.push(`etcd: ignoring '${url}' from ${source}: ${(e as Error).message}`);
    return [];
  }
}

/** The etcd endpoints true from here, from what the shape discoverer read. */
export function resolvedEndpoints(targets: Targets): { endpoints: Endpoint[]; notes: string[]; noEtcd: boolean } {
  const shape = targets.shape ?? UNKNOWN_SHAPE;
  const evidence = shapeEvidenceOf(targets);
  const resolved = resolveEtcdEndpoints({ shape, nodes: evidence.nodes, pods: evidence.pods, localManifests: evidence.manifests.map((m) => m.pod) });
  const notes = [...resolved.notes];
  const endpoints = resolved.endpoints.flatMap((e) => endpointOf(e.url, e.source.replace(/^from /, ''), notes));
  const noEtcd = !hasEtcd(resolved.datastore) && resolved.datastore !== 'unknown';
  return { endpoints, notes, noEtcd };
}

/** Last resort when nothing names etcd: the control-plane hosts on the client port (stacked etcd). */
function fromControlPlaneHosts(targets: Targets, notes: string[]): Endpoint[] {
  return targets.hosts
    .filter((h) => h.controlPlane)
    .flatMap((h) =>
      endpointOf(
        `https://${h.address.includes(':') ? `[${h.address}]` : h.address}:${PORTS.etcdClient}`,
        h.name ? `node ${h.name}` : 'control-plane host',
        notes,
      ),
    );
}

async function readable(ctx: CheckContext, path: string): Promise<boolean> {
  return (await ctx.facts.files.read(path)).kind === 'ok';
}

/** The client files to try, most specific first: the distribution's layout beside --pki-dir, then each distribution's usual place. */
function tlsCandidates(targets: Targets): { caFile: string; certFile: string; keyFile: string }[] {
  const distribution = targets.shape?.distribution;
  const layouts = (['kubeadm', 'k3s', 'rke2'] as const)
    .map((d) => ({ d, pkiDir: PROFILES[d].pkiDir as string | null, files: PROFILES[d].etcdClient! }))
    .sort((a, b) => Number(b.d === distribution) - Number(a.d === distribution));
  const out: { caFile: string; certFile: string; keyFile: string }[] = [];
  if (targets.pkiDir) {
    for (const l of layouts)
      out.push({
        caFile: join(targets.pkiDir, l.files.caFile),
        certFile: join(targets.pkiDir, l.files.certFile),
        keyFile: join(targets.pkiDir, l.files.keyFile),
      });
  }
  for (const l of layouts)
    if (l.pkiDir) out.push({ caFile: join(l.pkiDir, l.files.caFile), certFile: join(l.pkiDir, l.files.certFile), keyFile: join(l.pkiDir, l.files.keyFile) });
  return out;
}

/** The distribution's health-check client, for whichever of the files the flags left open; cert and key only as a pair. */
async function defaultTls(ctx: CheckContext, targets: Targets): Promise<void> {
  const tls = targets.etcdTls;
  if (tls.certFile || tls.keyFile) {
    if (!tls.caFile && (await readable(ctx, KUBEADM_ETCD_TLS.caFile))) tls.caFile = KUBEADM_ETCD_TLS.caFile;
    return;
  }
  for (const c of tlsCandidates(targets)) {
    const [ca, cert, key] = await Promise.all([readable(ctx, c.caFile), readable(ctx, c.certFile), readable(ctx, c.keyFile)]);
    if (cert && key) {
      tls.certFile = c.certFile;
      tls.keyFile = c.keyFile;
      if (!tls.caFile && ca) tls.caFile = c.caFile;
      targets.notes.push(`etcd: client certificate ${c.certFile}`);
      return;
    }
    if (cert) {
      targets.notes.push(`etcd: ${c.keyFile} is not readable by this user (run as root to use it)`);
      if (!tls.caFile && ca) tls.caFile = c.caFile;
      return;
    }
  }
  if (!tls.caFile && (await readable(ctx, KUBEADM_ETCD_TLS.caFile))) tls.caFile = KUBEADM_ETCD_TLS.caFile;
}

export const etcdDiscoverer: Discoverer = {
  name: 'etcd',
  async discover(targets, ctx) {
    const notes = targets.notes;
    if (targets.etcd.length === 0) {
      const { endpoints, notes: resolveNotes, noEtcd } = resolvedEndpoints(targets);
      notes.push(...resolveNotes);
      if (endpoints.length > 0) {
        targets.etcd.push(...endpoints);
        notes.push(`etcd: ${endpoints.length} endpoint(s): ${endpoints.map((e) => `${e.url} (${e.source})`).join(', ')}`);
      } else if (!noEtcd) {
        const found = fromControlPlaneHosts(targets, notes);
        if (found.length > 0) {
          targets.etcd.push(...found);
          notes.push(`etcd: ${found.length} endpoint(s) from the control-plane hosts on :${PORTS.etcdClient}`);
        }
      }
    }
    if (targets.shape && !hasEtcd(targets.shape.datastore) && targets.shape.datastore !== 'unknown' && ctx.options.etcd.length === 0) return;
    await defaultTls(ctx, targets);
  },
};
