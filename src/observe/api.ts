// The Kubernetes API as observed in one run: whether it answers, which API server answers for
// it, /version, /livez and /readyz of each API server, and each endpoint's TCP, TLS and
// /version answer. Each question is asked once; a hung API server costs the run one --timeout.
import type { Endpoint } from '../discovery/targets.js';
import type { KubeOutcome, KubeProbe, TcpOutcome, TlsInspection } from '../probes/types.js';
import { deadline, type ObserveScope } from './scope.js';
import { tcpOnce, tlsOnce } from './sockets.js';

/**
 * GET /version on the kubeconfig's server, once per run: the `api` need and the reachability
 * check ask the same question, and a hung server must cost one --timeout, not two.
 */
export function kubeconfigServerVersion(scope: ObserveScope, kube: KubeProbe): Promise<KubeOutcome> {
  return scope.memo.once('api:version:kubeconfig', () => kube.get('/version', deadline(scope)));
}

/** GET /version on one individual API server, once per run (the reachability check reuses it). */
export function serverVersion(scope: ObserveScope, kube: KubeProbe, url: string): Promise<KubeOutcome> {
  return scope.memo.once(`api:version:${url}`, () => kube.get('/version', { ...deadline(scope), server: url }));
}

/** /version of an endpoint as the kubeconfig server or as an individual API server. */
export function endpointVersion(scope: ObserveScope, kube: KubeProbe, e: Endpoint): Promise<KubeOutcome> {
  return e.source === 'kubeconfig' ? kubeconfigServerVersion(scope, kube) : serverVersion(scope, kube, e.url);
}

function unreachable(kind: string, message: string | undefined): string {
  return `API server unreachable (${kind === 'timeout' ? 'timed out' : kind === 'refused' ? 'connection refused' : (message ?? kind)})`;
}

/** Null when the kubeconfig's server answers /version (or 403s it), else why not. */
async function kubeconfigServerProblem(scope: ObserveScope, kube: KubeProbe): Promise<{ reason: string; credentials: boolean } | null> {
  // /version is asked at the same time as the inspection handshake (shared with the
  // reachability check), not after it: a hung server then costs one --timeout from the start
  // of the run, not the handshake's time on top. The request verifies the server itself before
  // any credential goes out, and a server that never speaks TLS fails both at once.
  const version = kubeconfigServerVersion(scope, kube);
  const server = scope.targets.kubeServer;
  if (server) {
    const tls = await tlsOnce(scope, server.host, server.port);
    if (tls.kind !== 'ok') return { reason: unreachable(tls.kind, tls.failure?.message), credentials: false };
  }
  const outcome = await version;
  if (outcome.kind === 'ok' || outcome.kind === 'forbidden') return null; // 403: each check reports what it may not read
  if (outcome.kind === 'unauthorized') return { reason: 'API server rejects the credentials (401)', credentials: true };
  return { reason: unreachable(outcome.kind, outcome.message), credentials: false };
}

/** How long an answering master waits for the kubeconfig's server before taking over. */
const KUBECONFIG_SERVER_GRACE_MS = 150;

/**
 * The first individual API server that answers /version, or null when none does. Asked at the
 * same time as the kubeconfig's server, so a balancer that picked a hung master costs nothing
 * extra: the run does not wait a whole --timeout to learn what a master already told it.
 */
function firstAnsweringApiServer(scope: ObserveScope, kube: KubeProbe): Promise<string | null> {
  const kubeUrl = scope.targets.kubeServer?.url;
  const candidates = scope.targets.apiServers.filter((e) => e.url !== kubeUrl);
  if (candidates.length === 0 || !kube.useServer) return Promise.resolve(null);
  return new Promise((resolve) => {
    let pending = candidates.length;
    for (const e of candidates) {
      void serverVersion(scope, kube, e.url).then((outcome) => {
        if (outcome.kind === 'ok') resolve(e.url);
        else if (--pending === 0) resolve(null);
      });
    }
  });
}

/**
 * Null when the API answers, else why not; once per run. When the kubeconfig's server does not
 * answer but a master does, API requests go to that master from then on (said in the notes).
 */
