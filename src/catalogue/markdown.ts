// docs/catalogue.md is generated from the catalogue data; `npm run docs` rewrites it and a
// test fails when it is stale.
import { CODES } from './codes.js';
import { ENTRIES } from './entries.js';
import type { Entry } from './entry.js';
import { describeVocabularyStep, isVocabularyStep } from './fill.js';
import { isCommand } from './fix-step.js';

function fixLines(fix: readonly string[]): string[] {
  return fix.map((f) => (isVocabularyStep(f) ? `- ${describeVocabularyStep(f)}` : isCommand(f) ? `- \`${f}\`` : `- ${f}`));
}

export function catalogueMarkdown(detectedBy: (code: string) => string[]): string {
  const lines = [
    '# k8sdoc error catalogue',
    '',
    '<!-- Generated from src/catalogue/entries.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Every finding k8sdoc reports carries one of these codes. `k8sdoc explain <code>` prints an entry; `k8sdoc explain <words>` finds entries from an error message.',
    '',
  ];
  for (const [component, codes] of Object.entries(CODES)) {
    lines.push(`## ${component}`, '');
    for (const code of codes) {
      const e: Entry = ENTRIES[code];
      const checks = detectedBy(code);
      lines.push(
        `### \`${code}\` — ${e.title}`,
        '',
        `Severity: **${e.severity}**. Detected by: ${checks.length > 0 ? checks.map((c) => `\`${c}\``).join(', ') : '—'}.`,
        '',
      );
      lines.push(`**Symptom:** ${e.symptom}`, '', '**Cause** (most likely first):', '');
      e.causes.forEach((c, i) => lines.push(`${i + 1}. ${c}`));
      lines.push('', '**Fix:**', '', ...fixLines(e.fix), '');
      for (const v of e.variants ?? []) {
        lines.push(`**When ${v.label}:**`, '');
        if (v.symptom) lines.push(`Symptom: ${v.symptom}`, '');
        if (v.causes) lines.push(...v.causes.map((c, i) => `${i + 1}. ${c}`), '');
        if (v.fix) lines.push(...fixLines(v.fix), '');
      }
      if (e.docs) lines.push(`Docs: <${e.docs}>`, '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
