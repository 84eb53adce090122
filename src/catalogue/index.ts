// Lookup and word search over the catalogue, for findings and `k8sdoc explain`.
import { ALL_CODES, isCode, type Code } from './codes.js';
import { ENTRIES } from './entries.js';
import type { Entry } from './entry.js';

export { ALL_CODES, isCode, type Code } from './codes.js';
export type { Entry } from './entry.js';

/**
 * Entries that loaded plugins add for their namespaced codes (`acme/ingress-down`). Plugin
 * codes travel through the engine's Code-typed fields, so every lookup here knows both kinds;
 * the built-in table stays exactly typed.
 */
const pluginEntries = new Map<string, Entry>();

export function registerPluginEntries(entries: Iterable<readonly [string, Entry]>): void {
  for (const [code, entry] of entries) pluginEntries.set(code, entry);
}

/** Codes plugins of this process defined, in load order. */
export function pluginCodes(): Code[] {
  return [...pluginEntries.keys()] as unknown as Code[];
}

export function isKnownCode(value: string): boolean {
  return isCode(value) || pluginEntries.has(value);
}

export function entryFor(code: Code): Entry {
  return ENTRIES[code] ?? pluginEntries.get(code)!;
}

export interface SearchHit {
  code: Code;
  entry: Entry;
  score: number;
}

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'is',
  'are',
  'to',
  'of',
  'my',
  'on',
  'in',
  'not',
  'with',
  'and',
  'or',
  'it',
  'i',
  'do',
  'does',
  'after',
  'for',
  'out',
  'from',
  'server',
  'error',
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9/:.-]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

/** Whether `phrase` occurs in `text` as whole words: 'ha' is in "ha setup", not in "changes". */
function containsPhrase(text: string, phrase: string): boolean {
  const at = text.indexOf(phrase);
  if (at === -1) return false;
  const before = text[at - 1];
  const after = text[at + phrase.length];
  const boundary = (ch: string | undefined) => ch === undefined || !/[a-z0-9]/.test(ch);
  return (boundary(before) && boundary(after)) || containsPhrase(text.slice(at + 1), phrase);
}

/**
 * Ranks entries for words a person types in an incident ("connection refused", "x509").
 * Whole keyword phrases weigh most, then the code, then single words in title and symptom.
 */
export function searchCatalogue(query: string, limit = 5): SearchHit[] {
  const q = query.toLowerCase().trim();
  const qWords = words(q).filter((w) => !STOP_WORDS.has(w));
  if (qWords.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const code of [...ALL_CODES, ...pluginCodes()]) {
    const entry = entryFor(code);
    let score = 0;
    for (const keyword of entry.keywords) {
      const k = keyword.toLowerCase();
      if (q === k) score += 12;
      else if (containsPhrase(q, k)) score += 4 + words(k).length * 2;
      else if (k.includes(q)) score += 3;
    }
    if (q.replace(/\s+/g, '-') === code) score += 20;
    const codeWords = code.split(/[-/]/);
    const keywordWords = new Set(entry.keywords.flatMap(words));
    const prose = new Set([...words(entry.title), ...words(entry.symptom)]);
    for (const w of qWords) {
      if (codeWords.includes(w)) score += 2;
      if (keywordWords.has(w)) score += 2;
      if (prose.has(w)) score += 1;
    }
    if (score > 0) hits.push({ code, entry, score });
  }
  hits.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  return hits.slice(0, limit);
}

export function lookup(codeOrWords: string): { exact: Code } | { hits: SearchHit[] } {
  const trimmed = codeOrWords.trim().toLowerCase();
  if (isCode(trimmed)) return { exact: trimmed };
  if (pluginEntries.has(trimmed)) return { exact: trimmed as unknown as Code };
  return { hits: searchCatalogue(trimmed) };
}
