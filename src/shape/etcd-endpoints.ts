// The etcd client endpoints that are true from where k8sdoc runs, each with where it came from.
//
// Every distribution that runs etcd beside its API servers tells the API server to use the
// member on its own machine: kubeadm writes `--etcd-servers=https://127.0.0.1:2379` (or
// `https://[::1]:2379`), Talos `https://localhost:2379` (`https://127.0.0.1:2379` from v1.13),
// k3s and RKE2 `https://127.0.0.1:2379`, OpenShift every member's IP plus
// `https://localhost:2379`. Read on a jump host, a loopback URL is the jump host itself; so a
// loopback URL always means the host of the pod (or manifest) that carries it: its hostIP, or
// its node's InternalIP, which is also an address that node's etcd listens on (kubeadm's
// `--listen-client-urls=https://127.0.0.1:2379,https://<ip>:2379`, k3s and RKE2 alike, Talos on
// every address). It never means the machine k8sdoc runs on.
//
// A unix socket (`unix://kine.sock`, MicroK8s' `unix://…/kine.sock:12379`, RKE2's `unixs://`)
// is kine or dqlite: there is no etcd to check, and the datastore is named instead.
//
// One member is often seen under several URLs (an API server's mapped loopback, the member's
// advertise URL, a node annotation); each member is kept once, matched by member id when the
// member list is known, else by the node it runs on, else by address and port.
import { safeText } from '../util/terminal-text.js';
import { datastoreOfSocket, isLoopbackHost, joinHostPort, parseEtcdUrl } from './etcd-urls.js';
import type { EtcdUrl } from './etcd-urls.js';
import { hasEtcd, internalIP, podFlags, splitList } from './types.js';
import type { Datastore, NodeFacts, PodFacts, Shape } from './types.js';

/** `--etcd-servers` of one API server, when it was read from somewhere other than a pod's command (OpenShift keeps it in a config file). */
export interface ApiServerEtcdServers {
  /** Names the API server in messages: its pod name, or a file. */
  name: string;
  node?: string;
  hostIP?: string;
  etcdServers: readonly string[];
}

export interface EtcdMemberFacts {
  /** Hex, as etcdctl prints it. */
  id: string;
  name?: string;
  peerURLs: readonly string[];
  clientURLs: readonly string[];
}

export interface EtcdEndpointsInput {
  shape: Pick<Shape, 'distribution' | 'datastore' | 'vantage' | 'localNode'>;
  nodes?: readonly NodeFacts[];
  /** kube-system and openshift-* pods: kube-apiserver (for --etcd-servers) and etcd (for advertise URLs). */
  pods?: readonly PodFacts[];
  apiServers?: readonly ApiServerEtcdServers[];
  /** This node's own static pod manifests, when k8sdoc runs on a control-plane node. */
  localManifests?: readonly PodFacts[];
  members?: readonly EtcdMemberFacts[];
}

export interface ResolvedEndpoint {
  url: string;
  host: string;
  port: number;
  /** Where the endpoint came from, for messages. */
  source: string;
  node?: string;
  memberId?: string;
  /** The other places the same member was seen. */
  alsoFrom?: string[];
}

export interface EtcdEndpoints {
  endpoints: ResolvedEndpoint[];
  datastore: Datastore;
  notes: string[];
}

const ETCD_CLIENT_PORT = 2379;

// Which source's URL is kept when one member is seen several times: what the member
// advertises first, a guess from a pod's host address last.
type Rank = 0 | 1 | 2 | 3 | 4;

interface Candidate {
  url: string;
  host: string;
  port: number;
  source: string;
  node?: string;
  rank: Rank;
}

function shown(value: string): string {
  return safeText(value);
}

function isApiServer(pod: PodFacts): boolean {
  const labels = pod.labels ?? {};
  if (pod.namespace === 'openshift-kube-apiserver') return labels.app === 'openshift-kube-apiserver' || labels.apiserver === 'true';
  return labels.component === 'kube-apiserver' || /^kube-apiserver(-|$)/.test(pod.name);
}

