// Exec credential plugins (kubelogin, aws eks get-token, gke-gcloud-auth-plugin …), spoken
// as client-go speaks the ExecCredential protocol, but bounded: the plugin's stdin is the
// user's terminal when the exec config allows it (an interactive login works), its stderr is
// shown as it comes (a prompt is seen), it runs in its own process group, and that whole group
// is killed when --auth-timeout runs out, when the run is interrupted, or when k8sdoc exits.
import { spawn } from 'node:child_process';
import { safeText } from '../util/terminal-text.js';

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: (typeof EXEC_API_VERSIONS)[number];
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  installHint: string | null;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: Date;
}

export interface ExecRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Whether stdin is a terminal the plugin may prompt on (process.stdin.isTTY). */
  stdinIsTTY: boolean;
  /** Where the plugin's stderr goes (the user's terminal). */
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** An ExecCredential answer is a few kB (a certificate pair at most); more is not one. */
const MAX_STDOUT_BYTES = 1024 * 1024;
/** What a failure message may quote of the plugin's own words. */
const EXCERPT_CHARS = 300;
/** After SIGTERM, how long the plugin's group has before SIGKILL. */
const KILL_GRACE_MS = 1000;

/** Process groups of plugins still running: killed when k8sdoc exits, whatever the path. */
const liveGroups = new Set<number>();
let exitHook = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function registerGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const g of liveGroups) killGroup(g, 'SIGKILL');
    });
  }
}

/** Stops the plugin's whole group: SIGTERM, then SIGKILL if anything of it is left. */
function stopGroup(pid: number): void {
  killGroup(pid, 'SIGTERM');
  const t = setTimeout(() => {
    killGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
  }, KILL_GRACE_MS);
  t.unref();
}

export class ExecPluginError extends Error {
  override readonly name = 'ExecPluginError';
}

/** Reads and checks the user entry's `exec` mapping as client-go does. */
export function parseExecConfig(raw: unknown, where: string): ExecConfig {
  if (typeof raw !== 'object' || raw === null) throw new ExecPluginError(`${where}: exec must be a mapping`);
  const e = raw as Record<string, unknown>;
  if (typeof e.command !== 'string' || e.command === '') throw new ExecPluginError(`${where}: exec has no command`);
  const apiVersion = e.apiVersion;
  if (!EXEC_API_VERSIONS.includes(apiVersion as ExecConfig['apiVersion'])) {
    throw new ExecPluginError(
      `${where}: exec apiVersion ${typeof apiVersion === 'string' ? safeText(apiVersion) : '(none)'} is not supported; use ${EXEC_API_VERSIONS.join(' or ')}`,
    );
  }
  const args = Array.isArray(e.args) ? e.args.map(String) : [];
  const env = Array.isArray(e.env)
    ? (e.env as unknown[]).map((v) => {
        const pair = v as { name?: unknown; value?: unknown };
        if (typeof pair?.name !== 'string') throw new ExecPluginError(`${where}: exec env entries need a name and a value`);
        return { name: pair.name, value: String(pair.value ?? '') };
      })
    : [];
  let interactiveMode = e.interactiveMode;
  // v1beta1 predates the field and behaved as IfAvailable; v1 requires it.
  if (interactiveMode === undefined || interactiveMode === '') {
    if (apiVersion === 'client.authentication.k8s.io/v1') throw new ExecPluginError(`${where}: exec interactiveMode must be set for apiVersion ${apiVersion}`);
    interactiveMode = 'IfAvailable';
  }
  if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') {
    throw new ExecPluginError(`${where}: exec interactiveMode must be Never, IfAvailable or Always`);
  }
  return {
    command: e.command,
    args,
    env,
    apiVersion: apiVersion as ExecConfig['apiVersion'],
    interactiveMode,
    installHint: typeof e.installHint === 'string' ? e.installHint : null,
  };
}

/** The plugin's last words, from stderr first, else stdout: one bounded, escaped line. */
function excerpt(stderrTail: string, stdout: string): string {
  for (const text of [stderrTail, stdout]) {
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (lines.length === 0) continue;
    const line = lines[lines.length - 1]!;
    const cut = line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
    return safeText(cut);
  }
  return '';
}

