// Reads a config file's YAML into flag defaults, severity overrides and ignore rules.
// Everything it rejects names the file, the line and the key, because a pipeline's config
// is edited far from where k8sdoc runs and "invalid config" alone sends people hunting.
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { isCode, isPluginCode, type AnyCode } from '../catalogue/codes.js';
import type { Severity } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../util/parse.js';
import { FLAG_KEYS, IGNORE_ENTRY_KEYS, SECTION_KEYS, type FlagKey } from './keys.js';
import { closest } from './suggest.js';
import type { ConfigFile, IgnoreRule } from './types.js';

const SEVERITIES: readonly Severity[] = ['warn', 'crit'];

class Where {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  line(node: Node | Pair | null | undefined): number {
    const range = node && 'range' in node ? node.range : node && 'key' in node && isScalar(node.key) ? node.key.range : undefined;
    return range ? this.lines.linePos(range[0]).line : 1;
  }

  error(node: Node | Pair | null | undefined, message: string): UsageError {
    return new UsageError(`config file ${this.file} line ${this.line(node)}: ${message}`);
  }
}

function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'empty';
    if (typeof v === 'string') return `'${v}'`;
    return `${typeof v} ${String(v)}`;
  }
  return 'empty';
}

function keyOf(pair: Pair, where: Where): string {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string') throw where.error(pair.key as Node, `keys must be plain names, not ${describe(pair.key)}`);
  return pair.key.value;
}

/** The keys of a mapping; a repeated key is an error on the line that repeats it. */
function keysOf(map: YAMLMap, where: Where): [string, Pair][] {
  const seen = new Map<string, number>();
  return map.items.map((pair) => {
    const key = keyOf(pair, where);
    const first = seen.get(key);
    if (first !== undefined) throw where.error(pair.key as Node, `'${key}' is set twice (first on line ${first}); keep one`);
    seen.set(key, where.line(pair.key as Node));
    return [key, pair];
  });
}

function nonEmptyString(node: unknown, where: Where, key: string, what: string): string {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
  throw where.error(node as Node, `'${key}' must be ${what}, not ${describe(node)}`);
}

function stringList(node: unknown, where: Where, key: string): string[] {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return [String(node.value)];
  if (isSeq(node)) {
    return node.items.map((item) => {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value).trim() !== '') return String(item.value);
      throw where.error(item as Node, `'${key}' entries must be strings, not ${describe(item)}`);
    });
  }
  throw where.error(node as Node, `'${key}' must be a list of strings, not ${describe(node)}`);
}

/** One flag default, as the string or boolean commander would have handed over. */
function flagValue(flag: FlagKey, node: unknown, where: Where, configDir: string): string | boolean {
  const { key, spec } = flag;
  const scalar = isScalar(node) ? node.value : undefined;
  switch (spec.kind) {
    case 'boolean': {
      if (typeof scalar !== 'boolean') throw where.error(node as Node, `'${key}' must be true or false, not ${describe(node)}`);
      // `no-color: true` means what `--no-color` means: commander's `color` becomes false.
      return spec.flags.startsWith('--no-') ? !scalar : scalar;
    }
    case 'number': {
      if (typeof scalar !== 'number' || !Number.isInteger(scalar)) throw where.error(node as Node, `'${key}' must be a whole number, not ${describe(node)}`);
      return String(scalar);
    }
    case 'duration': {
      if (typeof scalar !== 'string' && typeof scalar !== 'number')
        throw where.error(node as Node, `'${key}' must be a duration like 500ms, 3s or 1h, not ${describe(node)}`);
      try {
        parseDuration(String(scalar), key);
      } catch (err) {
        throw where.error(node as Node, (err as Error).message.replace(/^[^:]+: /, `'${key}': `));
      }
      return String(scalar);
    }
    case 'choice': {
      const choices = spec.choices ?? [];
      if (typeof scalar !== 'string' || !choices.includes(scalar))
        throw where.error(node as Node, `'${key}' must be one of ${choices.join(', ')}, not ${describe(node)}`);
      return scalar;
    }
    case 'list':
      return stringList(node, where, key).join(',');
    case 'path': {
      // As kubectl does for kubeconfig files: a relative path is relative to the file naming it.
      const path = nonEmptyString(node, where, key, 'a path');
      return isAbsolute(path) ? path : resolve(configDir, path);
    }
    case 'string':
      if (typeof scalar === 'number') return String(scalar);
      return nonEmptyString(node, where, key, 'a string');
    case 'context':
      return nonEmptyString(node, where, key, 'a kubeconfig context name');
    case 'plugin':
      throw where.error(node as Node, `'${key}' is not a flag key here; list plugins under 'plugins:'`);
  }
}

/** A code; a plugin's (`acme/ingress-down`) is checked against the loaded plugins once they are loaded. */
function code(node: unknown, where: Where, key: string, pluginLines: Record<string, number>): AnyCode {
  const text = nonEmptyString(node, where, key, 'a catalogue code');
  if (isPluginCode(text)) {
    pluginLines[`code:${text}`] ??= where.line(node as Node);
    return text;
  }
  if (!isCode(text)) throw where.error(node as Node, `'${text}' is not a catalogue code; run 'k8sdoc explain' to list them`);
  return text;
}

