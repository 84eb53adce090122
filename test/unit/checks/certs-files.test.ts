// certs-files decisions that a real folder cannot show on a root-run test machine
// (permission denied) or that depend on the layout: an in-memory files probe.
import { beforeAll, describe, expect, it } from 'vitest';
import { certsFiles } from '../../../src/checks/certs-files.js';
import type { FilesProbe } from '../../../src/probes/types.js';
import { createCa, issue, type Issued } from '../../../src/sim/pki.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { expectedCertificates } from '../../../src/shape/pki-layout.js';

type Entry = string | 'unreadable';

/** A folder tree in memory: path → contents, or 'unreadable' for permission denied. */
function memoryFiles(tree: Record<string, Entry>): FilesProbe {
  const dirs = new Set<string>();
  for (const path of Object.keys(tree)) {
    const parts = path.split('/');
    for (let i = 2; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return {
    async read(path) {
      const entry = tree[path];
      if (entry === undefined) return { kind: 'missing', message: `${path} does not exist` };
      if (entry === 'unreadable') return { kind: 'unreadable', message: `${path} cannot be read: permission denied (needs read access, e.g. run as root)` };
      return { kind: 'ok', data: Buffer.from(entry) };
    },
    async list(dir) {
      if (!dirs.has(dir)) return null;
      const names = new Set<string>();
      for (const path of Object.keys(tree)) if (path.startsWith(`${dir}/`)) names.add(path.slice(dir.length + 1).split('/')[0]!);
      return [...names].sort();
    },
    async stat(path) {
      if (dirs.has(path)) return { size: 0, mtime: new Date(), isFile: false, isDirectory: true };
      return tree[path] === undefined ? null : { size: 1, mtime: new Date(), isFile: true, isDirectory: false };
    },
  };
}

let ca: Issued;
let leaf: Issued;

beforeAll(async () => {
  ca = await createCa('kubernetes');
  leaf = await issue(ca, { commonName: 'kube-apiserver', usage: 'server' });
});

async function run(tree: Record<string, Entry>, pkiDir: string | null = '/etc/kubernetes/pki') {
  return certsFiles.run(fakeContext({ probes: { files: memoryFiles(tree) }, targets: { pkiDir }, now: new Date() }));
}

describe('certs-files', () => {
  it('reports an unreadable file with its path and the permission it needs', async () => {
    const findings = await run({ '/etc/kubernetes/pki/ca.crt': ca.certPem, '/etc/kubernetes/pki/apiserver.crt': 'unreadable' });
    const f = findings.find((x) => x.subject === '/etc/kubernetes/pki/apiserver.crt');
    expect(f).toMatchObject({ status: 'warn', code: 'cert-file-unreadable' });
    expect(f!.message).toContain('/etc/kubernetes/pki/apiserver.crt cannot be read: permission denied');
    expect(f!.message).toContain('sudo k8sdoc check --only certs');
  });

  it('with external etcd (no etcd/ folder) says so once instead of four missing files', async () => {
    const findings = await run({ '/etc/kubernetes/pki/ca.crt': ca.certPem, '/etc/kubernetes/pki/apiserver.crt': leaf.certPem });
    expect(findings.filter((f) => f.subject.includes('/etcd/') || f.subject.includes('etcd-client'))).toEqual([]);
    expect(findings.find((f) => f.subject === '/etc/kubernetes/pki/etcd')).toMatchObject({ status: 'skip' });
    const missing = findings.filter((f) => f.code === 'cert-file-missing').map((f) => f.subject);
    expect(missing).toEqual([
      '/etc/kubernetes/pki/front-proxy-ca.crt',
      '/etc/kubernetes/pki/apiserver-kubelet-client.crt',
      '/etc/kubernetes/pki/front-proxy-client.crt',
      '/etc/kubernetes/admin.conf',
      '/etc/kubernetes/controller-manager.conf',
      '/etc/kubernetes/scheduler.conf',
      '/etc/kubernetes/kubelet.conf',
    ]);
  });

  it("judges a k3s server/tls folder against k3s's own list: its missing files are findings, kubeadm's never", async () => {
    const dir = '/var/lib/rancher/k3s/server/tls';
    const findings = await run(
      { [`${dir}/server-ca.crt`]: ca.certPem, [`${dir}/serving-kube-apiserver.crt`]: leaf.certPem, [`${dir}/serving-kube-apiserver.key`]: leaf.keyPem },
      dir,
    );
    expect(findings.filter((f) => f.status === 'ok').map((f) => f.subject)).toEqual([`${dir}/server-ca.crt`, `${dir}/serving-kube-apiserver.crt`]);
    const missing = findings.filter((f) => f.code === 'cert-file-missing').map((f) => f.subject.slice(dir.length + 1));
    const k3sTop = expectedCertificates('k3s')
      .filter((e) => !e.etcdOnly)
      .map((e) => e.file);
    expect(missing.sort()).toEqual(k3sTop.filter((f) => f !== 'server-ca.crt' && f !== 'serving-kube-apiserver.crt').sort());
    expect(missing).not.toContain('ca.crt');
    expect(missing).not.toContain('apiserver.crt');
    // No etcd/ folder: no embedded etcd, so its certificates are not expected.
    expect(missing.some((f) => f.startsWith('etcd/'))).toBe(false);
  });

  it('skips with a hint when there is no PKI folder at all', async () => {
    const findings = await run({}, null);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'skip' });
    expect(findings[0]!.message).toContain('--pki-dir');
  });

  it('reports a --pki-dir that does not exist', async () => {
    const findings = await run({}, '/nowhere/pki');
    expect(findings).toEqual([expect.objectContaining({ status: 'warn', code: 'cert-file-missing', subject: '/nowhere/pki' })]);
  });
});
