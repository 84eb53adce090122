// The declarative plugin form: a YAML file of rules, each a GET on the API (a path and an
// optional label selector), a CEL expression that is true for every healthy object, and the
// catalogue entry of the problem. CEL (the expression language of Kubernetes' own
// ValidatingAdmissionPolicy and CRD validation) is evaluated by @marcbachmann/cel-js: it has
// no I/O, no loops beyond its macros and no access to JavaScript, so a rules file can read the
// objects it is given and nothing else.
import { readFileSync } from 'node:fs';
import { parse as parseCel } from '@marcbachmann/cel-js';
import { isMap, isSeq, parseDocument } from 'yaml';
import {
  definePlugin,
  type About,
  type Plugin,
  type PluginCatalogueEntry,
  type PluginCheck,
  type PluginCode,
  type PluginContext,
  type PluginFinding,
  type PluginRule,
} from './api.js';
import { PluginError } from './validate.js';

const TOP_KEYS = ['name', 'version', 'apiVersion', 'component', 'rules'] as const;
const RULE_KEYS = [
  'id',
  'title',
  'component',
  'get',
  'labelSelector',
  'expect',
  'subject',
  'node',
  'message',
  'minimum',
  'code',
  'explainedBy',
  'catalogue',
] as const;
const ENTRY_KEYS = ['title', 'severity', 'symptom', 'causes', 'fix', 'docs', 'keywords'] as const;
const NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_RULES_BYTES = 1024 * 1024;

type Obj = Record<string, unknown>;
type Expression = (context: Obj) => unknown;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One rule of the file, ready to run. */
interface Rule {
  id: string;
  title: string;
  component: string;
  get: string;
  labelSelector?: string;
  expect: Expression;
  expectText: string;
  subject: Expression | null;
  node: Expression | null;
  message: Expression | null;
  minimum: number;
  code: PluginCode;
  explainedBy: string[];
  entry: PluginCatalogueEntry;
}

function kindOf(o: Obj): string {
  return typeof o.kind === 'string' ? o.kind.toLowerCase() : 'object';
}