export function apiUnavailable(scope: ObserveScope): Promise<string | null> {
  const kube = scope.probes.kube;
  if (!kube) return Promise.resolve('no kubeconfig found (pass --kubeconfig or set KUBECONFIG)');
  return scope.memo.once('api:server-in-use', async () => {
    const viaKubeconfig = kubeconfigServerProblem(scope, kube);
    const viaMaster = firstAnsweringApiServer(scope, kube);
    const use = (url: string, why: string) => {
      kube.useServer!(url);
      scope.targets.notes.push(`the kubeconfig server ${scope.targets.kubeServer?.url ?? ''} did not answer (${why}); API requests go to ${url} instead`);
      return null;
    };
    const first = await Promise.race([
      viaKubeconfig.then((problem) => ({ from: 'kubeconfig' as const, problem })),
      viaMaster.then((url) => ({ from: 'master' as const, url })),
    ]);
    if (first.from === 'kubeconfig') {
      if (first.problem === null || first.problem.credentials) return first.problem?.reason ?? null;
      const url = await viaMaster;
      return url === null ? first.problem.reason : use(url, first.problem.reason);
    }
    if (first.url === null) return (await viaKubeconfig)?.reason ?? null;
    // A master answered first: the kubeconfig's server still wins if it answers within a grace.
    const late = await Promise.race([viaKubeconfig, new Promise<'late'>((r) => setTimeout(() => r('late'), KUBECONFIG_SERVER_GRACE_MS))]);
    if (late === null) return null;
    if (late !== 'late' && late.credentials) return late.reason;
    return use(first.url, late === 'late' ? `no answer ${KUBECONFIG_SERVER_GRACE_MS} ms after a master's` : late.reason);
  });
}

/** What an API endpoint answered: TCP, then TLS, then /version, each only when the one before succeeded. */
export interface ApiEndpointAnswer {
  tcp: TcpOutcome;
  tls?: TlsInspection;
  /** Absent when the stage before failed, the certificate does not verify, or there are no credentials. */
  version?: KubeOutcome;
}

/** TCP, TLS and (with credentials, and a certificate that verifies or --insecure-skip-tls-verify) /version, once per endpoint. */
export function apiEndpointAnswer(scope: ObserveScope, e: Endpoint): Promise<ApiEndpointAnswer> {
  return scope.memo.once(`api:endpoint:${e.url}`, async () => {
    const tcp = await tcpOnce(scope, e.host, e.port);
    if (tcp.kind !== 'ok') return { tcp };
    const tls = await tlsOnce(scope, e.host, e.port);
    if (tls.kind !== 'ok') return { tcp, tls };
    if ((tls.verifyError !== null && !scope.options.insecureSkipTlsVerify) || !scope.probes.kube) return { tcp, tls };
    return { tcp, tls, version: await endpointVersion(scope, scope.probes.kube, e) };
  });
}

/**
 * TCP, TLS and /version as apiEndpointAnswer asks them (the same memo keys): whether the
 * endpoint answers HTTP at all, for probes that build on it early.
 */
export async function speaksHttp(scope: ObserveScope, e: Endpoint): Promise<boolean> {
  // /version starts with the TCP connect rather than after the handshake: on a hung API
  // server it is the answer that takes a whole --timeout, and waiting for TCP and TLS first
  // put their time on top of it. The request verifies the server before sending credentials,
  // so asking early sends nothing the staged order would have withheld.
  const kube = scope.probes.kube;
  const asked = kube ? endpointVersion(scope, kube, e) : null;
  if ((await tcpOnce(scope, e.host, e.port)).kind !== 'ok') return false;
  if ((await tlsOnce(scope, e.host, e.port)).kind !== 'ok' || !asked) return false;
  const version = await asked;
  return ['ok', 'unauthorized', 'forbidden', 'http', 'bad-response'].includes(version.kind);
}

export type HealthPath = 'livez' | 'readyz';

/** GET /livez?verbose or /readyz?verbose on one API server, once per run. */
export function healthAnswer(scope: ObserveScope, e: Endpoint, path: HealthPath): Promise<KubeOutcome> {
  const kube = scope.probes.kube;
  if (!kube) return Promise.resolve({ kind: 'unauthorized', message: 'no credentials to ask the API server', ms: 0 });
  return scope.memo.once(`api:health:${e.url}:${path}`, () => kube.get(`/${path}?verbose`, { ...deadline(scope), server: e.url }));
}

/** A GET on the API server in use, or on one of the run's API servers: never memoised (latency samples repeat it). */
export function apiGet(scope: ObserveScope, path: string, server?: string): Promise<KubeOutcome> {
  const kube = scope.probes.kube;
  if (!kube) return Promise.resolve({ kind: 'unauthorized', message: 'no kubeconfig: cannot ask the API server', ms: 0 });
  return kube.get(path, { ...deadline(scope), ...(server ? { server } : {}) });
}
