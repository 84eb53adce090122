// Finds and loads plugins named by --plugin and the config file's `plugins:`: a path to an ES
// module (.mjs/.js) or to a YAML rules file, or an npm package name, resolved as Node resolves
// an import from the current directory (its node_modules and those above it), then among the
// globally installed packages. A plugin runs in this process with the user's privileges: it is
// code the user chose to trust, as a kubectl plugin is.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isKnownCode, registerPluginEntries } from '../catalogue/index.js';
import { registerPluginRules } from '../engine/triage.js';
import type { Check } from '../engine/types.js';
import { adaptCheck, entryOf, type LoadedPlugin } from './adapt.js';
import type { Plugin, PluginCode } from './api.js';
import { PluginError, validatePlugin } from './validate.js';

/** A plugin as named, and the folder a relative path is resolved against (the cwd, or the config file's folder). */
export interface PluginRef {
  spec: string;
  base: string;
}

/** Importing a module runs its top level; one that never settles must not hold the run. */
const IMPORT_BUDGET_MS = 10_000;

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/[A-Za-z0-9._~/-]+)?$/;

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || isAbsolute(spec) || /\.(mjs|js|cjs|ya?ml)$/i.test(spec) || spec.includes('\\');
}

/** The file a package's import resolves to: `exports` (import, node or default condition), else `main`, else index.js. */
function packageEntry(dir: string, subpath: string): string | null {
  let pkg: { exports?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    return null;
  }
  const pick = (exp: unknown): string | null => {
    if (typeof exp === 'string') return exp;
    if (Array.isArray(exp)) return exp.map(pick).find((e) => e !== null) ?? null;
    if (typeof exp === 'object' && exp !== null) {
      const o = exp as Record<string, unknown>;
      for (const condition of ['import', 'node', 'default']) if (condition in o) return pick(o[condition]);
    }
    return null;
  };
  if (pkg.exports !== undefined) {
    const exp = pkg.exports as Record<string, unknown> | string;
    const key = subpath === '' ? '.' : `./${subpath}`;
    const target =
      typeof exp === 'object' && exp !== null && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'))
        ? exp[key]
        : key === '.'
          ? exp
          : undefined;
    const file = pick(target);
    return file === null ? null : resolve(dir, file);
  }
  if (subpath !== '') return resolve(dir, subpath);
  return resolve(dir, typeof pkg.main === 'string' ? pkg.main : 'index.js');
}

/** Globally installed packages: npm's prefix (as `npm install -g` uses it) beside this Node.js. */
function globalRoots(env: NodeJS.ProcessEnv): string[] {
  const prefixes = [env.npm_config_prefix, env.NPM_CONFIG_PREFIX, resolve(dirname(process.execPath), '..')].filter((p): p is string => !!p);
  return [...new Set(prefixes.map((p) => join(p, 'lib', 'node_modules')))];
}

function resolvePackage(spec: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  const parts = spec.split('/');
  const nameParts = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const subpath = parts.slice(nameParts).join('/');
  const roots: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    roots.push(join(dir, 'node_modules'));
    if (dirname(dir) === dir) break;
  }
  for (const root of [...roots, ...globalRoots(env)]) {
    const dir = join(root, name);
    if (existsSync(join(dir, 'package.json'))) return packageEntry(dir, subpath);
  }
  return null;
}

/** The file a reference names; a missing one is a load error with the fix. */
export function resolvePluginFile(ref: PluginRef, env: NodeJS.ProcessEnv): string {
  const { spec } = ref;
  if (spec.trim() === '') throw new PluginError("''", 'an empty plugin name; pass a path (./my-plugin.mjs) or a package name');
  if (looksLikePath(spec)) {
    const file = resolve(ref.base, spec);
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw new PluginError(spec, `no such file ${file}; check the path (a relative path is resolved against ${ref.base})`);
    }
    if (!isFile) throw new PluginError(spec, `${file} is not a file; name the plugin's .mjs/.js module or its rules .yaml`);
    return file;
  }
  if (!PACKAGE_NAME.test(spec)) throw new PluginError(spec, 'is neither a path nor an npm package name');
  const file = resolvePackage(spec, ref.base, env);
  if (file === null || !existsSync(file)) {
    throw new PluginError(
      spec,
      `package not found in ${join(ref.base, 'node_modules')} (or above it) nor globally; install it (npm install ${spec}) or pass a path`,
    );
  }
  return file;
}

