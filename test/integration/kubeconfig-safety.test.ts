// Credentials only where they belong, and the kubeconfig read as kubectl reads it: a planted
// discovery-cache entry gets no token, a cluster reachable only through a CONNECT proxy is
// diagnosed through it, tls-server-name is what the certificate is checked for, the
// kubeconfig's insecure-skip-tls-verify covers its own server only, and a hanging exec plugin
// is bounded and leaves nothing running.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFileName } from '../../src/discovery/cache.js';
import { createKubeProbe } from '../../src/probes/kube.js';
import { SimApiServer } from '../../src/sim/api-server.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { issue } from '../../src/sim/pki.js';
import type { SimCluster } from '../../src/sim/cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { clusterPerTest } from '../helpers/cluster-per-test.js';
import { emptyHome, parseJsonReport, runCli } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.kubeconfigSafety);
const start = clusterPerTest({ block: BLOCKS.kubeconfigSafety, etcd: false });
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/** One more API server of the same cluster (same objects, same tokens, same request log) at `host`, presenting a certificate for `names` only. */
async function extraApiServer(c: SimCluster, host: string, names: { dnsNames?: string[]; ipAddresses?: string[] }): Promise<SimApiServer> {
  const serving = await issue(c.pki.authorities.ca, {
    commonName: 'kube-apiserver',
    usage: 'server',
    dnsNames: names.dnsNames ?? [],
    ipAddresses: names.ipAddresses ?? [],
  });
  const kubeletClient = await issue(c.pki.authorities.ca, {
    commonName: 'kube-apiserver-kubelet-client',
    organization: ['kubeadm:cluster-admins'],
    usage: 'client',
  });
  const server = new SimApiServer({
    nodeName: 'extra',
    host,
    state: c.state,
    clientCaPem: c.pki.authorities.ca.certPem,
    serving,
    kubeletClient,
    tokens: c.tokens.table,
    requestLog: c.requestLog,
  });
  await server.setMode('up');
  cleanup.push(() => server.stop());
  return server;
}

