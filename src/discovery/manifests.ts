// What the static pod manifests of a control-plane node tell when the API server cannot:
// etcd's --initial-cluster names every stacked etcd member, so every control-plane host by
// name and address; kube-apiserver's --advertise-address and --secure-port say where this
// node's API server listens (and the others, as kubeadm configures them all alike). The
// folder is kubeadm's /etc/kubernetes/manifests, or the one beside --pki-dir
// (`<pki-dir>/../manifests`), as kubeadm lays them out.
import { PORTS } from '../judge/ports.js';
import { dirname, join, resolve } from 'node:path';
import { parseYamlLazily } from '../util/yaml.js';
import type { CheckContext } from '../engine/types.js';
import { hostPort } from '../util/url.js';
import { nodesUnknown } from './degraded.js';
import type { Discoverer } from './discover.js';
import type { Targets } from './targets.js';

export const KUBEADM_MANIFESTS_DIR = '/etc/kubernetes/manifests';

export type StaticPodComponent = 'kube-apiserver' | 'etcd';

export interface PodLike {
  metadata?: { name?: string };
  spec?: { containers?: { name?: string; command?: string[]; args?: string[] }[] };
}

/** The manifests folder that goes with a PKI folder: both live in kubeadm's /etc/kubernetes. */
export function manifestsDirOf(pkiDir: string | null): string {
  return pkiDir === null ? KUBEADM_MANIFESTS_DIR : join(dirname(resolve(pkiDir)), 'manifests');
}

export function manifestPath(targets: Pick<Targets, 'pkiDir'>, component: StaticPodComponent): string {
  return join(manifestsDirOf(targets.pkiDir), `${component}.yaml`);
}

/** `--name=value` flags of the pod's containers (command and args), first occurrence wins. */
export function podFlags(pod: PodLike): Map<string, string> {
  const flags = new Map<string, string>();
  for (const c of pod.spec?.containers ?? []) {
    for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) {
      const match = /^--([a-z0-9-]+)=(.*)$/.exec(arg.trim());
      if (match && !flags.has(match[1]!)) flags.set(match[1]!, match[2]!);
    }
  }
  return flags;
}

export interface ControlPlaneHost {
  address: string;
  name?: string;
}

export interface ControlPlaneFromManifests {
  hosts: ControlPlaneHost[];
  /** The API servers' port, as this node's kube-apiserver is configured. */
  apiServerPort: number;
}

function hostOfUrl(url: string): string | null {
  try {
    const host = new URL(url.trim()).hostname;
    return host === '' ? null : host.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/**
 * The control-plane hosts the two manifests name: etcd's members (`name=https://addr:2380`
 * in --initial-cluster) and this node's --advertise-address. The manifests are this node's,
 * so even a loopback address in them is reachable from here.
 */
export function controlPlaneFromManifests(apiServer: PodLike | null, etcd: PodLike | null): ControlPlaneFromManifests {
  const hosts: ControlPlaneHost[] = [];
  const add = (address: string | null, name?: string) => {
    if (address === null || address === '') return;
    const known = hosts.find((h) => h.address === address);
    if (!known) hosts.push({ address, ...(name ? { name } : {}) });
    else if (!known.name && name) known.name = name;
  };
  const etcdFlags = etcd ? podFlags(etcd) : new Map<string, string>();
  for (const member of (etcdFlags.get('initial-cluster') ?? '').split(',')) {
    const eq = member.indexOf('=');
    if (eq > 0) add(hostOfUrl(member.slice(eq + 1)), member.slice(0, eq).trim());
  }
  const apiFlags = apiServer ? podFlags(apiServer) : new Map<string, string>();
  add(apiFlags.get('advertise-address') ?? null);
  const port = Number(apiFlags.get('secure-port') ?? PORTS.apiServer);
  return { hosts, apiServerPort: Number.isInteger(port) && port > 0 && port < 65536 ? port : PORTS.apiServer };
}

async function readPod(ctx: CheckContext, path: string): Promise<PodLike | null> {
  const read = await ctx.facts.files.read(path);
  if (read.kind !== 'ok') return null;
  try {
    const doc = (await parseYamlLazily(read.data.toString('utf8'))) as unknown;
    return typeof doc === 'object' && doc !== null ? (doc as PodLike) : null;
  } catch (e) {
    ctx.targets.notes.push(`manifests: ${path} is not valid YAML (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}

/** Adds the manifests' control-plane hosts and API servers to what flags and the API gave. */
export function applyManifests(
  targets: Targets,
  found: ControlPlaneFromManifests,
  flags: { hosts: boolean; apiservers: boolean },
): { hosts: number; apiServers: number } {
  let hosts = 0;
  let apiServers = 0;
  if (!flags.hosts) {
    for (const h of found.hosts) {
      const known = targets.hosts.find((t) => t.address === h.address);
      if (known) {
        known.name ??= h.name;
        continue;
      }
      targets.hosts.push({ address: h.address, ...(h.name ? { name: h.name } : {}), controlPlane: true });
      hosts += 1;
    }
  }
  if (!flags.apiservers) {
    const seen = new Set([targets.kubeServer?.url, ...targets.apiServers.map((e) => e.url)]);
    for (const h of found.hosts) {
      const url = `https://${hostPort(h.address, found.apiServerPort)}`;
      if (seen.has(url)) continue;
      seen.add(url);
      targets.apiServers.push({ url, host: h.address, port: found.apiServerPort, source: 'manifest' });
      apiServers += 1;
    }
  }
  return { hosts, apiServers };
}

export const manifestsDiscoverer: Discoverer = {
  name: 'manifests',
  async discover(targets, ctx) {
    if ((await nodesUnknown(ctx)) === null) return;
    const [apiServer, etcd] = await Promise.all([readPod(ctx, manifestPath(targets, 'kube-apiserver')), readPod(ctx, manifestPath(targets, 'etcd'))]);
    if (!apiServer && !etcd) return;
    const found = controlPlaneFromManifests(apiServer, etcd);
    const added = applyManifests(targets, found, { hosts: ctx.options.hosts.length > 0, apiservers: ctx.options.apiservers.length > 0 });
    const names = found.hosts.map((h) => h.name ?? h.address).join(', ');
    targets.notes.push(
      `manifests: ${found.hosts.length} control-plane host(s) in ${manifestsDirOf(targets.pkiDir)} (${names}): ${added.hosts} host(s) and ${added.apiServers} API server(s) added`,
    );
  },
};
