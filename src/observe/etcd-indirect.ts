// How etcd looks from outside when we cannot ask it (no client certificate, or one it
// rejects): whether each member accepts connections on 2379/2380 and which certificate it
// serves, and what the API server says about etcd (/readyz/etcd, the etcd static pods).
// Everything here is an estimate and every finding built from it says so.
import type { TcpOutcome, TlsInspection } from '../probes/types.js';
import { PORTS } from '../judge/ports.js';
import { parseJsonBody } from '../probes/json-body.js';
import { apiUnavailable } from './api.js';
import { deadline, type ObserveScope } from './scope.js';
import { tcpOnce, tlsOnce } from './sockets.js';

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

async function apiServerView(ctx: ObserveScope): Promise<ApiServerEtcdView> {
  const kube = ctx.probes.kube;
  if (!kube) return { readyz: null, pods: null };
  // An API server already known to be down or hung would cost the run another --timeout for
  // two answers that cannot come.
  if ((await apiUnavailable(ctx)) !== null) return { readyz: null, pods: null };
  const [readyz, pods] = await Promise.all([
    kube.get('/readyz/etcd', deadline(ctx)),
    kube.get('/api/v1/namespaces/kube-system/pods?labelSelector=component%3Detcd', deadline(ctx)),
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

export function etcdIndirectView(ctx: ObserveScope): Promise<IndirectView> {
  return ctx.memo.once('etcd:indirect', async () => {
    const [members, apiServer] = await Promise.all([
      Promise.all(
        ctx.targets.etcd.map(async (e): Promise<IndirectMember> => {
          const [client, peer, tls] = await Promise.all([
            tcpOnce(ctx, e.host, e.port),
            tcpOnce(ctx, e.host, PORTS.etcdPeer),
            tlsOnce(ctx, e.host, e.port, 'etcd-client'),
          ]);
          return { endpoint: e.url, host: e.host, clientPort: e.port, client, peer, tls, serving: tls.chain.length > 0 };
        }),
      ),
      apiServerView(ctx),
    ]);
    return { members, apiServer };
  });
}
