// The etcd probe against real members: each endpoint answers for itself, a dead member
// is refused at once, a hung one costs exactly the timeout, and certificate problems come
// back as TLS or authentication failures rather than crashes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { createCa, issue } from '../../src/sim/pki.js';
import { createEtcdProbeFactory, type EtcdClientCredentials } from '../../src/probes/etcd.js';
import type { EtcdProbeFactory } from '../../src/probes/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { startEtcdFixture, type EtcdFixture } from '../helpers/etcd-fixture.js';

const TIMEOUT_MS = 800;
const deadline = { timeoutMs: TIMEOUT_MS };

describe.skipIf(!etcdAvailable())('etcd probe against a real 3-member cluster', () => {
  let fx: EtcdFixture;
  let goodCredentials: EtcdClientCredentials;
  const factories: EtcdProbeFactory[] = [];
  const factory = (c: EtcdClientCredentials) => {
    const f = createEtcdProbeFactory(c);
    factories.push(f);
    return f;
  };

  beforeAll(async () => {
    fx = await startEtcdFixture(BLOCKS.etcdProbe, 3);
    const tls = fx.cluster.clientTls;
    goodCredentials = { ca: readFileSync(tls.caFile), cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
  });
  afterAll(async () => {
    await Promise.all(factories.map((f) => f.close()));
    await fx?.dispose();
  });

  it('asks each member about itself: status, member list, alarms, health and metrics', async () => {
    const probes = factory(goodCredentials);
    const statuses = await Promise.all(fx.cluster.members.map((m) => probes.forEndpoint(m.clientUrl).status(deadline)));
    const leaders = new Set<string>();
    statuses.forEach((s, i) => {
      if (s.kind !== 'ok') throw new Error(s.message);
      expect(s.value.memberId).toBe(fx.cluster.members[i]!.id);
      expect(s.value.endpoint).toBe(fx.cluster.members[i]!.clientUrl);
      expect(s.value.version).toMatch(/^3\.4\./);
      expect(s.value.dbSize).toBeGreaterThan(0);
      expect(s.value.isLearner).toBe(false);
      expect(s.value.clusterId).toMatch(/^[0-9a-f]+$/);
      leaders.add(s.value.leader);
    });
    expect(leaders.size).toBe(1);
    expect(fx.cluster.members.map((m) => m.id)).toContain([...leaders][0]);

    const first = probes.forEndpoint(fx.cluster.endpoints[0]!);
    const list = await first.memberList(deadline);
    if (list.kind !== 'ok') throw new Error(list.message);
    expect(list.value.map((m) => m.name).sort()).toEqual(['m1', 'm2', 'm3']);
    expect(list.value.find((m) => m.name === 'm2')!.peerURLs).toEqual([fx.cluster.members[1]!.peerUrl]);

    const alarms = await first.alarms(deadline);
    expect(alarms).toMatchObject({ kind: 'ok', value: [] });
    const health = await first.health(deadline);
    expect(health).toMatchObject({ kind: 'ok', value: { healthy: true } });
    const metrics = await first.metrics(deadline);
    if (metrics.kind !== 'ok') throw new Error(metrics.message);
    expect(metrics.value).toMatch(/^etcd_server_quota_backend_bytes \d/m);
  });

  it('reports a member that rejects our client certificate as an authentication failure', async () => {
    const strangerCa = await createCa('not-the-etcd-ca');
    const stranger = await issue(strangerCa, { commonName: 'intruder', usage: 'client' });
    const probes = factory({ ca: goodCredentials.ca, cert: stranger.certPem, key: stranger.keyPem });
    const status = await probes.forEndpoint(fx.cluster.endpoints[0]!).status(deadline);
    expect(status.kind).toBe('unauthorized');
    if (status.kind !== 'ok') expect(status.message).toMatch(/rejected our client certificate/);
  });

  it('reports a missing client certificate as an authentication failure', async () => {
    const probes = factory({ ca: goodCredentials.ca });
    const status = await probes.forEndpoint(fx.cluster.endpoints[0]!).status(deadline);
    expect(status.kind).toBe('unauthorized');
  });

  it('keeps TLS verification on: a member whose certificate does not chain to the given CA is a TLS failure', async () => {
    const otherCa = await createCa('some-other-ca');
    const probes = factory({ ca: otherCa.certPem, cert: goodCredentials.cert, key: goodCredentials.key });
    const status = await probes.forEndpoint(fx.cluster.endpoints[0]!).status(deadline);
    expect(status.kind).toBe('tls');
    if (status.kind !== 'ok') expect(status.message).toContain(fx.cluster.endpoints[0]);
  });

  it('a hung member costs the timeout and a dead one almost nothing, asked all at once', async () => {
    fx.cluster.pause('m2');
    await fx.cluster.kill('m3');
    try {
      const probes = factory(goodCredentials);
      const started = performance.now();
      const [alive, hung, dead] = await Promise.all(fx.cluster.endpoints.map((e) => probes.forEndpoint(e).status(deadline)));
      const wall = performance.now() - started;

      expect(alive!.kind).toBe('ok');
      expect(hung!.kind).toBe('timeout');
      if (hung!.kind !== 'ok') expect(hung!.message).toMatch(/did not answer the TLS handshake/);
      expect(hung!.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(dead!.kind).toBe('refused');
      expect(dead!.ms).toBeLessThan(200);
      expect(wall).toBeLessThan(TIMEOUT_MS + 300);

      // m1 answers, but alone it cannot commit a linearizable read: healthy false, not a crash.
      const health = await probes.forEndpoint(fx.cluster.endpoints[0]!).health(deadline);
      expect(health).toMatchObject({ kind: 'ok', value: { healthy: false } });
    } finally {
      fx.cluster.resume('m2');
    }
  });
});
