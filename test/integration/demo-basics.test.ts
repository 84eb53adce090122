// `k8sdoc demo` takes check's flags, says what it refuses in one line, and names a demo kept
// running with --keep instead of failing on the addresses it holds. The built CLI, spawned,
// with the etcd stand-in so that it runs the same with or without etcd installed.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_BLOCK_ENV, DEMO_ETCD_ENV } from '../../src/sim/demo.js';
import { BLOCKS } from '../helpers/blocks.js';
import { BIN, emptyHome, expectUsageError, parseJsonReport, runCli } from '../helpers/cli.js';

const ENV = { [DEMO_ETCD_ENV]: 'standin', [DEMO_BLOCK_ENV]: String(BLOCKS.demoKept) };
const demo = (args: string[]) => runCli(['demo', ...args], { env: ENV, killAfterMs: 60_000 });

describe.sequential('demo basics', () => {
  it('takes check flags: --only, --fail-on and -o select and judge as check does', async () => {
    const run = await demo(['zombie-etcd', '--only', 'etcd', '--fail-on', 'never', '-o', 'json', '--timeout', '2s']);
    const report = parseJsonReport(run);
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(report.results.map((r) => r.component))).toEqual(new Set(['etcd']));
    expect(report.rootCauses[0]?.code).toBe('etcd-member-unreachable');
  });

  it('--skip leaves a component out, --debug logs probes on stderr without a stack trace', async () => {
    const run = await demo(['single-control-plane', '--skip', 'certs', '--debug', '-o', 'json']);
    const report = parseJsonReport(run);
    expect(run.code, run.stderr).toBe(0);
    expect(report.results.some((r) => r.component === 'certs')).toBe(false);
    expect(run.stderr).toMatch(/^debug: probe \+\d+ ms /m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses, in one line and before starting anything, a flag that names another cluster or a bad value', async () => {
    expectUsageError(await demo(['--kubeconfig', '/etc/kubernetes/admin.conf']), /--kubeconfig does not go with demo: the demo writes its own kubeconfig/);
    expectUsageError(await demo(['healthy', '--wait', '5m']), /--wait does not go with demo: a demo cluster does not heal/);
    expectUsageError(await demo(['healthy', '--timeout', 'soon']), /--timeout/);
  });

  it('a demo kept with --keep is named, with how to stop or use it, instead of EADDRINUSE', async () => {
    const home = emptyHome();
    const kept = spawn(process.execPath, [BIN, 'demo', 'single-control-plane', '--keep', '-o', 'json'], {
      env: { PATH: process.env.PATH, HOME: home, ...ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => kept.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the kept demo did not come up:\n${stderr}`)), 45_000);
        kept.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          if (stderr.includes('the cluster keeps running')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const kubeconfig = /kubeconfig: (\S+)/.exec(stderr)![1]!;

      const second = await demo(['healthy']);
      expectUsageError(
        second,
        new RegExp(
          `^k8sdoc: a demo cluster started with --keep is still running \\(pid ${kept.pid}, scenario single-control-plane\\): stop it with Ctrl-C where it runs or kill ${kept.pid}, or use it with k8sdoc check --kubeconfig ${kubeconfig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        ),
      );

      // What the message offers works: check pointed at the kept cluster's kubeconfig.
      const check = parseJsonReport(await runCli(['check', '--kubeconfig', kubeconfig, '--only', 'apiserver', '-o', 'json']));
      expect(check.target.server).toBe(`https://127.${BLOCKS.demoKept}.0.11:6443`);
      expect(check.results.find((r) => r.check === 'apiserver-reachable')?.status).toBe('ok');
    } finally {
      kept.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(existsSync(join(tmpdir(), `k8sdoc-demo-${BLOCKS.demoKept}.json`))).toBe(false);
  });

  it('an address held by another program is named, with how to find it, instead of EADDRINUSE', async () => {
    const squatter = createServer();
    const address = `127.${BLOCKS.demoKept}.0.12`;
    await new Promise<void>((resolve) => squatter.listen(6443, address, resolve));
    try {
      expectUsageError(
        await demo(['healthy']),
        new RegExp(
          `^k8sdoc: ${address.replace(/\./g, '\\.')}:6443 is already in use by another program: the demo needs 127\\.${BLOCKS.demoKept}\\.0\\.0/16 on ports 6443, 2379, 2380 and 10250; stop what listens there`,
        ),
      );
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
