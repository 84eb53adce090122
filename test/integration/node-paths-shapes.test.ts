// k8sdoc run as root on a control-plane node of each distribution, with nothing but the
// node's own files: the simulator writes each shape's files under a folder that stands for
// the node's `/` (K8SDOC_TEST_NODE_ROOT). The admin kubeconfig, the PKI folder, its expected
// files and the etcd client certificate are found per distribution, and a leaf certificate
// is judged by how that distribution renews it.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Report } from '../../src/engine/types.js';
import { expectedCertificates, type PkiDistribution } from '../../src/shape/pki-layout.js';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { createCa, issue, validFor } from '../../src/sim/pki.js';
import type { ShapeScenarioName } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

interface Shape {
  scenario: ShapeScenarioName;
  distribution: PkiDistribution;
  block: number;
  adminKubeconfig: string;
  pkiDir: string;
  etcd: boolean;
}

const SHAPES: Shape[] = [
  {
    scenario: 'kubeadm',
    distribution: 'kubeadm',
    block: BLOCKS.nodePathsKubeadm,
    adminKubeconfig: '/etc/kubernetes/admin.conf',
    pkiDir: '/etc/kubernetes/pki',
    etcd: true,
  },
  {
    scenario: 'k3s',
    distribution: 'k3s',
    block: BLOCKS.nodePathsK3s,
    adminKubeconfig: '/etc/rancher/k3s/k3s.yaml',
    pkiDir: '/var/lib/rancher/k3s/server/tls',
    etcd: false,
  },
  {
    scenario: 'k3s-etcd',
    distribution: 'k3s',
    block: BLOCKS.nodePathsK3sEtcd,
    adminKubeconfig: '/etc/rancher/k3s/k3s.yaml',
    pkiDir: '/var/lib/rancher/k3s/server/tls',
    etcd: true,
  },
  {
    scenario: 'rke2',
    distribution: 'rke2',
    block: BLOCKS.nodePathsRke2,
    adminKubeconfig: '/etc/rancher/rke2/rke2.yaml',
    pkiDir: '/var/lib/rancher/rke2/server/tls',
    etcd: true,
  },
  {
    scenario: 'microk8s',
    distribution: 'microk8s',
    block: BLOCKS.nodePathsMicrok8s,
    adminKubeconfig: '/var/snap/microk8s/current/credentials/client.config',
    pkiDir: '/var/snap/microk8s/current/certs',
    etcd: false,
  },
];

/** As root on the node: no kubeconfig anywhere, only the node's files (and --etcd, whose discovery is another matter). */
function onNode(c: SimCluster, args: string[]): Promise<CliRun> {
  const node = c.vantages.nodes[0]!;
  return runCli(['check', '-o', 'json', '--debug', ...(c.etcd ? ['--etcd', c.etcd.endpoints.join(',')] : []), ...args], {
    env: { HOME: emptyHome(), K8SDOC_TEST_NODE_ROOT: node.root },
    killAfterMs: 60_000,
  });
}

const problems = (report: Report, component: string) =>
  report.results.filter((r) => r.component === component && (r.status === 'warn' || r.status === 'crit')).map((r) => `${r.code} ${r.subject}: ${r.message}`);

