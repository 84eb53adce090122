import { CredentialScope } from '../auth/credential-scope.js';
import type { ResolvedKubeconfig } from '../discovery/kubeconfig.js';
import type { Targets } from '../discovery/targets.js';
import type { CheckOptions } from '../options.js';
import { bareHost } from '../util/url.js';
import { filesProbe } from './files.js';
import { createKubeProbe } from './kube.js';
import { classifyNetworkError } from './errors.js';
import { openTunnel, proxyFor, proxyLabel } from './proxy.js';
import { probeTcp } from './tcp.js';
import { inspectTlsVia } from './tls.js';
import { createEtcdProbeFactoryForTls } from './etcd.js';
import type { Probes, TlsInspectOptions } from './types.js';

export interface ProbeSet {
  probes: Probes;
  /** Releases sockets and clients so the process can end. */
  close(): Promise<void>;
}

export interface ProbeEnvironment {
  /** HTTPS_PROXY, NO_PROXY, and what exec plugins run with. */
  env?: NodeJS.ProcessEnv;
  /** The user's terminal: exec plugins' prompts go there. */
  stderr?: NodeJS.WritableStream;
  stdinIsTTY?: boolean;
}

/** Whether host:port is one of the cluster's API servers (the kubeconfig's or another master). */
function isApiEndpoint(targets: Targets, host: string, port: number): boolean {
  const h = bareHost(host);
  const same = (e: { host: string; port: number } | null) => e !== null && bareHost(e.host) === h && e.port === port;
  return same(targets.kubeServer) || targets.apiServers.some(same);
}

/**
 * The inspection handshake to an API server goes the way kubectl's requests go: through the
 * cluster's proxy, verifying the certificate for tls-server-name. A kubeconfig that names a
 * tunnel address and the certificate's real name then inspects as kubectl connects.
 */
function clusterTls(kubeconfig: ResolvedKubeconfig | null, targets: Targets, env: NodeJS.ProcessEnv): Probes['tls'] {
  if (!kubeconfig) return (host, port, options) => inspectTlsVia(host, port, options);
  return (host, port, options: TlsInspectOptions) => {
    if (!isApiEndpoint(targets, host, port)) return inspectTlsVia(host, port, options);
    const named = kubeconfig.cluster.tlsServerName;
    const withName = named && options.servername === undefined ? { ...options, servername: named } : options;
    const proxy = proxyFor(host, port, kubeconfig.cluster.proxyUrl, env);
    return inspectTlsVia(host, port, withName, proxy ? (d) => openTunnel(proxy, host, port, d) : undefined);
  };
}

/** A TCP probe of an API server reached through a proxy is whether the proxy's tunnel opens. */
function clusterTcp(kubeconfig: ResolvedKubeconfig | null, targets: Targets, env: NodeJS.ProcessEnv): Probes['tcp'] {
  if (!kubeconfig) return probeTcp;
  return async (host, port, deadline) => {
    const proxy = isApiEndpoint(targets, host, port) ? proxyFor(host, port, kubeconfig.cluster.proxyUrl, env) : null;
    if (!proxy) return probeTcp(host, port, deadline);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const socket = await openTunnel(proxy, host, port, deadline);
      socket.destroy();
      return { kind: 'ok', ms: ms() };
    } catch (err) {
      return { ...classifyNetworkError(err as Error, `tcp ${host}:${port} through ${proxyLabel(proxy)}`), ms: ms() };
    }
  };
}

export function createProbes(kubeconfig: ResolvedKubeconfig | null, targets: Targets, options: CheckOptions, io: ProbeEnvironment = {}): ProbeSet {
  const env = io.env ?? process.env;
  // Discovery settles it (the cache discoverer runs last); the transport consults it per request.
  targets.credentialScope ??= new CredentialScope(targets);
  const kube = kubeconfig
    ? createKubeProbe(kubeconfig, {
        insecureSkipTlsVerify: options.insecureSkipTlsVerify,
        concurrency: options.concurrency,
        credentialScope: targets.credentialScope,
        env,
        ...(options.authTimeoutMs !== undefined ? { authTimeoutMs: options.authTimeoutMs } : {}),
        ...(io.stderr ? { stderr: io.stderr } : {}),
        stdinIsTTY: io.stdinIsTTY ?? process.stdin.isTTY === true,
      })
    : null;
  const probes: Probes = {
    tcp: clusterTcp(kubeconfig, targets, env),
    tls: clusterTls(kubeconfig, targets, env),
    kube,
    etcd: createEtcdProbeFactoryForTls(targets.etcdTls),
    files: filesProbe,
  };
  return {
    probes,
    async close() {
      kube?.close();
      await probes.etcd?.close();
    },
  };
}
