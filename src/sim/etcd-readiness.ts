// The simulated API server's `etcd` readiness check, answered by the real etcd cluster.
// A kube-apiserver's check is a linearizable read through its etcd client, which
// balances over every --etcd-servers endpoint: it passes while any member can serve a
// quorum read and fails when quorum is lost, whatever the NOSPACE alarm says (reads are
// still allowed). The same read goes here through etcd's JSON gateway, bounded in time
// and cached for a second so a burst of requests costs one round of probes.
import { request, Agent } from 'node:https';

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
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private cached: { at: number; result: EtcdReadinessResult } | null = null;
  private inFlight: Promise<EtcdReadinessResult> | null = null;

  constructor(private readonly o: EtcdReadinessOptions) {
    this.agent = new Agent({ ca: o.tls.ca, cert: o.tls.cert, key: o.tls.key, keepAlive: false });
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
    this.agent.destroy();
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

  private readOnce(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ key: HEALTH_KEY });
      const req = request(new URL('/v3/kv/range', url), {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const timer = setTimeout(() => req.destroy(new Error('context deadline exceeded')), this.timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          if (res.statusCode === 200) resolve();
          else reject(new Error(`etcdserver: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  }
}
