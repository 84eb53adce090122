// --hosts takes host names and addresses only: IPv4, IPv6 (brackets allowed) and DNS names
// pass through unchanged; a port or a scheme is a usage error saying how to write it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UsageError } from '../../src/errors.js';
import { parseHost } from '../../src/util/parse.js';

describe('parseHost', () => {
  it('keeps every IPv4 and IPv6 address and every valid DNS name', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => parseHost(ip, '--hosts') === ip));
    fc.assert(fc.property(fc.ipV6(), (ip) => parseHost(`[${ip}]`, '--hosts') === ip && parseHost(ip, '--hosts') === ip));
    fc.assert(fc.property(fc.domain(), (name) => parseHost(name, '--hosts') === name));
  });

  it.each([
    ['10.0.0.1:6443', /give it without a scheme or port/],
    ['https://10.0.0.1', /give it without a scheme or port/],
    ['cp_1!', /use a host name or an IP address/],
    ['-cp.example.com', /use a host name or an IP address/],
  ])('rejects %j: %s', (text, hint) => {
    expect(() => parseHost(text, '--hosts')).toThrow(UsageError);
    expect(() => parseHost(text, '--hosts')).toThrow(hint);
  });

  it('never throws anything but a UsageError', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseHost(text, '--hosts');
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
        }
      }),
    );
  });
});