for (const shape of SHAPES) {
  describe(`as root on a ${shape.scenario} control-plane node`, () => {
    let c: SimCluster;
    let run: CliRun;
    let report: Report;
    beforeAll(async () => {
      c = await startCluster(shape.scenario, { block: shape.block });
      run = await onNode(c, []);
      report = parseJsonReport(run);
    }, 120_000);
    afterAll(async () => {
      await c?.stop();
    });

    it(`uses ${shape.adminKubeconfig} when no kubeconfig is found, and says so in the JSON and in --debug`, () => {
      expect(run.code === 0 || run.code === 1, run.stderr).toBe(true);
      expect(report.target.kubeconfigFrom).toEqual({ path: shape.adminKubeconfig, distribution: shape.distribution });
      const admin = parse(readFileSync(c.vantages.nodes[0]!.adminKubeconfig!, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      expect(report.target.server).toBe(admin.clusters[0]!.cluster.server);
      expect(run.stderr).toContain(`admin kubeconfig ${shape.adminKubeconfig} is used`);
      // The API answered with the admin's credentials: the nodes were listed.
      expect(report.results.find((r) => r.check === 'nodes-ready')?.status).toBe('ok');
    });

    it(`finds ${shape.pkiDir} and reads every file ${shape.distribution} makes there, none reported missing`, () => {
      const node = c.vantages.nodes[0]!;
      expect(node.pkiDir).toBe(join(node.root, shape.pkiDir));
      const files = report.results.filter((r) => r.check === 'certs-files');
      const subjects = new Set(files.map((r) => r.subject));
      const expected = expectedCertificates(shape.distribution).filter((e) => !e.etcdOnly || shape.etcd);
      expect(expected.length).toBeGreaterThan(3);
      for (const e of expected) expect(subjects, e.file).toContain(join(node.pkiDir, e.file));
      expect(files.filter((r) => r.code === 'cert-file-missing')).toEqual([]);
      expect(files.every((r) => r.status !== 'ok' || r.data?.['distribution'] === undefined || r.data['distribution'] === shape.distribution)).toBe(true);
    });

    it('has no certificate warning or failure on the healthy shape (files, kubeconfigs, served certificates)', () => {
      expect(problems(report, 'certs')).toEqual([]);
    });

    if (shape.etcd) {
      it("uses the distribution's etcd client certificate, so the etcd checks ask etcd directly", () => {
        const client = c.vantages.nodes[0]!.etcdClient!;
        expect(run.stderr).toContain(`client TLS from the ${shape.distribution} PKI folder: ${client.caFile}, ${client.certFile}, ${client.keyFile}`);
        const quorum = report.results.filter((r) => r.check === 'etcd-quorum');
        expect(quorum.map((r) => r.code)).not.toContain('etcd-no-credentials');
        expect(quorum.map((r) => r.status)).toEqual(['ok']);
        expect(problems(report, 'etcd')).toEqual([]);
      });
    }

    if (shape.distribution === 'k3s' && !shape.etcd) {
      it(":6443 serves k3s's supervisor certificate: not compared with serving-kube-apiserver.crt, so not stale", () => {
        const served = report.results.filter((r) => r.check === 'certs-served' && r.subject.includes(':6443'));
        expect(served.length).toBeGreaterThan(0);
        expect(served.map((r) => r.data?.['subject'])).toContain('O=k3s, CN=k3s');
        expect(served.filter((r) => r.code === 'cert-served-stale')).toEqual([]);
      });

      it('a k3s leaf at 100 days is the auto-renew finding naming the restart, not a warning', async () => {
        const ca = await createCa('k3s-client-ca@test');
        const leaf = await issue(ca, { commonName: 'system:kube-scheduler', usage: 'client', validity: validFor(100) });
        const file = join(c.vantages.nodes[0]!.pkiDir, 'client-scheduler.crt');
        await writeFile(file, leaf.certPem);
        const again = await onNode(c, ['--only', 'certs-files', '--fail-on', 'warn']);
        const r = parseJsonReport(again).results.find((x) => x.subject === file)!;
        expect(again.code, again.stdout).toBe(0);
        expect(r).toMatchObject({ status: 'ok', code: 'cert-expiring', data: { renewal: 'auto', daysLeft: 99 } });
        expect(r.message).toContain('k3s renews it at the next start of k3s');
        expect(r.message).toContain('systemctl restart k3s');
      });
    }

    if (shape.distribution === 'kubeadm') {
      it('a kubeadm leaf at 20 days is a cert-expiring warning; at 100 days it is fine', async () => {
        const ca = await createCa('kubernetes@test');
        const pki = c.vantages.nodes[0]!.pkiDir;
        const soon = join(pki, 'apiserver-kubelet-client.crt');
        const later = join(pki, 'front-proxy-client.crt');
        await writeFile(soon, (await issue(ca, { commonName: 'kube-apiserver-kubelet-client', usage: 'client', validity: validFor(20) })).certPem);
        await writeFile(later, (await issue(ca, { commonName: 'front-proxy-client', usage: 'client', validity: validFor(100) })).certPem);
        const again = await onNode(c, ['--only', 'certs-files']);
        const results = parseJsonReport(again).results;
        expect(results.find((x) => x.subject === soon)).toMatchObject({ status: 'warn', code: 'cert-expiring' });
        expect(results.find((x) => x.subject === soon)?.message).toContain('kubeadm certs renew all');
        const fine = results.find((x) => x.subject === later)!;
        expect(fine.status).toBe('ok');
        expect(fine.code).toBeUndefined();
      });
    }
  });
}