function isEtcd(pod: PodFacts): boolean {
  const labels = pod.labels ?? {};
  if (pod.namespace === 'openshift-etcd') return labels.app === 'etcd' || labels.etcd === 'true';
  return labels.component === 'etcd' || /^etcd(-|$)/.test(pod.name);
}

interface Carrier {
  /** The pod or file, for messages. */
  name: string;
  node?: string;
  hostIP?: string;
}

class Resolver {
  readonly candidates: Candidate[] = [];
  readonly notes: string[] = [];
  readonly sockets: { url: Extract<EtcdUrl, { kind: 'socket' }>; carrier: string }[] = [];

  constructor(private readonly nodes: readonly NodeFacts[]) {}

  nodeByAddress(host: string): NodeFacts | undefined {
    return this.nodes.find((n) => (n.addresses ?? []).some((a) => a.address === host));
  }

  /** The address a carrier's loopback means: its hostIP, else its node's InternalIP. */
  hostOf(carrier: Carrier): { address: string; node?: string; how: string } | null {
    const node = carrier.node ?? (carrier.hostIP ? this.nodeByAddress(carrier.hostIP)?.name : undefined);
    if (carrier.hostIP) return { address: carrier.hostIP, ...(node ? { node } : {}), how: node ? `${shown(node)}'s` : 'its host' };
    const ip = internalIP(this.nodes.find((n) => n.name === node));
    if (ip && node) return { address: ip, node, how: `${shown(node)}'s` };
    return null;
  }

  add(raw: string, carrier: Carrier, what: string, rank: Rank): void {
    const parsed = parseEtcdUrl(raw);
    const from = `${shown(carrier.name)}'s ${what}`;
    if (parsed.kind === 'invalid') {
      this.notes.push(`etcd: ignoring '${shown(raw)}' from ${from}: ${parsed.reason}`);
      return;
    }
    if (parsed.kind === 'socket') {
      this.sockets.push({ url: parsed, carrier: from });
      return;
    }
    if (!parsed.loopback) {
      const node = this.nodeByAddress(parsed.host)?.name;
      this.candidates.push({
        url: parsed.url.replace(/\/+$/, ''),
        host: parsed.host,
        port: parsed.port,
        source: `from ${from}`,
        ...(node ? { node } : {}),
        rank,
      });
      return;
    }
    const host = this.hostOf(carrier);
    if (!host) {
      this.notes.push(`etcd: '${shown(raw)}' in ${from} is this pod's own machine, whose address is not known; not used`);
      return;
    }
    const url = `${parsed.scheme}://${joinHostPort(host.address, parsed.port)}`;
    this.candidates.push({
      url,
      host: host.address,
      port: parsed.port,
      source: `from ${from} (${shown(parsed.host)} → ${host.how} ${shown(host.address)})`,
      ...(host.node ? { node: host.node } : {}),
      rank: rank === 0 ? 0 : 3,
    });
  }
}

/** The member a candidate is, by client or peer URL host, or by name (kubeadm names members after nodes, k3s `<node>-<8 hex>`). */
function memberOf(candidate: Candidate, members: readonly EtcdMemberFacts[]): EtcdMemberFacts | undefined {
  const hostsOf = (m: EtcdMemberFacts) =>
    [...m.clientURLs, ...m.peerURLs].flatMap((u) => {
      const p = parseEtcdUrl(u);
      return p.kind === 'tcp' && !p.loopback ? [p.host] : [];
    });
  const byHost = members.find((m) => hostsOf(m).includes(candidate.host));
  if (byHost) return byHost;
  if (!candidate.node) return undefined;
  return members.find((m) => m.name === candidate.node || (m.name !== undefined && /-[0-9a-f]{8}$/.test(m.name) && m.name.slice(0, -9) === candidate.node));
}

