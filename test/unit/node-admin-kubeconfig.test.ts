import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeconfig, nodeEnvironmentOf } from '../../src/discovery/kubeconfig.js';

const KUBECONFIG = (server: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: default\n  cluster:\n    server: ${server}\ncontexts:\n- name: default\n  context:\n    cluster: default\n    user: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    token: t\n`;

function nodeWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'k8sdoc-node-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("a node's admin kubeconfig when none is found", () => {
  const home = mkdtempSync(join(tmpdir(), 'k8sdoc-home-'));

  it('as root, uses the distribution admin kubeconfig and says which', () => {
    const root = nodeWith({ '/etc/rancher/k3s/k3s.yaml': KUBECONFIG('https://127.0.0.1:6443') });
    const kc = loadKubeconfig({ explicitPath: null, env: {}, home, node: { root, asRoot: true } }, null);
    expect(kc?.cluster.server).toBe('https://127.0.0.1:6443');
    expect(kc?.nodeAdmin).toEqual({ distribution: 'k3s', path: '/etc/rancher/k3s/k3s.yaml', file: join(root, 'etc/rancher/k3s/k3s.yaml') });
  });

  it("prefers kubeadm's admin.conf, then k3s, RKE2 and MicroK8s", () => {
    const root = nodeWith({
      '/etc/kubernetes/admin.conf': KUBECONFIG('https://10.0.0.10:6443'),
      '/var/snap/microk8s/current/credentials/client.config': KUBECONFIG('https://127.0.0.1:16443'),
    });
    expect(loadKubeconfig({ explicitPath: null, env: {}, home, node: { root, asRoot: true } }, null)?.nodeAdmin?.path).toBe('/etc/kubernetes/admin.conf');
  });

  it('not as root, or with a kubeconfig of the user, the node file is left alone', () => {
    const root = nodeWith({ '/etc/rancher/rke2/rke2.yaml': KUBECONFIG('https://127.0.0.1:6443') });
    expect(loadKubeconfig({ explicitPath: null, env: {}, home, node: { root, asRoot: false } }, null)).toBeNull();
    const own = join(home, 'own.yaml');
    writeFileSync(own, KUBECONFIG('https://own:6443'));
    const kc = loadKubeconfig({ explicitPath: null, env: { KUBECONFIG: own }, home, node: { root, asRoot: true } }, null);
    expect(kc?.cluster.server).toBe('https://own:6443');
    expect(kc?.nodeAdmin).toBeUndefined();
  });

  it('the test root comes only from K8SDOC_TEST_NODE_ROOT; otherwise / and the real uid', () => {
    expect(nodeEnvironmentOf({ K8SDOC_TEST_NODE_ROOT: '/tmp/n' })).toEqual({ root: '/tmp/n', asRoot: true });
    expect(nodeEnvironmentOf({}).root).toBe('/');
  });
});
