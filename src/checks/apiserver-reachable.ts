// Can we reach each API server at all? TCP, then TLS, then an authenticated GET /version,
// each failure told apart: refused, timeout, TLS, 401. The kubeconfig server (often a load
// balancer) and every individual API server are probed on their own.
import type { Code } from '../catalogue/codes.js';
import type { Endpoint } from '../discovery/targets.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { Failure } from '../probes/types.js';
import { kubeconfigServerVersion, serverVersion } from '../engine/needs.js';
import { parseJsonBody } from '../probes/json-body.js';
import { hostPort } from '../judge/url.js';
import { nodeNameAt } from '../observe/nodes.js';
import { tcpOnce, tlsOnce } from '../observe/sockets.js';

export const NETWORK_CODES: Partial<Record<Failure['kind'], Code>> = {
  refused: 'apiserver-refused',
  timeout: 'apiserver-timeout',
  dns: 'apiserver-dns',
  unreachable: 'apiserver-unreachable',
  reset: 'apiserver-refused',
  tls: 'apiserver-tls-error',
};

export function apiEndpoints(ctx: CheckContext): Endpoint[] {
  const seen = new Set<string>();
  const all = [ctx.targets.kubeServer, ...ctx.targets.apiServers].filter((e): e is Endpoint => e !== null);
  return all.filter((e) => (seen.has(e.url) ? false : (seen.add(e.url), true)));
}

export function apiSubject(e: Endpoint): string {
  return `apiserver ${e.url}${e.source === 'kubeconfig' ? ' (kubeconfig)' : ''}`;
}

/** Where an endpoint is, for messages and triage: its host, and its node when the host is one. */
export function endpointData(ctx: CheckContext, e: Endpoint): Record<string, unknown> {
  const node = nodeNameAt(ctx, e.host);
  return { endpoint: e.url, host: e.host, port: e.port, source: e.source, ...(node ? { node } : {}) };
}

function networkFinding(ctx: CheckContext, e: Endpoint, failure: Failure, stage: string): Finding {
  const code = NETWORK_CODES[failure.kind] ?? 'apiserver-unreachable';
  // Accepted, then closed before TLS finished: most often a load balancer with no healthy
  // backend left, so it files with "refused" (the API servers behind it are down).
  const hint =
    failure.kind === 'timeout' && stage === 'tls'
      ? ' (TCP connects, but the TLS handshake never completes: a hung process or a proxy)'
      : failure.kind === 'reset' && stage === 'tls'
        ? ' (TCP connects, then the connection is closed during the TLS handshake: a load balancer with no healthy backend, or a proxy that does not speak TLS)'
        : '';
  return {
    status: 'crit',
    subject: apiSubject(e),
    code,
    message: `${failure.message}${hint}`,
    data: { ...endpointData(ctx, e), stage, failure: failure.kind },
    timedOut: failure.kind === 'timeout' ? [`${stage} ${hostPort(e.host, e.port)}`] : undefined,
  };
}

