// Proxies as kubectl uses them. A cluster's `proxy-url` carries every request to that cluster;
// without it HTTPS_PROXY / NO_PROXY decide, by the rules of Go's net/http/httpproxy (which
// client-go uses): the upper-case name first, loopback and `localhost` never proxied, NO_PROXY
// entries matching IP addresses, CIDR ranges, domains with their subdomains (`example.com`,
// `.example.com`, `*.example.com`), each optionally with a port, and `*` matching everything.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { bareHost } from '../util/url.js';
import { startDeadline } from './deadline.js';
import type { ProbeDeadline } from './types.js';

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string {
  for (const name of names) {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** Go's parseProxy: a value without a scheme is an http proxy. */
function parseProxy(value: string): URL | null {
  try {
    const url = new URL(value);
    if (['http:', 'https:', 'socks5:', 'socks5h:'].includes(url.protocol) && url.hostname !== '') return url;
  } catch {
    // fall through to the scheme-less form
  }
  try {
    const url = new URL(`http://${value}`);
    return url.hostname === '' ? null : url;
  } catch {
    return null;
  }
}

interface Matcher {
  match(host: string, port: string, ip: boolean): boolean;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function ipv6Words(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, null];
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  let words = parse(head!);
  const expandV4 = (list: string[]) => {
    const end = list[list.length - 1];
    if (end !== undefined && end.includes('.')) {
      const v = ipv4ToInt(end);
      return [...list.slice(0, -1), (v >>> 16).toString(16), (v & 0xffff).toString(16)];
    }
    return list;
  };
  if (tail === null) words = expandV4(words);
  else {
    const rest = expandV4(parse(tail));
    words = [...words, ...Array<string>(8 - words.length - rest.length).fill('0'), ...rest];
  }
  return words.map((w) => parseInt(w, 16));
}

/** The address as bits, IPv4-mapped IPv6 taken as IPv4 (as Go's net.IP does). */
function addressBits(ip: string): { v4: boolean; bits: number[] } {
  if (isIP(ip) === 4) return { v4: true, bits: [ipv4ToInt(ip)] };
  const words = ipv6Words(ip);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return { v4: true, bits: [words[6]! * 65536 + words[7]!] };
  return { v4: false, bits: words };
}

function sameIp(a: string, b: string): boolean {
  const x = addressBits(a);
  const y = addressBits(b);
  return x.v4 === y.v4 && x.bits.every((v, i) => v === y.bits[i]);
}

function inCidr(ip: string, cidr: { base: string; prefix: number }): boolean {
  const a = addressBits(ip);
  const b = addressBits(cidr.base);
  if (a.v4 !== b.v4) return false;
  const width = a.v4 ? 32 : 16;
  let left = cidr.prefix;
  for (let i = 0; i < a.bits.length; i++) {
    if (left <= 0) return true;
    const take = Math.min(width, left);
    const shift = width - take;
    if (Math.floor(a.bits[i]! / 2 ** shift) !== Math.floor(b.bits[i]! / 2 ** shift)) return false;
    left -= take;
  }
  return true;
}

function isLoopback(ip: string): boolean {
  const a = addressBits(ip);
  if (a.v4) return a.bits[0]! >>> 24 === 127;
  return a.bits.slice(0, 7).every((w) => w === 0) && a.bits[7] === 1;
}

function splitHostPort(entry: string): [string, string] | null {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(entry) ?? /^([^:]*):(\d*)$/.exec(entry);
  return m ? [m[1]!, m[2]!] : null;
}

/** Go's httpproxy NO_PROXY parsing. */
function noProxyMatchers(value: string): { all: boolean; matchers: Matcher[] } {
  const matchers: Matcher[] = [];
  for (const raw of value.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return { all: true, matchers: [] };
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(p);
    if (cidr && isIP(cidr[1]!) !== 0) {
      const range = { base: cidr[1]!, prefix: Number(cidr[2]) };
      matchers.push({ match: (host, _port, ip) => ip && inCidr(host, range) });
      continue;
    }
    let phost = p;
    let pport = '';
    const hp = splitHostPort(p);
    if (hp) {
      [phost, pport] = hp;
      if (phost === '') continue;
    }
    if (isIP(phost) !== 0) {
      const want = phost;
      matchers.push({ match: (host, port, ip) => ip && sameIp(host, want) && (pport === '' || pport === port) });
      continue;
    }
    if (phost === '') continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    const matchHost = !phost.startsWith('.');
    const suffix = matchHost ? `.${phost}` : phost;
    matchers.push({ match: (host, port) => (host.endsWith(suffix) || (matchHost && host === suffix.slice(1))) && (pport === '' || pport === port) });
  }
  return { all: false, matchers };
}

/**
 * The proxy for an https request to host:port, or null to connect directly: the cluster's
 * proxy-url when set (it applies to every host, as client-go's http.ProxyURL does), else the
 * environment's HTTPS_PROXY minus NO_PROXY.
 */
export function proxyFor(host: string, port: number, proxyUrl: string | null | undefined, env: NodeJS.ProcessEnv): URL | null {
  if (proxyUrl) return parseProxy(proxyUrl);
  const httpsProxy = envAny(env, 'HTTPS_PROXY', 'https_proxy');
  if (httpsProxy === '') return null;
  const h = bareHost(host).toLowerCase();
  if (h === 'localhost') return null;
  const ip = isIP(h) !== 0;
  if (ip && isLoopback(h)) return null;
  const { all, matchers } = noProxyMatchers(envAny(env, 'NO_PROXY', 'no_proxy'));
  if (all) return null;
  if (matchers.some((m) => m.match(h, String(port), ip))) return null;
  return parseProxy(httpsProxy);
}

/** How a proxy is named in messages: never its credentials. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function proxyPort(proxy: URL): number {
  if (proxy.port !== '') return Number(proxy.port);
  if (proxy.protocol === 'https:') return 443;
  if (proxy.protocol.startsWith('socks')) return 1080;
  return 80;
}

class ProxyError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** A CONNECT tunnel through an http or https proxy; the socket is the tunnel once it resolves. */
function connectTunnel(proxy: URL, host: string, port: number, deadline: ProbeDeadline): Promise<Socket> {
  const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const label = proxyLabel(proxy);
  return new Promise((resolve, reject) => {
    const proxyHost = bareHost(proxy.hostname);
    const socket: Socket =
      proxy.protocol === 'https:'
        ? tlsConnect({ host: proxyHost, port: proxyPort(proxy), servername: isIP(proxyHost) ? undefined : proxyHost, ALPNProtocols: ['http/1.1'] })
        : netConnect({ host: proxyHost, port: proxyPort(proxy) });
    const timer = startDeadline(deadline, `proxy ${label} CONNECT ${target}`);
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      timer.clear();
      socket.destroy();
      reject(err);
    };
    timer.onExpire(fail);
    socket.once('error', (err) => fail(Object.assign(new Error(`proxy ${label}: ${err.message}`), { code: (err as NodeJS.ErrnoException).code })));
    socket.once('close', () => fail(new ProxyError(`proxy ${label} closed the connection before CONNECT ${target} was answered`, 'ECONNRESET')));
    const auth =
      proxy.username !== ''
        ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
        : '';
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nUser-Agent: k8sdoc\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16 * 1024) fail(new ProxyError(`proxy ${label} sent an oversized answer to CONNECT`, 'EPROTO'));
        return;
      }
      socket.removeListener('data', onData);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      if (status !== '200') {
        fail(
          new ProxyError(
            `proxy ${label} refused CONNECT ${target}: ${status ? `HTTP ${status}` : 'not an HTTP answer'}${status === '407' ? ' (proxy authentication required)' : ''}`,
            'EPROXY',
          ),
        );
        return;
      }
      done = true;
      timer.clear();
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

async function socksTunnel(proxy: URL, host: string, port: number, deadline: ProbeDeadline): Promise<Socket> {
  const { SocksClient } = await import('socks');
  const { socket } = await SocksClient.createConnection({
    proxy: {
      host: bareHost(proxy.hostname),
      port: proxyPort(proxy),
      type: 5,
      ...(proxy.username !== '' ? { userId: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } : {}),
    },
    command: 'connect',
    destination: { host, port },
    timeout: deadline.timeoutMs,
  });
  return socket;
}

/** A socket to host:port through the proxy, before any TLS with the target. */
export function openTunnel(proxy: URL, host: string, port: number, deadline: ProbeDeadline): Promise<Socket> {
  const h = bareHost(host);
  if (proxy.protocol === 'socks5:' || proxy.protocol === 'socks5h:') return socksTunnel(proxy, h, port, deadline);
  return connectTunnel(proxy, h, port, deadline);
}