function validate(stdout: string, config: ExecConfig, what: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    // Never quote it: it is not ours to show, and half of it may be a token.
    throw new ExecPluginError(`${what} printed ${Buffer.byteLength(stdout)} bytes on stdout that are not an ExecCredential (not JSON)`);
  }
  const d = doc as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> } | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new ExecPluginError(`${what} printed JSON that is not an ExecCredential object`);
  if (d.kind !== 'ExecCredential') throw new ExecPluginError(`${what} printed an object whose kind is not ExecCredential`);
  if (d.apiVersion !== config.apiVersion) {
    throw new ExecPluginError(
      `${what} answered with apiVersion ${typeof d.apiVersion === 'string' ? safeText(d.apiVersion.slice(0, 80)) : '(none)'}, but the kubeconfig asks for ${config.apiVersion}`,
    );
  }
  const status = d.status;
  if (typeof status !== 'object' || status === null) throw new ExecPluginError(`${what} printed an ExecCredential without status`);
  const cred: ExecCredential = {};
  const str = (key: string) => {
    const v = status[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new ExecPluginError(`${what}: status.${key} must be a string`);
    return v;
  };
  cred.token = str('token');
  cred.clientCertificateData = str('clientCertificateData');
  cred.clientKeyData = str('clientKeyData');
  if ((cred.clientCertificateData === undefined) !== (cred.clientKeyData === undefined)) {
    throw new ExecPluginError(
      `${what} returned ${cred.clientKeyData === undefined ? 'a client certificate without its key' : 'a client key without its certificate'}`,
    );
  }
  if (cred.token === undefined && cred.clientCertificateData === undefined)
    throw new ExecPluginError(`${what} returned neither a token nor a client certificate and key`);
  const expiry = str('expirationTimestamp');
  if (expiry !== undefined) {
    const at = new Date(expiry);
    if (Number.isNaN(at.getTime())) throw new ExecPluginError(`${what}: status.expirationTimestamp is not a time`);
    cred.expirationTimestamp = at;
  }
  return cred;
}

/** Runs the plugin once and returns its credential, or throws an ExecPluginError saying why not. */
export function runExecPlugin(config: ExecConfig, options: ExecRunOptions): Promise<ExecCredential> {
  const what = `exec plugin ${safeText(config.command)}`;
  if (config.interactiveMode === 'Always' && !options.stdinIsTTY) {
    return Promise.reject(new ExecPluginError(`${what} needs an interactive terminal (interactiveMode: Always), but stdin is not a terminal`));
  }
  if (options.signal?.aborted) return Promise.reject(new ExecPluginError(`${what} not started: the run was interrupted`));
  const interactive = config.interactiveMode !== 'Never' && options.stdinIsTTY;
  const execInfo = { apiVersion: config.apiVersion, kind: 'ExecCredential', spec: { interactive } };
  const env: NodeJS.ProcessEnv = { ...options.env, KUBERNETES_EXEC_INFO: JSON.stringify(execInfo) };
  for (const { name, value } of config.env) env[name] = value;

  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(config.command, config.args, {
        env,
        // Its own process group, so that the plugin and whatever it starts (a browser helper,
        // a nested CLI) are killed together, and Ctrl-C reaches k8sdoc, which stops it.
        detached: true,
        stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      reject(new ExecPluginError(`${what} could not be started: ${(err as Error).message.split('\n')[0]}`));
      return;
    }
    const pid = child.pid;
    if (pid !== undefined) registerGroup(pid);
    let stdout = '';
    let stdoutBytes = 0;
    let stderrTail = '';
    let settled = false;
    const finish = (err: Error | null, value?: ExecCredential) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        if (err) stopGroup(pid);
        else liveGroups.delete(pid);
      }
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new ExecPluginError(
            `${what} gave no credential within --auth-timeout ${options.timeoutMs} ms; it was stopped (run it by hand to see what it waits for)`,
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = () => finish(new ExecPluginError(`${what} stopped: the run was interrupted`));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout!.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) {
        finish(new ExecPluginError(`${what} printed more than ${MAX_STDOUT_BYTES} bytes on stdout; that is not an ExecCredential`));
        return;
      }
      stdout += chunk.toString('utf8');
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      // Shown as it comes (a prompt, a login URL), as kubectl shows it; the tail is kept for the
      // failure message.
      options.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      const hint = config.installHint ? `; ${safeText(config.installHint.split('\n')[0]!.slice(0, 200))}` : '';
      const why = err.code === 'ENOENT' ? 'was not found on PATH' : `could not be started (${err.code ?? err.message})`;
      finish(new ExecPluginError(`${what} ${why}${hint}`));
    });
    child.once('close', (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const words = excerpt(stderrTail, stdout);
        const how = signal ? `was killed by ${signal}` : `failed with exit code ${code}`;
        finish(new ExecPluginError(`${what} ${how}${words ? `: ${words}` : ' and printed nothing to say why'}`));
        return;
      }
      try {
        finish(null, validate(stdout, config, what));
      } catch (err) {
        finish(err as Error);
      }
    });
  });
}
