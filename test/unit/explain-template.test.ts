// `k8sdoc explain <code>` shows an entry as the catalogue writes it: fix steps with their
// placeholders (check fills them from the run), and each variant under its condition when the
// entry has variants; `explain <words>` lists the matching entries, best first.
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/commands/explain.js';
import { ALL_CODES, entryFor, registerPluginEntries, type Entry } from '../../src/catalogue/index.js';
import { isCommand } from '../../src/catalogue/fix-step.js';
import { isVocabularyStep } from '../../src/catalogue/fill.js';

const text = (query: string) => explain(query, { json: false, color: false }).text;

describe('explain <code>: the template', () => {
  it('prints every fix step as written, placeholders included, commands with $ and advice with -', () => {
    const withPlaceholders = ALL_CODES.filter((code) => entryFor(code).fix.some((f) => /<[a-z][a-z0-9 -]*>/i.test(f)));
    expect(withPlaceholders.length).toBeGreaterThan(0);
    for (const code of withPlaceholders) {
      const out = text(code);
      for (const step of entryFor(code).fix.filter((f) => !isVocabularyStep(f))) expect(out, code).toContain(`    ${isCommand(step) ? '$' : '-'} ${step}\n`);
      expect(out, code).toMatch(/^ {2}<…> are placeholders: k8sdoc check's report fills them/m);
      expect(out.split('\n')[0]).toMatch(new RegExp(`^${code} — .+ \\((\\w|-)+, (warn|crit)\\)$`));
    }
  });

  it("says what a distribution template does, with kubeadm's commands as the example", () => {
    const out = text('apiserver-refused');
    expect(out).toContain(
      "    - logs of kube-apiserver, with your distribution's commands (kubeadm: `crictl logs --tail 100 $(crictl ps -a --name kube-apiserver -q | head -n1); journalctl -u kubelet --since -1h`)\n",
    );
  });

  it('shows each variant under its condition, its own causes and fix as templates', () => {
    const base = entryFor('etcd-member-unreachable');
    const entry: Entry = {
      ...base,
      title: 'A test entry with variants',
      keywords: ['zzvariant'],
      variants: [
        {
          when: { quorum: 'lost' },
          label: 'quorum is lost',
          fix: ['etcdctl snapshot restore <snapshot-file> --data-dir <new-dir>', 'bring the stopped members back first'],
        },
        { when: { tcp: 'connected', tls: 'expired' }, label: 'the member answers TCP but not TLS', causes: ['its serving certificate expired'] },
      ],
    };
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
  });
});

describe('explain <words>: the ranked list', () => {
  it('lists the matching entries best first, each with its fix, and no variants section', () => {
    const out = text('etcdserver: mvcc: database space exceeded');
    expect(out).toMatch(/^\d+ entries match 'etcdserver: mvcc: database space exceeded', best first:\n\netcd-alarm-nospace — /);
    expect(out).not.toMatch(/^ {2}When /m);
  });
});
