// What the triage tests share: run `check` as a user does (table, then JSON), read what the
// table says of the most likely cause, and hold the run to its time bound.
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

/** Lines a layout wrapped, joined back: the first line and the continuation lines under it (more indented). */
function joinWrapped(lines: string[], start: number): { text: string; next: number } {
  const indent = (l: string) => l.length - l.trimStart().length;
  let text = lines[start]!;
  let i = start + 1;
  while (i < lines.length && lines[i]!.trim() !== '' && indent(lines[i]!) > indent(lines[start]!)) text += ` ${lines[i++]!.trim()}`;
  return { text, next: i };
}

/**
 * What the table says of the most likely cause, one line each whatever the terminal width:
 * `  <code>  <subject>: <message>` from the first problem, its `  Same on: …` line when the
 * fault is on several subjects, and the verdict's `  First step: …`.
 */
export function mostLikelyCause(stdout: string): string[] {
  const lines = stdout.split('\n');
  const problems = lines.indexOf('PROBLEMS');
  if (problems === -1) return [];
  // The title (`CRIT <code>  <subject>`), its continuation lines indented by four.
  let i = problems + 3;
  let head = lines[problems + 2]!;
  while (lines[i]?.startsWith('    ')) head += ` ${lines[i++]!.trim()}`;
  const title = head.match(/^[A-Z]+ (\S+) +(.*)$/);
  if (!title) return [];
  const out: string[] = [];
  const message: string[] = [];
  while (i < lines.length && /^ {2}\S/.test(lines[i]!) && !/^ {2}(Same on|Explains|Symptom|Cause|Fix|Docs):?/.test(lines[i]!)) message.push(lines[i++]!.trim());
  out.push(`  ${title[1]}  ${title[2]}: ${message.join(' ')}`);
  if (lines[i]?.startsWith('  Same on: ')) out.push(joinWrapped(lines, i).text);
  const step = lines.findIndex((l) => l.startsWith('  First step: '));
  if (step !== -1 && step < problems) out.push(joinWrapped(lines, step).text);
  return out;
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
