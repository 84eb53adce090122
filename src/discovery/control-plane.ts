// Hosts and API servers from the node list: every node's InternalIP becomes a host to probe
// (control-plane ones from the node-role label), and each control-plane node's address on
// :6443 an API server to probe on its own, so that a dead master behind a healthy load
// balancer shows. Flags win: --hosts and --apiserver are kept as given; their addresses are
// only named after the node they belong to. The list is the one the node checks reuse.
import { PORTS } from '../judge/ports.js';
import type { NodeSummary } from '../observe/nodes.js';
import type { CheckContext } from '../engine/types.js';
import { hostPort } from '../util/url.js';
import type { Discoverer } from './discover.js';
import type { Targets } from './targets.js';

function nameHosts(targets: Targets, nodes: readonly NodeSummary[]): void {
  const byAddress = new Map(nodes.filter((n) => n.address).map((n) => [n.address!, n]));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const host of targets.hosts) {
    const node = byAddress.get(host.address) ?? byName.get(host.address);
    if (node && !host.name) host.name = node.name;
  }
}

export async function discoverFromNodes(targets: Targets, ctx: CheckContext): Promise<void> {
  if (!ctx.facts.api.configured) return;
  // The same memoised GET /version the checks' `api` need makes: a down API server costs one
  // --timeout for the whole run, not one here and another later.
  const apiDown = await ctx.facts.api.unavailable();
  if (apiDown) {
    targets.notes.push(`control-plane discovery: ${apiDown}`);
    return;
  }
  const list = await ctx.facts.nodes();
  if (list.kind !== 'ok') {
    targets.notes.push(`control-plane discovery: node list not read (${list.message})`);
    return;
  }
  const nodes = list.nodes;
  if (ctx.options.hosts.length > 0) {
    nameHosts(targets, nodes);
  } else {
    const missing = nodes.filter((n) => !n.address).map((n) => n.name);
    targets.hosts = nodes.filter((n) => n.address).map((n) => ({ address: n.address!, name: n.name, controlPlane: n.controlPlane }));
    if (missing.length > 0)
      targets.notes.push(
        `control-plane discovery: ${missing.length} node(s) without an InternalIP, not probed: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`,
      );
  }
  if (ctx.options.apiservers.length === 0) {
    const seen = new Set([targets.kubeServer?.url, ...targets.apiServers.map((e) => e.url)]);
    for (const n of nodes) {
      if (!n.controlPlane || !n.address) continue;
      const url = `https://${hostPort(n.address, PORTS.apiServer)}`;
      if (seen.has(url)) continue;
      seen.add(url);
      targets.apiServers.push({ url, host: n.address, port: PORTS.apiServer, source: `node ${n.name}` });
    }
  }
  targets.notes.push(`control-plane discovery: ${nodes.length} nodes in ${list.pages} page(s), ${nodes.filter((n) => n.controlPlane).length} control-plane`);
}

export const controlPlaneDiscoverer: Discoverer = { name: 'control-plane', discover: discoverFromNodes };
