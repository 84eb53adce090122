// Read-only HTTPS access to the Kubernetes API with the kubeconfig's credentials. Plain
// node:https keeps one deadline over the whole exchange, caps the body and never follows
// redirects. Credentials go only where the credential scope allows (see auth/credential-scope);
// proxies, tls-server-name and insecure-skip-tls-verify apply as kubectl applies them. Exec
// plugins are run by auth/exec-plugin; @kubernetes/client-node is loaded only for the legacy
// auth-provider plugins.
import { Agent, request, type RequestOptions } from 'node:https';
import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CredentialScope } from '../auth/credential-scope.js';
import { ExecPluginError, parseExecConfig, runExecPlugin } from '../auth/exec-plugin.js';
import type { ResolvedKubeconfig } from '../discovery/kubeconfig.js';
import { bareHost } from '../util/url.js';
import { startDeadline } from './deadline.js';
import { classifyNetworkError, CREDENTIALS_FAILED, firstLine } from './errors.js';
import { openTunnel, proxyFor } from './proxy.js';
import type { KubeOutcome, KubeProbe, KubeRequestOptions, ProbeDeadline } from './types.js';
import { verifyServerIdentity, type ServerIdentity } from './verify-first.js';

/** A node list page of 500 is a few MB; anything near this is a broken or hostile server. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Long enough for a browser or device-code login; a plugin that takes longer is stuck. */
export const DEFAULT_AUTH_TIMEOUT_MS = 60_000;

export interface KubeProbeOptions {
  insecureSkipTlsVerify: boolean;
  concurrency: number;
  maxBodyBytes?: number;
  log?: (message: string) => void;
  /** Which servers may receive the credentials; every server when absent. */
  credentialScope?: CredentialScope;
  /** HTTPS_PROXY, NO_PROXY and the environment exec plugins run in. */
  env?: NodeJS.ProcessEnv;
  /** Bound on an exec plugin (--auth-timeout). */
  authTimeoutMs?: number;
  /** Where an exec plugin's stderr (its prompts) goes. */
  stderr?: NodeJS.WritableStream;
  stdinIsTTY?: boolean;
}

type AuthOptions = Pick<RequestOptions, 'cert' | 'key' | 'headers' | 'auth'>;

function b64(value: unknown): Buffer | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
}

/** Auth that needs no plugin; null when an exec or auth-provider plugin must be asked. */
function staticAuth(user: Record<string, unknown>): AuthOptions | null {
  if (user.exec !== undefined || user['auth-provider'] !== undefined) return null;
  const auth: AuthOptions = { headers: {} };
  auth.cert = b64(user['client-certificate-data']) ?? (typeof user['client-certificate'] === 'string' ? readFileSync(user['client-certificate']) : undefined);
  auth.key = b64(user['client-key-data']) ?? (typeof user['client-key'] === 'string' ? readFileSync(user['client-key']) : undefined);
  let token = typeof user.token === 'string' ? user.token : undefined;
  // Projected service-account tokens rotate: read the file on every request.
  if (token === undefined && typeof user.tokenFile === 'string') token = readFileSync(user.tokenFile, 'utf8').trim();
  if (token) auth.headers = { authorization: `Bearer ${token}` };
  else if (typeof user.username === 'string' && typeof user.password === 'string') auth.auth = `${user.username}:${user.password}`;
  return auth;
}

async function execAuth(config: ResolvedKubeconfig, options: KubeProbeOptions, signal: AbortSignal | undefined): Promise<AuthOptions> {
  const exec = parseExecConfig(config.user.exec, `user '${config.userName ?? 'user'}'`);
  const cred = await runExecPlugin(exec, {
    timeoutMs: options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS,
    ...(signal ? { signal } : {}),
    stdinIsTTY: options.stdinIsTTY ?? false,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
  });
  return {
    headers: cred.token ? { authorization: `Bearer ${cred.token}` } : {},
    ...(cred.clientCertificateData ? { cert: Buffer.from(cred.clientCertificateData), key: Buffer.from(cred.clientKeyData!) } : {}),
  };
}

