// The simulator's fault modes, seen from the wire exactly as a client meets them.
import { connect as tcpConnect } from 'node:net';
import { request } from 'node:https';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { DELIBERATE_WRITE_USER_AGENT } from '../../src/sim/request-log.js';
import type { ScenarioSpec } from '../../src/sim/scenarios/spec.js';
import { servedCertificate } from '../../src/sim/served-certs.js';
import { BLOCKS } from '../helpers/blocks.js';

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

interface Credentials {
  cert?: string;
  key?: string;
  token?: string;
}

let cluster: SimCluster;
let admin: Credentials;

function get(url: string, creds: Credentials = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      ca: cluster.pki.authorities.ca.certPem,
      ...(creds.cert ? { cert: creds.cert, key: creds.key } : {}),
      // The suite fails on any write that does not say it is deliberate (global-setup.ts).
      headers: {
        ...(method !== 'GET' ? { 'user-agent': DELIBERATE_WRITE_USER_AGENT } : {}),
        ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}),
      },
      agent: false,
      timeout: 10_000,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function tcpOutcome(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** The certificate a server presents, read without trusting it, plus what verification says. */
function servedBy(host: string, port: number): Promise<{ cert: PeerCertificate; verifyError: string | undefined }> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({
      host,
      port,
      servername: undefined,
      rejectUnauthorized: false,
      ca: cluster.pki.authorities.ca.certPem,
      checkServerIdentity: () => undefined,
    });
    s.once('secureConnect', () => {
      const cert = s.getPeerCertificate();
      const verifyError = s.authorizationError ? String((s.authorizationError as unknown as { code?: string }).code ?? s.authorizationError) : undefined;
      s.destroy();
      resolve({ cert, verifyError });
    });
    s.once('error', reject);
  });
}

const spec: ScenarioSpec = {
  name: 'faults',
  description: 'one API server per certificate fault',
  controlPlanes: 3,
  workers: 2,
  apiServer: { 'cp-2': { servedCert: 'expired', forbidden: ['leases'], unauthorized: ['/metrics'] }, 'cp-3': { servedCert: 'wrong-san' } },
};

beforeAll(async () => {
  cluster = await startCluster(spec, { block: BLOCKS.simFaults, etcd: false });
  const kubeletClient = cluster.pki.certs['apiserver-kubelet-client']!;
  admin = { cert: kubeletClient.certPem, key: kubeletClient.keyPem };
});
afterAll(async () => {
  await cluster?.stop();
});

