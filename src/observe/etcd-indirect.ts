// How etcd looks from outside when we cannot ask it (no client certificate, or one it
// rejects): whether each member accepts connections on 2379/2380 and which certificate it
// serves, and what the API server says about etcd (/readyz/etcd, the etcd static pods).
// Everything here is an estimate and every finding built from it says so.
import type { CheckContext } from '../engine/types.js';
import type { TcpOutcome, TlsInspection } from '../probes/types.js';
import { parseJsonBody } from '../probes/json-body.js';

export const PEER_PORT = 2380;

export interface IndirectMember {
  endpoint: string;
  host: string;
  clientPort: number;
  client: TcpOutcome;
  peer: TcpOutcome;
  /** The client port's TLS handshake; the served chain even when it does not verify. */
  tls: TlsInspection;
  /** Completed a TLS handshake on the client port: the process is alive and serving. */
  serving: boolean;
}

export interface ApiServerEtcdView {
  /** `/readyz/etcd`: null when there is no kubeconfig or the API server did not answer. */
  readyz: { ok: boolean; detail: string } | null;
  /** kube-system pods labelled component=etcd (kubeadm's static pods). */
  pods: { name: string; node: string | null; ready: boolean; phase: string }[] | null;
}

export interface IndirectView {
  members: IndirectMember[];
  apiServer: ApiServerEtcdView;
}

interface PodList {
  items?: {
    metadata?: { name?: string };
    spec?: { nodeName?: string };
    status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
  }[];
}

async function apiServerView(ctx: CheckContext): Promise<ApiServerEtcdView> {
  const kube = ctx.probes.kube;
  if (!kube) return { readyz: null, pods: null };
  const deadline = { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal };
  const [readyz, pods] = await Promise.all([
    kube.get('/readyz/etcd', deadline),
    kube.get('/api/v1/namespaces/kube-system/pods?labelSelector=component%3Detcd', deadline),
  ]);
  const readyzView =
    readyz.kind === 'ok'
      ? { ok: readyz.status === 200, detail: readyz.body.trim().split('\n')[0] ?? '' }
      : readyz.status !== undefined
        ? { ok: false, detail: `HTTP ${readyz.status}: ${(readyz.body ?? readyz.message).trim().split('\n')[0]}` }
        : null;
  let podView: ApiServerEtcdView['pods'] = null;
  if (pods.kind === 'ok') {
    const parsed = parseJsonBody<PodList>(pods, 'etcd pods');
    if (parsed.ok) {
      podView = (parsed.value.items ?? []).map((p) => ({
        name: p.metadata?.name ?? '?',
        node: p.spec?.nodeName ?? null,
        phase: p.status?.phase ?? 'Unknown',
        ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      }));
    }
  }
  return { readyz: readyzView, pods: podView };
}

async function readCa(ctx: CheckContext): Promise<Buffer | undefined> {
  const caFile = ctx.targets.etcdTls.caFile;
  if (!caFile) return undefined;
  const read = await ctx.probes.files.read(caFile);
  return read.kind === 'ok' ? read.data : undefined;
}

export function etcdIndirectView(ctx: CheckContext): Promise<IndirectView> {
  return ctx.shared.once('etcd:indirect', async () => {
    const deadline = { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal };
    const ca = await readCa(ctx);
    const [members, apiServer] = await Promise.all([
      Promise.all(
        ctx.targets.etcd.map(async (e): Promise<IndirectMember> => {
          const [client, peer, tls] = await Promise.all([
            ctx.probes.tcp(e.host, e.port, deadline),
            ctx.probes.tcp(e.host, PEER_PORT, deadline),
            ctx.probes.tls(e.host, e.port, { ...deadline, ca }),
          ]);
          return { endpoint: e.url, host: e.host, clientPort: e.port, client, peer, tls, serving: tls.chain.length > 0 };
        }),
      ),
      apiServerView(ctx),
    ]);
    return { members, apiServer };
  });
}

/** One line on what the API server says, for messages. */
export function describeApiServerView(view: ApiServerEtcdView): string {
  const parts: string[] = [];
  if (view.readyz) parts.push(`API server /readyz/etcd: ${view.readyz.ok ? 'ok' : `failing (${view.readyz.detail})`}`);
  else parts.push('API server view unavailable');
  if (view.pods && view.pods.length > 0) parts.push(`etcd pods ready: ${view.pods.filter((p) => p.ready).length} of ${view.pods.length}`);
  return parts.join('; ');
}