async function probeEndpoint(ctx: CheckContext, e: Endpoint): Promise<Finding> {
  const tcp = await tcpOnce(ctx, e.host, e.port);
  if (tcp.kind !== 'ok') return networkFinding(ctx, e, tcp, 'tcp');
  const tls = await tlsOnce(ctx, e.host, e.port);
  if (tls.kind !== 'ok') return networkFinding(ctx, e, tls.failure ?? { kind: tls.kind, message: `tls ${hostPort(e.host, e.port)} failed` }, 'tls');
  const base = { ...endpointData(ctx, e), tcpMs: tcp.ms, tlsMs: tls.ms };
  if (tls.verifyError !== null && !ctx.options.insecureSkipTlsVerify) {
    const leaf = tls.chain[0];
    return {
      status: 'crit',
      subject: apiSubject(e),
      code: 'apiserver-tls-error',
      message: `the served certificate does not verify: ${tls.verifyError}${leaf ? ` (subject ${leaf.subject}, valid until ${leaf.notAfter.toISOString()})` : ''}`,
      data: { ...base, stage: 'tls', verifyError: tls.verifyError, notAfter: leaf?.notAfter.toISOString() },
    };
  }
  if (!ctx.probes.kube) {
    return { status: 'ok', subject: apiSubject(e), message: `TCP and TLS answer (${tcp.ms} ms, ${tls.ms} ms); no credentials to ask /version`, data: base };
  }
  const kube = ctx.probes.kube;
  const version = e.source === 'kubeconfig' ? await kubeconfigServerVersion(ctx, kube) : await serverVersion(ctx, kube, e.url);
  if (version.kind === 'unauthorized') {
    return {
      status: 'crit',
      subject: apiSubject(e),
      code: 'apiserver-unauthorized',
      message: 'the API server rejects the kubeconfig credentials (HTTP 401 Unauthorized)',
      data: { ...base, stage: 'auth', httpStatus: 401 },
    };
  }
  if (version.kind === 'forbidden') {
    return {
      status: 'warn',
      subject: apiSubject(e),
      code: 'apiserver-forbidden',
      message: 'authenticated, but not allowed to GET /version (HTTP 403): grant the non-resource URL /version',
      data: { ...base, stage: 'auth', httpStatus: 403 },
    };
  }
  if (version.kind !== 'ok') {
    if (version.kind === 'http' || version.kind === 'bad-response') {
      return {
        status: 'crit',
        subject: apiSubject(e),
        code: 'apiserver-bad-response',
        message: version.message,
        data: { ...base, stage: 'http', httpStatus: version.status },
      };
    }
    return networkFinding(ctx, e, version, 'http');
  }
  const parsed = parseJsonBody<{ gitVersion?: string }>(version, `GET ${hostPort(e.host, e.port)}/version`);
  if (!parsed.ok || typeof parsed.value.gitVersion !== 'string') {
    return {
      status: 'crit',
      subject: apiSubject(e),
      code: 'apiserver-bad-response',
      message: parsed.ok ? '/version answered without a gitVersion: not a Kubernetes API server?' : parsed.message,
      data: { ...base, stage: 'http' },
    };
  }
  const note = tls.verifyError !== null ? ` (TLS not verified: ${tls.verifyError}; --insecure-skip-tls-verify)` : '';
  return {
    status: 'ok',
    subject: apiSubject(e),
    message: `reachable, Kubernetes ${parsed.value.gitVersion}${note}`,
    data: { ...base, versionMs: version.ms, gitVersion: parsed.value.gitVersion },
  };
}

/**
 * The reachability verdict for one endpoint, memoised per run: the health and latency checks
 * build on it and skip an endpoint that is down instead of reporting it a second time.
 */
export function reachEndpoint(ctx: CheckContext, e: Endpoint): Promise<Finding> {
  return ctx.shared.once(`apiserver-reach:${e.url}`, () => probeEndpoint(ctx, e));
}

/**
 * The TCP connect and handshake of each API endpoint known so far, started early: the same
 * memo keys as probeEndpoint, in the same order. The verdict itself (reachEndpoint) waits for
 * the checks, as it names the node an endpoint runs on, which discovery finds.
 */
export function prewarmApiEndpoints(ctx: CheckContext): void {
  for (const e of apiEndpoints(ctx)) void speaksHttp(ctx, e).catch(() => undefined);
}

/**
 * TCP, TLS and /version as probeEndpoint asks them (the same memo keys): whether the endpoint
 * answers HTTP at all, for probes that build on it early (apiserver-health's prewarm).
 */
export async function speaksHttp(ctx: CheckContext, e: Endpoint): Promise<boolean> {
  if ((await tcpOnce(ctx, e.host, e.port)).kind !== 'ok') return false;
  if ((await tlsOnce(ctx, e.host, e.port)).kind !== 'ok' || !ctx.probes.kube) return false;
  const version = e.source === 'kubeconfig' ? await kubeconfigServerVersion(ctx, ctx.probes.kube) : await serverVersion(ctx, ctx.probes.kube, e.url);
  return ['ok', 'unauthorized', 'forbidden', 'http', 'bad-response'].includes(version.kind);
}

export const apiserverReachable: Check = {
  prewarm: prewarmApiEndpoints,
  id: 'apiserver-reachable',
  component: 'apiserver',
  title: 'Each API server answers: TCP, TLS and an authenticated GET /version',
  needs: [],
  codes: [
    'apiserver-refused',
    'apiserver-timeout',
    'apiserver-tls-error',
    'apiserver-unauthorized',
    'apiserver-forbidden',
    'apiserver-dns',
    'apiserver-unreachable',
    'apiserver-bad-response',
  ],
  async run(ctx) {
    const endpoints = apiEndpoints(ctx);
    if (endpoints.length === 0) {
      return [{ status: 'skip', subject: 'apiserver', message: 'no API server known: no kubeconfig and no --apiserver given' }];
    }
    return Promise.all(endpoints.map((e) => reachEndpoint(ctx, e)));
  },
};
