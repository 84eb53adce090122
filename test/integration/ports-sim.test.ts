// The ports check as a user runs it, against real sockets on loopback: a port whose packets
// are dropped (timeout) is told apart from one where nothing listens (refused), each decided
// within --timeout, and from an open one.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlan } from '../../src/sim/hosts.js';
import { BLOCKS } from '../helpers/blocks.js';
import { parseJsonReport, runCli } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.portsSim);
const dropping = plan.spare(0);
const refusing = plan.spare(1);
const open = plan.spare(2);
const TIMEOUT_MS = 600;

let blackHole: ChildProcess;
const fillers: Socket[] = [];
let kubelet: Server;

/**
 * A firewall that drops SYNs, without root: a listener in a stopped process whose accept queue
 * is full. The kernel then silently drops new connection attempts, exactly as a DROP rule does.
 */
async function startBlackHole(host: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen({ host: '${host}', port: ${port}, backlog: 1 }, () => process.stdout.write('ready'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  child.kill('SIGSTOP');
  for (let i = 0; i < 4; i++) fillers.push(connect(port, host).on('error', () => undefined));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return child;
}

beforeAll(async () => {
  blackHole = await startBlackHole(dropping, 6443);
  kubelet = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => kubelet.listen(10250, open, resolve));
});

afterAll(async () => {
  for (const f of fillers) f.destroy();
  blackHole.kill('SIGKILL');
  await new Promise((resolve) => kubelet.close(resolve));
});

describe('ports', () => {
  it('tells timeout from refused from open, each within --timeout, without any kubeconfig', async () => {
    const run = await runCli(['check', '--only', 'ports', '--hosts', `${dropping},${refusing},${open}`, '--timeout', `${TIMEOUT_MS}ms`, '-o', 'json']);
    const report = parseJsonReport(run);
    expect(run.code).toBe(1);
    const byTarget = new Map(report.results.map((r) => [`${r.data?.['host']}:${r.data?.['port']}`, r]));
    // --hosts: every port on every host.
    expect(byTarget.size).toBe(12);

    const dropped = byTarget.get(`${dropping}:6443`)!;
    expect(dropped).toMatchObject({
      status: 'crit',
      code: 'port-timeout',
      message: `no answer from this host within ${TIMEOUT_MS} ms: a firewall drops the packets, or the host is down`,
      timedOut: [`tcp ${dropping}:6443`],
    });
    expect(dropped.data!['ms']).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(dropped.data!['ms']).toBeLessThan(TIMEOUT_MS + 300);
    expect(dropped.fix!.join('\n')).toContain('30000–32767 (NodePort services)');

    const refused = byTarget.get(`${refusing}:6443`)!;
    expect(refused).toMatchObject({
      status: 'crit',
      code: 'port-refused',
      message: 'refused from this host: nothing listens, kube-apiserver is down (or bound to another address)',
    });
    expect(refused.data!['ms']).toBeLessThan(200);
    expect(byTarget.get(`${refusing}:2380`)).toMatchObject({
      code: 'port-refused',
      message: 'refused from this host: nothing listens, etcd (peers) is down (or bound to another address)',
    });

    expect(byTarget.get(`${open}:10250`)).toMatchObject({ status: 'ok', message: expect.stringMatching(/^open from this host: kubelet listens \(\d+ ms\)$/) });
    // All probes run at once: the whole run takes about one --timeout, not one per closed port.
    expect(run.ms).toBeLessThan(TIMEOUT_MS + 3000);
  });
});
