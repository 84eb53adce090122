// Which requests go through a proxy, by the rules of Go's net/http/httpproxy that kubectl uses.
import { describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/probes/proxy.js';

const via = (host: string, port: number, env: NodeJS.ProcessEnv, proxyUrl: string | null = null) => proxyFor(host, port, proxyUrl, env)?.href ?? null;

describe('proxy choice as kubectl makes it', () => {
  it("the cluster's proxy-url wins over the environment and applies to every host, loopback too", () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128', NO_PROXY: '*' };
    expect(via('10.0.0.1', 6443, env, 'http://cluster-proxy:8080')).toBe('http://cluster-proxy:8080/');
    expect(via('127.0.0.1', 6443, {}, 'socks5://127.0.0.5:1080')).toBe('socks5://127.0.0.5:1080');
  });

  it('HTTPS_PROXY before https_proxy; a value without a scheme is an http proxy; none set: direct', () => {
    expect(via('10.0.0.1', 6443, { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })).toBe('http://upper:1/');
    expect(via('10.0.0.1', 6443, { https_proxy: 'lower:2' })).toBe('http://lower:2/');
    expect(via('10.0.0.1', 6443, { HTTP_PROXY: 'http://only-for-http:3' })).toBeNull();
    expect(via('10.0.0.1', 6443, {})).toBeNull();
  });

  it('loopback and localhost never go through the environment proxy', () => {
    const env = { HTTPS_PROXY: 'http://p:1' };
    expect(via('127.0.0.1', 6443, env)).toBeNull();
    expect(via('127.9.0.10', 6443, env)).toBeNull();
    expect(via('localhost', 6443, env)).toBeNull();
    expect(via('::1', 6443, env)).toBeNull();
  });

  it.each([
    ['*', 'api.example.com', 443, null],
    ['example.com', 'example.com', 443, null],
    ['example.com', 'api.example.com', 443, null],
    ['example.com', 'badexample.com', 443, 'http://p:1/'],
    ['.example.com', 'example.com', 443, 'http://p:1/'],
    ['.example.com', 'api.example.com', 443, null],
    ['*.example.com', 'api.example.com', 443, null],
    ['10.0.0.0/8', '10.1.2.3', 6443, null],
    ['10.0.0.0/8', '11.1.2.3', 6443, 'http://p:1/'],
    ['10.0.0.1', '10.0.0.1', 6443, null],
    ['10.0.0.1:443', '10.0.0.1', 6443, 'http://p:1/'],
    ['10.0.0.1:6443', '10.0.0.1', 6443, null],
    ['example.com:6443', 'api.example.com', 6443, null],
    ['fd00::/8', 'fd00::1', 6443, null],
    [' Example.COM , other', 'API.example.com', 443, null],
  ])('NO_PROXY=%j for %s:%i', (noProxy, host, port, expected) => {
    expect(via(host, port, { HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy })).toBe(expected);
    expect(via(host, port, { HTTPS_PROXY: 'http://p:1', no_proxy: noProxy })).toBe(expected);
  });
});
