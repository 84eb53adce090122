// Where etcd is, when --etcd does not say: what the shape discoverer read (kube-apiserver's
// --etcd-servers from its static pod manifest or its pod), else the control-plane hosts; the
// distribution's client files when readable.
import { describe, expect, it } from 'vitest';
import { APISERVER_MANIFEST, etcdDiscoverer, KUBEADM_ETCD_TLS } from '../../src/discovery/etcd.js';
import { discoverShape } from '../../src/discovery/shape.js';
import type { CheckContext } from '../../src/engine/types.js';
import type { FilesProbe } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/etcd-fakes.js';

const MANIFEST = `apiVersion: v1
kind: Pod
metadata: { name: kube-apiserver, namespace: kube-system }
spec:
  containers:
  - name: kube-apiserver
    command:
    - kube-apiserver
    - --advertise-address=10.0.0.11
    - --etcd-servers=https://10.0.0.11:2379,https://10.0.0.12:2379,https://10.0.0.13:2379
`;

function files(contents: Record<string, string>): FilesProbe {
  return {
    read: async (path) => (path in contents ? { kind: 'ok', data: Buffer.from(contents[path]!) } : { kind: 'missing', message: `${path} does not exist` }),
    list: async () => null,
    stat: async () => null,
  };
}

const PODS_PATH = `/api/v1/namespaces/kube-system/pods?labelSelector=${encodeURIComponent('tier=control-plane')}`;
const VERSION = { '/version': { status: 200, body: '{"gitVersion":"v1.32.0"}' } };

function context(fileContents: Record<string, string>, kube?: Record<string, { status: number; body: string }>) {
  // The API server answers /version unless a test says otherwise: discovery asks a live one only.
  const ctx = fakeContext({ members: [], endpoints: [], credentials: false, kube: kube ? { ...VERSION, ...kube } : undefined });
  ctx.probes.files = files(fileContents);
  return ctx;
}

/** Discovery as a run orders it: the shape first (it reads the pods and manifests), then etcd. */
async function discover(ctx: CheckContext): Promise<void> {
  await discoverShape(ctx.targets, ctx);
  await etcdDiscoverer.discover(ctx.targets, ctx);
}

describe('etcd discovery', () => {
  it('takes the endpoints from the kube-apiserver static pod manifest, and kubeadm client files when readable', async () => {
    const ctx = context({ [APISERVER_MANIFEST]: MANIFEST, [KUBEADM_ETCD_TLS.caFile]: 'ca', [KUBEADM_ETCD_TLS.certFile]: 'c', [KUBEADM_ETCD_TLS.keyFile]: 'k' });
    await discover(ctx);
    expect(ctx.targets.etcd.map((e) => e.url)).toEqual(['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://10.0.0.13:2379']);
    expect(ctx.targets.etcd.every((e) => e.source.includes('kube-apiserver'))).toBe(true);
    expect(ctx.targets.etcdTls).toEqual(KUBEADM_ETCD_TLS);
  });

  it('uses the kube-apiserver pod when there is no manifest, and leaves the key alone when only the certificate is readable', async () => {
    const pods = {
      items: [
        {
          metadata: { name: 'kube-apiserver-cp1', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
          spec: { nodeName: 'cp1', containers: [{ command: ['kube-apiserver', '--etcd-servers=https://10.1.0.5:2379'] }] },
          status: { hostIP: '10.1.0.5' },
        },
      ],
    };
    const ctx = context({ [KUBEADM_ETCD_TLS.certFile]: 'c' }, { [PODS_PATH]: { status: 200, body: JSON.stringify(pods) } });
    await discover(ctx);
    expect(ctx.targets.etcd.map((e) => e.url)).toEqual(['https://10.1.0.5:2379']);
    expect(ctx.targets.etcd[0]!.source).toContain('kube-apiserver-cp1');
    expect(ctx.targets.etcdTls).toEqual({});
    expect(ctx.targets.notes).toContain(`etcd: ${KUBEADM_ETCD_TLS.keyFile} is not readable by this user (run as root to use it)`);
  });

  it('falls back to the control-plane nodes on :2379', async () => {
    const nodes = {
      items: [
        {
          metadata: { name: 'cp1' },
          status: {
            addresses: [
              { type: 'Hostname', address: 'cp1' },
              { type: 'InternalIP', address: '10.2.0.11' },
            ],
          },
        },
      ],
    };
    const ctx = context({}, { '/api/v1/nodes?labelSelector=node-role.kubernetes.io%2Fcontrol-plane': { status: 200, body: JSON.stringify(nodes) } });
    // Discovery's node list names the control-plane hosts; nothing else names etcd.
    ctx.targets.hosts.push({ address: '10.2.0.11', name: 'cp1', controlPlane: true });
    await discover(ctx);
    expect(ctx.targets.etcd.map((e) => [e.url, e.source])).toEqual([['https://10.2.0.11:2379', 'node cp1']]);
  });

  it('does not ask an API server that is down (each question would cost another --timeout)', async () => {
    const pods = {
      items: [{ metadata: { name: 'kube-apiserver-cp1' }, spec: { containers: [{ command: ['kube-apiserver', '--etcd-servers=https://10.1.0.5:2379'] }] } }],
    };
    const ctx = context(
      {},
      {
        '/version': { status: 503, body: '' },
        [PODS_PATH]: { status: 200, body: JSON.stringify(pods) },
      },
    );
    const asked: string[] = [];
    const kube = ctx.probes.kube!;
    ctx.probes.kube = { server: kube.server, get: (path, o) => (asked.push(path), kube.get(path, o)) };
    await discover(ctx);
    expect(asked).toEqual(['/version']);
    expect(ctx.targets.etcd).toEqual([]);
  });

  it('keeps endpoints given with --etcd', async () => {
    const ctx = context({ [APISERVER_MANIFEST]: MANIFEST });
    ctx.targets.etcd.push({ url: 'https://10.9.9.9:2379', host: '10.9.9.9', port: 2379, source: '--etcd' });
    await discover(ctx);
    expect(ctx.targets.etcd.map((e) => e.url)).toEqual(['https://10.9.9.9:2379']);
  });
});
