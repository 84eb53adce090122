// The simulated API server's `etcd` readiness check, answered by the real etcd cluster.
// A kube-apiserver's check is a linearizable read through its etcd client, which
// balances over every --etcd-servers endpoint: it passes while any member can serve a
// quorum read and fails when quorum is lost, whatever the NOSPACE alarm says (reads are
// still allowed). The same read goes here through etcd's JSON gateway, bounded in time
// and cached for a second so a burst of requests costs one round of probes.
import { GatewayClient, GatewayTimeoutError } from './etcd-gateway.js';

export interface EtcdReadinessResult {
  ok: boolean;
  /** Why it failed, in the words a kube-apiserver would log. */
  error?: string;
}

export interface EtcdReadinessOptions {
  /** Client URLs to try; read on every check so members added later are seen. */
  endpoints: () => string[];
  tls: { ca: string; cert: string; key: string };
  timeoutMs?: number;
  cacheMs?: number;
}

const HEALTH_KEY = Buffer.from('health').toString('base64');

export class EtcdReadiness {
  private readonly gateway: GatewayClient;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private cached: { at: number; result: EtcdReadinessResult } | null = null;
  private inFlight: Promise<EtcdReadinessResult> | null = null;

  constructor(private readonly o: EtcdReadinessOptions) {
    this.gateway = new GatewayClient(o.tls);
    this.timeoutMs = o.timeoutMs ?? 1_500;
    this.cacheMs = o.cacheMs ?? 1_000;
  }

  check(): Promise<EtcdReadinessResult> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return Promise.resolve(this.cached.result);
    if (!this.inFlight) {
      this.inFlight = this.probeAll().then((result) => {
        this.cached = { at: Date.now(), result };
        this.inFlight = null;
        return result;
      });
    }
    return this.inFlight;
  }

  close(): void {
    this.gateway.close();
  }

  private async probeAll(): Promise<EtcdReadinessResult> {
    const endpoints = this.o.endpoints();
    if (endpoints.length === 0) return { ok: false, error: 'etcd client connection not yet established' };
    const errors: string[] = [];
    // Resolves on the first member that serves the read; fails only when all have failed.
    return new Promise((resolve) => {
      let pending = endpoints.length;
      for (const url of endpoints) {
        this.readOnce(url).then(
          () => resolve({ ok: true }),
          (e: Error) => {
            errors.push(e.message);
            if (--pending === 0) resolve({ ok: false, error: errors.includes('context deadline exceeded') ? 'context deadline exceeded' : errors[0] });
          },
        );
      }
    });
  }

  private async readOnce(url: string): Promise<void> {
    let response;
    try {
      response = await this.gateway.post(url, '/v3/kv/range', { key: HEALTH_KEY }, this.timeoutMs);
    } catch (err) {
      // What a kube-apiserver logs when its quorum read runs out of time.
      throw err instanceof GatewayTimeoutError ? new Error('context deadline exceeded') : err;
    }
    if (response.status !== 200) throw new Error(`etcdserver: ${JSON.stringify(response.body).slice(0, 200)}`);
  }
}
