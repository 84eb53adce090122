// Checks a plugin's default export before anything of it runs: every field the API knows,
// none it does not, codes namespaced by the plugin and defined in its catalogue. A mistake is
// one line naming the plugin and the field, so the author fixes it without reading k8sdoc.
import { ALL_CODES } from '../catalogue/codes.js';
import { COMPONENTS } from '../engine/types.js';
import { PLUGIN_API_VERSION, type Plugin, type PluginCatalogueEntry, type PluginCheck, type PluginRule } from './api.js';

export class PluginError extends Error {
  constructor(
    readonly plugin: string,
    message: string,
  ) {
    super(`plugin ${plugin}: ${message}`);
  }
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const PLUGIN_KEYS = ['name', 'version', 'apiVersion', 'checks', 'catalogue', 'rules'] as const;
const CHECK_KEYS = ['id', 'component', 'title', 'needs', 'codes', 'run'] as const;
const ENTRY_KEYS = ['title', 'severity', 'symptom', 'causes', 'fix', 'docs', 'keywords'] as const;
const RULE_KEYS = ['cause', 'explains', 'scope', 'why'] as const;
const NEEDS = ['api', 'nodes', 'etcd'];

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Obj, allowed: readonly string[], where: string, fail: (m: string) => never): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) fail(`${where}: unknown field '${key}' (fields: ${allowed.join(', ')})`);
  }
}

function text(o: Obj, key: string, where: string, fail: (m: string) => never): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') fail(`${where}.${key}: must be a non-empty string`);
  return v;
}

function texts(o: Obj, key: string, where: string, fail: (m: string) => never, optional = false): string[] {
  const v = o[key];
  if (v === undefined && optional) return [];
  if (!Array.isArray(v) || (!optional && v.length === 0) || v.some((s) => typeof s !== 'string' || s.trim() === '')) {
    fail(`${where}.${key}: must be a list of non-empty strings${optional ? '' : ' (at least one)'}`);
  }
  return v as string[];
}

/** Whether `code` is `<plugin>/<kebab-case>`. */
export function isCodeOf(plugin: string, code: string): boolean {
  return code.startsWith(`${plugin}/`) && NAME.test(code.slice(plugin.length + 1));
}

