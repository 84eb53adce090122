import type { FailOn } from '../options.js';

export interface RenderOptions {
  /** Decided once by the CLI: TTY, NO_COLOR, --no-color. */
  color: boolean;
  /** Width to lay the terminal report out for: the terminal's, else COLUMNS, else 80. */
  width: number;
  /** JUnit marks warnings as failures only when they fail the run. */
  failOn: FailOn;
  /** `-o wide`: every column and every folded row, lines may run past the width. */
  wide?: boolean;
  /** `--problems-only`: the verdict and the problems, no tables. */
  problemsOnly?: boolean;
}
