// `k8sdoc completion bash|zsh|fish`: a completion script built from the same data the CLI
// runs on (commander's commands, the option table, the check registry, the catalogue), so
// it cannot drift. What changes after the script is written is asked for at completion time
// through the hidden `k8sdoc __complete`: the kubeconfig's context names, and the check ids,
// components and codes of the plugins the config file and the line being completed name.
import { homedir } from 'node:os';
import type { Command, Option } from 'commander';
import { ALL_CODES } from '../catalogue/codes.js';
import { CHECK_INFO } from '../registry/info.generated.js';
import { COMPONENTS } from '../engine/types.js';
import { CHECK_OPTIONS, type OptionSpec } from '../options.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/**
 * What a flag's value or a command's argument completes to. `plugins`: the words plugins add
 * to the built-in ones, asked for at completion time (their check ids and components, or codes).
 */
type Values =
  { kind: 'none' } | { kind: 'words'; words: readonly string[]; commaList: boolean; plugins?: 'checks' | 'codes' } | { kind: 'files' } | { kind: 'contexts' };

interface Flag {
  long: string;
  short?: string;
  takesValue: boolean;
  /** May be given more than once (--plugin): zsh's _arguments stops completing at a second one unless told. */
  repeatable: boolean;
  description: string;
  values: Values;
}

interface CommandModel {
  name: string;
  description: string;
  flags: Flag[];
  argument: Values;
}

export interface CompletionModel {
  program: string;
  defaultCommand: string;
  commands: CommandModel[];
  globalFlags: Flag[];
}

const NONE: Values = { kind: 'none' };

function valuesOfSpec(spec: OptionSpec): Values {
  switch (spec.kind) {
    case 'path':
      return { kind: 'files' };
    case 'context':
      return { kind: 'contexts' };
    case 'choice':
      return { kind: 'words', words: spec.choices ?? [], commaList: false };
    case 'list':
      // --only/--skip take check ids and components; other lists are free text (hosts, URLs).
      return spec.name === 'only' || spec.name === 'skip'
        ? { kind: 'words', words: [...new Set([...CHECK_INFO.map((c) => c.id), ...COMPONENTS])], commaList: true, plugins: 'checks' }
        : NONE;
    case 'plugin':
      return { kind: 'files' };
    default:
      return NONE;
  }
}

function flagOf(option: Option): Flag {
  const spec = CHECK_OPTIONS.find((s) => s.name === option.attributeName() && s.flags.includes(option.long ?? '\0'));
  const takesValue = option.required || option.optional;
  // --plugin of checks and explain is not in the option table: a path too.
  const values: Values = spec
    ? valuesOfSpec(spec)
    : option.argChoices
      ? { kind: 'words', words: option.argChoices, commaList: false }
      : option.long === '--plugin'
        ? { kind: 'files' }
        : NONE;
  const repeatable = spec?.repeatable ?? option.long === '--plugin';
  return { long: option.long!, ...(option.short ? { short: option.short } : {}), takesValue, repeatable, description: option.description, values };
}

/** Words a command's first argument completes to. */
function argumentOf(command: Command): Values {
  if (command.name() === 'explain') return { kind: 'words', words: ALL_CODES, commaList: false, plugins: 'codes' };
  const choices = command.registeredArguments[0]?.argChoices;
  return choices ? { kind: 'words', words: choices, commaList: false } : NONE;
}

const HELP: Flag = { long: '--help', short: '-h', takesValue: false, repeatable: false, description: 'show help', values: NONE };

const visibleOptions = (c: Command) => c.options.filter((o) => !o.hidden && o.long);

export function completionModel(program: Command): CompletionModel {
  const commands = program.commands
    .filter((c) => !(c as Command & { _hidden?: boolean })._hidden && !c.name().startsWith('_'))
    .map((c) => ({
      name: c.name(),
      description: c.description(),
      flags: [...visibleOptions(c).map(flagOf), HELP],
      argument: argumentOf(c),
    }));
  const globalFlags = [...visibleOptions(program).map(flagOf), HELP];
  return { program: program.name(), defaultCommand: 'check', commands, globalFlags };
}

// --- bash -------------------------------------------------------------------------

function shellWords(words: readonly string[]): string {
  return words.join(' ');
}

/** A word list for compgen -W: the built-in words, then those the plugins add, asked at completion time. */
function bashWords(v: Values & { kind: 'words' }, program: string): string {
  return v.plugins ? `${shellWords(v.words)} $(_${program}_plugin_words ${v.plugins})` : shellWords(v.words);
}

