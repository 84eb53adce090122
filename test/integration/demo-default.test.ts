// `k8sdoc demo` with no scenario, as the README's first command runs it: the kubeadm shape as
// kubeadm writes it (every API server reads etcd at https://127.0.0.1:2379), seen from a jump
// host. With the etcd stand-in forced (a machine without etcd) and with real members, it is
// clean, its header names the shape, and the faults built on it lead with the right cause.
import { describe, expect, it } from 'vitest';
import { DEMO_BLOCK_ENV, DEMO_ETCD_ENV } from '../../src/sim/demo.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';

const BLOCK = BLOCKS.demoDefault;
const plan = hostPlan(BLOCK);

function demo(etcd: 'standin' | 'etcd', args: string[]) {
  return runCli(['demo', ...args], { env: { [DEMO_ETCD_ENV]: etcd, [DEMO_BLOCK_ENV]: String(BLOCK) }, killAfterMs: 90_000 });
}

async function expectCleanDefault(etcd: 'standin' | 'etcd'): Promise<void> {
  const json = await demo(etcd, ['-o', 'json', '--fail-on', 'warn']);
  const report = parseJsonReport(json);
  expect(json.code, `${problemsOf(report)}\n${json.stderr}`).toBe(0);
  expect(report.cluster).toMatchObject({ distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'jump-host' });
  // The members are judged directly, at the addresses behind the API servers' loopback URL.
  const quorum = report.results.find((r) => r.check === 'etcd-quorum');
  expect(quorum).toMatchObject({ status: 'ok', data: expect.objectContaining({ members: 3 }) });
  const etcdSubjects = report.results.filter((r) => r.component === 'etcd').map((r) => r.subject);
  expect(etcdSubjects.filter((s) => /127\.0\.0\.1|localhost/.test(s))).toEqual([]);
  expect(etcdSubjects.join(' ')).toContain(`${plan.controlPlane(2)}:2379`);
}

async function expectFault(etcd: 'standin' | 'etcd', scenario: string, cause: string, node?: string): Promise<void> {
  const run = await demo(etcd, [scenario, '-o', 'json']);
  const report = parseJsonReport(run);
  const shown = `${problemsOf(report)}\n${run.stderr}`;
  expect(run.code, shown).toBe(1);
  const lead = report.rootCauses[0];
  // A dead member shows in its static pod too (CrashLoopBackOff): the pod may lead, as long as it explains the member.
  expect([lead?.code, ...(lead?.explains ?? [])], shown).toContain(cause);
  if (node) expect(`${lead?.subject}`, shown).toMatch(new RegExp(`${node}|${plan.controlPlane(Number(node.slice(3)) - 1).replace(/\./g, '\\.')}`));
  expect(report.results.filter((r) => r.code === 'etcd-no-credentials' && (r.status === 'warn' || r.status === 'crit'))).toEqual([]);
}

describe.sequential('k8sdoc demo with no scenario: kubeadm as written, etcd stand-in (no etcd binary)', () => {
  it('--list marks kubeadm as the default', async () => {
    const run = await runCli(['demo', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^kubeadm +kubeadm +\(the default\) kubeadm stacked HA as kubeadm writes it/m);
    expect(run.stdout).toMatch(/^healthy +kubeadm +Three control-plane nodes/m);
  });

  it('the table: the demo header, then a clean verdict and the shape line under it', async () => {
    const run = await demo('standin', []);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^k8sdoc demo · kubeadm · 6 hosts on .* · etcd: 3 stand-in members \(K8SDOC_DEMO_ETCD=standin\)$/);
    expect(run.stderr).toContain('k8sdoc demo: scenario kubeadm: kubeadm stacked HA as kubeadm writes it');
    const header = lines.findIndex((l) => l.startsWith('context '));
    expect(lines[header + 1]).toMatch(/^OK {2}no problem found: /);
    // The shape line stands under the verdict, after a blank line.
    expect(lines[header + 2]).toBe('');
    const shape = lines
      .slice(header + 3)
      .join(' ')
      .replace(/\s+/g, ' ');
    expect(shape).toMatch(/^Cluster: kubeadm · stacked etcd \(3 members\) · seen from a jump host \(from: pod annotations, /);
    expect(run.stdout).toMatch(/Summary: \d+ ok, 0 warn, 0 crit, \d+ skipped, 0 errors → OK/);
    expect(run.stdout).toMatch(new RegExp(`^cp-3 +${plan.controlPlane(2).replace(/\./g, '\\.')}:2379 `, 'm'));
    expect(run.stdout).not.toContain('127.0.0.1');
  });

  it('-o markdown carries the same shape line', async () => {
    const run = await demo('standin', ['-o', 'markdown']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Cluster: kubeadm · stacked etcd \\\(3 members\\\) · seen from a jump host {2}\\\(from: /m);
  });

  it('-o json --fail-on warn: exit 0, kubeadm stacked seen from a jump host, the members at their own addresses', async () => {
    await expectCleanDefault('standin');
  });

  it('kubeadm-member-down: the lost member on cp-3 leads', async () => {
    await expectFault('standin', 'kubeadm-member-down', 'etcd-member-unreachable', 'cp-3');
  });

  it('kubeadm-quorum-lost: lost quorum leads', async () => {
    await expectFault('standin', 'kubeadm-quorum-lost', 'etcd-quorum-lost');
  });
});

describe.skipIf(!etcdAvailable()).sequential('the same with real etcd members', () => {
  it('no scenario: exit 0 with --fail-on warn', async () => {
    await expectCleanDefault('etcd');
  });

  it('kubeadm-member-down: the lost member on cp-3 leads', async () => {
    await expectFault('etcd', 'kubeadm-member-down', 'etcd-member-unreachable', 'cp-3');
  });

  it('kubeadm-quorum-lost: lost quorum leads', async () => {
    await expectFault('etcd', 'kubeadm-quorum-lost', 'etcd-quorum-lost');
  });
});