async function authProviderAuth(config: ResolvedKubeconfig): Promise<AuthOptions> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: config.clusterName, server: config.cluster.server, skipTLSVerify: config.cluster.insecureSkipTlsVerify }],
    users: [{ name: config.userName ?? 'user', ...(config.user as object) }],
    contexts: [{ name: config.contextName, cluster: config.clusterName, user: config.userName ?? 'user' }],
    currentContext: config.contextName,
  });
  const opts: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return { cert: opts.cert, key: opts.key, headers: opts.headers, auth: opts.auth };
}

function failureKindForStatus(status: number): 'unauthorized' | 'forbidden' | 'http' {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  return 'http';
}

export function createKubeProbe(config: ResolvedKubeconfig, options: KubeProbeOptions): KubeProbe & { close(): void } {
  const agents = new Map<string, Agent>();
  let defaultServer = config.cluster.server;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const env = options.env ?? process.env;
  const kubeconfigOrigin = originOf(config.cluster.server);
  let authPromise: Promise<AuthOptions> | null = null;
  const auth = (signal: AbortSignal | undefined) => {
    authPromise ??= (async () => {
      const fixed = staticAuth(config.user);
      if (fixed) return fixed;
      if (config.user.exec !== undefined) return execAuth(config, options, signal);
      return authProviderAuth(config);
    })();
    return authPromise;
  };
  // Origins whose certificate was checked before our client certificate went to them.
  const identities = new Map<string, Promise<Error | null>>();
  const verifiedIdentity = (origin: string, server: ServerIdentity, deadline: ProbeDeadline) => {
    let check = identities.get(origin);
    if (!check) {
      check = verifyServerIdentity(server, deadline);
      identities.set(origin, check);
    }
    return check;
  };
  const agentFor = (key: string) => {
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, Math.min(options.concurrency, 16)) });
      agents.set(key, agent);
    }
    return agent;
  };

  async function get(path: string, req: KubeRequestOptions): Promise<KubeOutcome> {
    const server = req.server ?? defaultServer;
    const url = new URL(path, server.endsWith('/') ? server : `${server}/`);
    const scope = options.credentialScope;
    if (!scope || scope.allows(url.origin)) return send(url, req, true);
    // Known only from the discovery cache: asked without credentials. An answer that says
    // credentials are needed waits for discovery to decide, and is asked again with them
    // only if the cluster itself listed this server.
    const bare = await send(url, req, false);
    if ((bare.kind !== 'unauthorized' && bare.kind !== 'forbidden') || req.signal?.aborted) return bare;
    if (!scope.decided) await settledWithin(scope, req);
    if (scope.allows(url.origin)) return send(url, req, true);
    return { ...bare, message: `${bare.message} (asked without credentials: this server is known only from the discovery cache, not from the cluster)` };
  }

  async function send(url: URL, req: KubeRequestOptions, withCredentials: boolean): Promise<KubeOutcome> {
    const what = `GET ${url.host}${url.pathname}`;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    let authOptions: AuthOptions = { headers: {} };
    if (withCredentials) {
      try {
        authOptions = await auth(req.signal);
      } catch (err) {
        const reason = err instanceof ExecPluginError ? err.message : firstLine((err as Error).message);
        return {
          kind: 'error',
          message: `credentials for context '${config.contextName}' could not be obtained: ${reason}`,
          detail: CREDENTIALS_FAILED,
          ms: ms(),
        };
      }
    }
    const host = bareHost(url.hostname);
    const port = url.port === '' ? 443 : Number(url.port);
    const servername = config.cluster.tlsServerName ?? host;
    // The kubeconfig's insecure-skip-tls-verify belongs to its cluster's server, as in kubectl;
    // the flag applies to the whole run.
    const rejectUnauthorized = !(options.insecureSkipTlsVerify || (config.cluster.insecureSkipTlsVerify && url.origin === kubeconfigOrigin));
    const proxy = proxyFor(host, port, config.cluster.proxyUrl, env);
    const tunnel = proxy ? (d: ProbeDeadline) => openTunnel(proxy, host, port, d) : undefined;
    const deadline = startDeadline(req, what);
    if (authOptions.cert !== undefined && rejectUnauthorized) {
      const identity = { host, port, servername, ...(config.cluster.caPem ? { ca: config.cluster.caPem } : {}), ...(tunnel ? { tunnel } : {}) };
      const refused = await Promise.race([verifiedIdentity(url.origin, identity, req), deadline.expired]).catch((err: Error) => err);
      if (refused !== null) {
        deadline.clear();
        return { ...classifyNetworkError(refused, what), ms: ms() };
      }
    }
    const tlsOptions = {
      ca: config.cluster.caPem ?? undefined,
      rejectUnauthorized,
      servername: isIP(servername) ? undefined : servername,
      cert: authOptions.cert,
      key: authOptions.key,
    };
    // Through a proxy: one tunnel per request (no pooling), opened within this request's deadline.
    const connection = tunnel
      ? {
          // No agent: node:http then uses createConnection (an agent, even `false`, would bypass it).
          agent: undefined,
          // node:http takes the socket through the callback when createConnection returns none.
          createConnection: ((_o: unknown, done: (err: Error | null, socket?: Socket) => void) => {
            tunnel(req).then(
              (socket) => done(null, tlsConnect({ ...tlsOptions, socket, ALPNProtocols: ['http/1.1'] })),
              (err: Error) => done(err),
            );
            return undefined;
          }) as unknown as RequestOptions['createConnection'],
        }
      : { agent: agentFor(`${url.origin} ${withCredentials ? 'auth' : 'anon'}`) };
    return new Promise<KubeOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: KubeOutcome) => {
        if (settled) return;
        settled = true;
        deadline.clear();
        resolve(outcome);
      };
      const r = request({
        host,
        port,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        ...connection,
        ...tlsOptions,
        auth: authOptions.auth,
        headers: { accept: 'application/json', 'user-agent': 'k8sdoc', ...(authOptions.headers as Record<string, string>) },
      });
      deadline.onExpire((err) => {
        r.destroy(err);
        settle({ ...classifyNetworkError(err, what), ms: ms() });
      });
      r.once('error', (err) => settle({ ...classifyNetworkError(err, what), ms: ms() }));
      r.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const tooLarge = (read: string) => {
          truncated = true;
          res.destroy();
          settle({ kind: 'bad-response', message: `${what}: response larger than ${megabytes(maxBody)} MB, ${read}`, status: res.statusCode, ms: ms() });
        };
        const declared = Number(res.headers['content-length'] ?? Number.NaN);
        if (declared > maxBody) {
          tooLarge(`not read (it announces ${megabytes(declared)} MB)`);
          return;
        }
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          size += chunk.length;
          if (size > maxBody) {
            tooLarge('not read further');
            return;
          }
          chunks.push(chunk);
        });
        // Once the status line has come, a broken connection is a broken answer: the server
        // is there and talking, so it is not "refused" or "reset" in the network's sense.
        const cutShort = () =>
          settle({
            kind: 'bad-response',
            message: `${what}: the connection closed after ${size}${Number.isFinite(declared) ? ` of ${declared}` : ''} bytes of the answer; the response is incomplete`,
            status: res.statusCode,
            ms: ms(),
          });
        res.once('error', cutShort);
        res.once('close', () => {
          if (!res.complete) cutShort();
        });
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8');
          if (status >= 200 && status < 300) {
            settle({ kind: 'ok', status, headers: res.headers, body, ms: ms(), truncated: false });
          } else if (status >= 300 && status < 400) {
            settle({
              kind: 'bad-response',
              message: `${what}: redirected (HTTP ${status}) to ${firstLine(res.headers.location ?? 'elsewhere').slice(0, 200)}; not followed, credentials are never sent on`,
              status,
              ms: ms(),
            });
          } else {
            const kind = failureKindForStatus(status);
            settle({ kind, message: `${what}: HTTP ${status}${kindSuffix(kind)}`, detail: `HTTP ${status}`, status, body: body.slice(0, 64 * 1024), ms: ms() });
          }
        });
      });
      r.end();
    });
  }

  return {
    server: config.cluster.server,
    get,
    useServer(url: string) {
      defaultServer = url;
    },
    close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

function megabytes(bytes: number): number {
  return Math.round(bytes / 1024 / 1024);
}

function kindSuffix(kind: 'unauthorized' | 'forbidden' | 'http'): string {
  if (kind === 'unauthorized') return ' Unauthorized';
  if (kind === 'forbidden') return ' Forbidden';
  return '';
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Waits for discovery to settle the credential scope, at most the request's own --timeout. */
function settledWithin(scope: CredentialScope, req: ProbeDeadline): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, req.timeoutMs);
    function done() {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', done);
      resolve();
    }
    req.signal?.addEventListener('abort', done, { once: true });
    void scope.settled.then(done);
  });
}