/** A kubeconfig like `base` with its cluster entry changed. */
function editKubeconfig(base: string, name: string, edit: (cluster: Record<string, unknown>) => void): string {
  const doc = parseYaml(readFileSync(base, 'utf8')) as { clusters: { cluster: Record<string, unknown> }[] };
  edit(doc.clusters[0]!.cluster);
  const path = join(mkdtempSync(join(tmpdir(), 'k8sdoc-kc-safety-')), name);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

/** A CONNECT proxy on loopback that reaches `routes[target]` for each allowed target and refuses the rest. */
async function connectProxy(host: string, routes: Record<string, { host: string; port: number }>): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  const open = new Set<{ destroy(): void }>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client, head) => {
    asked.push(req.url ?? '');
    open.add(client);
    const to = routes[req.url ?? ''];
    if (!to) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = netConnect(to.port, to.host, () => {
      open.add(upstream);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(3128, host, resolve));
  cleanup.push(() => {
    // Tunnels are upgraded sockets the server no longer tracks: end them, then close.
    for (const socket of open) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://${host}:3128`, asked };
}

describe('credentials and kubeconfig semantics', () => {
  it('an API server planted in the discovery cache is asked without credentials; the ones the node list confirms get them', async () => {
    const c = await start('healthy');
    const planted = await extraApiServer(c, plan.spare(0), { ipAddresses: [plan.spare(0)] });
    const { path: kubeconfig } = await c.tokens.kubeconfig({ user: 'ops', rules: [{ verbs: ['get', 'list'], resources: ['*'] }] });
    const xdg = mkdtempSync(join(tmpdir(), 'k8sdoc-xdg-'));
    mkdirSync(join(xdg, 'k8sdoc'), { mode: 0o700 });
    const cacheFile = join(xdg, 'k8sdoc', cacheFileName('ops@kubernetes'));
    const endpoint = (url: string) => {
      const u = new URL(url);
      return { scheme: 'https', host: u.hostname, port: Number(u.port) };
    };
    writeFileSync(
      cacheFile,
      JSON.stringify({
        format: 1,
        context: 'ops@kubernetes',
        server: c.server,
        writtenAt: new Date().toISOString(),
        nodes: c.hosts.map((h) => ({ name: h.name, address: h.address, controlPlane: h.role === 'control-plane' })),
        apiServers: [...c.apiServers.map((a) => endpoint(a.url)), endpoint(planted.url)],
        etcd: [],
      }),
      { mode: 0o600 },
    );
    c.requestLog.clear();

    const run = await runCli(['check', '--kubeconfig', kubeconfig, '--only', 'apiserver', '-o', 'json', '--timeout', '3s'], {
      env: { HOME: emptyHome(), XDG_CACHE_HOME: xdg },
    });
    const report = parseJsonReport(run);
    const toPlanted = c.requestLog.entries((e) => e.server === `${planted.host}:${planted.port}`);
    expect(toPlanted.length, 'the planted host was not asked at all').toBeGreaterThan(0);
    expect(toPlanted.map((e) => e.identity)).toEqual(toPlanted.map(() => 'system:anonymous'));
    // The confirmed masters were asked as the user, and judged healthy.
    const identities = new Set(c.requestLog.entries((e) => e.server !== `${planted.host}:${planted.port}`).map((e) => e.identity));
    expect(identities).toContain('ops');
    for (const a of c.apiServers) {
      expect(report.results.find((r) => r.check === 'apiserver-health' && r.data?.['endpoint'] === a.url)?.status, run.stdout).toBe('ok');
    }
    // The run that listed the nodes rewrote the cache from the cluster's own answer.
    expect(readFileSync(cacheFile, 'utf8')).not.toContain(plan.spare(0));
  });

  it('a cluster reachable only through a CONNECT proxy: proxy-url carries every request, tls-server-name is what the certificate is checked for', async () => {
    const c = await start('healthy');
    const named = await extraApiServer(c, plan.spare(1), { dnsNames: ['api.k8sdoc.test'] });
    // The kubeconfig names an address where nothing listens; only the proxy knows the way.
    const hidden = plan.spare(2);
    const proxy = await connectProxy(plan.spare(3), { [`${hidden}:6443`]: { host: named.host, port: named.port } });
    const direct = editKubeconfig(c.kubeconfigPath, 'direct.conf', (cl) => {
      cl.server = `https://${hidden}:6443`;
      cl['tls-server-name'] = 'api.k8sdoc.test';
    });
    const proxied = editKubeconfig(direct, 'proxied.conf', (cl) => (cl['proxy-url'] = proxy.url));
    const args = ['check', '--only', 'apiserver-reachable,certs-served', '-o', 'json', '--timeout', '3s'];

    const without = parseJsonReport(await runCli([...args, '--kubeconfig', direct]));
    expect(without.results.find((r) => r.check === 'apiserver-reachable' && r.data?.['endpoint'] === `https://${hidden}:6443`)).toMatchObject({
      status: 'crit',
      code: 'apiserver-refused',
    });

    const run = await runCli([...args, '--kubeconfig', proxied]);
    const report = parseJsonReport(run);
    const kubeconfigServer = report.results.filter((r) => r.data?.['endpoint'] === `https://${hidden}:6443`);
    expect(kubeconfigServer.length).toBeGreaterThan(0);
    for (const r of kubeconfigServer) expect(r.status, `${r.check}: ${r.message}`).toBe('ok');
    expect(run.stdout).not.toMatch(/not valid for/);
    expect(proxy.asked).toContain(`${hidden}:6443`);
    // The node list came through the proxy: the masters it names were found and probed.
    for (const a of c.apiServers) expect(report.results.some((r) => r.check === 'apiserver-reachable' && r.data?.['endpoint'] === a.url)).toBe(true);
  });

  it("the kubeconfig's insecure-skip-tls-verify covers its own server only, with a warning", async () => {
    const c = await start('healthy');
    const insecure = editKubeconfig(c.kubeconfigPath, 'insecure.conf', (cl) => {
      delete cl['certificate-authority-data'];
      cl['insecure-skip-tls-verify'] = true;
    });
    const run = await runCli(['check', '--kubeconfig', insecure, '--only', 'apiserver-reachable', '-o', 'json', '--timeout', '3s']);
    expect(run.stderr).toContain(
      `k8sdoc: warning: cluster 'kubernetes' sets insecure-skip-tls-verify: the certificate of ${c.server} is not verified (other endpoints still are)\n`,
    );

    // The transport itself: the kubeconfig's server answers unverified, another server of the run is still verified.
    const { loadKubeconfig } = await import('../../src/discovery/kubeconfig.js');
    const kc = loadKubeconfig({ explicitPath: insecure, env: {} }, null)!;
    const kube = createKubeProbe(kc, { insecureSkipTlsVerify: false, concurrency: 2 });
    cleanup.push(() => kube.close());
    expect((await kube.get('/version', { timeoutMs: 3000 })).kind).toBe('ok');
    const other = await kube.get('/version', { timeoutMs: 3000, server: c.apiServers[1]!.url });
    expect(other).toMatchObject({ kind: 'tls' });
  });

  it('a hanging exec plugin is stopped at --auth-timeout, says so once, and leaves no process behind', async () => {
    const c = await start('healthy');
    const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-exec-it-'));
    const pids = join(dir, 'pids');
    const plugin = join(dir, 'hang.sh');
    writeFileSync(plugin, `#!/bin/sh\nprintf 'Waiting for login in your browser...\\n' >&2\nsleep 300 & echo $! > ${pids}; echo $$ >> ${pids}; wait\n`);
    chmodSync(plugin, 0o755);
    const doc = parseYaml(readFileSync(c.kubeconfigPath, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    doc.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'IfAvailable' } };
    const kubeconfig = join(dir, 'exec.conf');
    writeFileSync(kubeconfig, stringify(doc), { mode: 0o600 });

    const run = await runCli(['check', '--kubeconfig', kubeconfig, '--only', 'apiserver-reachable', '--auth-timeout', '700ms', '-o', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Waiting for login in your browser...');
    const report = parseJsonReport(run);
    const failed = report.results.filter((r) => /gave no credential within --auth-timeout 700 ms/.test(r.message));
    expect(failed.length, run.stdout).toBeGreaterThan(0);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && started.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(started.filter(alive)).toEqual([]);
  });
});
