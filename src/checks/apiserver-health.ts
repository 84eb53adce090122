// Is each API server live and ready? /livez?verbose and /readyz?verbose per endpoint (the
// kubeconfig server and every master on its own), the failing named checks spelt out: a
// failing `etcd` check means that API server cannot reach etcd. A 401 or 403 on the health
// endpoints is a finding of its own, never "down"; an endpoint that is not reachable at all
// is left to apiserver-reachable, so one dead master is reported once.
import { raise } from '../catalogue/raise.js';
import type { Endpoint } from '../discovery/targets.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { KubeOutcome } from '../probes/types.js';
import {
  apiEndpoints,
  apiSubject,
  endpointAbout,
  endpointData,
  failureEvidence,
  judgeApiEndpoint,
  NETWORK_CODES,
  unauthorizedAbout,
} from '../judge/api-endpoint.js';
import { describeFailingChecks, parseVerboseHealth } from '../judge/readyz.js';
import type { HealthPath } from '../observe/api.js';

type Verdict =
  | { kind: 'pass'; checks: number }
  | { kind: 'fail'; failing: string[] }
  | { kind: 'absent' }
  | { kind: 'problem'; outcome: Exclude<KubeOutcome, { kind: 'ok' }> };

/** The early probe and the check share one request per endpoint and path (the facts ask it once). */
async function askHealth(ctx: CheckContext, e: Endpoint, path: HealthPath): Promise<Verdict> {
  const outcome = await ctx.facts.api.health(e, path);
  if (outcome.kind === 'ok') return { kind: 'pass', checks: parseVerboseHealth(outcome.body).checks.length };
  if (outcome.kind === 'http' && outcome.status === 404) return { kind: 'absent' };
  if (outcome.kind === 'http' && outcome.status !== undefined && outcome.status >= 500 && outcome.body) {
    const failing = parseVerboseHealth(outcome.body).failing;
    if (failing.length > 0) return { kind: 'fail', failing };
  }
  return { kind: 'problem', outcome };
}

function problemFinding(ctx: CheckContext, e: Endpoint, path: HealthPath, outcome: Exclude<KubeOutcome, { kind: 'ok' }>, reachRejected: boolean): Finding {
  const data = { ...endpointData(ctx, e), stage: path, httpStatus: outcome.status };
  if (outcome.kind === 'unauthorized' && reachRejected) {
    // The same credentials were already refused on /version: one 401, reported once.
    return {
      status: 'skip',
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      message: `health unknown: the credentials are rejected (HTTP 401, see apiserver-reachable)`,
      data,
    };
  }
  if (outcome.kind === 'unauthorized') {
    return raise({
      subject: apiSubject(e),
      about: unauthorizedAbout(ctx, e),
      code: 'apiserver-unauthorized',
      message: `GET /${path} is rejected with HTTP 401: the API server does not accept these credentials, so its health is unknown`,
      data,
    });
  }
  if (outcome.kind === 'forbidden') {
    return raise({
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      code: 'apiserver-forbidden',
      message: `may not read /${path} (HTTP 403), so its health is unknown: grant get on the non-resource URLs /livez and /readyz (the default system:public-info-viewer role does)`,
      data,
    });
  }
  if (outcome.kind === 'http' || outcome.kind === 'bad-response') {
    return raise({ subject: apiSubject(e), about: endpointAbout(ctx, e), code: 'apiserver-bad-response', message: `GET /${path}: ${outcome.message}`, data });
  }
  const code = NETWORK_CODES[outcome.kind] ?? 'apiserver-unreachable';
  return raise({
    subject: apiSubject(e),
    // /version answered, so TCP (and TLS) worked: a stall here is the server's, not a firewall's.
    about: { ...endpointAbout(ctx, e), evidence: failureEvidence(outcome, path) },
    code,
    message: `GET /${path}: ${outcome.message} (although /version answered: the API server is overloaded or stuck)`,
    data,
    timedOut: outcome.kind === 'timeout' ? [`GET ${e.host}:${e.port}/${path}`] : undefined,
  });
}