async function importModule(file: string, label: string, budgetMs: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginError(label, `loading ${file} did not finish within ${budgetMs / 1000} s`)), budgetMs);
    timer.unref();
  });
  try {
    const mod = (await Promise.race([import(pathToFileURL(file).href), hung])) as { default?: unknown };
    return mod.default;
  } catch (err) {
    if (err instanceof PluginError) throw err;
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new PluginError(label, `cannot load ${file}: ${message}`);
  } finally {
    clearTimeout(timer);
  }
}

export interface LoadContext {
  env: NodeJS.ProcessEnv;
  /** Check ids already taken: the built-in ones. */
  builtinIds: readonly string[];
  /** How long a module's import may take (default 10 s); shell completion cannot wait that long. */
  importBudgetMs?: number;
}

export interface LoadOutcome {
  loaded: LoadedPlugin[];
  /** Plugins that could not be loaded, each with why; the caller decides (exit 2, or error results). */
  failures: PluginError[];
}

/** Loads, validates and registers the plugins, in order. */
export async function loadPlugins(refs: readonly PluginRef[], context: LoadContext): Promise<LoadOutcome> {
  const taken = { checks: new Set(context.builtinIds), plugins: new Set<string>(), codes: new Set<string>() };
  const loaded: LoadedPlugin[] = [];
  const failures: PluginError[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    try {
      const file = resolvePluginFile(ref, context.env);
      // The same file named twice (flag and config file) is one plugin.
      if (seen.has(file)) continue;
      seen.add(file);
      let value: unknown;
      if (/\.ya?ml$/i.test(file)) {
        const { declarativePlugin } = await import('./declarative.js');
        value = declarativePlugin(file, ref.spec);
      } else {
        value = await importModule(file, ref.spec, context.importBudgetMs ?? IMPORT_BUDGET_MS);
      }
      const plugin = validatePlugin(value, ref.spec, taken);
      loaded.push(register(plugin, ref.spec));
      taken.plugins.add(plugin.name);
      for (const c of plugin.checks) taken.checks.add(c.id);
      for (const code of Object.keys(plugin.catalogue)) taken.codes.add(code);
    } catch (err) {
      if (!(err instanceof PluginError)) throw err;
      failures.push(err);
    }
  }
  return { loaded, failures };
}

/** Makes a validated plugin's codes known to the catalogue and triage, and adapts its checks. */
export function register(plugin: Plugin, source: string): LoadedPlugin {
  // Validation saw that every catalogue code is listed by a check: the first check listing it gives its component.
  const componentOf = new Map<PluginCode, string>();
  for (const c of plugin.checks) for (const code of c.codes) if (!componentOf.has(code)) componentOf.set(code, c.component);
  registerPluginEntries([...componentOf].map(([code, component]) => [code, entryOf(plugin, code, component)] as const));
  // Validation saw that every code a rule names is known; the filter types them as such.
  registerPluginRules(
    (plugin.rules ?? []).map((r) => ({ cause: r.cause.filter(isKnownCode), explains: r.explains.filter(isKnownCode), scope: r.scope, why: r.why })),
  );
  const checks: Check[] = plugin.checks.map((c) => adaptCheck(plugin, c));
  return { plugin, source, checks };
}

/** A check that stands for a plugin that could not be loaded (--fail-on never): one `error` result naming it. */
export function loadFailureCheck(error: PluginError, index: number): Check {
  return {
    id: `plugin-load-${index + 1}`,
    component: 'plugins' as Check['component'],
    title: `plugin ${error.plugin} (failed to load)`,
    needs: [],
    codes: [],
    run: async () => [{ status: 'error', subject: `plugin ${error.plugin}`, message: `failed to load: ${error.message}`, data: { plugin: error.plugin } }],
  };
}

export { PluginError };