function severitySection(node: unknown, where: Where, pluginLines: Record<string, number>): Map<AnyCode, Severity> {
  if (!isMap(node)) throw where.error(node as Node, `'severity' must map catalogue codes to warn or crit, not ${describe(node)}`);
  const out = new Map<AnyCode, Severity>();
  for (const [name, pair] of keysOf(node as YAMLMap, where)) {
    if (isPluginCode(name)) pluginLines[`code:${name}`] ??= where.line(pair.key as Node);
    else if (!isCode(name)) throw where.error(pair.key as Node, `severity: '${name}' is not a catalogue code; run 'k8sdoc explain' to list them`);
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) {
      throw where.error(pair.value as Node, `severity of '${name}' must be warn or crit, not ${describe(pair.value)}`);
    }
    // A plugin code is checked against the loaded plugins later (pluginLines names its line).
    out.set(name, value as Severity);
  }
  return out;
}

function ignoreEntry(node: unknown, where: Where, pluginLines: Record<string, number>): IgnoreRule {
  if (!isMap(node)) throw where.error(node as Node, `each 'ignore' entry must be a mapping with code, subjects and reason, not ${describe(node)}`);
  const fields = new Map<string, Pair>();
  for (const [name, pair] of keysOf(node as YAMLMap, where)) {
    if (!(IGNORE_ENTRY_KEYS as readonly string[]).includes(name)) {
      const hint = closest(name, IGNORE_ENTRY_KEYS);
      throw where.error(
        pair.key as Node,
        `unknown key '${name}' in an 'ignore' entry${hint ? ` (did you mean '${hint}'?)` : ''}; entries take code, subjects and reason`,
      );
    }
    fields.set(name, pair);
  }
  for (const required of IGNORE_ENTRY_KEYS) {
    if (!fields.has(required)) {
      const why =
        required === 'reason'
          ? ': say why the finding is accepted, the report shows it'
          : required === 'subjects'
            ? ": list the subjects, or '*' for all of them"
            : '';
      throw where.error(node as Node, `an 'ignore' entry needs '${required}'${why}`);
    }
  }
  return {
    code: code(fields.get('code')!.value, where, 'code', pluginLines),
    subjects: stringList(fields.get('subjects')!.value, where, 'subjects'),
    reason: nonEmptyString(fields.get('reason')!.value, where, 'reason', 'a non-empty sentence'),
    line: where.line(node as Node),
  };
}

function ignoreSection(node: unknown, where: Where, pluginLines: Record<string, number>): IgnoreRule[] {
  if (!isSeq(node)) throw where.error(node as Node, `'ignore' must be a list of entries with code, subjects and reason, not ${describe(node)}`);
  return node.items.map((item) => ignoreEntry(item, where, pluginLines));
}

export function parseConfig(text: string, path: string): ConfigFile {
  const lines = new LineCounter();
  const where = new Where(path, lines);
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? 1;
    throw new UsageError(`config file ${path} line ${line}: not valid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const config: ConfigFile = { path, defaults: {}, lines: {}, severity: new Map(), ignores: [] };
  const pluginLines: Record<string, number> = {};
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return config;
  if (!isMap(root)) throw where.error(root, `the file must be a mapping of flag names and sections, not ${describe(root)}`);
  const configDir = dirname(resolve(path));
  for (const [key, pair] of keysOf(root, where)) {
    const flag = FLAG_KEYS.get(key);
    if (flag) {
      config.defaults[flag.spec.name] = flagValue(flag, pair.value, where, configDir);
      config.lines[flag.spec.name] = where.line(pair.key as Node);
    } else if (key === 'severity') {
      config.severity = severitySection(pair.value, where, pluginLines);
    } else if (key === 'ignore') {
      config.ignores = ignoreSection(pair.value, where, pluginLines);
    } else if (key === 'plugins') {
      config.plugins = pluginsSection(pair.value, where, configDir, pluginLines);
    } else if (key === 'config') {
      throw where.error(pair.key as Node, "'config' cannot be set in a config file; pass --config on the command line");
    } else {
      const hint = closest(key, [...FLAG_KEYS.keys(), ...SECTION_KEYS]);
      throw where.error(
        pair.key as Node,
        `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; keys are check's long flag names, 'severity', 'ignore' and 'plugins'`,
      );
    }
  }
  if (Object.keys(pluginLines).length > 0) config.pluginLines = pluginLines;
  return config;
}

/** `plugins:` a list of paths (relative to this file's folder, as kubeconfig paths are) and package names. */
function pluginsSection(node: unknown, where: Where, configDir: string, pluginLines: Record<string, number>): string[] {
  if (!isSeq(node)) throw where.error(node as Node, `'plugins' must be a list of plugin paths or package names, not ${describe(node)}`);
  return node.items.map((item) => {
    const spec = nonEmptyString(item, where, 'plugins', 'a plugin path or package name');
    const isPath = spec.startsWith('.') || isAbsolute(spec) || /\.(mjs|js|cjs|ya?ml)$/i.test(spec);
    const resolved = isPath ? resolve(configDir, spec) : spec;
    pluginLines[`plugin:${resolved}`] = where.line(item as Node);
    return resolved;
  });
}
