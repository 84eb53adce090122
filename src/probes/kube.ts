// Read-only HTTPS access to the Kubernetes API with the kubeconfig's credentials. Plain
// node:https keeps one deadline over the whole exchange, caps the body and never follows
// redirects; @kubernetes/client-node is loaded only for exec and auth-provider plugins.
import { Agent, request, type RequestOptions } from 'node:https';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ResolvedKubeconfig } from '../discovery/kubeconfig.js';
import { bareHost } from '../judge/url.js';
import { startDeadline } from './deadline.js';
import { classifyNetworkError, firstLine } from './errors.js';
import type { KubeOutcome, KubeProbe, KubeRequestOptions, ProbeDeadline } from './types.js';
import { verifyServerIdentity, type ServerIdentity } from './verify-first.js';

/** A node list page of 500 is a few MB; anything near this is a broken or hostile server. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface KubeProbeOptions {
  insecureSkipTlsVerify: boolean;
  concurrency: number;
  maxBodyBytes?: number;
  log?: (message: string) => void;
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

async function pluginAuth(config: ResolvedKubeconfig): Promise<AuthOptions> {
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
  let authPromise: Promise<AuthOptions> | null = null;
  const auth = () => {
    authPromise ??= (async () => staticAuth(config.user) ?? pluginAuth(config))();
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
  const agentFor = (origin: string) => {
    let agent = agents.get(origin);
    if (!agent) {
      agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, Math.min(options.concurrency, 16)) });
      agents.set(origin, agent);
    }
    return agent;
  };

  async function get(path: string, req: KubeRequestOptions): Promise<KubeOutcome> {
    const server = req.server ?? defaultServer;
    const url = new URL(path, server.endsWith('/') ? server : `${server}/`);
    const what = `GET ${url.host}${url.pathname}`;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    let authOptions: AuthOptions;
    try {
      authOptions = await auth();
    } catch (err) {
      return {
        kind: 'error',
        message: `credentials for context '${config.contextName}' could not be obtained: ${(err as Error).message.split('\n')[0]}`,
        ms: ms(),
      };
    }
    const host = bareHost(url.hostname);
    const port = url.port === '' ? 443 : Number(url.port);
    const servername = config.cluster.tlsServerName ?? host;
    const rejectUnauthorized = !(options.insecureSkipTlsVerify || config.cluster.insecureSkipTlsVerify);
    const deadline = startDeadline(req, what);
    if (authOptions.cert !== undefined && rejectUnauthorized) {
      const identity = { host, port, servername, ...(config.cluster.caPem ? { ca: config.cluster.caPem } : {}) };
      const refused = await Promise.race([verifiedIdentity(url.origin, identity, req), deadline.expired]).catch((err: Error) => err);
      if (refused !== null) {
        deadline.clear();
        return { ...classifyNetworkError(refused, what), ms: ms() };
      }
    }
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
        agent: agentFor(url.origin),
        ca: config.cluster.caPem ?? undefined,
        rejectUnauthorized,
        servername: isIP(servername) ? undefined : servername,
        cert: authOptions.cert,
        key: authOptions.key,
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
