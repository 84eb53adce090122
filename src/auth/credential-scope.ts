// Which API server origins may see the kubeconfig's credentials (bearer token, client
// certificate, a plugin's output). Only those the user named (the kubeconfig's server, the
// --apiserver flags) and those the cluster itself listed in this run (control-plane nodes from
// the node list, the node's own static pod manifests). An endpoint known only from the
// discovery cache (a file on disk, from an earlier run) is asked without credentials until the
// API confirms it: a tampered cache must not be able to collect a token.
import type { Targets } from '../discovery/targets.js';

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export class CredentialScope {
  private settleNow!: () => void;
  private isSettled = false;
  /** Resolves when discovery is over: the set of confirmed endpoints does not grow after that. */
  readonly settled: Promise<void> = new Promise((resolve) => (this.settleNow = resolve));

  /** Reads the run's live targets, which discovery fills in as it confirms endpoints. */
  constructor(private readonly targets: Targets) {}

  /** Whether a request to `url` may carry the credentials. */
  allows(url: string): boolean {
    const origin = originOf(url);
    if (origin === null) return false;
    const server = this.targets.kubeServer;
    if (server && originOf(server.url) === origin) return true;
    return this.targets.apiServers.some((e) => e.source !== 'cache' && originOf(e.url) === origin);
  }

  /** Whether discovery has decided; a 401 from an unconfirmed endpoint is final only then. */
  get decided(): boolean {
    return this.isSettled;
  }

  settle(): void {
    this.isSettled = true;
    this.settleNow();
  }
}