function bashValueCase(flags: Flag[], program: string): string {
  const lines: string[] = [];
  for (const f of flags.filter((x) => x.takesValue)) {
    const pattern = [f.long, f.short].filter(Boolean).join('|');
    const v = f.values;
    let body: string;
    if (v.kind === 'files') body = 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
    else if (v.kind === 'contexts')
      body = `COMPREPLY=($(compgen -W "$(${program} __complete contexts \${kubeconfig:+--kubeconfig "$kubeconfig"} 2>/dev/null)" -- "$cur"))`;
    else if (v.kind === 'words' && v.commaList) body = `_${program}_comma_list "${bashWords(v, program)}"`;
    else if (v.kind === 'words') body = `COMPREPLY=($(compgen -W "${bashWords(v, program)}" -- "$cur"))`;
    else body = 'COMPREPLY=()';
    lines.push(`          ${pattern}) ${body}; return ;;`);
  }
  return lines.length === 0 ? '' : `        case "$prev" in\n${lines.join('\n')}\n        esac\n`;
}

/** A command's branch: the value of the flag just typed, else its flags, else its argument. */
function bashCommandBranch(pattern: string, flags: Flag[], argument: string, program: string): string {
  const flagWords = shellWords(flags.flatMap((f) => [f.long, ...(f.short ? [f.short] : [])]));
  return `      ${pattern})\n${bashValueCase(flags, program)}        if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flagWords}" -- "$cur")); else ${argument}; fi ;;`;
}

function bashScript(m: CompletionModel): string {
  const p = m.program;
  const fn = `_${p}`;
  const names = m.commands.map((c) => c.name);
  const defaultFlags = m.commands.find((c) => c.name === m.defaultCommand)!.flags;
  const branches = m.commands.map((c) => {
    const arg = c.argument.kind === 'words' ? `COMPREPLY=($(compgen -W "${bashWords(c.argument, p)}" -- "$cur"))` : 'COMPREPLY=()';
    return bashCommandBranch(c.name, c.flags, arg, p);
  });
  // Before any command word, the default command's flags apply (a bare `k8sdoc` runs it).
  branches.push(bashCommandBranch('*', [...m.globalFlags, ...defaultFlags], `COMPREPLY=($(compgen -W "${shellWords(names)}" -- "$cur"))`, p));
  return `# bash completion for ${p}, generated by \`${p} completion bash\`.
# Load it now:        source <(${p} completion bash)
# Load it always:     ${p} completion bash > ~/.local/share/bash-completion/completions/${p}

# The check ids and components (checks) or codes (codes) of the plugins the config file and
# the line so far name (--plugin), from k8sdoc itself; nothing when a plugin cannot be loaded.
# The demo reads no config file. $command is the caller's.
${fn}_plugin_words() {
  local no_config=""
  [[ "$command" == demo ]] && no_config=--no-config
  ${p} __complete "plugin-$1" $no_config -- "\${COMP_WORDS[@]:0:COMP_CWORD}" 2>/dev/null
}

${fn}_comma_list() {
  local done_part="" last="$cur"
  if [[ "$cur" == *,* ]]; then done_part="\${cur%,*},"; last="\${cur##*,}"; fi
  compopt -o nospace 2>/dev/null
  COMPREPLY=($(compgen -P "$done_part" -W "$1" -- "$last"))
}

${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local command="" kubeconfig="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      --kubeconfig) kubeconfig="\${COMP_WORDS[i+1]}" ;;
      ${names.join('|')}) [[ -z "$command" ]] && command="\${COMP_WORDS[i]}" ;;
    esac
  done
  case "$command" in
${branches.join('\n')}
  esac
}

complete -F ${fn} ${p}
complete -F ${fn} kubectl-${p}
`;
}

// --- zsh --------------------------------------------------------------------------

function zshEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/:/g, '\\:');
}

function zshAction(v: Values, program: string): string {
  if (v.kind === 'files') return ':file:_files';
  if (v.kind === 'contexts') return `:context:_${program}_contexts`;
  if (v.kind === 'words' && v.plugins) return `:value:${v.commaList ? '_sequence ' : ''}_${program}_${v.plugins}`;
  if (v.kind === 'words' && v.commaList) return `:value:_sequence compadd - ${v.words.join(' ')}`;
  if (v.kind === 'words') return `:value:(${v.words.join(' ')})`;
  return ':value: ';
}

function zshSpecs(flags: Flag[], program: string): string {
  return flags
    .map((f) => {
      const desc = `[${zshEscape(f.description)}]`;
      const action = f.takesValue ? zshAction(f.values, program) : '';
      const body = `${desc}${action}`;
      if (f.short) return `    '(${f.short} ${f.long})'{${f.short},${f.long}}'${body}'`;
      return `    '${f.repeatable ? '*' : ''}${f.long}${body}'`;
    })
    .join('\n');
}

