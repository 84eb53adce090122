// The well-known control-plane ports, probed from where k8sdoc runs: 6443 (API server), 2379/2380
// (etcd client and peer) and 10250 (kubelet) on control-plane hosts, 10250 on workers; every
// port on each --hosts entry. A bare TCP connect tells refused (nothing listens: the process
// is down) from timeout (a firewall drops the packets) from DNS and routing failures, each
// within --timeout. Where the datastore is not etcd (kine, dqlite, a managed control plane)
// nothing listens on 2379/2380 by design, so those ports are not probed; a failure that is
// about this machine (EMFILE, no route into a private network) is a skip, not a finding.
import { raise } from '../catalogue/raise.js';
import type { Code } from '../catalogue/codes.js';
import type { HostTarget } from '../discovery/targets.js';
import type { Check, CheckContext, Evidence, Finding } from '../engine/types.js';
import type { Failure } from '../probes/types.js';
import { hostPort } from '../util/url.js';
import { PORT_SERVICES, PORTS } from '../judge/ports.js';
import { knownWithoutEtcd } from '../shape/datastore.js';
import { classifyVantageError } from '../shape/vantage-errors.js';

const SERVICE_PORTS = PORT_SERVICES;
const CONTROL_PLANE_PORTS: readonly number[] = [PORTS.apiServer, PORTS.etcdClient, PORTS.etcdPeer, PORTS.kubelet];
const WORKER_PORTS: readonly number[] = [PORTS.kubelet];
const ETCD_PORTS: readonly number[] = [PORTS.etcdClient, PORTS.etcdPeer];

const FAILURE_CODES: Partial<Record<Failure['kind'], Code>> = {
  refused: 'port-refused',
  reset: 'port-refused',
  timeout: 'port-timeout',
  dns: 'port-dns',
  unreachable: 'port-unreachable',
};

interface PortTarget {
  address: string;
  name?: string;
  port: number;
}

/**
 * Which host gets which ports. With --hosts every port on every host; otherwise the cheat
 * sheet by role, and etcd's ports on the etcd endpoints' hosts when etcd runs apart from the
 * control plane (an external etcd cluster).
 */
export function portPlan(ctx: CheckContext): PortTarget[] {
  const hosts: readonly HostTarget[] = ctx.targets.hosts;
  const explicit = ctx.options.hosts.length > 0;
  const etcdHosts = new Set(ctx.targets.etcd.map((e) => e.host));
  const stacked = etcdHosts.size === 0 || hosts.some((h) => h.controlPlane && etcdHosts.has(h.address));
  const noEtcd = etcdHosts.size === 0 && knownWithoutEtcd(ctx.targets.shape);
  const plan: PortTarget[] = [];
  for (const h of hosts) {
    let ports = explicit ? CONTROL_PLANE_PORTS : h.controlPlane ? CONTROL_PLANE_PORTS : WORKER_PORTS;
    if ((!explicit && h.controlPlane && !stacked) || noEtcd) ports = ports.filter((p) => !ETCD_PORTS.includes(p));
    for (const port of ports) plan.push({ address: h.address, ...(h.name ? { name: h.name } : {}), port });
  }
  if (!explicit && !stacked) {
    const known = new Set(hosts.map((h) => h.address));
    for (const host of etcdHosts) if (!known.has(host)) for (const port of ETCD_PORTS) plan.push({ address: host, port });
  }
  return plan;
}

/** What is expected to listen on a port: picks the catalogue's words (etcd down, not kube-proxy, for a refused 2379). */
function listenerOf(port: number): NonNullable<Evidence['listener']> {
  if (port === PORTS.apiServer) return 'kube-apiserver';
  if (port === PORTS.etcdClient) return 'etcd-client';
  if (port === PORTS.etcdPeer) return 'etcd-peer';
  if (port === PORTS.kubelet) return 'kubelet';
  // The Service NodePort range kube-apiserver allots by default (--service-node-port-range).
  if (port >= 30000 && port <= 32767) return 'nodeport';
  return 'other';
}

function describeFailure(failure: Failure, service: string, timeoutMs: number): string {
  switch (failure.kind) {
    case 'refused':
      return `refused from this host: nothing listens, ${service} is down (or bound to another address)`;
    case 'reset':
      return `reset from this host: the connection is cut at once, ${service} is not serving`;
    case 'timeout':
      return `no answer from this host within ${timeoutMs} ms: a firewall drops the packets, or the host is down`;
    case 'dns':
      return `the host name does not resolve from this host (${failure.detail ?? failure.message})`;
    case 'unreachable':
      return `no route from this host (${failure.detail ?? failure.message})`;
    default:
      return failure.message;
  }
}

async function probePort(ctx: CheckContext, t: PortTarget): Promise<Finding> {
  const service = SERVICE_PORTS[t.port] ?? `port ${t.port}`;
  const where = hostPort(t.address, t.port);
  const subject = `port ${where}${t.name ? ` (${t.name})` : ''}`;
  const data = { ...(t.name ? { node: t.name } : {}), host: t.address, port: t.port, service };
  const about = { ...(t.name ? { node: t.name } : {}), host: t.address, port: t.port };
  const outcome = await ctx.facts.tcp(t.address, t.port);
  if (outcome.kind === 'ok')
    return {
      status: 'ok',
      subject,
      about,
      message: `open from this host: ${service} listens (${outcome.ms} ms)`,
      data: { ...data, outcome: 'open', ms: outcome.ms },
    };
  const vantage = classifyVantageError({
    ...(outcome.detail ? { code: outcome.detail } : {}),
    kind: outcome.kind,
    target: { host: t.address, port: t.port, what: service, ...(t.name ? { node: t.name } : {}) },
    distribution: ctx.targets.shape?.distribution ?? 'kubeadm',
  });
  if (vantage && vantage.kind !== 'loopback-only-port') {
    return { status: 'skip', subject, message: `${vantage.message}; ${vantage.howToSee}`, data: { ...data, outcome: outcome.kind, vantage: vantage.kind } };
  }
  const tcp = outcome.kind === 'refused' || outcome.kind === 'reset' ? 'refused' : outcome.kind === 'timeout' ? 'timeout' : undefined;
  return raise({
    subject,
    about: { ...about, evidence: { ...(tcp ? { tcp } : {}), listener: listenerOf(t.port) } },
    code: FAILURE_CODES[outcome.kind] ?? 'port-unreachable',
    message: describeFailure(outcome, service, ctx.options.timeoutMs),
    data: { ...data, outcome: outcome.kind, ms: outcome.ms },
    timedOut: outcome.kind === 'timeout' ? [`tcp ${where}`] : undefined,
  });
}

export const ports: Check = {
  // The plan from the hosts known so far; one that discovery changes only leaves a probe unused.
  prewarm(ctx) {
    for (const t of portPlan(ctx)) void ctx.facts.tcp(t.address, t.port).catch(() => undefined);
  },
  id: 'ports',
  component: 'ports',
  title: 'Kubernetes ports answer from here: 6443, 2379, 2380, 10250 on control-plane hosts, 10250 on workers',
  needs: [],
  codes: ['port-refused', 'port-timeout', 'port-dns', 'port-unreachable'],
  async run(ctx) {
    const plan = portPlan(ctx);
    if (plan.length === 0) return [{ status: 'skip', subject: 'ports', message: 'no hosts known: the node list is not readable and no --hosts given' }];
    return Promise.all(plan.map((t) => probePort(ctx, t)));
  },
};
