// A k3s server down and a Talos kubelet down, diagnosed as users run k8sdoc from a jump host:
// the first step printed is that distribution's own command, not kubeadm's.
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli } from '../helpers/cli.js';

const running: SimCluster[] = [];
afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()));
});

async function diagnose(c: SimCluster, extra: string[] = []) {
  const home = emptyHome();
  const args = ['check', '--kubeconfig', c.vantages.jumpHost.kubeconfig, '--timeout', '2s', ...extra];
  const json = await runCli([...args, '-o', 'json'], { env: { HOME: home }, killAfterMs: 60_000 });
  const table = await runCli(args, { env: { HOME: home }, killAfterMs: 60_000 });
  return { report: parseJsonReport(json), table: table.stdout.replace(/\n +/g, ' '), code: json.code };
}

describe('first steps in the distribution’s own commands', () => {
  it('k3s, its single server stopped: systemctl status k3s, never crictl', async () => {
    const c = await startCluster('k3s-server-down', { block: BLOCKS.catalogueApiShapesK3s, etcd: false });
    running.push(c);
    // With its only API server down nothing in the cluster answers; the kubeconfig's CA
    // (k3s-server-ca@<epoch>) still says k3s.
    const { report, table, code } = await diagnose(c);
    expect(report.cluster?.distribution).toBe('k3s');
    expect(report.cluster?.evidence.join(' ')).toMatch(/kubeconfig CA k3s-server-ca@\d+/);
    expect(code).toBe(1);
    const lead = report.rootCauses[0]!;
    expect(lead.code).toBe('apiserver-refused');
    const result = report.results.find((r) => r.code === 'apiserver-refused')!;
    expect(result.steps![0]!.text).toBe('systemctl status k3s');
    expect(result.steps!.map((s) => s.text)).toContain('journalctl -u k3s');
    expect(result.steps!.map((s) => s.text).join('\n')).not.toMatch(/crictl|kubeadm/);
    expect(table).toContain('First step: systemctl status k3s');
  }, 120_000);

  it.runIf(etcdAvailable())(
    'Talos, a worker kubelet stopped: talosctl service kubelet on that node',
    async () => {
      const c = await startCluster(
        {
          name: 'talos-kubelet-down',
          description: "Talos, worker-2's kubelet stopped ten minutes ago.",
          distribution: 'talos',
          controlPlanes: 3,
          workers: 2,
          nodes: { 'worker-2': { kubelet: 'down', stoppedPostingMinutesAgo: 10 } },
        },
        { block: BLOCKS.catalogueApiShapesTalos },
      );
      running.push(c);
      const { report, table, code } = await diagnose(c);
      expect(code).toBe(1);
      const address = c.hosts.find((h) => h.name === 'worker-2')!.address;
      const kubelet = report.results.find((r) => (r.code === 'kubelet-unreachable' || r.code === 'node-not-ready') && r.about?.node === 'worker-2')!;
      expect(kubelet.steps![0]!.text).toBe(`talosctl -n ${address} service kubelet`);
      expect(kubelet.steps!.map((s) => s.text).join('\n')).not.toMatch(/journalctl|systemctl/);
      expect(table).toContain(`First step: talosctl -n ${address} service kubelet`);
    },
    120_000,
  );
});
