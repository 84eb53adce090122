import type { FailOn } from '../options.js';

export interface RenderOptions {
  /** Decided once by the CLI: TTY, NO_COLOR, --no-color. */
  color: boolean;
  /** Terminal width for the table. */
  width: number;
  /** JUnit marks warnings as failures only when they fail the run. */
  failOn: FailOn;
}
