// The API endpoints a run knows and the reachability verdict for each, from what it answered
// (TCP, TLS, /version): refused, timeout, TLS, 401 told apart. Pure: the answers come from the facts.
import { raise } from '../catalogue/raise.js';
import type { Code } from '../catalogue/codes.js';
import type { Endpoint } from '../discovery/targets.js';
import type { About, CheckContext, Evidence, Finding } from '../engine/types.js';
import type { ApiEndpointAnswer } from '../observe/api.js';
import { CREDENTIALS_FAILED } from '../probes/errors.js';
import { parseJsonBody } from '../probes/json-body.js';
import type { Failure } from '../probes/types.js';
import { credentialEvidenceOf, tlsEvidenceOf, verifyEvidenceOf } from './api-evidence.js';
import { nodeNameAt } from './targets.js';
import { hostPort } from '../util/url.js';

/** What judgement needs of the run: what discovery found, the options, the time. */
export type JudgeContext = Pick<CheckContext, 'targets' | 'options' | 'now'>;

export const NETWORK_CODES: Partial<Record<Failure['kind'], Code>> = {
  refused: 'apiserver-refused',
  timeout: 'apiserver-timeout',
  dns: 'apiserver-dns',
  unreachable: 'apiserver-unreachable',
  reset: 'apiserver-refused',
  tls: 'apiserver-tls-error',
};

export function apiEndpoints(ctx: Pick<JudgeContext, 'targets'>): Endpoint[] {
  const seen = new Set<string>();
  const all = [ctx.targets.kubeServer, ...ctx.targets.apiServers].filter((e): e is Endpoint => e !== null);
  return all.filter((e) => (seen.has(e.url) ? false : (seen.add(e.url), true)));
}

export function apiSubject(e: Endpoint): string {
  return `apiserver ${e.url}${e.source === 'kubeconfig' ? ' (kubeconfig)' : ''}`;
}

/** What a finding about an endpoint is about, typed for triage: the same places `endpointData` names. */
export function endpointAbout(ctx: Pick<JudgeContext, 'targets'>, e: Endpoint): About {
  const node = nodeNameAt(ctx.targets, e.host);
  return { endpoint: e.url, host: e.host, port: e.port, ...(e.source === 'kubeconfig' ? { kubeconfigServer: true } : {}), ...(node ? { node } : {}) };
}

/** Where an endpoint is, for messages and machines: its host, and its node when the host is one. */
export function endpointData(ctx: JudgeContext, e: Endpoint): Record<string, unknown> {
  const node = nodeNameAt(ctx.targets, e.host);
  return { endpoint: e.url, host: e.host, port: e.port, source: e.source, ...(node ? { node } : {}) };
}

/** An endpoint's `about` with what was seen of the failure, for the catalogue's variants. */
function aboutWith(ctx: Pick<JudgeContext, 'targets'>, e: Endpoint, evidence: Evidence): About {
  return { ...endpointAbout(ctx, e), evidence };
}

/**
 * How far a failed request got: TCP refused or silent at the `tcp` stage; after it, TCP
 * connected and the TLS layer failed in one of its ways (or the handshake never finished).
 */
export function failureEvidence(failure: Failure, stage: string): Evidence {
  if (stage === 'tcp') {
    if (failure.kind === 'refused') return { tcp: 'refused' };
    if (failure.kind === 'timeout') return { tcp: 'timeout' };
    return {};
  }
  const tls = stage === 'tls' || failure.kind === 'tls' ? tlsEvidenceOf(failure) : undefined;
  return { tcp: 'connected', ...(tls !== undefined ? { tls } : {}) };
}

/** A request that never reached the API server: the kubeconfig's credential plugin gave nothing. */
function credentialsFinding(ctx: JudgeContext, e: Endpoint, failure: Failure, stage: string): Finding {
  const credential = credentialEvidenceOf(ctx.targets.kubeconfigCertificates);
  return raise({
    subject: apiSubject(e),
    about: aboutWith(ctx, e, { tcp: 'connected', ...(credential !== undefined ? { credential } : {}) }),
    code: 'apiserver-credentials-unavailable',
    message: failure.message,
    data: { ...endpointData(ctx, e), stage, failure: failure.kind },
  });
}

function networkFinding(ctx: JudgeContext, e: Endpoint, failure: Failure, stage: string): Finding {
  if (failure.detail === CREDENTIALS_FAILED) return credentialsFinding(ctx, e, failure, stage);
  const code = NETWORK_CODES[failure.kind] ?? 'apiserver-unreachable';
  // Accepted, then closed before TLS finished: most often a load balancer with no healthy
  // backend left, so it files with "refused" (the API servers behind it are down).
  const hint =
    failure.kind === 'timeout' && stage === 'tls'
      ? ' (TCP connects, but the TLS handshake never completes: a hung process or a proxy)'
      : failure.kind === 'reset' && stage === 'tls'
        ? ' (TCP connects, then the connection is closed during the TLS handshake: a load balancer with no healthy backend, or a proxy that does not speak TLS)'
        : '';
  return raise({
    subject: apiSubject(e),
    about: aboutWith(ctx, e, failureEvidence(failure, stage)),
    code,
    message: `${failure.message}${hint}`,
    data: { ...endpointData(ctx, e), stage, failure: failure.kind },
    timedOut: failure.kind === 'timeout' ? [`${stage} ${hostPort(e.host, e.port)}`] : undefined,
  });
}

