// Endpoint URLs from flags and kubeconfigs: `https://10.0.0.1:6443`, `https://[::1]:6443`.
import { UsageError } from '../errors.js';
import type { Endpoint } from '../discovery/targets.js';

const DEFAULT_PORTS: Record<string, number> = { 'https:': 443, 'http:': 80 };

/** Strips the brackets of an IPv6 literal so it can be handed to net.connect. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

export function parseEndpoint(value: string, flag: string, source: string, defaultPort?: number): Endpoint {
  const text = value.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new UsageError(`${flag}: '${value}' has no scheme; write it as a URL, like https://${text}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: '${value}' is not a valid URL (bad host or port); write it like https://10.0.0.1:${defaultPort ?? 6443}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${flag}: '${value}' must use https:// (or http://)`);
  }
  if (url.hostname === '') throw new UsageError(`${flag}: '${value}' has no host`);
  // URL drops a port that is its scheme's default (`https://h:443` has port ''): a port written
  // out is the one meant, even where the flag's own default differs (an EKS endpoint on :443).
  const written = url.port === '' && /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^/?#:]*):\d+(?:[/?#]|$)/i.test(text);
  const port = url.port !== '' ? Number(url.port) : written ? DEFAULT_PORTS[url.protocol]! : (defaultPort ?? DEFAULT_PORTS[url.protocol] ?? 443);
  return { url: `${url.protocol}//${url.host}${url.port === '' ? `:${port}` : ''}`, host: bareHost(url.hostname), port, source };
}

/** host:port for messages, with brackets around IPv6. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function normalizeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return url.trim().replace(/\/+$/, '').toLowerCase();
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}
