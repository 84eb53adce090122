// What a person at a terminal sees on stderr while k8sdoc works: one live line (checks
// done of total, the slowest still running) and, with --wait, a line per run naming what
// still fails. Only for a TTY and the table output: logs and machine formats stay clean.
import type { CheckProgress } from './engine/runner.js';
import type { WaitAttempt } from './engine/wait.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Starts a run of `total` checks. */
  begin(total: number): void;
  onCheck(event: CheckProgress): void;
  onWaitAttempt(attempt: WaitAttempt): void;
  /** Clears the live line; call before anything else is written. */
  end(): void;
}

const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[K';

export function progressWanted(stream: ProgressStream, output: string): boolean {
  return stream.isTTY === true && output === 'table';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

const SILENT: Progress = { begin: () => undefined, onCheck: () => undefined, onWaitAttempt: () => undefined, end: () => undefined };

export function createProgress(stream: ProgressStream, enabled: boolean, now: () => number = () => performance.now()): Progress {
  if (!enabled) return SILENT;
  const running = new Map<string, number>();
  let total = 0;
  let done = 0;
  let timer: NodeJS.Timeout | undefined;
  let shown = false;

  const fit = (text: string) => {
    const width = Math.max(20, (stream.columns || 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  const draw = () => {
    let slowest: [string, number] | undefined;
    for (const entry of running) if (!slowest || entry[1] < slowest[1]) slowest = entry;
    const tail = slowest ? ` · slowest: ${slowest[0]} ${seconds(now() - slowest[1])}` : '';
    stream.write(`${CLEAR_LINE}${fit(`k8sdoc: ${done}/${total} checks done${tail}`)}`);
    shown = true;
  };
  const clear = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (shown) stream.write(CLEAR_LINE);
    shown = false;
  };

  return {
    begin(n) {
      total = n;
      done = 0;
      running.clear();
      draw();
      timer = setInterval(draw, REDRAW_MS);
      timer.unref();
    },
    onCheck(event) {
      if (event.kind === 'start') running.set(event.check, now());
      else {
        running.delete(event.check);
        done += 1;
      }
    },
    onWaitAttempt(a) {
      clear();
      // The verdict line after the wait says when it passed.
      if (a.passed) return;
      const left = a.remainingMs > 0 ? `, ${seconds(a.remainingMs)} left` : ', time is up';
      stream.write(`k8sdoc: run ${a.attempt} at ${seconds(a.elapsedMs)}: ${a.failing.length} check${a.failing.length === 1 ? '' : 's'} still failing${left}\n`);
      for (const f of a.failing) stream.write(fit(`  ${f.check}: ${f.message}`) + '\n');
    },
    end: clear,
  };
}