/** A 401's `about`: the credential the request carried decides what most likely went wrong. */
export function unauthorizedAbout(ctx: Pick<JudgeContext, 'targets'>, e: Endpoint): About {
  const credential = credentialEvidenceOf(ctx.targets.kubeconfigCertificates);
  return aboutWith(ctx, e, { tcp: 'connected', ...(credential !== undefined ? { credential } : {}) });
}

const CREDENTIAL_WORDS: Readonly<Record<NonNullable<Evidence['credential']>, string>> = {
  token: 'a bearer token',
  'client-certificate': 'a client certificate',
  exec: "an exec plugin's credential",
  'auth-provider': "an auth provider's token",
  basic: 'a user name and password',
  none: 'no credentials',
};

function credentialWords(ctx: JudgeContext): string {
  const credential = credentialEvidenceOf(ctx.targets.kubeconfigCertificates);
  return credential !== undefined ? `; it sent ${CREDENTIAL_WORDS[credential]}` : '';
}

/** The reachability verdict for one endpoint, from its TCP, TLS and /version answers. */
export function judgeApiEndpoint(ctx: JudgeContext, e: Endpoint, answer: ApiEndpointAnswer): Finding {
  const { tcp, tls } = answer;
  if (tcp.kind !== 'ok') return networkFinding(ctx, e, tcp, 'tcp');
  if (!tls) throw new Error(`no TLS answer for ${e.url} after TCP connected`);
  if (tls.kind !== 'ok') return networkFinding(ctx, e, tls.failure ?? { kind: tls.kind, message: `tls ${hostPort(e.host, e.port)} failed` }, 'tls');
  const base = { ...endpointData(ctx, e), tcpMs: tcp.ms, tlsMs: tls.ms };
  if (tls.verifyError !== null && !ctx.options.insecureSkipTlsVerify) {
    const leaf = tls.chain[0];
    return raise({
      subject: apiSubject(e),
      about: aboutWith(ctx, e, { tcp: 'connected', tls: verifyEvidenceOf(tls.verifyError) }),
      code: 'apiserver-tls-error',
      message: `the served certificate does not verify: ${tls.verifyError}${leaf ? ` (subject ${leaf.subject}, valid until ${leaf.notAfter.toISOString()})` : ''}`,
      data: { ...base, stage: 'tls', verifyError: tls.verifyError, notAfter: leaf?.notAfter.toISOString() },
    });
  }
  const version = answer.version;
  if (version === undefined) {
    return {
      status: 'ok',
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      message: `TCP and TLS answer (${tcp.ms} ms, ${tls.ms} ms); no credentials to ask /version`,
      data: base,
    };
  }
  if (version.kind === 'unauthorized') {
    return raise({
      subject: apiSubject(e),
      about: unauthorizedAbout(ctx, e),
      code: 'apiserver-unauthorized',
      message: `the API server rejects the kubeconfig credentials (HTTP 401 Unauthorized)${credentialWords(ctx)}`,
      data: { ...base, stage: 'auth', httpStatus: 401 },
    });
  }
  if (version.kind === 'forbidden') {
    return raise({
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      code: 'apiserver-forbidden',
      message: 'authenticated, but not allowed to GET /version (HTTP 403): grant the non-resource URL /version',
      data: { ...base, stage: 'auth', httpStatus: 403 },
    });
  }
  if (version.kind !== 'ok') {
    if (version.kind === 'http' || version.kind === 'bad-response') {
      return raise({
        subject: apiSubject(e),
        about: endpointAbout(ctx, e),
        code: 'apiserver-bad-response',
        message: version.message,
        data: { ...base, stage: 'http', httpStatus: version.status },
      });
    }
    return networkFinding(ctx, e, version, 'http');
  }
  const parsed = parseJsonBody<{ gitVersion?: string }>(version, `GET ${hostPort(e.host, e.port)}/version`);
  if (!parsed.ok || typeof parsed.value.gitVersion !== 'string') {
    return raise({
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      code: 'apiserver-bad-response',
      message: parsed.ok ? '/version answered without a gitVersion: not a Kubernetes API server?' : parsed.message,
      data: { ...base, stage: 'http' },
    });
  }
  const note = tls.verifyError !== null ? ` (TLS not verified: ${tls.verifyError}; --insecure-skip-tls-verify)` : '';
  return {
    status: 'ok',
    subject: apiSubject(e),
    about: endpointAbout(ctx, e),
    message: `reachable, Kubernetes ${parsed.value.gitVersion}${note}`,
    data: { ...base, versionMs: version.ms, gitVersion: parsed.value.gitVersion },
  };
}
