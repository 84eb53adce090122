// `k8sdoc explain`: catalogue entries by code (the fix steps as templates, each variant under
// its condition), or the best matches for words from an error.
import { CHECK_INFO } from '../registry/info.generated.js';
import { ALL_CODES, entryFor, lookup, pluginCodes, type AnyCode } from '../catalogue/index.js';
import type { CheckInfo } from '../engine/types.js';
import type { Variant } from '../catalogue/entry.js';
import { describeVocabularyStep, isVocabularyStep } from '../catalogue/fill.js';
import { isCommand } from '../catalogue/fix-step.js';

/**
 * The styles an entry uses, as plain SGR codes (what chalk writes at its basic level): the
 * colour library and its terminal detection would cost this command a tenth of its start-up.
 */
interface Styles {
  bold(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
}

function styles(color: boolean): Styles {
  if (!color) return { bold: (t) => t, cyan: (t) => t, dim: (t) => t };
  return { bold: (t) => `\u001b[1m${t}\u001b[22m`, cyan: (t) => `\u001b[36m${t}\u001b[39m`, dim: (t) => `\u001b[2m${t}\u001b[22m` };
}

function detectedBy(code: AnyCode, infos: readonly CheckInfo[]): string[] {
  return infos.filter((c) => c.codes.includes(code)).map((c) => c.id);
}

/** Steps as templates: `<placeholders>` stay as written, `@` steps say what the distribution's commands do. */
function stepLines(fix: readonly string[], c: Styles, indent: string): string[] {
  return fix.map((f) => {
    if (isVocabularyStep(f)) return `${indent}- ${describeVocabularyStep(f)}`;
    return isCommand(f) ? `${indent}${c.cyan('$')} ${f}` : `${indent}- ${f}`;
  });
}

const PLACEHOLDER = /<[a-z][a-z0-9 -]*>/i;

function isTemplate(fix: readonly string[]): boolean {
  return fix.some((f) => PLACEHOLDER.test(f) || isVocabularyStep(f));
}

/** `variants`: also print each variant under its condition (for `explain <code>`). */
function formatEntry(code: AnyCode, c: Styles, infos: readonly CheckInfo[], variants = false): string {
  const e = entryFor(code);
  const checks = detectedBy(code, infos);
  const lines = [
    `${c.bold(code)} — ${e.title} (${e.component}, ${e.severity})`,
    `  ${c.bold('Symptom:')} ${e.symptom}`,
    `  ${c.bold('Cause:')}`,
    ...e.causes.map((cause, i) => `    ${i + 1}. ${cause}`),
    `  ${c.bold('Fix:')}`,
    ...stepLines(e.fix, c, '    '),
  ];
  const shown: readonly Variant[] = variants ? (e.variants ?? []) : [];
  for (const v of shown) {
    lines.push(`  ${c.bold('When')} ${v.label}:`);
    if (v.symptom) lines.push(`    ${c.bold('Symptom:')} ${v.symptom}`);
    if (v.causes && v.causes.length > 0) lines.push(`    ${c.bold('Cause:')}`, ...v.causes.map((cause, i) => `      ${i + 1}. ${cause}`));
    if (v.fix && v.fix.length > 0) lines.push(`    ${c.bold('Fix:')}`, ...stepLines(v.fix, c, '      '));
  }
  if (variants && [e.fix, ...shown.map((v) => v.fix ?? [])].some(isTemplate)) {
    lines.push(
      c.dim("  <…> are placeholders: k8sdoc check's report fills them, and the distribution's commands, with the cluster's values where it knows them"),
    );
  }
  if (e.docs) lines.push(`  ${c.bold('Docs:')} ${e.docs}`);
  lines.push(`  ${c.bold('Detected by:')} ${checks.length > 0 ? checks.join(', ') : 'no check yet'}`);
  return lines.join('\n');
}

function asJson(code: AnyCode, infos: readonly CheckInfo[]) {
  const e = entryFor(code);
  return { code, ...e, detectedBy: detectedBy(code, infos) };
}

export interface ExplainResult {
  text: string;
  notFound: boolean;
}

/** `extra`: the checks of plugins loaded with --plugin (their codes are registered with the catalogue). */
export function explain(query: string, options: { json: boolean; color: boolean; extra?: readonly CheckInfo[] }): ExplainResult {
  const c = styles(options.color);
  const infos = [...CHECK_INFO, ...(options.extra ?? [])];
  let codes: AnyCode[];
  let exact = false;
  if (query.trim() === '') codes = [...ALL_CODES, ...pluginCodes()];
  else {
    const found = lookup(query);
    exact = 'exact' in found;
    codes = 'exact' in found ? [found.exact] : found.hits.map((h) => h.code);
  }
  if (codes.length === 0) {
    const text = options.json ? '[]\n' : `No catalogue entry matches '${query}'. Run 'k8sdoc explain' for the whole catalogue.\n`;
    return { text, notFound: true };
  }
  if (options.json)
    return {
      text: `${JSON.stringify(
        codes.map((code) => asJson(code, infos)),
        null,
        2,
      )}\n`,
      notFound: false,
    };
  const intro = query.trim() !== '' && codes.length > 1 ? `${codes.length} entries match '${query}', best first:\n\n` : '';
  return { text: `${intro}${codes.map((code) => formatEntry(code, c, infos, exact)).join('\n\n')}\n`, notFound: false };
}
