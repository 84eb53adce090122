// The real kubectl against a simulated cluster, as the fidelity tests run it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl with a fresh discovery cache, so no test sees another's. */
export async function kubectl(kubeconfig: string, args: string[]): Promise<KubectlResult> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'k8sdoc-kubectl-cache-'));
  try {
    const { stdout, stderr } = await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout=20s', ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}
