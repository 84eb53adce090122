// A small admin client for the simulator's own etcd: JSON over etcd's gRPC gateway with a
// client certificate and a hard deadline. The harness and the API servers' readiness use it.
import { request, Agent } from 'node:https';

export class GatewayTimeoutError extends Error {
  override readonly name = 'GatewayTimeoutError';
}

export interface GatewayResponse {
  status: number;
  body: Record<string, unknown>;
}

/** JSON over the gRPC gateway with a client certificate; one request, one deadline, no retry. */
export class GatewayClient {
  private readonly agent: Agent;

  constructor(tls: { ca: string | Buffer; cert: string | Buffer; key: string | Buffer }) {
    this.agent = new Agent({ ...tls, keepAlive: false });
  }

  post(url: string, path: string, payload: unknown, timeoutMs: number): Promise<GatewayResponse> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify(payload);
      const req = request(new URL(path, url), {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      });
      const timer = setTimeout(() => req.destroy(new GatewayTimeoutError(`${url}${path}: no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { error: text } });
          }
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

  close(): void {
    this.agent.destroy();
  }
}
