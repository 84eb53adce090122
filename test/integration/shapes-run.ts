// Runs the built CLI against a simulated shape from each place k8sdoc can stand
// (test/helpers/shape-expectations.ts names them), and reads its JSON report.
import type { SimCluster } from '../../src/sim/cluster.js';
import type { Report } from '../../src/engine/types.js';
import type { Vantage } from '../helpers/shape-expectations.js';
import { parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

/** The flags a user at `vantage` passes; null when the shape offers no such place (no node files on Talos). */
export function vantageArgs(c: SimCluster, vantage: Vantage): string[] | null {
  const v = c.vantages;
  switch (vantage) {
    case 'jump-host':
      return ['--kubeconfig', v.jumpHost.kubeconfig];
    case 'jump-host-etcd-certs': {
      const tls = v.jumpHost.etcdClient;
      return ['--kubeconfig', v.jumpHost.kubeconfig, ...(tls ? ['--etcd-cacert', tls.caFile, '--etcd-cert', tls.certFile, '--etcd-key', tls.keyFile] : [])];
    }
    case 'control-plane-node': {
      const node = v.nodes[0];
      if (!node) return null;
      return ['--kubeconfig', node.adminKubeconfig ?? v.jumpHost.kubeconfig, '--pki-dir', node.pkiDir];
    }
    case 'in-cluster':
      return ['--kubeconfig', v.inCluster.kubeconfig];
  }
}

export interface Diagnosis {
  run: CliRun;
  report: Report;
}

export async function diagnose(c: SimCluster, vantage: Vantage, extra: string[] = [], options: { shell?: string } = {}): Promise<Diagnosis> {
  const args = vantageArgs(c, vantage);
  if (!args) throw new Error(`${c.scenario.name} offers no ${vantage} vantage`);
  const argv = ['check', ...args, '-o', 'json', '--fail-on', 'warn', '--timeout', '2s', ...extra];
  const run = options.shell ? await runShell(options.shell, argv) : await runCli(argv, { killAfterMs: 60_000 });
  return { run, report: parseJsonReport(run) };
}

/** The CLI through `sh -c '<prefix>; exec node bin/k8sdoc …'`, e.g. to lower `ulimit -n` first. */
async function runShell(prefix: string, argv: string[]): Promise<CliRun> {
  const { BIN } = await import('../helpers/cli.js');
  const quoted = [process.execPath, BIN, ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { spawn } = await import('node:child_process');
  const { emptyHome } = await import('../helpers/cli.js');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${prefix}; exec ${quoted}`], { env: { PATH: process.env.PATH, HOME: emptyHome() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** warn and crit results, as `code subject` lines. */
export function problems(report: Report): string[] {
  return report.results.filter((r) => r.status === 'warn' || r.status === 'crit').map((r) => `${r.status} ${r.code ?? '-'} ${r.subject}: ${r.message}`);
}
