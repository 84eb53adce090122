// A kubelet stopped on one worker (the kubelet is the cause, not the node condition), and the
// discovery cache: written by a run that lists the nodes, holding no secret, and used when
// the API server is down so that every master, kubelet and etcd member is still probed.
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { clusterPerTest } from '../helpers/cluster-per-test.js';
import { emptyHome, parseJsonReport, runCli } from '../helpers/cli.js';
import { diagnose } from './triage-run.js';

const TIMEOUT_MS = 2000;

const start = clusterPerTest({ block: BLOCKS.triageNodesAndCache, etcd: true });

/** Every credential a kubeconfig holds, as written and decoded. */
function secretsOf(kubeconfigPath: string): string[] {
  const doc = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as { users: { user: Record<string, string> }[]; clusters: { cluster: Record<string, string> }[] };
  const values = [...doc.users.flatMap((u) => Object.values(u.user)), ...doc.clusters.map((c) => c.cluster['certificate-authority-data']!)];
  const decoded = values.map((v) => Buffer.from(v, 'base64').toString('utf8'));
  // The base64 text of a PEM's body is what a leak would most likely contain.
  const bodies = decoded.flatMap((pem) => pem.split('\n').filter((l) => l.length > 40));
  return [...values, ...bodies];
}

describe.skipIf(!etcdAvailable())('triage on nodes, and discovery from the cache', () => {
  it('kubelet stopped on one worker: the kubelet on that node is the cause, its NotReady and closed port are explained', async () => {
    const c = await start({ ...buildScenario('healthy'), name: 'kubelet-stopped', nodes: { 'worker-1': { kubelet: 'down', stoppedPostingMinutesAgo: 4 } } });
    const worker = c.hosts.find((h) => h.name === 'worker-1')!;
    const { table, report, cause } = await diagnose('kubelet stopped on worker-1', c.checkArgs, TIMEOUT_MS);
    expect(table.code).toBe(1);
    expect(cause[0]).toBe(
      '  kubelet-unreachable  kubelet worker-1: port 10250 refuses connections: the kubelet is not running; this is why node worker-1 is NotReady',
    );
    expect(cause).toContain('  First step: systemctl status kubelet   # on the node');
    expect(report.rootCauses[0]).toEqual({
      code: 'kubelet-unreachable',
      subject: 'kubelet worker-1',
      explains: ['node-not-ready', 'node-unreachable', 'coredns-unavailable', 'port-refused'],
      explainsFindings: [
        { code: 'node-not-ready', subject: 'node worker-1' },
        { code: 'node-unreachable', subject: 'node worker-1' },
        { code: 'coredns-unavailable', subject: 'coredns kube-system/coredns on node worker-1' },
        { code: 'port-refused', subject: `port ${worker.address}:10250 (worker-1)` },
      ],
    });
    // The CoreDNS replica that ran on that node is the node's echo, not a cause of its own.
    expect(report.rootCauses.map((c) => c.code)).toEqual(['kubelet-unreachable']);
  });

  it('the cache: written 0600 without secrets while the API answers, then used when it is down, with its age', async () => {
    const c = await start('healthy');
    const xdg = mkdtempSync(join(tmpdir(), 'k8sdoc-xdg-'));
    const env = { HOME: emptyHome(), XDG_CACHE_HOME: xdg };
    const token = await c.tokens.kubeconfig({ user: 'ops', rules: [{ verbs: ['get', 'list'], resources: ['*'] }] });

    // Two runs while the API answers: one with a client certificate, one with a bearer token.
    for (const kubeconfig of [c.kubeconfigPath, token.path]) {
      const run = await runCli(['check', '--kubeconfig', kubeconfig, '--only', 'apiserver-reachable', '-o', 'json'], { env });
      expect(parseJsonReport(run).discoveryCache, run.stderr).toBeUndefined();
    }
    const dir = join(xdg, 'k8sdoc');
    expect(readdirSync(dir).sort()).toEqual(['kubernetes-admin@kubernetes.json', 'ops@kubernetes.json']);
    const adminCache = join(dir, 'kubernetes-admin@kubernetes.json');
    for (const file of readdirSync(dir)) {
      const path = join(dir, file);
      expect(statSync(path).mode & 0o777, file).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      for (const secret of [...secretsOf(c.kubeconfigPath), ...secretsOf(token.path), token.token])
        expect(text.includes(secret), `${file} holds a credential`).toBe(false);
      expect(text).not.toMatch(/BEGIN|PRIVATE|token|password/i);
    }
    const cached = JSON.parse(readFileSync(adminCache, 'utf8'));
    expect(cached.nodes.map((n: { name: string }) => n.name)).toEqual(c.hosts.map((h) => h.name));
    expect(cached.etcd).toHaveLength(c.etcd!.members.length);

    await Promise.all(c.apiServers.map((a) => a.setMode('down')));
    const { table, report, cause } = await diagnose('API down, targets from the cache', ['--kubeconfig', c.kubeconfigPath], TIMEOUT_MS, { env });
    expect(table.code).toBe(1);
    expect(report.discoveryCache).toMatchObject({
      path: adminCache,
      writtenAt: cached.writtenAt,
      hosts: c.hosts.map((h) => h.address),
      apiServers: c.apiServers.map((a) => a.url),
      etcd: c.etcd!.endpoints,
    });
    expect(report.discoveryCache!.ageSeconds).toBeLessThan(60);
    // The note is wrapped to the terminal's width: read it as one line.
    expect(table.stdout.split('\n').join(' ')).toMatch(
      new RegExp(
        `The API server did not list the nodes: ${c.hosts.length} hosts, ${c.apiServers.length} API servers, ${c.etcd!.members.length} etcd endpoints from the discovery cache ${adminCache.replace(/[.@]/g, '\\$&')}, written \\d+s ago\\.`,
      ),
    );
    expect(cause[0]).toMatch(/^ {2}apiserver-refused {2}apiserver https:\/\/\S+:6443: tcp .*connection refused$/);

    // What the cache made possible: each master probed on its own, every kubelet and port asked.
    for (const a of c.apiServers)
      expect(report.results.find((r) => r.check === 'apiserver-reachable' && r.data?.['endpoint'] === a.url)).toMatchObject({ code: 'apiserver-refused' });
    expect(report.results.filter((r) => r.check === 'kubelet' && r.status === 'ok').map((r) => r.data?.['node'])).toEqual(c.hosts.map((h) => h.name));
    const withoutCache = parseJsonReport(
      await runCli(['check', '--kubeconfig', c.kubeconfigPath, '-o', 'json', '--timeout', `${TIMEOUT_MS}ms`], { env: { HOME: emptyHome() } }),
    );
    expect(withoutCache.discoveryCache).toBeUndefined();
    expect(withoutCache.results.find((r) => r.check === 'kubelet')).toMatchObject({ status: 'skip', message: expect.stringMatching(/^no hosts known/) });
  });

  it("the cache's hosts are probed while discovery still waits on a hung API server: a hung kubelet costs one --timeout, not two", async () => {
    const c = await start({ ...buildScenario('healthy'), name: 'early-probes', nodes: { 'worker-1': { kubelet: 'hang' } } });
    const env = { HOME: emptyHome(), XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'k8sdoc-xdg-')) };
    const args = ['check', '--kubeconfig', c.kubeconfigPath, '--only', 'kubelet', '--timeout', `${TIMEOUT_MS}ms`, '-o', 'json'];
    expect(parseJsonReport(await runCli(args, { env })).discoveryCache).toBeUndefined(); // lists the nodes, writes the cache

    // Every API server accepts and never answers: discovery costs a whole --timeout.
    await Promise.all(c.apiServers.map((a) => a.setMode('hang')));
    const run = await runCli([...args, '--debug'], { env });
    const report = parseJsonReport(run);
    expect(report.discoveryCache).toBeDefined();
    const worker = c.hosts.find((h) => h.name === 'worker-1')!;
    expect(report.results.find((r) => r.check === 'kubelet' && r.data?.['node'] === 'worker-1')).toMatchObject({
      code: 'kubelet-unreachable',
      timedOut: [`tls ${worker.address}:10250`],
    });
    expect(report.results.filter((r) => r.check === 'kubelet' && r.status === 'ok')).toHaveLength(c.hosts.length - 1);
    // The hung kubelet's handshake was asked for before discovery gave up on the API server...
    const asked = new RegExp(`^debug: probe \\+(\\d+) ms tls ${worker.address.replace(/\./g, '\\.')}:10250: timeout`, 'm').exec(run.stderr);
    expect(asked, run.stderr).not.toBeNull();
    expect(Number(asked![1])).toBeLessThan(TIMEOUT_MS);
    // ...so its --timeout ran alongside discovery's: one timeout in all, where it used to be two.
    expect(report.durationMs).toBeLessThan(2 * TIMEOUT_MS);
  });
});
