// The "Connection refused" chain on the simulator with real etcd, as a user runs it: the API
// servers down with etcd healthy, etcd without quorum, and the API servers' etcd client
// certificate expired. Each time the verdict and the first problem name the injected
// fault, what it explains is listed under it, and the run stays within its time bound.
import { describe, expect, it } from 'vitest';
import type { SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { expiredSince } from '../../src/sim/pki.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import type { ScenarioSpec } from '../../src/sim/scenarios/spec.js';
import type { ReportResult } from '../../src/engine/types.js';
import { BLOCKS } from '../helpers/blocks.js';
import { clusterPerTest } from '../helpers/cluster-per-test.js';
import { diagnose } from './triage-run.js';

const TIMEOUT_MS = 2000;

const start = clusterPerTest({ block: BLOCKS.triageControlPlane, etcd: true });

const byCheck = (results: ReportResult[], check: string) => results.filter((r) => r.check === check);
const masters = (c: SimCluster) => c.apiServers.map((a) => `apiserver ${a.url}`);

describe.skipIf(!etcdAvailable())('triage of a control plane that does not answer', () => {
  it('apiserver-down with etcd healthy: the API server process on each master, fixed with journalctl and crictl', async () => {
    const c = await start('apiserver-down');
    const { table, report, cause } = await diagnose('apiserver-down', c.checkArgs, TIMEOUT_MS);
    expect(table.code).toBe(1);
    expect(cause[0]).toMatch(
      new RegExp(`^  apiserver-refused  apiserver https://${c.hosts[0]!.address.replace(/\./g, '\\.')}:6443: tcp .*connection refused$`),
    );
    expect(cause).toContain(`  Same on: ${masters(c).slice(1).join(', ')}`);
    expect(cause).toContain('  First step: crictl ps -a --name kube-apiserver');
    // Broken for the width with ` \` continuations, the command is one line again when pasted.
    expect(table.stdout.replace(/ \\\s+/g, ' ')).toContain('$ crictl logs --tail 100 $(crictl ps -a --name kube-apiserver -q | head -n1)');

    expect(report.rootCauses.map((r) => `${r.code} ${r.subject}`)).toEqual(masters(c).map((m) => `apiserver-refused ${m}`));
    expect(report.rootCauses[0]!.explainsFindings).toContainEqual({ code: 'apiserver-refused', subject: `apiserver ${c.server} (kubeconfig)` });
    // Still diagnosed from outside: etcd quorum asked directly, each master's port and served
    // certificate (none answers), the PKI files' expiry.
    expect(byCheck(report.results, 'etcd-quorum')).toEqual([
      expect.objectContaining({ status: 'ok', data: expect.objectContaining({ healthy: 3, quorum: 2 }) }),
    ]);
    for (const a of c.apiServers) {
      expect(report.results.find((r) => r.check === 'ports' && r.data?.['host'] === a.host && r.data?.['port'] === 6443)).toMatchObject({
        status: 'crit',
        code: 'port-refused',
      });
      expect(report.results.find((r) => r.check === 'certs-served' && r.data?.['host'] === a.host && r.data?.['port'] === 6443)).toMatchObject({
        status: 'skip',
        message: expect.stringMatching(/^no certificate to inspect: .*connection refused/),
      });
    }
    expect(byCheck(report.results, 'certs-files').every((r) => r.status === 'ok')).toBe(true);
    // Checks that need the API say so once each, not once per node.
    for (const id of ['nodes-ready', 'nodes-pressure', 'control-plane-ha']) {
      expect(byCheck(report.results, id), id).toEqual([expect.objectContaining({ status: 'skip', message: expect.stringMatching(/^API server unreachable/) })]);
    }
  });

  it('quorum-lost: etcd quorum is the cause and explains the API servers that are not ready', async () => {
    const c = await start('quorum-lost');
    const { table, report, cause } = await diagnose('quorum-lost', c.checkArgs, TIMEOUT_MS);
    expect(table.code).toBe(1);
    expect(cause[0]).toMatch(/^ {2}etcd-quorum-lost {2}etcd: from this host: 1 of 3 voting members healthy: quorum needs 2/);
    // Is etcd running on the member hosts? (kubeadm's static pods: the simulated cluster's shape.)
    expect(cause).toContain('  First step: crictl ps -a --name etcd');
    expect(report.rootCauses.map((r) => r.code)).toEqual(['etcd-quorum-lost']);
    const explained = report.rootCauses[0]!.explainsFindings;
    for (const m of [`apiserver ${c.server} (kubeconfig)`, ...masters(c)]) expect(explained).toContainEqual({ code: 'apiserver-not-ready', subject: m });
    for (const name of c.scenario.etcd!.kill!)
      expect(explained).toContainEqual({ code: 'etcd-member-unreachable', subject: expect.stringContaining(`etcd member ${name} `) });
  });

  const expiredEtcdClient: [string, Partial<ScenarioSpec>][] = [
    ['API servers up but not ready', {}],
    ['API servers crash-looping (refused)', { apiServers: { mode: 'down' } }],
  ];

  it.each(expiredEtcdClient)('an expired apiserver-etcd-client certificate is the cause, %s', async (how, shape) => {
    const c = await start({
      ...buildScenario('healthy'),
      name: 'etcd-client-expired',
      ...shape,
      pki: { 'apiserver-etcd-client': { validity: expiredSince(2) } },
    });
    const { table, report, cause } = await diagnose(`apiserver-etcd-client expired, ${how}`, c.checkArgs, TIMEOUT_MS);
    expect(table.code).toBe(1);
    expect(cause[0]).toMatch(new RegExp(`^  cert-expired  ${c.pkiDir}/apiserver-etcd-client\\.crt: CN=kube-apiserver-etcd-client expired 2d0h ago`));
    expect(cause).toContain('  First step: kubeadm certs check-expiration');
    expect(report.rootCauses[0]).toMatchObject({ code: 'cert-expired', subject: `${c.pkiDir}/apiserver-etcd-client.crt` });
    expect(report.rootCauses.filter((r) => r.code.startsWith('apiserver-'))).toEqual([]);
    const explained = report.rootCauses[0]!.explainsFindings.map((e) => e.subject);
    for (const m of masters(c)) expect(explained).toContain(m);
  });
});
