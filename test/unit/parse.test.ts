import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UsageError } from '../../src/errors.js';
import { parseBytes, parseDuration, parseInteger, parseList } from '../../src/util/parse.js';
import { parseEndpoint } from '../../src/util/url.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['3s', 3000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1.5s', 1500],
    ['5', 5000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each(['', 'abc', '5x', '3 s', '-1s', 's', '1h-'])('rejects %j with a message naming the flag and an example', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(UsageError);
    expect(() => parseDuration(text, '--timeout')).toThrow(/--timeout: .* like 500ms/);
  });

  it('round-trips any whole number of milliseconds, seconds and minutes', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(59), fc.nat(59), (ms, s, m) => {
        expect(parseDuration(`${m}m${s}s${ms}ms`, '--x')).toBe(m * 60_000 + s * 1000 + ms);
      }),
    );
  });

  it('never throws anything but a UsageError', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseDuration(text, '--x');
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
        }
      }),
    );
  });
});

describe('parseBytes', () => {
  it.each([
    ['8589934592', 8589934592],
    ['2GiB', 2 * 1024 ** 3],
    ['2Gi', 2 * 1024 ** 3],
    ['512MB', 512e6],
  ])('reads %s', (text, bytes) => expect(parseBytes(text, '--etcd-quota')).toBe(bytes));

  it.each(['2 parsecs', 'GiB', '0', '-5'])('rejects %j', (text) => expect(() => parseBytes(text, '--etcd-quota')).toThrow(UsageError));
});

describe('parseInteger', () => {
  it('accepts values in range and rejects others with the range in the message', () => {
    expect(parseInteger('32', '--concurrency', 1, 1024)).toBe(32);
    expect(() => parseInteger('0', '--concurrency', 1, 1024)).toThrow(/from 1 to 1024/);
    expect(() => parseInteger('ten', '--concurrency', 1, 1024)).toThrow(/not a whole number/);
  });
});

describe('parseList and parseEndpoint', () => {
  it('splits comma lists and drops blanks', () => {
    expect(parseList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
  });

  it('parses IPv4, IPv6 and default ports', () => {
    expect(parseEndpoint('https://10.0.0.1:6443', '--apiserver', 'flag')).toMatchObject({ host: '10.0.0.1', port: 6443, url: 'https://10.0.0.1:6443' });
    expect(parseEndpoint('https://[::1]:6443', '--apiserver', 'flag')).toMatchObject({ host: '::1', port: 6443, url: 'https://[::1]:6443' });
    expect(parseEndpoint('https://etcd-1', '--etcd', 'flag', 2379)).toMatchObject({ host: 'etcd-1', port: 2379 });
  });

  it('rejects a URL without a scheme or with a bad port, saying how to write it', () => {
    expect(() => parseEndpoint('10.0.0.1:2379', '--etcd', 'flag')).toThrow(/no scheme; write it as a URL, like https:\/\/10.0.0.1:2379/);
    expect(() => parseEndpoint('https://10.0.0.1:99999', '--etcd', 'flag')).toThrow(/not a valid URL/);
    expect(() => parseEndpoint('ftp://10.0.0.1', '--etcd', 'flag')).toThrow(/https/);
  });

  it('parses every list of generated endpoint URLs back to the same hosts and ports', () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    fc.assert(
      fc.property(fc.array(fc.tuple(ipv4, fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 5 }), (pairs) => {
        const text = pairs.map(([h, p]) => `https://${h}:${p}`).join(',');
        const parsed = parseList(text).map((u) => parseEndpoint(u, '--etcd', 'flag'));
        expect(parsed.map((e) => [e.host.split('.').map(Number).join('.'), e.port])).toEqual(pairs.map(([h, p]) => [h, p]));
      }),
    );
  });
});
