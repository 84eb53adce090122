// Discovery when the API server cannot list the nodes: the static pod manifests of a
// control-plane node and the discovery cache of the last run that could.
import { describe, expect, it } from 'vitest';
import {
  cacheDir,
  cacheFileName,
  discoveryCacheDiscoverer,
  parseCache,
  restoreFromCache,
  readOnce,
  snapshot,
  targetsWithCache,
  type CacheStore,
  type DiscoveryCacheFile,
} from '../../src/discovery/cache.js';
import { controlPlaneFromManifests, manifestPath, manifestsDiscoverer, type PodLike } from '../../src/discovery/manifests.js';
import type { Targets } from '../../src/discovery/targets.js';
import type { FilesProbe } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/etcd-fakes.js';

const SERVER = 'https://10.0.0.10:6443';

function pod(...command: string[]): PodLike {
  return { spec: { containers: [{ name: 'c', command }] } };
}

const ETCD_POD = pod(
  'etcd',
  '--name=cp-1',
  '--initial-cluster=cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380,cp-3=https://[fd00::13]:2380',
  '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.11:2379',
);
const APISERVER_POD = pod('kube-apiserver', '--advertise-address=10.0.0.11', '--secure-port=6443', '--etcd-servers=https://10.0.0.11:2379');

function memoryStore(initial: Record<string, string> = {}): CacheStore & { files: Record<string, string> } {
  const files = { ...initial };
  return {
    files,
    read: async (path) => files[path] ?? null,
    write: async (path, text) => {
      files[path] = text;
    },
  };
}

const NODES = {
  items: [
    {
      metadata: { name: 'cp-1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.11' }] },
    },
    { metadata: { name: 'worker-1' }, status: { addresses: [{ type: 'InternalIP', address: '10.0.0.21' }] } },
    { metadata: { name: 'no-address' }, status: { addresses: [] } },
  ],
};

function context(api: 'up' | 'down', now = new Date('2026-11-25T12:00:00Z')) {
  const kube: Record<string, { status: number; body: string }> =
    api === 'up'
      ? { '/version': { status: 200, body: '{"gitVersion":"v1.32.0"}' }, '/api/v1/nodes?limit=500': { status: 200, body: JSON.stringify(NODES) } }
      : { '/version': { status: 503, body: '' } };
  const ctx = fakeContext({ endpoints: [], kube, now, options: { hosts: [], apiservers: [] } });
  ctx.targets.context = 'arn:aws:eks:eu-west-1:1234:cluster/prod';
  ctx.targets.kubeServer = null;
  return ctx;
}

const CACHE: DiscoveryCacheFile = {
  format: 1,
  context: 'prod',
  server: null,
  writtenAt: '2026-11-25T10:00:00.000Z',
  nodes: [
    { name: 'cp-1', address: '10.0.0.11', controlPlane: true },
    { name: 'worker-1', address: '10.0.0.21', controlPlane: false },
  ],
  apiServers: [{ scheme: 'https', host: '10.0.0.11', port: 6443 }],
  etcd: [{ scheme: 'https', host: '10.0.0.11', port: 2379 }],
};

describe('static pod manifests', () => {
  it('name every stacked etcd member as a control-plane host, and this node by its advertise address', () => {
    expect(controlPlaneFromManifests(APISERVER_POD, ETCD_POD)).toEqual({
      hosts: [
        { address: '10.0.0.11', name: 'cp-1' },
        { address: '10.0.0.12', name: 'cp-2' },
        { address: 'fd00::13', name: 'cp-3' },
      ],
      apiServerPort: 6443,
    });
    expect(controlPlaneFromManifests(pod('kube-apiserver', '--advertise-address=10.1.0.5', '--secure-port=8443'), null)).toEqual({
      hosts: [{ address: '10.1.0.5' }],
      apiServerPort: 8443,
    });
  });

  it('live beside --pki-dir (a copy of /etc/kubernetes), else in /etc/kubernetes/manifests', () => {
    expect(manifestPath({ pkiDir: '/tmp/sim/kubernetes/pki' }, 'etcd')).toBe('/tmp/sim/kubernetes/manifests/etcd.yaml');
    expect(manifestPath({ pkiDir: null }, 'kube-apiserver')).toBe('/etc/kubernetes/manifests/kube-apiserver.yaml');
  });

  it('fill hosts and API servers only when the API server cannot list the nodes', async () => {
    const files: FilesProbe = {
      read: async (path) => {
        const text = path.endsWith('etcd.yaml') ? JSON.stringify(ETCD_POD) : path.endsWith('kube-apiserver.yaml') ? JSON.stringify(APISERVER_POD) : null;
        return text === null ? { kind: 'missing', message: 'missing' } : { kind: 'ok', data: Buffer.from(text) };
      },
      list: async () => null,
      stat: async () => null,
    };
    const down = context('down');
    down.probes.files = files;
    await manifestsDiscoverer.discover(down.targets, down);
    expect(down.targets.hosts.map((h) => `${h.name} ${h.address} ${h.controlPlane}`)).toEqual([
      'cp-1 10.0.0.11 true',
      'cp-2 10.0.0.12 true',
      'cp-3 fd00::13 true',
    ]);
    expect(down.targets.apiServers.map((e) => `${e.url} ${e.source}`)).toEqual([
      'https://10.0.0.11:6443 manifest',
      'https://10.0.0.12:6443 manifest',
      'https://[fd00::13]:6443 manifest',
    ]);

    const up = context('up');
    up.probes.files = files;
    await manifestsDiscoverer.discover(up.targets, up);
    expect(up.targets.hosts).toEqual([]);
  });
});

