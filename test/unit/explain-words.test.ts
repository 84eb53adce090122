// The words people paste in an incident find the entry that answers them first, and entries
// about something else stay out of the list.
import { describe, expect, it } from 'vitest';
import { ALL_CODES, entryFor, searchCatalogue, type Code } from '../../src/catalogue/index.js';

const PASTED: [string, Code][] = [
  ['The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?', 'apiserver-refused'],
  ['Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout', 'apiserver-timeout'],
  ['net/http: TLS handshake timeout', 'apiserver-timeout'],
  [
    'Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-12-01T00:00:00Z',
    'apiserver-tls-error',
  ],
  ['error: You must be logged in to the server (Unauthorized)', 'apiserver-unauthorized'],
  ['Error from server: etcdserver: request timed out', 'etcd-quorum-lost'],
  ['etcdserver: request timed out, possibly due to previous leader failure', 'etcd-quorum-lost'],
  ['etcdserver: no leader', 'etcd-no-leader'],
  // A request cut off by an election: the entry on repeated leader changes says what drives them (quorum, disk, network).
  ['etcdserver: leader changed', 'etcd-leader-changes'],
  ['Error from server (Timeout): the server was unable to return a response in the time allotted', 'etcd-quorum-lost'],
  ['etcdserver: mvcc: database space exceeded', 'etcd-alarm-nospace'],
  ['context deadline exceeded', 'apiserver-timeout'],
];

describe('k8sdoc explain on pasted error lines', () => {
  for (const [line, code] of PASTED) {
    it(`ranks ${code} first for "${line.slice(0, 60)}"`, () => {
      const hits = searchCatalogue(line);
      expect(hits.map((h) => h.code)[0], hits.map((h) => `${h.code}:${h.score}`).join(' ')).toBe(code);
    });
  }

  it('does not list node or kubelet entries for an etcd timeout', () => {
    const codes = searchCatalogue('etcdserver: request timed out').map((h) => h.code);
    expect(codes.filter((c) => c.startsWith('node-') || c.startsWith('kubelet-'))).toEqual([]);
  });
});

describe('catalogue docs links', () => {
  it('every entry links a documentation page', () => {
    expect(ALL_CODES.filter((c) => !/^https:\/\//.test(entryFor(c).docs ?? ''))).toEqual([]);
  });
});
