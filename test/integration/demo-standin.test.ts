// `k8sdoc demo` on a machine without etcd, as the README's first command runs it: the built
// CLI, spawned, with the etcd stand-in forced. Every scenario must show the diagnosis it shows
// with real etcd members: the same most likely cause and the same exit code.
import { describe, expect, it } from 'vitest';
import { DEMO_BLOCK_ENV, DEMO_ETCD_ENV } from '../../src/sim/demo.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { SCENARIO_NAMES, type ScenarioName } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, problemsOf, runCli } from '../helpers/cli.js';

/** Each scenario's diagnosis with real etcd members: the first root cause (none when healthy) and the exit code. */
const DIAGNOSIS: Record<ScenarioName, { lead: string | null; code: 0 | 1 }> = {
  healthy: { lead: null, code: 0 },
  'apiserver-down': { lead: 'apiserver-refused', code: 1 },
  'zombie-etcd': { lead: 'control-plane-pod-crashloop', code: 1 },
  'quorum-lost': { lead: 'etcd-quorum-lost', code: 1 },
  'even-members': { lead: 'etcd-even-members', code: 0 },
  nospace: { lead: 'etcd-alarm-nospace', code: 1 },
  'expired-certs': { lead: 'cert-expired', code: 1 },
  'expiring-soon': { lead: 'cert-expiring', code: 1 },
  'notready-nodes': { lead: 'kubelet-unreachable', code: 1 },
  'memory-pressure': { lead: 'node-memory-pressure', code: 0 },
  'lb-partial': { lead: 'apiserver-refused', code: 1 },
  large: { lead: null, code: 0 },
  'single-control-plane': { lead: 'control-plane-not-ha', code: 0 },
  'etcd-readyz-failing': { lead: 'apiserver-not-ready', code: 1 },
  'controller-manager-no-leader': { lead: 'controller-manager-no-leader', code: 1 },
  'etcd-crashloop': { lead: 'control-plane-pod-crashloop', code: 1 },
  'scheduler-down': { lead: 'control-plane-pod-crashloop', code: 1 },
  'webhook-down': { lead: 'webhook-backend-down', code: 1 },
  'node-flapping': { lead: 'node-ready-flapping', code: 0 },
  'kubelet-skew': { lead: 'kubelet-version-skew', code: 0 },
};

// The scenarios whose diagnosis depends on what etcd answers; the others differ only in the
// members being up, which `healthy` covers.
const ETCD_SCENARIOS: ScenarioName[] = ['healthy', 'zombie-etcd', 'quorum-lost', 'even-members', 'nospace', 'single-control-plane'];

function demo(etcd: 'standin' | 'etcd', args: string[]) {
  return runCli(['demo', ...args], { env: { [DEMO_ETCD_ENV]: etcd, [DEMO_BLOCK_ENV]: String(BLOCKS.demoStandinCli) }, killAfterMs: 90_000 });
}

async function expectDiagnosis(etcd: 'standin' | 'etcd', scenario: ScenarioName): Promise<void> {
  const run = await demo(etcd, [scenario, '-o', 'json']);
  const report = parseJsonReport(run);
  const expected = DIAGNOSIS[scenario];
  expect(report.rootCauses[0]?.code ?? null, problemsOf(report)).toBe(expected.lead);
  expect(run.code, `${problemsOf(report)}\n${run.stderr}`).toBe(expected.code);
  expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
  // Every scenario runs etcd members, so the etcd checks always judge them directly.
  expect(report.results.find((r) => r.check === 'etcd-quorum')?.code).not.toBe('etcd-no-credentials');
}

describe.sequential('k8sdoc demo with the etcd stand-in (no etcd binary)', () => {
  it('healthy: the header says the members are a stand-in, nothing is refused, exit 0', async () => {
    const run = await demo('standin', ['healthy']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      `k8sdoc demo · healthy · 6 hosts on 127.${BLOCKS.demoStandinCli}.0.0/16 · etcd: 3 stand-in members (${DEMO_ETCD_ENV}=standin)`,
    );
    expect(run.stdout).toMatch(/Summary: \d+ ok, 0 warn, 0 crit, \d+ skipped, 0 errors → OK/);
    expect(run.stdout).not.toContain('port-refused');
    expect(run.stderr).toContain('k8sdoc demo: etcd members are an in-process stand-in');
  });

  it('quorum-lost: lost quorum first, the survivor reports no leader, exit 1', async () => {
    const run = await demo('standin', ['quorum-lost', '-o', 'json']);
    const report = parseJsonReport(run);
    expect(run.code).toBe(1);
    expect(report.rootCauses[0]).toMatchObject({ code: 'etcd-quorum-lost', explains: expect.arrayContaining(['etcd-no-leader', 'apiserver-not-ready']) });
    expect(report.results.find((r) => r.check === 'etcd-quorum' && r.code === 'etcd-quorum-lost')).toMatchObject({
      status: 'crit',
      data: expect.objectContaining({ members: 3, healthy: 1, quorum: 2 }),
    });
  });

  it.each(SCENARIO_NAMES.map((n) => [n]))('%s: the diagnosis real etcd members give', async (scenario) => {
    await expectDiagnosis('standin', scenario);
  });
});

describe.skipIf(!etcdAvailable())('the same diagnoses with real etcd members', () => {
  it.each(ETCD_SCENARIOS.map((n) => [n]))('%s', async (scenario) => {
    await expectDiagnosis('etcd', scenario);
  });
});