/** Every word list plugins add to, with its built-in words. */
function pluginLists(m: CompletionModel): Map<'checks' | 'codes', readonly string[]> {
  const lists = new Map<'checks' | 'codes', readonly string[]>();
  const values = m.commands.flatMap((c) => [c.argument, ...c.flags.map((f) => f.values)]).concat(m.globalFlags.map((f) => f.values));
  for (const v of values) if (v.kind === 'words' && v.plugins) lists.set(v.plugins, v.words);
  return lists;
}

/**
 * One function per word list: the built-in words and those the plugins add, asked from k8sdoc
 * with the words before the cursor (its --plugin and --config). $command is the caller's
 * local (zsh scopes locals dynamically); the demo reads no config file.
 */
function zshPluginFunctions(m: CompletionModel): string {
  const p = m.program;
  return [...pluginLists(m)]
    .map(
      ([what, words]) => `_${p}_${what}() {
  local -a extra
  extra=(\${(f)"$(${p} __complete plugin-${what} \${\${(M)command:#demo}:+--no-config} -- "\${(@)words[1,CURRENT-1]}" 2>/dev/null)"})
  compadd "$@" - ${words.join(' ')} $extra
}
`,
    )
    .join('\n');
}

function zshScript(m: CompletionModel): string {
  const p = m.program;
  const fn = `_${p}`;
  const cases = m.commands
    .map((c) => {
      const arg =
        c.argument.kind === 'words'
          ? `\n        '1:argument:${c.argument.plugins ? `_${p}_${c.argument.plugins}` : `(${c.argument.words.join(' ')})`}' \\`
          : '';
      return `      ${c.name})\n        _arguments -s \\${arg}\n${zshSpecs(c.flags, p).replace(/\n/g, ' \\\n')} ;;`;
    })
    .join('\n');
  return `#compdef ${p} kubectl-${p}
# zsh completion for ${p}, generated by \`${p} completion zsh\`.
# Load it now:        source <(${p} completion zsh)
# Load it always:     ${p} completion zsh > "\${fpath[1]}/_${p}"

${fn}_contexts() {
  local -a contexts
  local i kubeconfig
  i=\${words[(I)--kubeconfig]}
  (( i > 0 )) && kubeconfig=\${words[i+1]}
  contexts=(\${(f)"$(${p} __complete contexts \${kubeconfig:+--kubeconfig "$kubeconfig"} 2>/dev/null)"})
  _describe 'kubeconfig context' contexts
}

${zshPluginFunctions(m)}
${fn}() {
  local -a commands
  commands=(
${m.commands.map((c) => `    '${c.name}:${zshEscape(c.description)}'`).join('\n')}
  )
  if (( CURRENT == 2 )) && [[ "\${words[CURRENT]}" != -* ]]; then
    _describe 'command' commands
    return
  fi
  local command=\${words[2]}
  if (( \${commands[(I)\${command}:*]} == 0 )); then command=${m.defaultCommand}; else shift words; (( CURRENT-- )); fi
  case $command in
${cases}
  esac
}

if [ "$funcstack[1]" = "${fn}" ]; then
  ${fn} "$@"
else
  compdef ${fn} ${p} kubectl-${p}
fi
`;
}

// --- fish -------------------------------------------------------------------------

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The built-in words, then those the plugins of the line (and, but for the demo, the config file) add. */
function fishWords(p: string, v: Values & { kind: 'words' }, condition: string): string {
  if (!v.plugins) return v.words.join(' ');
  const noConfig = condition === '__fish_seen_subcommand_from demo' ? ' --no-config' : '';
  return `${v.words.join(' ')} (${p} __complete plugin-${v.plugins}${noConfig} -- (commandline -opc) 2>/dev/null)`;
}

function fishFlag(p: string, condition: string, f: Flag): string {
  const parts = [`complete -c ${p}`, `-n ${fishQuote(condition)}`, `-l ${f.long.replace(/^--/, '')}`];
  if (f.short) parts.push(`-s ${f.short.replace(/^-/, '')}`);
  const v = f.values;
  if (f.takesValue) {
    if (v.kind === 'files') parts.push('-r -F');
    else if (v.kind === 'contexts') parts.push(`-x -a ${fishQuote(`(${p} __complete contexts 2>/dev/null)`)}`);
    else if (v.kind === 'words') parts.push(`-x -a ${fishQuote(fishWords(p, v, condition))}`);
    else parts.push('-x');
  }
  parts.push(`-d ${fishQuote(f.description)}`);
  return parts.join(' ');
}

