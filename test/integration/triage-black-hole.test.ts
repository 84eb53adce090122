// Every control-plane host black-holes 6443: a listener whose accept queue is full and
// whose process is stopped, so the kernel drops every further SYN, as a firewall that drops
// packets does. The run must end within its bound, name apiserver-timeout as the cause and
// list the ports that timed out, in the JSON and under the table.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { buildScenario } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { diagnose, type Diagnosis } from './triage-run.js';

const TIMEOUT_MS = 1000;
const PORT = 6443;

/** A stopped process listening with a full backlog: TCP connects to it time out. */
interface BlackHole {
  child: ChildProcess;
  fillers: Socket[];
}

function connectsWithin(host: string, port: number, ms: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

async function blackHole(host: string, port: number): Promise<BlackHole> {
  const script = `require('node:net').createServer().listen({ host: ${JSON.stringify(host)}, port: ${port}, backlog: 1 }, () => process.stdout.write('listening\\n'))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`black-hole listener on ${host}:${port} exited (${code})`)));
  });
  child.kill('SIGSTOP');
  // The kernel completes handshakes into the accept queue until it is full; after that it drops SYNs.
  const fillers: Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = await connectsWithin(host, port, 300);
    if (socket === null) return { child, fillers };
    fillers.push(socket);
  }
  throw new Error(`${host}:${port} kept accepting: the backlog never filled`);
}

async function close(hole: BlackHole): Promise<void> {
  for (const s of hole.fillers) s.destroy();
  const exited = new Promise((resolve) => hole.child.once('exit', resolve));
  hole.child.kill('SIGKILL');
  await exited;
}

describe.skipIf(!etcdAvailable())('every control-plane host black-holes 6443', () => {
  let cluster: SimCluster;
  const holes: BlackHole[] = [];
  let run: Diagnosis;

  beforeAll(async () => {
    cluster = await startCluster(
      { ...buildScenario('healthy'), name: 'black-hole-6443', apiServers: { mode: 'down' } },
      { block: BLOCKS.triageBlackHole, etcd: true },
    );
    for (const a of cluster.apiServers) holes.push(await blackHole(a.host, PORT));
    run = await diagnose('black-holed 6443', cluster.checkArgs, TIMEOUT_MS);
  });

  afterAll(async () => {
    await Promise.all(holes.map(close));
    await cluster?.stop();
  });

  it('finishes within --timeout × the longest probe chain, and names apiserver-timeout on a master first', () => {
    expect(run.table.code).toBe(1);
    expect(run.cause[0]).toMatch(new RegExp(`^  apiserver-timeout  apiserver ${cluster.apiServers[0]!.url.replace(/\./g, '\\.')}: `));
    expect(run.cause[1]).toBe(
      `  Same on: ${cluster.apiServers
        .slice(1)
        .map((a) => `apiserver ${a.url}`)
        .join(', ')}`,
    );
    expect(run.report.rootCauses.map((r) => `${r.code} ${r.subject}`)).toEqual(cluster.apiServers.map((a) => `apiserver-timeout apiserver ${a.url}`));
    expect(run.report.rootCauses[0]!.explainsFindings).toContainEqual({ code: 'apiserver-timeout', subject: `apiserver ${cluster.server} (kubeconfig)` });
  });

  it('names every port that timed out: in the report, on the results and under the table', () => {
    for (const a of cluster.apiServers) {
      const probe = `tcp ${a.host}:${PORT}`;
      expect(run.report.timedOut).toContain(probe);
      expect(run.report.results.find((r) => r.check === 'ports' && r.data?.['host'] === a.host && r.data?.['port'] === PORT)).toMatchObject({
        status: 'crit',
        code: 'port-timeout',
        timedOut: [probe],
      });
      expect(run.report.results.find((r) => r.check === 'apiserver-reachable' && r.data?.['host'] === a.host)).toMatchObject({
        code: 'apiserver-timeout',
        timedOut: [probe],
      });
    }
    // Wrapped to the terminal's width: the paragraph from 'Timed out: ' to the blank line.
    const timedOutLine = run.table.stdout.slice(run.table.stdout.indexOf('Timed out: ')).split('\n\n')[0]!.split('\n').join(' ');
    for (const a of cluster.apiServers) expect(timedOutLine).toContain(`tcp ${a.host}:${PORT}`);
  });

  it('still reads etcd and the other ports directly: only 6443 is lost', () => {
    expect(run.report.results.find((r) => r.check === 'etcd-quorum')).toMatchObject({ status: 'ok' });
    const otherPorts = run.report.results.filter((r) => r.check === 'ports' && r.data?.['port'] !== PORT);
    expect(otherPorts.length).toBe(cluster.apiServers.length * 3);
    expect(otherPorts.every((r) => r.status === 'ok')).toBe(true);
  });
});
