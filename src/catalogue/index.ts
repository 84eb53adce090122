// Lookup and word search over the catalogue, for findings and `k8sdoc explain`.
import { ALL_CODES, isCode, type AnyCode, type PluginCode } from './codes.js';
import { ENTRIES } from './entries.js';
import type { Entry } from './entry.js';

export { ALL_CODES, isCode, isPluginCode, type AnyCode, type Code, type PluginCode } from './codes.js';
export type { Entry } from './entry.js';

/**
 * Entries that loaded plugins add for their namespaced codes (`acme/ingress-down`). Every
 * lookup here takes either kind of code; the built-in table stays exactly typed.
 */
const pluginEntries = new Map<PluginCode, Entry>();

export function registerPluginEntries(entries: Iterable<readonly [PluginCode, Entry]>): void {
  for (const [code, entry] of entries) pluginEntries.set(code, entry);
}

/** Codes plugins of this process defined, in load order. */
export function pluginCodes(): PluginCode[] {
  return [...pluginEntries.keys()];
}

export function isKnownCode(value: string): value is AnyCode {
  return isCode(value) || pluginEntries.has(value as PluginCode);
}

export function entryFor(code: AnyCode): Entry {
  // A plugin code that no loaded plugin defines is a bug in k8sdoc (loading checks every code a check may raise).
  const entry = isCode(code) ? ENTRIES[code] : pluginEntries.get(code);
  if (entry === undefined) throw new Error(`no catalogue entry for ${code}`);
  return entry;
}

export interface SearchHit {
  code: AnyCode;
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

export function lookup(codeOrWords: string): { exact: AnyCode } | { hits: SearchHit[] } {
  const trimmed = codeOrWords.trim().toLowerCase();
  if (isKnownCode(trimmed)) return { exact: trimmed };
  return { hits: searchCatalogue(trimmed) };
}
