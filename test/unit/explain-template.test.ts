// `k8sdoc explain <code>` shows an entry as the catalogue writes it: fix steps with their
// placeholders (check fills them from the run), and each variant under its condition when the
// entry has variants; `explain <words>` lists the matching entries, best first.
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/commands/explain.js';
import { ALL_CODES, entryFor, registerPluginEntries, type Entry } from '../../src/catalogue/index.js';
import { isCommand } from '../../src/catalogue/fix-step.js';

const text = (query: string) => explain(query, { json: false, color: false }).text;

describe('explain <code>: the template', () => {
  it('prints every fix step as written, placeholders included, commands with $ and advice with -', () => {
    const stepText = (f: unknown) => (typeof f === 'string' ? f : (f as { text: string }).text);
    const withPlaceholders = ALL_CODES.filter((code) => entryFor(code).fix.some((f) => /<[a-z][a-z0-9 -]*>/i.test(stepText(f))));
    expect(withPlaceholders.length).toBeGreaterThan(0);
    for (const code of withPlaceholders) {
      const out = text(code);
      for (const step of entryFor(code).fix.map(stepText)) expect(out, code).toContain(`    ${isCommand(step) ? '$' : '-'} ${step}\n`);
      expect(out, code).toMatch(/^ {2}<…> are placeholders: k8sdoc check's report fills them/m);
      expect(out.split('\n')[0]).toMatch(new RegExp(`^${code} — .+ \\((\\w|-)+, (warn|crit)\\)$`));
    }
  });

  it('shows each variant under its condition, its own causes and fix as templates', () => {
    const base = entryFor('etcd-member-unreachable');
    const entry = {
      ...base,
      title: 'A test entry with variants',
      keywords: ['zzvariant'],
      variants: [
        { when: 'quorum is lost', fix: ['etcdctl snapshot restore <snapshot-file> --data-dir <new-dir>', 'bring the stopped members back first'] },
        { when: 'the member answers TCP but not TLS', causes: ['its serving certificate expired'] },
        { fix: ['not shown: a variant without a condition'] },
      ],
    } as unknown as Entry;
    registerPluginEntries([['test/variants', entry]]);
    const out = text('test/variants');
    const lines = out.split('\n');
    const quorum = lines.indexOf('  When quorum is lost:');
    expect(quorum).toBeGreaterThan(lines.indexOf('  Fix:'));
    expect(lines.slice(quorum + 1, quorum + 4)).toEqual([
      '    Fix:',
      '      $ etcdctl snapshot restore <snapshot-file> --data-dir <new-dir>',
      '      - bring the stopped members back first',
    ]);
    const tls = lines.indexOf('  When the member answers TCP but not TLS:');
    expect(lines.slice(tls + 1, tls + 3)).toEqual(['    Cause:', '      1. its serving certificate expired']);
    expect(out).not.toContain('not shown');
  });

  it('steps given as {kind, text} print by their kind', () => {
    const entry = {
      ...entryFor('node-not-ready'),
      keywords: ['zzsteps'],
      fix: [
        { kind: 'command', text: 'kubectl describe node <name>' },
        { kind: 'advice', text: 'kubectl is the tool, but this is advice' },
      ],
    } as unknown as Entry;
    registerPluginEntries([['test/steps', entry]]);
    const out = text('test/steps');
    expect(out).toContain('    $ kubectl describe node <name>\n');
    expect(out).toContain('    - kubectl is the tool, but this is advice\n');
  });
});

describe('explain <words>: the ranked list', () => {
  it('lists the matching entries best first, each with its fix, and no variants section', () => {
    const out = text('etcdserver: mvcc: database space exceeded');
    expect(out).toMatch(/^\d+ entries match 'etcdserver: mvcc: database space exceeded', best first:\n\netcd-alarm-nospace — /);
    expect(out).not.toMatch(/^ {2}When /m);
  });
});