function entry(code: string, v: unknown, fail: (m: string) => never): PluginCatalogueEntry {
  const where = `catalogue['${code}']`;
  if (!isObject(v)) fail(`${where}: must be an object with title, severity, symptom, causes and fix`);
  onlyKeys(v, ENTRY_KEYS, where, fail);
  if (v.severity !== 'warn' && v.severity !== 'crit') fail(`${where}.severity: must be 'warn' or 'crit'`);
  if (v.docs !== undefined) {
    const docs = text(v, 'docs', where, fail);
    if (!/^https?:\/\//.test(docs)) fail(`${where}.docs: must be an http(s) URL`);
  }
  text(v, 'title', where, fail);
  text(v, 'symptom', where, fail);
  texts(v, 'causes', where, fail);
  texts(v, 'fix', where, fail);
  texts(v, 'keywords', where, fail, true);
  return v as unknown as PluginCatalogueEntry;
}

function check(v: unknown, i: number, name: string, catalogue: Obj, fail: (m: string) => never): PluginCheck {
  if (!isObject(v)) fail(`checks[${i}]: must be an object with id, component, title, codes and run`);
  const id = typeof v.id === 'string' ? v.id : '';
  const where = id ? `check '${id}'` : `checks[${i}]`;
  onlyKeys(v, CHECK_KEYS, where, fail);
  if (!NAME.test(id)) fail(`${where}.id: must be kebab-case (a-z, 0-9, -)`);
  const component = text(v, 'component', where, fail);
  if (!NAME.test(component)) fail(`${where}.component: must be kebab-case (a-z, 0-9, -)`);
  text(v, 'title', where, fail);
  if (typeof v.run !== 'function') fail(`${where}.run: must be a function (ctx) => findings`);
  const needs = texts(v, 'needs', where, fail, true);
  for (const need of needs) if (!NEEDS.includes(need)) fail(`${where}.needs: unknown need '${need}' (needs: ${NEEDS.join(', ')})`);
  const codes = texts(v, 'codes', where, fail);
  for (const code of codes) {
    if (!isCodeOf(name, code)) fail(`${where}.codes: '${code}' is not namespaced by the plugin (write '${name}/${code.split('/').pop()}')`);
    if (!(code in catalogue)) fail(`${where}.codes: '${code}' is used but not defined in the catalogue`);
  }
  return v as unknown as PluginCheck;
}

function rule(v: unknown, i: number, known: (code: string) => boolean, fail: (m: string) => never): PluginRule {
  const where = `rules[${i}]`;
  if (!isObject(v)) fail(`${where}: must be an object with cause, explains, scope and why`);
  onlyKeys(v, RULE_KEYS, where, fail);
  for (const key of ['cause', 'explains'] as const) {
    for (const code of texts(v, key, where, fail)) if (!known(code)) fail(`${where}.${key}: '${code}' is neither a built-in code nor one of a loaded plugin`);
  }
  if (v.scope !== 'any' && v.scope !== 'node' && v.scope !== 'endpoint') fail(`${where}.scope: must be 'any', 'node' or 'endpoint'`);
  text(v, 'why', where, fail);
  return v as unknown as PluginRule;
}

/**
 * The plugin, checked; `label` names it before its name is known (the path given).
 * `taken` holds the check ids and plugin names already in use (built-in and earlier plugins).
 */
export function validatePlugin(value: unknown, label: string, taken: { checks: Set<string>; plugins: Set<string>; codes: Set<string> }): Plugin {
  let who = label;
  const fail = (m: string): never => {
    throw new PluginError(who, m);
  };
  if (!isObject(value))
    fail('its default export must be definePlugin({ name, version, apiVersion, checks, catalogue }), found none; export default definePlugin({...})');
  const v = value as Obj;
  if (typeof v.name === 'string' && NAME.test(v.name)) who = v.name;
  onlyKeys(v, PLUGIN_KEYS, 'definePlugin', fail);
  const name = text(v, 'name', 'definePlugin', fail);
  if (!NAME.test(name)) fail(`name: '${name}' must be kebab-case (a-z, 0-9, -)`);
  if (taken.plugins.has(name)) fail(`name: another plugin named '${name}' is already loaded`);
  text(v, 'version', 'definePlugin', fail);
  if (v.apiVersion !== PLUGIN_API_VERSION) {
    fail(
      `apiVersion: the plugin is written for plugin API ${String(v.apiVersion)}, this k8sdoc speaks ${PLUGIN_API_VERSION}; use a matching k8sdoc or plugin version`,
    );
  }
  if (!isObject(v.catalogue)) fail('catalogue: must be an object of code → entry');
  const catalogue = v.catalogue as Obj;
  for (const [code, e] of Object.entries(catalogue)) {
    if (!isCodeOf(name, code)) fail(`catalogue: code '${code}' must be namespaced by the plugin, like '${name}/${code.split('/').pop()}'`);
    if (taken.codes.has(code)) fail(`catalogue: code '${code}' is already defined`);
    entry(code, e, fail);
  }
  if (!Array.isArray(v.checks) || v.checks.length === 0) fail('checks: must be a list of at least one check');
  const ids = new Set<string>();
  (v.checks as unknown[]).forEach((c, i) => {
    const parsed = check(c, i, name, catalogue, fail);
    if (ids.has(parsed.id) || taken.checks.has(parsed.id)) fail(`check '${parsed.id}'.id: duplicate id (another check already has it)`);
    if ((COMPONENTS as readonly string[]).includes(parsed.id)) fail(`check '${parsed.id}'.id: the name of a built-in component cannot be a check id`);
    ids.add(parsed.id);
  });
  const used = new Set((v.checks as PluginCheck[]).flatMap((c) => c.codes as readonly string[]));
  for (const code of Object.keys(catalogue)) {
    if (!used.has(code)) fail(`catalogue['${code}']: defined but no check lists it in its codes`);
  }
  const known = (code: string) => (ALL_CODES as readonly string[]).includes(code) || code in catalogue || taken.codes.has(code);
  if (v.rules !== undefined) {
    if (!Array.isArray(v.rules)) fail('rules: must be a list');
    (v.rules as unknown[]).forEach((r, i) => rule(r, i, known, fail));
  }
  return v as unknown as Plugin;
}
