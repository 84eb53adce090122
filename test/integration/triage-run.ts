// What the triage tests share: run `check` as a user does (table, then JSON), read the
// "Most likely cause" block, and hold the run to its time bound.
import { expect } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { parseJsonReport, runCli, type CliOptions, type CliRun } from '../helpers/cli.js';

/**
 * The longest chain of probes that wait on each other: GET /version during discovery (its
 * TLS handshake first), then per endpoint TCP, TLS and one HTTP request. Anything else runs
 * beside these chains, not after them.
 */
export const LONGEST_PROBE_CHAIN = 4;
/** Node start-up, the simulator and two busy cores. */
const MARGIN_MS = 3000;

export function timeBound(timeoutMs: number): number {
  return timeoutMs * LONGEST_PROBE_CHAIN + MARGIN_MS;
}

export interface Diagnosis {
  table: CliRun;
  json: CliRun;
  report: Report;
  /** The block's lines without its title; [0] names the cause. */
  cause: string[];
}

/** The lines under "Most likely cause", up to the blank line that ends the block. */
export function mostLikelyCause(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf('Most likely cause');
  if (start === -1) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** Runs `check` twice (table, JSON), each within the bound for its --timeout, and prints the times. */
export async function diagnose(name: string, args: string[], timeoutMs: number, options: CliOptions = {}): Promise<Diagnosis> {
  const full = ['check', ...args, '--timeout', `${timeoutMs}ms`];
  const bound = timeBound(timeoutMs);
  const table = await runCli(full, { killAfterMs: bound * 2, ...options });
  const json = await runCli([...full, '-o', 'json'], { killAfterMs: bound * 2, ...options });
  console.log(
    `[triage] ${name}: table ${table.ms} ms, json ${json.ms} ms (bound ${bound} ms = ${LONGEST_PROBE_CHAIN} × --timeout ${timeoutMs} ms + ${MARGIN_MS} ms)`,
  );
  expect(table.ms, `${name}: table run`).toBeLessThan(bound);
  expect(json.ms, `${name}: json run`).toBeLessThan(bound);
  return { table, json, report: parseJsonReport(json), cause: mostLikelyCause(table.stdout) };
}