function fromMembers(resolver: Resolver, members: readonly EtcdMemberFacts[]): void {
  for (const m of members) {
    const label = `the member list (${m.name ? `member ${shown(m.name)}, ` : ''}id ${shown(m.id)})`;
    const urls = m.clientURLs.map(parseEtcdUrl);
    const usable = urls.find((u): u is Extract<EtcdUrl, { kind: 'tcp' }> => u.kind === 'tcp' && !u.loopback);
    if (usable) {
      const node = resolver.nodeByAddress(usable.host)?.name;
      resolver.candidates.push({
        url: usable.url.replace(/\/+$/, ''),
        host: usable.host,
        port: usable.port,
        source: `from ${label}`,
        ...(node ? { node } : {}),
        rank: 0,
      });
      continue;
    }
    // A member that advertises only loopback is reached at its peer address, on the client port.
    const peer = m.peerURLs.map(parseEtcdUrl).find((u): u is Extract<EtcdUrl, { kind: 'tcp' }> => u.kind === 'tcp' && !u.loopback);
    const loop = urls.find((u): u is Extract<EtcdUrl, { kind: 'tcp' }> => u.kind === 'tcp');
    if (peer) {
      const port = loop?.port ?? ETCD_CLIENT_PORT;
      const scheme = loop?.scheme ?? peer.scheme;
      const node = resolver.nodeByAddress(peer.host)?.name;
      resolver.candidates.push({
        url: `${scheme}://${joinHostPort(peer.host, port)}`,
        host: peer.host,
        port,
        source: `from ${label}: it advertises only ${loop ? shown(loop.url) : 'no client URL'}, reached at its peer address ${shown(peer.host)}`,
        ...(node ? { node } : {}),
        rank: 0,
      });
      continue;
    }
    resolver.notes.push(`etcd: member ${shown(m.name ?? m.id)} advertises no client URL reachable from here (a learner not yet started?)`);
  }
}

