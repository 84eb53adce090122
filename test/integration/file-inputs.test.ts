// Files the user names are read only when they are regular files, and never past a size cap:
// /dev/zero once aborted the process (std::bad_alloc), a FIFO blocked it for good and a sparse
// file of terabytes would be read whole. Spawned as a user runs it, on real devices, a real
// FIFO (mkfifo) and a real sparse file; `-` reads a kubeconfig from a real pipe.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostPlan } from '../../src/sim/hosts.js';
import { createCa, kubeconfigYaml } from '../../src/sim/pki.js';
import { BLOCKS } from '../helpers/blocks.js';
import { BIN, emptyHome, expectUsageError, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-file-inputs-'));
const fifo = join(dir, 'fifo');
const sparse = join(dir, 'sparse');
const folder = join(dir, 'folder');
// Nothing listens here: a run that gets this far ends with a refused API server, quickly.
const SERVER = `https://${hostPlan(BLOCKS.fileInputs).spare(0)}:6443`;
let kubeconfigText: string;

beforeAll(async () => {
  execFileSync('mkfifo', [fifo]);
  mkdirSync(folder);
  const fd = openSync(sparse, 'w');
  ftruncateSync(fd, 1024 ** 4); // 1 TiB, no disk blocks
  closeSync(fd);
  const ca = await createCa('kubernetes');
  kubeconfigText = kubeconfigYaml({ server: SERVER, caPem: ca.certPem, user: { token: 'file-inputs-token' } });
});

// A FIFO that blocked the run would be killed here and fail the exit-code assertion.
const run = (args: string[]) => runCli(args, { killAfterMs: 15_000 });

describe.each([
  ['--kubeconfig', /kubeconfig /],
  ['--config', /--config: cannot read config file /],
])('%s names something that is not a regular file: exit 2, one line', (flag, prefix) => {
  it.each([
    ['/dev/zero', /is a character device, not a regular file/],
    ['a FIFO', /is a FIFO \(named pipe\), not a regular file/],
    ['a directory', /is a directory, not a regular file/],
    ['a 1 TiB sparse file', /is 1048576 MB, more than the \d+\.\d MB read at most/],
  ])('%s', async (what, message) => {
    const path = { '/dev/zero': '/dev/zero', 'a FIFO': fifo, 'a directory': folder, 'a 1 TiB sparse file': sparse }[what]!;
    const result = await run([flag, path, '-o', 'json']);
    expectUsageError(result, message);
    expect(result.stderr).toMatch(prefix);
    expect(result.stderr).toContain(path);
  });
});

it('--etcd-cacert /dev/zero: exit 2 naming the flag, not an aborted process', async () => {
  expectUsageError(
    await run(['--etcd', `https://${hostPlan(BLOCKS.fileInputs).spare(1)}:2379`, '--etcd-cacert', '/dev/zero']),
    /--etcd-cacert: \/dev\/zero is a character device/,
  );
});

it('a FIFO inside --pki-dir is reported as a file problem and the run finishes', async () => {
  const pki = join(dir, 'pki');
  mkdirSync(pki);
  execFileSync('mkfifo', [join(pki, 'apiserver.crt')]);
  const report = parseJsonReport(await run(['--pki-dir', pki, '--only', 'certs-files', '-o', 'json']));
  const problem = report.results.find((r) => r.subject.endsWith('apiserver.crt'));
  expect(problem?.message).toMatch(/apiserver\.crt is a FIFO \(named pipe\), not a regular file/);
});

function runWithStdin(args: string[], input: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: emptyHome() }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: 0 });
    });
    // A reader that stops early closes the pipe: that is its answer, not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('--kubeconfig - reads standard input when asked', () => {
  it('a kubeconfig piped in is used', async () => {
    const result = await runWithStdin(['--kubeconfig', '-', '--only', 'apiserver-reachable', '-o', 'json'], kubeconfigText);
    const report = parseJsonReport(result);
    expect(report.target.server).toBe(SERVER);
    expect(report.results.map((r) => r.code)).toContain('apiserver-refused');
  });

  it('a pipe longer than the cap is refused while reading', async () => {
    const result = await runWithStdin(['--kubeconfig', '-', '-o', 'json'], 'x'.repeat(9 * 1024 * 1024));
    expectUsageError(result, /kubeconfig standard input is more than the 8\.0 MB read at most/);
  });
});
