// `k8sdoc explain`: catalogue entries by code (the fix steps as templates, each variant under
// its condition), or the best matches for words from an error.
import { Chalk, type ChalkInstance } from 'chalk';
import { CHECK_INFO } from '../registry/info.generated.js';
import { ALL_CODES, entryFor, lookup, pluginCodes, type Code } from '../catalogue/index.js';
import type { CheckInfo } from '../engine/types.js';
import { isCommand } from '../catalogue/fix-step.js';

function detectedBy(code: Code, infos: readonly CheckInfo[]): string[] {
  return infos.filter((c) => c.codes.includes(code)).map((c) => c.id);
}

/** A fix step as an entry writes it: a string, or `{ kind, text }` once steps carry their kind. */
function stepOf(step: unknown): { command: boolean; text: string } | null {
  if (typeof step === 'string') return { command: isCommand(step), text: step };
  if (step && typeof step === 'object' && typeof (step as { text?: unknown }).text === 'string') {
    const s = step as { kind?: unknown; text: string };
    return { command: s.kind === undefined ? isCommand(s.text) : s.kind === 'command', text: s.text };
  }
  return null;
}

/**
 * The variants an entry may carry: the causes and fix that hold under a condition seen in the
 * run (`when`). Read defensively, so that entries without them, or with only some fields,
 * print as they are.
 */
function variantsOf(entry: object): { when: string; causes: readonly string[] | null; fix: readonly unknown[] | null }[] {
  const raw = (entry as { variants?: unknown }).variants;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((v: unknown) => {
    if (!v || typeof v !== 'object' || typeof (v as { when?: unknown }).when !== 'string') return [];
    const o = v as { when: string; causes?: unknown; fix?: unknown };
    return [
      {
        when: o.when,
        causes: Array.isArray(o.causes) ? o.causes.filter((x): x is string => typeof x === 'string') : null,
        fix: Array.isArray(o.fix) ? (o.fix as unknown[]) : null,
      },
    ];
  });
}

/** Steps as templates: `<placeholders>` stay as written (check fills them with the run's values). */
function stepLines(fix: readonly unknown[], c: ChalkInstance, indent: string): string[] {
  return fix.flatMap((f) => {
    const step = stepOf(f);
    if (!step) return [];
    return [step.command ? `${indent}${c.cyan('$')} ${step.text}` : `${indent}- ${step.text}`];
  });
}

const PLACEHOLDER = /<[a-z][a-z0-9 -]*>/i;

function hasPlaceholder(fix: readonly unknown[]): boolean {
  return fix.some((f) => PLACEHOLDER.test(stepOf(f)?.text ?? ''));
}

/** `variants`: also print each variant under its condition (for `explain <code>`). */
function formatEntry(code: Code, c: ChalkInstance, infos: readonly CheckInfo[], variants = false): string {
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
  const shown = variants ? variantsOf(e) : [];
  for (const v of shown) {
    lines.push(`  ${c.bold('When')} ${v.when}:`);
    if (v.causes && v.causes.length > 0) lines.push(`    ${c.bold('Cause:')}`, ...v.causes.map((cause, i) => `      ${i + 1}. ${cause}`));
    if (v.fix && v.fix.length > 0) lines.push(`    ${c.bold('Fix:')}`, ...stepLines(v.fix, c, '      '));
  }
  if (variants && [e.fix, ...shown.map((v) => v.fix ?? [])].some(hasPlaceholder)) {
    lines.push(c.dim("  <…> are placeholders: k8sdoc check's report fills them with the cluster's values where it knows them"));
  }
  if (e.docs) lines.push(`  ${c.bold('Docs:')} ${e.docs}`);
  lines.push(`  ${c.bold('Detected by:')} ${checks.length > 0 ? checks.join(', ') : 'no check yet'}`);
  return lines.join('\n');
}

function asJson(code: Code, infos: readonly CheckInfo[]) {
  const e = entryFor(code);
  return { code, ...e, detectedBy: detectedBy(code, infos) };
}

export interface ExplainResult {
  text: string;
  notFound: boolean;
}

/** `extra`: the checks of plugins loaded with --plugin (their codes are registered with the catalogue). */
export function explain(query: string, options: { json: boolean; color: boolean; extra?: readonly CheckInfo[] }): ExplainResult {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const infos = [...CHECK_INFO, ...(options.extra ?? [])];
  let codes: Code[];
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
