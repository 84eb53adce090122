// `k8sdoc demo` as a newcomer runs it: spawned, start a scenario, print a diagnosis, clean up.
// Both runs use the demo's own address block 0, so they run one after the other.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseJsonReport, runCli } from '../helpers/cli.js';

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe.sequential('k8sdoc demo', () => {
  it('--list names the scenarios', async () => {
    const run = await runCli(['demo', '--list']);
    expect(run.code).toBe(0);
    for (const name of ['healthy', 'apiserver-down', 'zombie-etcd', 'quorum-lost', 'expired-certs', 'notready-nodes', 'lb-partial', 'large']) {
      expect(run.stdout).toMatch(new RegExp(`^${name} +\\S`, 'm'));
    }
  });

  it('healthy: a clean diagnosis, exit 0, nothing left listening', async () => {
    const run = await runCli(['demo', 'healthy']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('k8sdoc demo: scenario healthy');
    expect(run.stdout).toMatch(/Summary: \d+ ok, 0 warn, 0 crit, \d+ skipped, 0 errors → OK/);
    // Real etcd members, or the stand-in where etcd is not installed: etcd is judged either way.
    expect(run.stdout).toMatch(/^MEMBER +ENDPOINT +ROLE/m);
    expect(await portOpen('127.0.0.11', 6443)).toBe(false);
    expect(await portOpen('127.0.0.21', 10250)).toBe(false);
  });

  it('quorum-lost: names lost quorum as the most likely cause, exit 1', async () => {
    const table = await runCli(['demo', 'quorum-lost']);
    expect(table.code, table.stderr).toBe(1);
    const lines = table.stdout.trimEnd().split('\n');
    // The demo's own header line comes first; the verdict follows the report's header.
    const header = lines.findIndex((l) => l.startsWith('context '));
    expect(lines[header + 1]).toMatch(/^CRIT {2}most likely cause: etcd-quorum-lost on etcd/);
    // The report ends with the same verdict, its first step included.
    const opening = lines.slice(header + 1, lines.indexOf('', header));
    expect(lines.slice(-opening.length)).toEqual(opening);
    expect(table.stdout).toContain('Symptom: changes are not applied');
    expect(await portOpen('127.0.0.11', 2379)).toBe(false);

    const json = parseJsonReport(await runCli(['demo', 'quorum-lost', '-o', 'json']));
    expect(json.rootCauses[0]!.code).toBe('etcd-quorum-lost');
    expect(json.results.find((r) => r.check === 'etcd-quorum')).toMatchObject({ status: 'crit', data: expect.objectContaining({ quorum: 2, healthy: 1 }) });
  });

  it('an unknown scenario is a usage error naming the valid ones', async () => {
    const run = await runCli(['demo', 'on-fire']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^k8sdoc: unknown scenario 'on-fire': choose one of healthy, .*\(k8sdoc demo --list\)$/);
  });
});