export function resolveEtcdEndpoints(input: EtcdEndpointsInput): EtcdEndpoints {
  const nodes = input.nodes ?? [];
  const resolver = new Resolver(nodes);
  const pods = input.pods ?? [];
  const localNode = input.shape.vantage === 'control-plane-node' ? input.shape.localNode : undefined;

  // What the API servers use.
  for (const pod of pods.filter(isApiServer)) {
    const servers = splitList(podFlags(pod).get('etcd-servers'));
    const carrier: Carrier = { name: pod.name, ...(pod.nodeName ? { node: pod.nodeName } : {}), ...(pod.hostIP ? { hostIP: pod.hostIP } : {}) };
    for (const s of servers) resolver.add(s, carrier, '--etcd-servers', 3);
  }
  for (const api of input.apiServers ?? []) {
    const carrier: Carrier = { name: api.name, ...(api.node ? { node: api.node } : {}), ...(api.hostIP ? { hostIP: api.hostIP } : {}) };
    for (const s of api.etcdServers) resolver.add(s, carrier, '--etcd-servers', 3);
  }
  // This node's own manifests: their loopback is this node, named by the shape; its address is
  // the API server's --advertise-address, which still tells when the API server is down.
  const ownAddress = (input.localManifests ?? [])
    .filter(isApiServer)
    .map((m) => podFlags(m).get('advertise-address'))
    .find((a): a is string => a !== undefined && a !== '' && !isLoopbackHost(a));
  for (const manifest of input.localManifests ?? []) {
    const carrier: Carrier = {
      name: `this node's ${manifest.name} manifest`,
      ...(localNode ? { node: localNode } : {}),
      ...(ownAddress ? { hostIP: ownAddress } : {}),
    };
    const flags = podFlags(manifest);
    if (isApiServer(manifest)) for (const s of splitList(flags.get('etcd-servers'))) resolver.add(s, carrier, '--etcd-servers', 3);
    if (isEtcd(manifest)) for (const s of splitList(flags.get('advertise-client-urls'))) resolver.add(s, carrier, '--advertise-client-urls', 1);
  }

  const sockets = resolver.sockets;
  const tcpFromApiServers = resolver.candidates.length;
  if (sockets.length > 0 && tcpFromApiServers === 0) {
    const first = sockets[0]!;
    const datastore = datastoreOfSocket(first.url, input.shape.datastore === 'kine-sql' ? true : input.shape.datastore === 'kine-sqlite' ? false : null);
    return {
      endpoints: [],
      datastore,
      notes: [...resolver.notes, `etcd: no etcd to check: ${first.carrier} is ${shown(first.url.url)} (${datastore})`],
    };
  }
  if (!hasEtcd(input.shape.datastore) && input.shape.datastore !== 'unknown') {
    return { endpoints: [], datastore: input.shape.datastore, notes: [...resolver.notes, `etcd: no etcd to check: the datastore is ${input.shape.datastore}`] };
  }

  // What the members advertise, and where their pods run.
  for (const pod of pods.filter(isEtcd)) {
    const carrier: Carrier = { name: pod.name, ...(pod.nodeName ? { node: pod.nodeName } : {}), ...(pod.hostIP ? { hostIP: pod.hostIP } : {}) };
    const annotated = splitList(pod.annotations?.['kubeadm.kubernetes.io/etcd.advertise-client-urls']);
    const flagged = splitList(podFlags(pod).get('advertise-client-urls'));
    for (const u of annotated) resolver.add(u, carrier, 'kubeadm.kubernetes.io/etcd.advertise-client-urls', 1);
    for (const u of flagged) resolver.add(u, carrier, '--advertise-client-urls', 1);
    // RKE2 keeps etcd's flags in a config file and OpenShift in a script: the pod's host
    // address on the client port is then the member (both listen on every address).
    if (annotated.length === 0 && flagged.length === 0) {
      const host = resolver.hostOf(carrier);
      if (host) {
        resolver.candidates.push({
          url: `https://${joinHostPort(host.address, ETCD_CLIENT_PORT)}`,
          host: host.address,
          port: ETCD_CLIENT_PORT,
          source: `from ${shown(pod.name)}'s host address ${shown(host.address)} (etcd's client port)`,
          ...(host.node ? { node: host.node } : {}),
          rank: 4,
        });
      }
    }
  }
  // k3s and RKE2 servers with etcd annotate their node with the member's address.
  for (const node of nodes) {
    for (const program of ['k3s', 'rke2'] as const) {
      const address = node.annotations?.[`etcd.${program}.cattle.io/node-address`];
      if (!address) continue;
      resolver.add(
        `https://${joinHostPort(address.replace(/^\[|\]$/g, ''), ETCD_CLIENT_PORT)}`,
        { name: `node ${node.name}`, node: node.name },
        `etcd.${program}.cattle.io/node-address`,
        2,
      );
    }
  }
  if (input.members && input.members.length > 0) fromMembers(resolver, input.members);

  return { endpoints: dedupe(resolver, input.members ?? []), datastore: input.shape.datastore, notes: resolver.notes };
}

function dedupe(resolver: Resolver, members: readonly EtcdMemberFacts[]): ResolvedEndpoint[] {
  const groups = new Map<string, { best: Candidate; others: Candidate[]; memberId?: string }>();
  const order: string[] = [];
  for (const c of resolver.candidates) {
    let key: string;
    let memberId: string | undefined;
    if (members.length > 0) {
      const member = memberOf(c, members);
      if (!member) {
        resolver.notes.push(`etcd: ${shown(c.url)} ${c.source} is not in the member list; not used`);
        continue;
      }
      key = `member:${member.id}`;
      memberId = member.id;
    } else {
      key = c.node ? `node:${c.node}` : `addr:${c.host.toLowerCase()}:${c.port}`;
    }
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { best: c, others: [], ...(memberId ? { memberId } : {}) });
      order.push(key);
    } else if (c.rank < group.best.rank) {
      group.others.push(group.best);
      group.best = c;
    } else {
      group.others.push(c);
    }
  }
  return order.map((key) => {
    const { best, others, memberId } = groups.get(key)!;
    const also = [...new Set(others.map((o) => o.source).filter((s) => s !== best.source))];
    const node = best.node ?? others.find((o) => o.node)?.node;
    return {
      url: best.url,
      host: best.host,
      port: best.port,
      source: best.source,
      ...(node ? { node } : {}),
      ...(memberId ? { memberId } : {}),
      ...(also.length > 0 ? { alsoFrom: also } : {}),
    };
  });
}
