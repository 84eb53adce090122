// Runs the built CLI as a user runs it: a child process, no TTY, its own environment.
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertValidReport } from './report-schema.js';
import { REQUEST_LOG_FILE_ENV } from '../../src/sim/request-log.js';

export const BIN = resolve('bin/k8sdoc');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the child after this long (a hang is a test failure, not a stuck suite). */
  killAfterMs?: number;
}

/** A HOME with no kubeconfig and no config file, so the developer's own never leak in. */
export function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'k8sdoc-home-'));
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const started = performance.now();
  const home = options.env?.HOME ?? emptyHome();
  // The suite's request log file (global-setup.ts) goes along, so that servers a spawned
  // `k8sdoc demo` starts are held to the same read-only rule.
  const requestLog = process.env[REQUEST_LOG_FILE_ENV];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, ...(requestLog ? { [REQUEST_LOG_FILE_ENV]: requestLog } : {}), ...options.env };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd ?? home, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/** The report on stdout, validated against docs/report.schema.json. */
export function parseJsonReport(run: CliRun): import('../../src/engine/types.js').Report {
  let report: unknown;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\nstderr:\n${run.stderr.slice(0, 2000)}`);
  }
  assertValidReport(report);
  return report;
}

/** A usage error as the contract wants it: exit 2, nothing on stdout, one line on stderr, no stack. */
export function expectUsageError(run: CliRun, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^k8sdoc: /);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

/** The results that are not ok, one line each: the message an exit-code assertion shows when a
 * run that should be healthy is not, so a failure in CI says which finding it was. */
export function problemsOf(report: import('../../src/engine/types.js').Report): string {
  const problems = report.results.filter((r) => r.status !== 'ok' && r.status !== 'skip');
  return problems.length === 0 ? 'no problems' : problems.map((r) => `${r.status} ${r.check} ${r.code ?? ''} ${r.subject}: ${r.message}`).join('\n');
}