describe('network faults', () => {
  it('down: the API server port refuses connections, and comes back when set up', async () => {
    const cp1 = cluster.apiServers[0]!;
    await cp1.setMode('down');
    expect(await tcpOutcome(cp1.host, cp1.port)).toBe('ECONNREFUSED');
    await cp1.setMode('up');
    expect((await get(`${cp1.url}/version`)).status).toBe(200);
  });

  it('hang: TCP connects but no TLS answer comes within 1 s', async () => {
    const cp1 = cluster.apiServers[0]!;
    await cp1.setMode('hang');
    try {
      expect(await tcpOutcome(cp1.host, cp1.port)).toBe('connected');
      const answered = await new Promise<boolean>((resolve) => {
        const s = tlsConnect({ host: cp1.host, port: cp1.port, rejectUnauthorized: false });
        const timer = setTimeout(() => {
          s.destroy();
          resolve(false);
        }, 1_000);
        s.once('secureConnect', () => {
          clearTimeout(timer);
          s.destroy();
          resolve(true);
        });
        s.once('error', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      expect(answered).toBe(false);
    } finally {
      await cp1.setMode('up');
    }
  });

  it('slow: every answer waits the configured delay', async () => {
    const cp1 = cluster.apiServers[0]!;
    cp1.faults.slowMs = 400;
    try {
      const t = performance.now();
      expect((await get(`${cp1.url}/version`)).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(390);
    } finally {
      cp1.faults.slowMs = 0;
    }
  });

  it('the load balancer skips an API server that refuses and spreads over the rest', async () => {
    const lb = cluster.loadBalancer!;
    const cp2 = cluster.apiServers[1]!;
    await cp2.setMode('down');
    try {
      lb.picks.clear();
      for (let i = 0; i < 6; i++) {
        // cp-3 serves a wrong-SAN certificate: read through the LB without checking the name.
        const { cert } = await servedBy(lb.host, lb.port);
        expect(cert.subject.CN).toBe('kube-apiserver');
      }
      expect(lb.picks.get(`${cp2.host}:${cp2.port}`)).toBeUndefined();
      expect(lb.picks.get(`${cluster.apiServers[0]!.host}:6443`)).toBe(3);
      expect(lb.picks.get(`${cluster.apiServers[2]!.host}:6443`)).toBe(3);
    } finally {
      await cp2.setMode('up');
    }
  });
});

describe('certificate faults', () => {
  it('serves an expired certificate that clients reject as expired', async () => {
    const cp2 = cluster.apiServers[1]!;
    const { cert, verifyError } = await servedBy(cp2.host, cp2.port);
    expect(new Date(cert.valid_to).getTime()).toBeLessThan(Date.now());
    expect(verifyError).toBe('CERT_HAS_EXPIRED');
    await expect(get(`${cp2.url}/version`)).rejects.toThrow(/certificate has expired/);
  });

  it('serves a certificate for other names: the chain verifies, the host name does not', async () => {
    const cp3 = cluster.apiServers[2]!;
    const { verifyError, cert } = await servedBy(cp3.host, cp3.port);
    expect(verifyError).toBeUndefined();
    expect(cert.subjectaltname).toBe('DNS:wrong-host.invalid, IP Address:10.255.255.1');
    await expect(get(`${cp3.url}/version`)).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('serves a not-yet-valid or unknown-CA certificate once switched at run time', async () => {
    const cp1 = cluster.apiServers[0]!;
    const names = { dnsNames: ['cp-1'], ipAddresses: [cp1.host] };
    try {
      await cp1.setServingCertificate(await servedCertificate('not-yet-valid', cluster.pki, names));
      const early = await servedBy(cp1.host, cp1.port);
      expect(early.verifyError).toBe('CERT_NOT_YET_VALID');
      expect(Date.parse(early.cert.valid_from)).toBeGreaterThan(Date.now());
      await cp1.setServingCertificate(await servedCertificate('unknown-ca', cluster.pki, names));
      expect((await servedBy(cp1.host, cp1.port)).verifyError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await cp1.setServingCertificate(await servedCertificate('valid', cluster.pki, names));
    }
    expect((await get(`${cp1.url}/version`)).status).toBe(200);
  });
});

describe('authentication and authorization', () => {
  it('anonymous requests get a 401 Status for resources but may read health and version', async () => {
    const url = cluster.apiServers[0]!.url;
    const nodes = await get(`${url}/api/v1/nodes`);
    expect(nodes.status).toBe(401);
    expect(JSON.parse(nodes.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await get(`${url}/readyz`)).body).toBe('ok');
  });

  it('an unknown bearer token gets 401', async () => {
    expect((await get(`${cluster.apiServers[0]!.url}/api/v1/nodes`, { token: 'not-a-token' })).status).toBe(401);
  });

  it('a token allowed nodes but not leases gets 403 on leases only, with the RBAC wording', async () => {
    const token = cluster.tokens.table.add({ user: 'node-reader', rules: [{ verbs: ['list', 'get'], resources: ['nodes'] }] });
    const url = cluster.apiServers[0]!.url;
    expect((await get(`${url}/api/v1/nodes`, { token })).status).toBe(200);
    const leases = await get(`${url}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases`, { token });
    expect(leases.status).toBe(403);
    expect(JSON.parse(leases.body)).toMatchObject({
      reason: 'Forbidden',
      code: 403,
      message:
        'leases.coordination.k8s.io is forbidden: User "node-reader" cannot list resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease"',
      details: { group: 'coordination.k8s.io', kind: 'leases' },
    });
    const metrics = await get(`${url}/metrics`, { token });
    expect(metrics.status).toBe(403);
    expect(JSON.parse(metrics.body).message).toBe('forbidden: User "node-reader" cannot get path "/metrics"');
  });

  it('chosen resources answer 401 or 403 even to the admin, from the scenario spec', async () => {
    const cp2 = cluster.apiServers[1]!;
    // cp-2 serves an expired certificate: these requests skip verification, the answer is what matters here.
    const insecure = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${cp2.url}${path}`, { cert: admin.cert, key: admin.key, rejectUnauthorized: false, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await insecure('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases')).toBe(403);
    expect(await insecure('/metrics')).toBe(401);
    expect(await insecure('/api/v1/nodes')).toBe(200);
  });

  it('writes get 405 and the request log keeps method, path, identity and status of every request', async () => {
    cluster.requestLog.clear();
    const url = cluster.apiServers[0]!.url;
    const token = cluster.tokens.table.add({ user: 'ci-bot', rules: [{ verbs: ['*'], resources: ['*'] }] });
    const del = await get(`${url}/api/v1/nodes/worker-1`, admin, 'DELETE');
    expect(del.status).toBe(405);
    await get(`${url}/api/v1/nodes?limit=1`, { token });
    await get(`${url}/version`);
    const log = cluster.requestLog.entries().map((e) => ({ method: e.method, path: e.path, identity: e.identity, status: e.status, server: e.server }));
    expect(log).toEqual([
      {
        method: 'DELETE',
        path: '/api/v1/nodes/worker-1',
        identity: 'kube-apiserver-kubelet-client',
        status: 405,
        server: `${cluster.apiServers[0]!.host}:6443`,
      },
      { method: 'GET', path: '/api/v1/nodes?limit=1', identity: 'ci-bot', status: 200, server: `${cluster.apiServers[0]!.host}:6443` },
      { method: 'GET', path: '/version', identity: 'system:anonymous', status: 200, server: `${cluster.apiServers[0]!.host}:6443` },
    ]);
    expect(cluster.requestLog.writes().map((e) => e.method)).toEqual(['DELETE']);
  });
});

describe('health, metrics and lists', () => {
  it('readyz fails with the exact verbose body and 500 when a check is forced to fail', async () => {
    const cp1 = cluster.apiServers[0]!;
    cp1.faults.readyzFailing = ['etcd'];
    try {
      const r = await get(`${cp1.url}/readyz`, admin);
      expect(r.status).toBe(500);
      expect(r.contentType).toBe('text/plain; charset=utf-8');
      expect(r.body.startsWith('[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]etcd-readiness ok\n')).toBe(true);
      expect(r.body.endsWith('[+]shutdown ok\nreadyz check failed\n')).toBe(true);
      const single = await get(`${cp1.url}/readyz/etcd`, admin);
      expect(single).toMatchObject({ status: 500, body: 'internal server error: context deadline exceeded\n' });
      const excluded = await get(`${cp1.url}/readyz?verbose&exclude=etcd`, admin);
      expect(excluded.status).toBe(200);
      expect(excluded.body).toContain('[+]etcd excluded: ok\n');
    } finally {
      cp1.faults.readyzFailing = [];
    }
    expect(await get(`${cp1.url}/livez/etcd`, admin)).toMatchObject({ status: 200, body: 'ok' });
  });

  it('metrics carry request duration histograms whose slow tail is the configured latency', async () => {
    const cp1 = cluster.apiServers[0]!;
    cp1.faults.p99LatencySeconds = 2.5;
    const body = (await get(`${cp1.url}/metrics`, admin)).body;
    cp1.faults.p99LatencySeconds = 0.04;
    const labels = 'component="apiserver",dry_run="",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"';
    const bucket = (le: string) => {
      const line = body.split('\n').find((l) => l.startsWith(`apiserver_request_duration_seconds_bucket{${labels},le="${le}"} `));
      return Number(line?.split(' ').at(-1));
    };
    expect(bucket('2')).toBe(3800);
    expect(bucket('3')).toBe(4000);
    expect(bucket('+Inf')).toBe(4000);
  });

  it('lists nodes page by page with limit/continue, a resourceVersion and the remaining count', async () => {
    const url = cluster.apiServers[0]!.url;
    const first = JSON.parse((await get(`${url}/api/v1/nodes?limit=2`, admin)).body);
    expect(first.kind).toBe('NodeList');
    expect(first.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['cp-1', 'cp-2']);
    expect(first.metadata.remainingItemCount).toBe(3);
    expect(first.metadata.resourceVersion).toMatch(/^\d+$/);
    const second = JSON.parse((await get(`${url}/api/v1/nodes?limit=2&continue=${encodeURIComponent(first.metadata.continue)}`, admin)).body);
    expect(second.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['cp-3', 'worker-1']);
    const last = JSON.parse((await get(`${url}/api/v1/nodes?limit=2&continue=${encodeURIComponent(second.metadata.continue)}`, admin)).body);
    expect(last.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['worker-2']);
    expect(last.metadata.continue).toBeUndefined();
  });
});

describe('kubelets', () => {
  it('answer 401 to anonymous requests and ok to the API server through the nodes proxy', async () => {
    const kubelet = cluster.kubelets.find((k) => k.nodeName === 'worker-1')!;
    const anonymous = await new Promise<number>((resolve, reject) => {
      const req = request(`${kubelet.url}/healthz`, { rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(anonymous).toBe(401);
    const proxied = await get(`${cluster.apiServers[0]!.url}/api/v1/nodes/worker-1/proxy/healthz`, admin);
    expect(proxied).toMatchObject({ status: 200, body: 'ok' });
  });

  it('a stopped kubelet refuses, and the nodes proxy says why with 503', async () => {
    await cluster.setKubelet('worker-2', 'down');
    const kubelet = cluster.kubelets.find((k) => k.nodeName === 'worker-2')!;
    expect(await tcpOutcome(kubelet.host, kubelet.port)).toBe('ECONNREFUSED');
    const proxied = await get(`${cluster.apiServers[0]!.url}/api/v1/nodes/worker-2/proxy/healthz`, admin);
    expect(proxied.status).toBe(503);
    expect(JSON.parse(proxied.body)).toMatchObject({
      reason: 'ServiceUnavailable',
      message: `error trying to reach service: dial tcp ${kubelet.host}:10250: connect: connection refused`,
    });
    await cluster.setKubelet('worker-2', 'up');
  });
});
