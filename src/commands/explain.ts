// `k8sdoc explain`: catalogue entries by code, or the best matches for words from an error.
import { CHECK_INFO } from '../registry/info.generated.js';
import { ALL_CODES, entryFor, lookup, pluginCodes, type Code } from '../catalogue/index.js';
import type { CheckInfo } from '../engine/types.js';
import { isCommand } from '../catalogue/fix-step.js';

/**
 * The two styles an entry uses, as plain SGR codes (what chalk writes at its basic level):
 * the colour library and its terminal detection would cost this command a tenth of its start-up.
 */
interface Styles {
  bold(text: string): string;
  cyan(text: string): string;
}

function styles(color: boolean): Styles {
  if (!color) return { bold: (t) => t, cyan: (t) => t };
  return { bold: (t) => `\u001b[1m${t}\u001b[22m`, cyan: (t) => `\u001b[36m${t}\u001b[39m` };
}

function detectedBy(code: Code, infos: readonly CheckInfo[]): string[] {
  return infos.filter((c) => c.codes.includes(code)).map((c) => c.id);
}

function formatEntry(code: Code, c: Styles, infos: readonly CheckInfo[]): string {
  const e = entryFor(code);
  const checks = detectedBy(code, infos);
  const lines = [
    `${c.bold(code)} — ${e.title} (${e.component}, ${e.severity})`,
    `  ${c.bold('Symptom:')} ${e.symptom}`,
    `  ${c.bold('Cause:')}`,
    ...e.causes.map((cause, i) => `    ${i + 1}. ${cause}`),
    `  ${c.bold('Fix:')}`,
    ...e.fix.map((f) => (isCommand(f) ? `    ${c.cyan('$')} ${f}` : `    - ${f}`)),
  ];
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
  const c = styles(options.color);
  const infos = [...CHECK_INFO, ...(options.extra ?? [])];
  let codes: Code[];
  if (query.trim() === '') codes = [...ALL_CODES, ...pluginCodes()];
  else {
    const found = lookup(query);
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
  return { text: `${intro}${codes.map((code) => formatEntry(code, c, infos)).join('\n\n')}\n`, notFound: false };
}
