// The etcd harness tells the truth: for a healthy, a zombie (one member gone, still listed)
// and a quorum-lost cluster, the real etcdctl sees what the harness claims, and stop()
// leaves no process, port or data directory behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { startEtcdFixture, type EtcdFixture } from '../helpers/etcd-fixture.js';

const etcdctlAvailable = spawnSync('etcdctl', ['version'], { stdio: 'ignore' }).status === 0;

interface CtlResult {
  code: number | null;
  json: unknown;
  stderr: string;
}

/** etcdctl prints 64-bit ids as bare JSON numbers; quote them before JSON.parse rounds them. */
function parseEtcdctlJson(text: string): unknown {
  return JSON.parse(text.replace(/([:[,]\s*)(\d{15,})/g, '$1"$2"'));
}

function hex(decimal: string): string {
  return BigInt(decimal).toString(16);
}

function etcdctl(fx: EtcdFixture, ...args: string[]): CtlResult {
  const tls = fx.cluster.clientTls;
  const r = spawnSync(
    'etcdctl',
    [
      `--endpoints=${fx.cluster.endpoints.join(',')}`,
      `--cacert=${tls.caFile}`,
      `--cert=${tls.certFile}`,
      `--key=${tls.keyFile}`,
      '--dial-timeout=500ms',
      '--command-timeout=1500ms',
      ...args,
      '-w',
      'json',
    ],
    { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' }, timeout: 20_000 },
  );
  return { code: r.status, json: r.stdout.trim() ? parseEtcdctlJson(r.stdout) : null, stderr: r.stderr };
}

interface CtlStatus {
  Endpoint: string;
  Status: { header: { member_id: string }; leader: string };
}
interface CtlHealth {
  endpoint: string;
  health: boolean;
}
interface CtlMembers {
  members: { ID: string; name: string; peerURLs: string[]; clientURLs?: string[] }[];
}

function healthByEndpoint(r: CtlResult): Record<string, boolean> {
  return Object.fromEntries((r.json as CtlHealth[]).map((h) => [h.endpoint, h.health]));
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

describe.skipIf(!etcdAvailable() || !etcdctlAvailable)('etcd harness agrees with etcdctl', () => {
  let fx: EtcdFixture;
  beforeAll(async () => {
    fx = await startEtcdFixture(BLOCKS.etcdHarness, 3);
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('healthy: every member answers with the id the harness recorded, all agree on one leader, all healthy', () => {
    const status = etcdctl(fx, 'endpoint', 'status');
    expect(status.code).toBe(0);
    const statuses = status.json as CtlStatus[];
    expect(statuses.map((s) => s.Endpoint)).toEqual(fx.cluster.endpoints);
    expect(statuses.map((s) => hex(s.Status.header.member_id))).toEqual(fx.cluster.members.map((m) => m.id));
    expect(new Set(statuses.map((s) => s.Status.leader)).size).toBe(1);

    const health = etcdctl(fx, 'endpoint', 'health');
    expect(health.code).toBe(0);
    expect(Object.values(healthByEndpoint(health))).toEqual([true, true, true]);

    const list = etcdctl(fx, 'member', 'list');
    const members = (list.json as CtlMembers).members;
    expect(members.map((m) => m.name).sort()).toEqual(['m1', 'm2', 'm3']);
    for (const m of fx.cluster.members) {
      const listed = members.find((x) => x.name === m.name)!;
      expect(hex(listed.ID)).toBe(m.id);
      expect(listed.peerURLs).toEqual([m.peerUrl]);
      expect(listed.clientURLs).toEqual([m.clientUrl]);
    }
  });

  it('zombie: a killed member is unhealthy to etcdctl but still in the member list', async () => {
    await fx.cluster.kill('m3');
    expect(fx.cluster.members[2]!.state).toBe('killed');
    expect(fx.cluster.members[2]!.pid).toBeNull();

    const health = etcdctl(fx, 'endpoint', 'health');
    expect(health.code).not.toBe(0);
    expect(healthByEndpoint(health)).toEqual({
      [fx.cluster.members[0]!.clientUrl]: true,
      [fx.cluster.members[1]!.clientUrl]: true,
      [fx.cluster.members[2]!.clientUrl]: false,
    });
    const list = etcdctl(fx, 'member', 'list');
    expect((list.json as CtlMembers).members.map((m) => m.name).sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('quorum lost: the last member still answers status but cannot serve a linearizable read', async () => {
    await fx.cluster.kill('m2');
    const health = etcdctl(fx, 'endpoint', 'health');
    expect(Object.values(healthByEndpoint(health))).toEqual([false, false, false]);
    const status = etcdctl(fx, 'endpoint', 'status');
    const answered = (status.json as CtlStatus[]).map((s) => s.Endpoint);
    expect(answered).toEqual([fx.cluster.members[0]!.clientUrl]);
  });

  it('restart brings a killed member back with its data', async () => {
    await fx.cluster.restart('m2');
    expect(fx.cluster.members[1]!.state).toBe('running');
    const health = etcdctl(fx, 'endpoint', 'health');
    const byEndpoint = healthByEndpoint(health);
    expect(byEndpoint[fx.cluster.members[0]!.clientUrl]).toBe(true);
    expect(byEndpoint[fx.cluster.members[1]!.clientUrl]).toBe(true);
  });

  it('stop() leaves no process, port or data directory behind', async () => {
    const pids = fx.cluster.members.map((m) => m.pid).filter((p): p is number => p !== null);
    expect(pids.length).toBeGreaterThan(0);
    fx.cluster.pause('m1');
    await fx.cluster.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    for (const m of fx.cluster.members) {
      expect(await portIsFree(m.host, 2379)).toBe(true);
      expect(await portIsFree(m.host, 2380)).toBe(true);
    }
    expect(existsSync(join(fx.workDir, 'etcd'))).toBe(false);
  });
});
