// Exec credential plugins as real processes: small scripts in a temp folder that hang, prompt,
// fail, print garbage or answer, run through the ExecCredential protocol.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExecPluginError, parseExecConfig, runExecPlugin, type ExecConfig } from '../../src/auth/exec-plugin.js';

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-exec-'));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function config(command: string, extra: Partial<ExecConfig> = {}): ExecConfig {
  return { command, args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'IfAvailable', installHint: null, ...extra };
}

function run(c: ExecConfig, o: { timeoutMs?: number; signal?: AbortSignal; stdinIsTTY?: boolean } = {}) {
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString('utf8')));
  const result = runExecPlugin(c, {
    timeoutMs: o.timeoutMs ?? 10_000,
    stdinIsTTY: o.stdinIsTTY ?? false,
    stderr,
    env: { PATH: process.env.PATH },
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { result, shown: () => shown };
}

/** Gone, or a zombie no one reaped yet (a container's init may never reap): either way not running. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function eventuallyGone(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 100 && pids.some(running); i++) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(running);
}

// Any C0 control character: none may reach a message meant for a terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

const GOOD = JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: 'tok-123', expirationTimestamp: '2030-01-01T00:00:00Z' },
});

describe('exec credential plugins', () => {
  it('returns the token of a valid ExecCredential, and tells the plugin it is not interactive', async () => {
    const info = join(dir, 'info.json');
    const c = config(script('good.sh', `printf '%s' "$KUBERNETES_EXEC_INFO" > ${info}; echo '${GOOD}'`));
    const cred = await run(c).result;
    expect(cred.token).toBe('tok-123');
    expect(cred.expirationTimestamp?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(JSON.parse(readFileSync(info, 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
  });

  it('a hanging plugin is stopped at the auth timeout with its whole process group', async () => {
    const pids = join(dir, 'hang.pids');
    const c = config(script('hang.sh', `sleep 300 & echo $! > ${pids}; echo $$ >> ${pids}; wait`));
    const { result } = run(c, { timeoutMs: 300 });
    await expect(result).rejects.toThrow(ExecPluginError);
    await expect(result).rejects.toThrow(/exec plugin .*hang\.sh gave no credential within --auth-timeout 300 ms; it was stopped/);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started).toHaveLength(2);
    expect(await eventuallyGone(started)).toEqual([]);
  });

  it('an interrupted run stops the plugin and its children', async () => {
    const pids = join(dir, 'int.pids');
    const c = config(script('int.sh', `sleep 300 & echo $! > ${pids}; echo $$ >> ${pids}; wait`));
    const controller = new AbortController();
    const { result } = run(c, { signal: controller.signal });
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        if (readFileSync(pids, 'utf8').trim().split('\n').length === 2) break;
      } catch {
        // not written yet
      }
    }
    controller.abort();
    await expect(result).rejects.toThrow(/stopped: the run was interrupted/);
    expect(await eventuallyGone(readFileSync(pids, 'utf8').trim().split('\n').map(Number))).toEqual([]);
  });

  it('a prompt on stderr is shown as it comes, and a non-interactive run gives the plugin no stdin', async () => {
    const c = config(
      script(
        'prompt.sh',
        `printf 'Open https://login.example/device and enter code ABCD: ' >&2; read answer || { echo 'no terminal to read the code from' >&2; exit 3; }`,
      ),
    );
    const { result, shown } = run(c);
    await expect(result).rejects.toThrow(/failed with exit code 3: .*no terminal to read the code from$/);
    expect(shown()).toContain('Open https://login.example/device and enter code ABCD: ');
  });

  it('interactiveMode Always without a terminal is refused before the plugin starts', async () => {
    const marker = join(dir, 'always-ran');
    const c = config(script('always.sh', `touch ${marker}`), { interactiveMode: 'Always' });
    await expect(run(c).result).rejects.toThrow(/needs an interactive terminal \(interactiveMode: Always\), but stdin is not a terminal/);
    expect(() => readFileSync(marker)).toThrow();
  });

  it('a failure explained on stdout is shown', async () => {
    const c = config(script('fail-stdout.sh', `echo 'error: you must be logged in to the server (run: login --sso)'; exit 1`));
    await expect(run(c).result).rejects.toThrow(/failed with exit code 1: error: you must be logged in to the server \(run: login --sso\)$/);
  });

  it('garbage on stdout never reaches the message; control characters in a failure are escaped and the excerpt bounded', async () => {
    const garbage = config(script('garbage.sh', `printf 'SECRETPREFIX\\033]0;pwned\\007\\001\\002 not json at all'`));
    const err = await run(garbage).result.catch((e: Error) => e);
    expect(err).toBeInstanceOf(ExecPluginError);
    expect((err as Error).message).toMatch(/printed \d+ bytes on stdout that are not an ExecCredential \(not JSON\)$/);
    expect((err as Error).message).not.toMatch(/SECRET|pwned|json at/);
    expect((err as Error).message).not.toMatch(CONTROL);

    const noisy = config(script('noisy.sh', `printf '\\033[2Jwiped %0500d\\n' 0 >&2; exit 2`));
    const msg = ((await run(noisy).result.catch((e: Error) => e)) as Error).message;
    expect(msg).toContain('\\x1b[2Jwiped ');
    expect(msg).not.toMatch(CONTROL);
    expect(msg.length).toBeLessThan(450);
  });

  it.each([
    [
      'wrong apiVersion',
      { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 't' } },
      /answered with apiVersion client\.authentication\.k8s\.io\/v1beta1, but the kubeconfig asks for client\.authentication\.k8s\.io\/v1/,
    ],
    ['wrong kind', { apiVersion: 'client.authentication.k8s.io/v1', kind: 'Secret', status: { token: 't' } }, /kind is not ExecCredential/],
    ['no status', { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential' }, /without status/],
    [
      'nothing in status',
      { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {} },
      /neither a token nor a client certificate and key/,
    ],
    [
      'certificate without key',
      { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: 'x' } },
      /a client certificate without its key/,
    ],
    [
      'bad expiry',
      { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 't', expirationTimestamp: 'soon' } },
      /expirationTimestamp is not a time/,
    ],
  ])('an ExecCredential with %s is refused', async (_name, body, message) => {
    const c = config(script(`bad-${_name.replace(/ /g, '-')}.sh`, `echo '${JSON.stringify(body)}'`));
    await expect(run(c).result).rejects.toThrow(message);
  });

  it('a plugin not on PATH says so, with the install hint', async () => {
    const c = config('k8sdoc-no-such-plugin', { installHint: 'install it with: brew install no-such-plugin' });
    await expect(run(c).result).rejects.toThrow(/exec plugin k8sdoc-no-such-plugin was not found on PATH; install it with: brew install no-such-plugin/);
  });

  it('reads the exec config as client-go does: v1 needs interactiveMode, v1beta1 defaults to IfAvailable, v1alpha1 is gone', () => {
    expect(() => parseExecConfig({ command: 'x', apiVersion: 'client.authentication.k8s.io/v1' }, "user 'u'")).toThrow(/interactiveMode must be set/);
    expect(parseExecConfig({ command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', env: [{ name: 'A', value: 'b' }] }, "user 'u'")).toMatchObject({
      interactiveMode: 'IfAvailable',
      env: [{ name: 'A', value: 'b' }],
    });
    expect(() => parseExecConfig({ command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' }, "user 'u'")).toThrow(/not supported/);
  });
});