describe('discovery cache', () => {
  it('lives in $XDG_CACHE_HOME/k8sdoc when that is absolute, else ~/.cache/k8sdoc; nowhere without either', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/me', HOME: '/home/me' })).toBe('/var/cache/me/k8sdoc');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/me' })).toBe('/home/me/.cache/k8sdoc');
    expect(cacheDir({})).toBeNull();
  });

  it('names one file per context, safely, without mixing contexts that differ only in unsafe characters', () => {
    expect(cacheFileName('kubernetes-admin@kubernetes')).toBe('kubernetes-admin@kubernetes.json');
    const arn = cacheFileName('arn:aws:eks:eu-west-1:1234:cluster/prod');
    expect(arn).toMatch(/^arn_aws_eks_eu-west-1_1234_cluster_prod-[0-9a-f]{8}\.json$/);
    expect(cacheFileName('arn:aws:eks:eu-west-1:1234:cluster_prod')).not.toBe(arn);
    expect(cacheFileName('../../etc/passwd')).not.toContain('/');
  });

  it('keeps names, addresses, ports and schemes only: credentials in a URL never reach it', () => {
    const targets = {
      context: 'prod',
      kubeServer: null,
      apiServers: [{ url: 'https://admin:s3cret@10.0.0.11:6443/?token=abc', host: '10.0.0.11', port: 6443, source: '--apiserver' }],
      etcd: [{ url: 'http://10.0.0.11:2379', host: '10.0.0.11', port: 2379, source: 'manifest' }],
    } as unknown as Targets;
    const text = JSON.stringify(
      snapshot(
        targets,
        [{ name: 'cp-1', address: '10.0.0.11', controlPlane: true, unschedulable: false, kubeletPort: 10250, kubeletVersion: 'v1.32.0', conditions: [] }],
        new Date(0),
      ),
    );
    expect(text).not.toMatch(/s3cret|admin|token|abc|v1\.32|conditions/);
    expect(JSON.parse(text)).toMatchObject({
      apiServers: [{ scheme: 'https', host: '10.0.0.11', port: 6443 }],
      etcd: [{ scheme: 'http', host: '10.0.0.11', port: 2379 }],
    });
  });

  it('drops entries that do not parse and refuses files of another format', () => {
    const text = JSON.stringify({
      ...CACHE,
      nodes: [...CACHE.nodes, { name: 'evil', address: '10.0.0.9/32 --flag', controlPlane: true }],
      etcd: [{ scheme: 'ftp', host: 'x', port: 1 }],
    });
    const parsed = parseCache(text) as DiscoveryCacheFile;
    expect(parsed.nodes.map((n) => n.name)).toEqual(['cp-1', 'worker-1']);
    expect(parsed.etcd).toEqual([]);
    expect(parseCache('{"format":2}')).toEqual({ invalid: 'not format 1' });
    expect(parseCache('nope')).toEqual({ invalid: 'not JSON' });
  });

  it('fills only what flags and manifests left open', () => {
    const ctx = context('down');
    ctx.targets.hosts.push({ address: '10.0.0.11', controlPlane: true });
    const taken = restoreFromCache(ctx.targets, CACHE, { hosts: false, apiservers: true });
    expect(taken).toMatchObject({ hosts: ['10.0.0.21'], apiServers: [], etcd: ['https://10.0.0.11:2379'] });
    expect(ctx.targets.hosts).toEqual([
      { address: '10.0.0.11', name: 'cp-1', controlPlane: true },
      { address: '10.0.0.21', name: 'worker-1', controlPlane: false },
    ]);
    expect(ctx.targets.etcd[0]).toMatchObject({ source: 'cache' });
  });

  it('is written when the nodes are listed, and read, with its age, when they are not', async () => {
    const store = memoryStore();
    const discoverer = discoveryCacheDiscoverer({ HOME: '/home/me' }, store);
    const up = context('up', new Date('2026-11-25T10:00:00Z'));
    await discoverer.discover(up.targets, up);
    const [path] = Object.keys(store.files);
    expect(path).toMatch(/^\/home\/me\/\.cache\/k8sdoc\/arn_aws_eks.*\.json$/);
    expect(JSON.parse(store.files[path!]!).nodes).toEqual([
      { name: 'cp-1', address: '10.0.0.11', controlPlane: true },
      { name: 'worker-1', address: '10.0.0.21', controlPlane: false },
    ]);
    expect(up.targets.fromCache).toBeUndefined();

    const down = context('down', new Date('2026-11-25T12:05:00Z'));
    await discoverer.discover(down.targets, down);
    expect(down.targets.hosts.map((h) => h.name)).toEqual(['cp-1', 'worker-1']);
    expect(down.targets.fromCache).toEqual({
      path,
      writtenAt: '2026-11-25T10:00:00.000Z',
      ageSeconds: 7500,
      hosts: ['10.0.0.11', '10.0.0.21'],
      apiServers: [],
      etcd: [],
    });
    expect(down.targets.notes.at(-1)).toMatch(
      /^discovery cache: API server unreachable .*; took 2 hosts, 0 API servers, 0 etcd endpoints from .*, written 2h5m ago \(2026-11-25T10:00:00.000Z\)$/,
    );
  });

  it("gives the early probes a copy of the targets with the cache folded in, and leaves the run's own alone", async () => {
    const store = memoryStore();
    const discoverer = discoveryCacheDiscoverer({ HOME: '/home/me' }, store);
    const up = context('up');
    await discoverer.discover(up.targets, up);
    const down = context('down');
    const early = await targetsWithCache({ HOME: '/home/me' }, down.targets, { hosts: false, apiservers: false }, store);
    expect(early.hosts.map((h) => h.name)).toEqual(['cp-1', 'worker-1']);
    expect(down.targets.hosts).toEqual([]);
    expect(down.targets.notes).toEqual([]);
    // No store (the demo), or no cache written yet: the flags' targets only.
    expect((await targetsWithCache({ HOME: '/home/me' }, down.targets, { hosts: false, apiservers: false }, null)).hosts).toEqual([]);
    expect((await targetsWithCache({ HOME: '/elsewhere' }, down.targets, { hosts: false, apiservers: false }, store)).hosts).toEqual([]);
  });

  it('is read once per run when both the early probes and the fallback want it', async () => {
    const store = memoryStore({ '/home/me/.cache/k8sdoc/prod.json': JSON.stringify(CACHE) });
    let reads = 0;
    const counted = readOnce({ read: (p) => (reads++, store.read(p)), write: (p, t) => store.write(p, t) });
    const down = context('down');
    down.targets.context = 'prod';
    await targetsWithCache({ HOME: '/home/me' }, down.targets, { hosts: false, apiservers: false }, counted);
    await discoveryCacheDiscoverer({ HOME: '/home/me' }, counted).discover(down.targets, down);
    expect(down.targets.hosts.map((h) => h.name)).toEqual(['cp-1', 'worker-1']);
    expect(reads).toBe(1);
  });

  it('is not used for another server under the same context name', async () => {
    const store = memoryStore();
    const discoverer = discoveryCacheDiscoverer({ HOME: '/home/me' }, store);
    const up = context('up');
    await discoverer.discover(up.targets, up);
    const down = context('down');
    down.targets.kubeServer = { url: SERVER, host: '10.0.0.10', port: 6443, source: 'kubeconfig' };
    await discoverer.discover(down.targets, down);
    expect(down.targets.hosts).toEqual([]);
    expect(down.targets.notes.at(-1)).toMatch(/was written for no server, not https:\/\/10\.0\.0\.10:6443: not used$/);
  });
});
