// Every request any simulated server answered, in order. Tests read it to prove what a
// client did: above all that k8sdoc only ever reads (no method but GET reaches a server).

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
  status: number;
  durationMs: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class RequestLog {
  private readonly list: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.list.push(entry);
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
