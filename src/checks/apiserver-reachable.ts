// Can we reach each API server at all? TCP, then TLS, then an authenticated GET /version,
// each failure told apart: refused, timeout, TLS, 401. The kubeconfig server (often a load
// balancer) and every individual API server are probed on their own.
import type { Check, Finding } from '../engine/types.js';
import { apiEndpoints, judgeApiEndpoint } from '../judge/api-endpoint.js';

/**
 * One API server down while another endpoint (the load balancer, another master) answers is a
 * different problem from "kubectl fails": requests through the balancer fail only now and then.
 */
function withPeers(findings: Finding[]): Finding[] {
  const answering = findings.some((f) => f.status === 'ok');
  return findings.map((f) =>
    f.status === 'crit' || f.status === 'warn'
      ? { ...f, about: { ...f.about, evidence: { ...f.about?.evidence, peers: answering ? 'answering' : 'none' } } }
      : f,
  );
}

export const apiserverReachable: Check = {
  // The TCP connect, handshake and /version of each API endpoint known so far, started early.
  prewarm(ctx) {
    for (const e of apiEndpoints(ctx)) void ctx.facts.api.speaksHttp(e).catch(() => undefined);
  },
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
    return withPeers(await Promise.all(endpoints.map(async (e) => judgeApiEndpoint(ctx, e, await ctx.facts.api.endpoint(e)))));
  },
};
