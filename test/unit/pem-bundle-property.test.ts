// PEM bundles as k8sdoc reads them (CA bundles, certificate files, a kubeconfig's *-data):
// any mix of certificates, keys and text in between yields exactly the certificates, in
// order, the other block types named, and broken certificate blocks counted; nothing throws.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePemBundle } from '../../src/probes/certificate.js';
import { createCa, issue, type Issued } from '../../src/sim/pki.js';

let pool: Issued[] = [];

beforeAll(async () => {
  const ca = await createCa('bundle-ca');
  pool = [ca, ...(await Promise.all(['a', 'b', 'c'].map((cn) => issue(ca, { commonName: cn, usage: 'server', dnsNames: [`${cn}.test`] }))))];
});

type Block = { kind: 'cert'; index: number } | { kind: 'key'; index: number; type: string } | { kind: 'broken' } | { kind: 'text'; text: string };

const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constant('cert' as const), index: fc.nat(3) }),
  fc.record({ kind: fc.constant('key' as const), index: fc.nat(3), type: fc.constantFrom('PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY') }),
  fc.constant({ kind: 'broken' as const }),
  // Comments and blank lines, as openssl and people leave them between blocks.
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 40 }).filter((t) => !t.includes('-----')) }),
);

function render(b: Block): string {
  if (b.kind === 'cert') return pool[b.index]!.certPem;
  if (b.kind === 'key') return pool[b.index]!.keyPem.replace(/PRIVATE KEY/g, b.type);
  if (b.kind === 'broken') return '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
  return `${b.text}\n`;
}

describe('parsePemBundle', () => {
  it('finds every certificate in order, names every other block, counts the broken ones', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), (blocks) => {
        const parsed = parsePemBundle(blocks.map(render).join(''));
        const certs = blocks.filter((b): b is Extract<Block, { kind: 'cert' }> => b.kind === 'cert');
        expect(parsed.certificates.map((c) => c.subject)).toEqual(certs.map((c) => pool[c.index]!.subject));
        expect(parsed.otherTypes).toEqual(blocks.filter((b): b is Extract<Block, { kind: 'key' }> => b.kind === 'key').map((b) => b.type));
        expect(parsed.invalid).toBe(blocks.filter((b) => b.kind === 'broken').length);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.string({ maxLength: 200 }).filter((t) => !t.includes('-----')),
        (before, inside) => {
          const parsed = parsePemBundle(`${before}-----BEGIN CERTIFICATE-----\n${inside}\n-----END CERTIFICATE-----\n${before}`);
          // The block in the middle is found; whatever surrounds it may hold more blocks or none.
          expect(parsed.certificates.length + parsed.invalid).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
