// Shared probes for the sim-shapes tests: the real kubectl, TCP connects and TLS handshakes.
export { kubectl, type KubectlResult } from '../helpers/kubectl.js';
import { request } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

export function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

/** `open`, `refused`, or `other` (an error that is neither). */
export function tcpState(host: string, port: number): Promise<'open' | 'refused' | 'other'> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    s.setTimeout(3_000, () => {
      s.destroy();
      resolve('other');
    });
    s.once('connect', () => {
      s.destroy();
      resolve('open');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'other'));
  });
}

export function servedCert(host: string, port: number): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host, port, rejectUnauthorized: false });
    s.once('secureConnect', () => {
      resolve(s.getPeerCertificate());
      s.destroy();
    });
    s.once('error', reject);
  });
}

/** An anonymous GET (health and version are public) that ignores the certificate. */
export function anonymousGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, agent: false, timeout: 10_000 });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** `key=value` pairs of kubectl's LABELS column. */
export function labelsOf(column: string): Record<string, string> {
  return Object.fromEntries(column.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}
