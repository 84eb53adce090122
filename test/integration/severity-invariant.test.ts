// One problem, one line of severity, over every scenario the simulator has (`k8sdoc demo
// --list`, shapes included): the CLI spawned against each with `-o json`, as `k8sdoc demo`
// points it, with real etcd members where the scenario has etcd. In every report no explained
// finding is graver than the root cause it points at, the exit code is the same with the
// explained findings taken out (recomputed under --fail-on warn and crit), and the summary (the
// JSON's and the table's of the same report) counts each problem once.
//
// Scenarios run a few at a time, each in its own address block, so the whole sweep takes
// minutes, not the sum of its runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/engine/report.js';
import type { Report, ReportResult } from '../../src/engine/types.js';
import { renderTable } from '../../src/render/table.js';
import { startDemo } from '../../src/sim/demo.js';
import { ALL_SCENARIO_NAMES, type AnyScenarioName } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

/** Blocks severityInvariant .. +5: one scenario in each at a time. */
const POOL = 6;
const ORDER: Record<string, number> = { ok: 0, skip: 0, error: 0, warn: 1, crit: 2 };
/** Generous: the scenarios are what is judged here, not a loaded machine's slow answers. */
const TIMEOUT = ['--timeout', '10s'];

interface Sweep {
  json: CliRun;
  report: Report;
}

const registryDir = mkdtempSync(join(tmpdir(), 'k8sdoc-severity-invariant-'));
afterAll(() => rmSync(registryDir, { recursive: true, force: true }));

async function sweepOne(name: AnyScenarioName, block: number): Promise<Sweep> {
  const demo = await startDemo(name, { block, registryDir });
  try {
    const json = await runCli(['check', ...demo.checkArgv, ...TIMEOUT, '-o', 'json', '--fail-on', 'warn'], {
      env: { HOME: emptyHome() },
      killAfterMs: 180_000,
    });
    return { json, report: parseJsonReport(json) };
  } finally {
    await demo.stop();
  }
}

/** Every scenario, started and diagnosed once, POOL at a time; each test reads its own. */
const sweeps = new Map<AnyScenarioName, Promise<Sweep>>();
function sweepAll(): void {
  const queue = [...ALL_SCENARIO_NAMES];
  const waiting = new Map<AnyScenarioName, { resolve: (s: Sweep) => void; reject: (e: unknown) => void }>();
  for (const name of queue) {
    const sweep = new Promise<Sweep>((resolve, reject) => waiting.set(name, { resolve, reject }));
    // Its test awaits it (and fails on it) later; until then a failure is not unhandled.
    sweep.catch(() => undefined);
    sweeps.set(name, sweep);
  }
  for (let i = 0; i < POOL; i++) {
    const block = BLOCKS.severityInvariant + i;
    void (async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const w = waiting.get(name)!;
        await sweepOne(name, block).then(w.resolve, w.reject);
      }
    })();
  }
}

/** The exit code the results imply under --fail-on, counting every result given (as a reader of the JSON would). */
function exitFrom(results: readonly ReportResult[], failOn: 'warn' | 'crit'): 0 | 1 {
  const threshold = failOn === 'warn' ? 1 : 2;
  return results.some((r) => !r.ignored && (ORDER[r.status]! >= threshold || r.status === 'error')) ? 1 : 0;
}

const isProblem = (r: ReportResult) => !r.ignored && (r.status === 'warn' || r.status === 'crit');
const key = (r: { code?: string; subject: string }) => `${r.code} on ${r.subject}`;

function shown(report: Report): string {
  return report.results
    .filter(isProblem)
    .map((r) => `${r.status} ${key(r)}${r.explainedBy ? `  <- ${key(r.explainedBy)}` : ''}`)
    .join('\n');
}

describe('every simulator scenario: one problem, one line of severity', () => {
  sweepAll();

  for (const name of ALL_SCENARIO_NAMES) {
    it(`${name}: no echo graver than its cause, the same exit without the echoes, each problem counted once`, async () => {
      const { json, report } = await sweeps.get(name)!;
      const why = `${name}\n${shown(report)}\n${json.stderr.slice(0, 500)}`;
      const results = report.results.filter((r) => !r.ignored);
      const problems = results.filter(isProblem);
      const roots = problems.filter((r) => r.explainedBy === undefined);
      const echoes = problems.filter((r) => r.explainedBy !== undefined);

      // Follow explainedBy: it names a root cause in the report (which is no echo itself), at
      // least as grave as the echo.
      for (const e of echoes) {
        const cause = roots.filter((r) => key(r) === key(e.explainedBy!));
        expect(cause, `${key(e)} points at ${key(e.explainedBy!)}\n${why}`).toHaveLength(1);
        expect(ORDER[e.status], `${e.status} ${key(e)} under ${cause[0]!.status} ${key(cause[0]!)}\n${why}`).toBeLessThanOrEqual(ORDER[cause[0]!.status]!);
      }
      expect(results.filter((r) => r.explainedBy !== undefined && !isProblem(r)).map(key), why).toEqual([]);

      // The exit code follows the problems: the same with the echoes taken out, under both thresholds.
      expect(json.code, why).toBe(exitFrom(results, 'warn'));
      expect(
        exitFrom(
          results.filter((r) => !r.explainedBy),
          'warn',
        ),
        why,
      ).toBe(exitFrom(results, 'warn'));
      // One run has one exit code: the default threshold's is the tool's own verdict on the same report.
      expect(exitCodeFor(report, 'crit'), why).toBe(exitFrom(results, 'crit'));
      expect(
        exitFrom(
          results.filter((r) => !r.explainedBy),
          'crit',
        ),
        why,
      ).toBe(exitFrom(results, 'crit'));

      // Each problem once: every root cause is listed once in rootCauses, no echo is listed as one.
      expect(report.rootCauses.map(key).sort(), why).toEqual(roots.map(key).sort());
      for (const e of echoes) {
        const cause = report.rootCauses.find((rc) => key(rc) === key(e.explainedBy!))!;
        expect(cause.explainsFindings.map(key), why).toContain(key(e));
      }
      const alsoSeen = echoes.filter((e) => key(e) === key(e.explainedBy!)).length;
      if (echoes.length === 0) expect(report.summary.problems, why).toBeUndefined();
      else {
        expect(report.summary.problems, why).toBe(roots.length);
        expect(report.summary.explained, why).toBe(echoes.length - alsoSeen || undefined);
      }

      // The table of this very report says the same: "1 problem explains N findings" and the status.
      const table = renderTable(report, { color: false, width: 400 });
      const summary = table.split('\n').find((l) => l.startsWith('Summary: '));
      expect(summary, table.slice(-1500)).toBeDefined();
      const s = report.summary;
      const phrase =
        s.explained !== undefined
          ? `; ${s.problems} problem${s.problems === 1 ? ' explains' : 's explain'} ${s.explained} finding${s.explained === 1 ? '' : 's'} `
          : s.problems !== undefined
            ? `; ${s.problems} problem${s.problems === 1 ? '' : 's'} `
            : null;
      if (phrase) expect(summary, why).toContain(phrase);
      else expect(summary, why).not.toMatch(/problems? explains?/);
      expect(summary, why).toMatch(new RegExp(`→ ${report.status.toUpperCase()}$`));
    }, 600_000);
  }
});
