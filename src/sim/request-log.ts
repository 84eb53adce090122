// Every request any simulated server answered, in order. Tests read it to prove what a
// client did: above all that k8sdoc only ever reads (no method but GET reaches a server).
// With K8SDOC_SIM_REQUEST_LOG naming a file, every request is also appended to it as one
// JSON line, so that the test suite can check all its servers at once, spawned demos too.
import { appendFileSync, readFileSync } from 'node:fs';

export interface LoggedRequest {
  at: Date;
  /** host:port of the server that answered (an API server or a kubelet). */
  server: string;
  method: string;
  /** Path with its query string, as sent. */
  path: string;
  /** User name the server authenticated (`system:anonymous` when none). */
  identity: string;
  groups: string[];
  /** The client's User-Agent header (`k8sdoc`, `kubectl/…`); empty when it sent none. */
  userAgent?: string;
  status: number;
  durationMs: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Tests that send a write on purpose (to prove the simulator refuses it) say so with this User-Agent. */
export const DELIBERATE_WRITE_USER_AGENT = 'k8sdoc-sim-test/deliberate-write';

/** Environment variable naming a file that every simulated server appends its requests to. */
export const REQUEST_LOG_FILE_ENV = 'K8SDOC_SIM_REQUEST_LOG';

/** The requests appended to a K8SDOC_SIM_REQUEST_LOG file (dates as ISO strings); none when it does not exist. */
export function readRequestLogFile(path: string): (Omit<LoggedRequest, 'at'> & { at: string })[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Omit<LoggedRequest, 'at'> & { at: string });
}

export class RequestLog {
  private readonly list: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.list.push(entry);
    const file = process.env[REQUEST_LOG_FILE_ENV];
    if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
  }

  entries(filter?: (e: LoggedRequest) => boolean): LoggedRequest[] {
    return filter ? this.list.filter(filter) : [...this.list];
  }

  /** Requests that would have changed the cluster on a real server. */
  writes(): LoggedRequest[] {
    return this.list.filter((e) => !READ_METHODS.has(e.method));
  }

  clear(): void {
    this.list.length = 0;
  }
}