function defaultSubject(o: Obj): string {
  const meta = isObject(o.metadata) ? o.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '?';
  return `${kindOf(o)} ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${name}`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

async function runRule(rule: Rule, ctx: PluginContext): Promise<PluginFinding[]> {
  const answer = await ctx.kube.list(rule.get, rule.labelSelector ? { labelSelector: rule.labelSelector } : undefined);
  if (answer.kind === 'forbidden') return [ctx.skip(rule.get, answer.message)];
  if (answer.kind === 'failed') {
    // A resource the cluster does not serve (the CRD is not installed) is not this rule's to judge.
    if (answer.status === 404) return [ctx.skip(rule.get, `not served by this cluster (${answer.message})`)];
    throw new Error(`rule ${rule.id}: ${answer.message}`);
  }
  const findings: PluginFinding[] = [];
  const objects = answer.items.filter(isObject);
  if (objects.length < rule.minimum) {
    const selector = rule.labelSelector ? ` with labels ${rule.labelSelector}` : '';
    findings.push(ctx.raise({ code: rule.code, subject: rule.get, message: `found ${objects.length} objects${selector}, expected at least ${rule.minimum}` }));
  }
  for (const object of objects) {
    const vars = { object, now: ctx.now };
    const text = (e: Expression | null, fallback: string) => {
      if (e === null) return fallback;
      const v = e(vars);
      return typeof v === 'string' ? v : String(v);
    };
    let healthy: unknown;
    let subject: string;
    let about: About | undefined;
    try {
      subject = text(rule.subject, defaultSubject(object));
      const node = rule.node ? rule.node(vars) : undefined;
      about = typeof node === 'string' && node !== '' ? { node } : undefined;
      healthy = rule.expect(vars);
    } catch (err) {
      throw new Error(`rule ${rule.id} on ${defaultSubject(object)}: ${firstLine(err)}`);
    }
    if (typeof healthy !== 'boolean') throw new Error(`rule ${rule.id}: 'expect' gave ${typeof healthy} on ${subject}, not true or false`);
    if (healthy) findings.push(ctx.ok(subject, rule.title, about ? { about } : undefined));
    else {
      let message: string;
      try {
        message = text(rule.message, `does not meet: ${rule.expectText}`);
      } catch (err) {
        throw new Error(`rule ${rule.id} on ${subject}: message: ${firstLine(err)}`);
      }
      findings.push(ctx.raise({ code: rule.code, subject, message, ...(about ? { about } : {}) }));
    }
  }
  return findings;
}

/** The plugin a rules file declares; every mistake is a PluginError naming the file and the field. */
export function declarativePlugin(file: string, label: string): Plugin {
  let who = label;
  const fail = (m: string): never => {
    throw new PluginError(who, m);
  };
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_RULES_BYTES) fail(`${file} is larger than ${MAX_RULES_BYTES} bytes; a rules file is a page of YAML`);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof PluginError) throw err;
    return fail(`cannot read ${file}: ${firstLine(err)}`);
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors[0]) fail(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const root: unknown = doc.toJS();
  if (!isObject(root) || !isMap(doc.contents)) return fail(`${file} must be a mapping with name, version, apiVersion and rules`);
  if (typeof root.name === 'string' && NAME.test(root.name)) who = root.name;
  for (const key of Object.keys(root)) if (!(TOP_KEYS as readonly string[]).includes(key)) fail(`unknown field '${key}' (fields: ${TOP_KEYS.join(', ')})`);
  const str = (o: Obj, key: string, where: string, optional = false): string | undefined => {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '') fail(`${where}${key}: must be a non-empty string`);
    return v as string;
  };
  const name = str(root, 'name', '')!;
  if (!NAME.test(name)) fail(`name: '${name}' must be kebab-case (a-z, 0-9, -)`);
  const version = typeof root.version === 'number' ? String(root.version) : str(root, 'version', '')!;
  const defaultComponent = str(root, 'component', '', true) ?? name;
  if (!isSeq(doc.get('rules', true)) || !Array.isArray(root.rules) || root.rules.length === 0) fail('rules: must be a list of at least one rule');
  const compile = (source: unknown, where: string): Expression => {
    if (typeof source !== 'string' || source.trim() === '') return fail(`${where}: must be a CEL expression (a string)`);
    try {
      return parseCel(source) as unknown as Expression;
    } catch (err) {
      return fail(`${where}: not a valid CEL expression: ${firstLine(err)}`);
    }
  };
  const rules: Rule[] = (root.rules as unknown[]).map((raw, i) => {
    if (!isObject(raw)) return fail(`rules[${i}]: must be a mapping`);
    const id = typeof raw.id === 'string' ? raw.id : '';
    const where = `rule '${id || i}'.`;
    for (const key of Object.keys(raw))
      if (!(RULE_KEYS as readonly string[]).includes(key)) fail(`${where}${key}: unknown field (fields: ${RULE_KEYS.join(', ')})`);
    str(raw, 'id', where);
    const code = str(raw, 'code', where)!;
    const fullCode = (code.includes('/') ? code : `${name}/${code}`) as PluginCode;
    const entryRaw = raw.catalogue;
    if (!isObject(entryRaw)) return fail(`${where}catalogue: must be a mapping with title, severity, symptom, causes and fix`);
    for (const key of Object.keys(entryRaw))
      if (!(ENTRY_KEYS as readonly string[]).includes(key)) fail(`${where}catalogue.${key}: unknown field (fields: ${ENTRY_KEYS.join(', ')})`);
    const minimum = raw.minimum ?? 0;
    if (typeof minimum !== 'number' || !Number.isInteger(minimum) || minimum < 0) fail(`${where}minimum: must be a whole number`);
    const explainedBy = raw.explainedBy ?? [];
    if (!Array.isArray(explainedBy) || explainedBy.some((c) => typeof c !== 'string')) fail(`${where}explainedBy: must be a list of codes`);
    return {
      id,
      title: str(raw, 'title', where)!,
      component: str(raw, 'component', where, true) ?? defaultComponent,
      get: str(raw, 'get', where)!,
      ...(raw.labelSelector !== undefined ? { labelSelector: str(raw, 'labelSelector', where)! } : {}),
      expect: compile(raw.expect, `${where}expect`),
      expectText: String(raw.expect),
      subject: raw.subject === undefined ? null : compile(raw.subject, `${where}subject`),
      node: raw.node === undefined ? null : compile(raw.node, `${where}node`),
      message: raw.message === undefined ? null : compile(raw.message, `${where}message`),
      minimum: minimum as number,
      code: fullCode,
      explainedBy: explainedBy as string[],
      entry: entryRaw as unknown as PluginCatalogueEntry,
    };
  });
  const checks: PluginCheck[] = rules.map((rule) => ({
    id: rule.id,
    component: rule.component,
    title: rule.title,
    needs: ['api'],
    codes: [rule.code],
    run: (ctx: PluginContext) => runRule(rule, ctx),
  }));
  const catalogue: Record<PluginCode, PluginCatalogueEntry> = {};
  for (const rule of rules) {
    if (rule.code in catalogue) fail(`rule '${rule.id}'.code: '${rule.code}' is defined by two rules; give each rule its own code`);
    catalogue[rule.code] = rule.entry;
  }
  const relations: PluginRule[] = rules
    .filter((r) => r.explainedBy.length > 0)
    .map((r) => ({ cause: r.explainedBy, explains: [r.code], scope: r.node ? 'node' : 'any', why: `${r.explainedBy.join(', ')} explains ${r.code}` }));
  return definePlugin({
    name,
    version,
    apiVersion: root.apiVersion as number,
    checks,
    catalogue,
    ...(relations.length > 0 ? { rules: relations } : {}),
  });
}