function fishScript(m: CompletionModel): string {
  const p = m.program;
  const lines = [
    `# fish completion for ${p}, generated by \`${p} completion fish\`.`,
    `# Load it always:     ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    `complete -c ${p} -f`,
  ];
  for (const c of m.commands) lines.push(`complete -c ${p} -n '__fish_use_subcommand' -a ${c.name} -d ${fishQuote(c.description)}`);
  for (const f of m.globalFlags) lines.push(fishFlag(p, '__fish_use_subcommand', f));
  for (const c of m.commands) {
    // Flags of the default command apply unless another command is typed: a flag's value before
    // any command (`k8sdoc --plugin ./p.mjs --only …`) is not a command, though fish's
    // __fish_use_subcommand takes it for one.
    const others = m.commands.filter((o) => o.name !== c.name).map((o) => o.name);
    const condition = c.name === m.defaultCommand ? `not __fish_seen_subcommand_from ${others.join(' ')}` : `__fish_seen_subcommand_from ${c.name}`;
    for (const f of c.flags) lines.push(fishFlag(p, condition, f));
    if (c.argument.kind === 'words')
      lines.push(
        `complete -c ${p} -n ${fishQuote(`__fish_seen_subcommand_from ${c.name}`)} -a ${fishQuote(fishWords(p, c.argument, `__fish_seen_subcommand_from ${c.name}`))}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, program: Command): string {
  const model = completionModel(program);
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}

// --- completion time ----------------------------------------------------------------

/** The plugins a command line names, as `check` would read them: each `--plugin`, and the `--config` to look in. */
export function pluginsOnLine(words: readonly string[], env: NodeJS.ProcessEnv): { plugins: string[]; config: string | null } {
  // The shell has not expanded `~` in the words being typed.
  const home = env.HOME || homedir();
  const path = (w: string) => (w === '~' ? home : w.startsWith('~/') ? `${home}${w.slice(1)}` : w);
  const plugins: string[] = [];
  let config: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] =
      word.startsWith('--') && word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    if (flag !== '--plugin' && flag !== '--config') continue;
    // bash splits `--plugin=x` at the `=` into three words.
    let value = inline;
    if (value === undefined) {
      if (words[i + 1] === '=') i++;
      value = words[++i];
    }
    if (value === undefined || value === '') continue;
    if (flag === '--plugin') plugins.push(path(value));
    else config = path(value);
  }
  return { plugins, config };
}

/** What a plugin can name and a shell may be handed unquoted: kebab-case ids and `plugin/code`. */
const SAFE_WORD = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)?$/;

/** A plugin whose module takes longer than this to import offers nothing: a Tab cannot wait. */
const COMPLETION_IMPORT_BUDGET_MS = 2_000;

/**
 * `k8sdoc __complete plugin-checks|plugin-codes -- <words before the cursor>`: the check ids and
 * components, or the catalogue codes, that the plugins of that line add (with `useConfig`, also
 * those of the config file `check` would read). Plugins are loaded, never run; one that cannot
 * be loaded, a config file that cannot be read, anything that goes wrong offers no word and
 * says nothing: completion must never print into the user's shell.
 */
export async function pluginCompletions(
  what: string,
  words: readonly string[],
  io: { cwd: string; env: NodeJS.ProcessEnv; useConfig: boolean },
): Promise<string[]> {
  if (what !== 'plugin-checks' && what !== 'plugin-codes') return [];
  const line = pluginsOnLine(words, io.env);
  let configured: string[] = [];
  if (io.useConfig) {
    try {
      const { loadConfig } = await import('../config/load.js');
      configured = (await loadConfig({ explicitPath: line.config, cwd: io.cwd, env: io.env }))?.plugins ?? [];
    } catch {
      // An unreadable or malformed config file: `check` will say so when run; the line's plugins still count.
    }
  }
  const refs = [...configured, ...line.plugins].map((spec) => ({ spec, base: io.cwd }));
  if (refs.length === 0) return [];
  // A plugin module's top level may print; none of it may become a completion candidate.
  /* eslint-disable no-console -- silencing it, not printing */
  const quiet = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const name of Object.keys(quiet) as (keyof typeof quiet)[]) console[name] = () => undefined;
  /* eslint-enable no-console */
  try {
    const { loadPlugins } = await import('../plugin/load.js');
    const { loaded } = await loadPlugins(refs, { env: io.env, builtinIds: CHECK_INFO.map((c) => c.id), importBudgetMs: COMPLETION_IMPORT_BUDGET_MS });
    const found =
      what === 'plugin-codes'
        ? loaded.flatMap((p) => p.checks.flatMap((c) => c.codes))
        : loaded.flatMap((p) => p.checks.flatMap((c) => [c.id, ...((COMPONENTS as readonly string[]).includes(c.component) ? [] : [c.component])]));
    return [...new Set(found)].filter((w) => SAFE_WORD.test(w));
  } catch {
    return [];
  } finally {
    Object.assign(console, quiet);
  }
}
