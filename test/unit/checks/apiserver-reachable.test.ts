// apiserver-reachable: TCP, TLS and /version of each API endpoint, told apart, from fake answers.
import { describe, expect, it } from 'vitest';
import { apiserverReachable } from '../../../src/checks/apiserver-reachable.js';
import type { TlsInspection } from '../../../src/probes/types.js';
import { CP, fakeKube, LB, ok, VERSION } from '../../helpers/fake-api.js';
import { fakeContext } from '../../helpers/fake-context.js';

const TLS_OK = async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 2, chain: [], verifyError: null });

describe('apiserver-reachable', () => {
  it('each endpoint answering /version is ok and names the version', async () => {
    const kube = fakeKube((path) => (path === '/version' ? ok(VERSION) : undefined));
    const findings = await apiserverReachable.run(
      fakeContext({ probes: { kube, tcp: async () => ({ kind: 'ok', ms: 1 }), tls: TLS_OK }, targets: { kubeServer: LB, apiServers: [CP(1)] } }),
    );
    expect(findings.map((f) => [f.subject, f.status])).toEqual([
      [`apiserver ${LB.url} (kubeconfig)`, 'ok'],
      [`apiserver ${CP(1).url}`, 'ok'],
    ]);
    expect(findings[0]!.message).toContain('v1.32.0');
  });

  it('a refused port is apiserver-refused, a silent one apiserver-timeout with the probe named', async () => {
    const kube = fakeKube((path) => (path === '/version' ? ok(VERSION) : undefined));
    const tcp = async (host: string) =>
      host === CP(1).host
        ? { kind: 'refused' as const, message: 'connection refused', ms: 0 }
        : { kind: 'timeout' as const, message: 'no answer within 3000 ms', ms: 3000 };
    const findings = await apiserverReachable.run(fakeContext({ probes: { kube, tcp, tls: TLS_OK }, targets: { apiServers: [CP(1), CP(2)] } }));
    expect(findings.map((f) => [f.status, f.code])).toEqual([
      ['crit', 'apiserver-refused'],
      ['crit', 'apiserver-timeout'],
    ]);
    expect(findings[1]!.timedOut).toEqual([`tcp ${CP(2).host}:6443`]);
  });

  it('TCP connects but TLS never completes: a timeout that says the handshake hung', async () => {
    const tls = async (): Promise<TlsInspection> => ({
      kind: 'timeout',
      ms: 3000,
      chain: [],
      verifyError: null,
      failure: { kind: 'timeout', message: 'TLS handshake timed out' },
    });
    const [f] = await apiserverReachable.run(fakeContext({ probes: { tcp: async () => ({ kind: 'ok', ms: 1 }), tls }, targets: { apiServers: [CP(1)] } }));
    expect(f).toMatchObject({ status: 'crit', code: 'apiserver-timeout' });
    expect(f!.message).toContain('TLS handshake never completes');
  });

  it('401 is apiserver-unauthorized, 403 apiserver-forbidden (a warning: it answered)', async () => {
    const kube = fakeKube((path, server) =>
      path === '/version'
        ? server === CP(1).url
          ? { kind: 'unauthorized', status: 401, message: 'HTTP 401', ms: 1 }
          : { kind: 'forbidden', status: 403, message: 'HTTP 403', ms: 1 }
        : undefined,
    );
    const findings = await apiserverReachable.run(
      fakeContext({ probes: { kube, tcp: async () => ({ kind: 'ok', ms: 1 }), tls: TLS_OK }, targets: { apiServers: [CP(1), CP(2)] } }),
    );
    expect(findings.map((f) => [f.status, f.code])).toEqual([
      ['crit', 'apiserver-unauthorized'],
      ['warn', 'apiserver-forbidden'],
    ]);
  });

  it('no kubeconfig and no --apiserver: one skip that says so', async () => {
    const [f] = await apiserverReachable.run(fakeContext());
    expect(f).toMatchObject({ status: 'skip', subject: 'apiserver' });
  });
});