async function judgeEndpoint(ctx: CheckContext, e: Endpoint): Promise<Finding> {
  const reach = judgeApiEndpoint(ctx, e, await ctx.facts.api.endpoint(e));
  if (reach.status === 'crit' && reach.code !== 'apiserver-unauthorized') {
    return {
      status: 'skip',
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      message: `not asked for /livez and /readyz: unreachable (${reach.code}, see apiserver-reachable)`,
      data: endpointData(ctx, e),
    };
  }
  const [livez, readyz] = await Promise.all([askHealth(ctx, e, 'livez'), askHealth(ctx, e, 'readyz')]);
  const data = {
    ...endpointData(ctx, e),
    livezFailing: livez.kind === 'fail' ? livez.failing : [],
    readyzFailing: readyz.kind === 'fail' ? readyz.failing : [],
  };
  if (readyz.kind === 'fail') {
    const livezToo = livez.kind === 'fail' ? `; /livez fails too (${livez.failing.join(', ')}): the kubelet will restart it` : '';
    return raise({
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      code: 'apiserver-not-ready',
      message: `not ready, as the API server sees it: ${describeFailingChecks(readyz.failing)}${livezToo}`,
      data,
    });
  }
  if (livez.kind === 'fail') {
    return raise({
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      code: 'apiserver-not-live',
      message: `not live, as the API server sees it: ${describeFailingChecks(livez.failing)}; the kubelet will restart it`,
      data,
    });
  }
  const rejected = reach.code === 'apiserver-unauthorized';
  if (readyz.kind === 'problem') return problemFinding(ctx, e, 'readyz', readyz.outcome, rejected);
  if (livez.kind === 'problem') return problemFinding(ctx, e, 'livez', livez.outcome, rejected);
  if (readyz.kind === 'absent' && livez.kind === 'absent') {
    return {
      status: 'skip',
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      message: 'no /livez or /readyz (Kubernetes older than 1.16): health not checked',
      data,
    };
  }
  const count = readyz.kind === 'pass' ? readyz.checks : 0;
  return {
    status: 'ok',
    subject: apiSubject(e),
    about: endpointAbout(ctx, e),
    message: `live and ready${count > 0 ? ` (${count} readyz checks pass)` : ''}`,
    data,
  };
}

export const apiserverHealth: Check = {
  // /livez and /readyz as soon as the endpoint answers /version: an API server waiting on a
  // lost etcd takes its time over /readyz, and that wait then runs alongside discovery's.
  prewarm(ctx) {
    for (const e of apiEndpoints(ctx)) {
      void ctx.facts.api
        .speaksHttp(e)
        .then((speaks) => {
          if (speaks) for (const path of ['livez', 'readyz'] as const) void ctx.facts.api.health(e, path).catch(() => undefined);
        })
        .catch(() => undefined);
    }
  },
  id: 'apiserver-health',
  component: 'apiserver',
  title: 'Each API server is live and ready: /livez and /readyz with the failing checks named',
  needs: [],
  codes: [
    'apiserver-not-ready',
    'apiserver-not-live',
    'apiserver-unauthorized',
    'apiserver-forbidden',
    'apiserver-bad-response',
    'apiserver-timeout',
    'apiserver-refused',
  ],
  async run(ctx) {
    const endpoints = apiEndpoints(ctx);
    if (endpoints.length === 0) return [{ status: 'skip', subject: 'apiserver', message: 'no API server known: no kubeconfig and no --apiserver given' }];
    if (!ctx.facts.api.configured) return [{ status: 'skip', subject: 'apiserver', message: 'no kubeconfig: /livez and /readyz need credentials' }];
    return Promise.all(endpoints.map((e) => judgeEndpoint(ctx, e)));
  },
};
