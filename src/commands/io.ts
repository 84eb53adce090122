// What a command may use of the process, handed in by cli.ts so that nothing below it
// exits or writes to stdout on its own.
export interface CommandIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdoutIsTTY: boolean;
  columns: number;
  signal: AbortSignal;
  /** Resolves on Ctrl-C (demo --keep waits for it). */
  interrupted: () => Promise<void>;
}

export interface CommandResult {
  /** What goes to stdout. */
  output: string;
  /** 2 only when part of the work could not run as asked (one of several contexts). */
  exitCode: 0 | 1 | 2;
  /** Runs after the output is written, before the process exits (demo --keep waits here). */
  afterOutput?: () => Promise<void>;
}
