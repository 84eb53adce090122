// `k8sdoc completion bash|zsh|fish`: a completion script built from the same data the CLI
// runs on (commander's commands, the option table, the check registry, the catalogue), so
// it cannot drift. Kubeconfig context names change, so the scripts ask for them at
// completion time through the hidden `k8sdoc __complete contexts`.
import type { Command, Option } from 'commander';
import { ALL_CODES } from '../catalogue/codes.js';
import { CHECK_INFO } from '../registry/info.generated.js';
import { COMPONENTS } from '../engine/types.js';
import { CHECK_OPTIONS, type OptionSpec } from '../options.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a flag's value or a command's argument completes to. */
type Values = { kind: 'none' } | { kind: 'words'; words: readonly string[]; commaList: boolean } | { kind: 'files' } | { kind: 'contexts' };

interface Flag {
  long: string;
  short?: string;
  takesValue: boolean;
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
        ? { kind: 'words', words: [...new Set([...CHECK_INFO.map((c) => c.id), ...COMPONENTS])], commaList: true }
        : NONE;
    default:
      return NONE;
  }
}

function flagOf(option: Option): Flag {
  const spec = CHECK_OPTIONS.find((s) => s.name === option.attributeName() && s.flags.includes(option.long ?? '\0'));
  const takesValue = option.required || option.optional;
  const values: Values = spec ? valuesOfSpec(spec) : option.argChoices ? { kind: 'words', words: option.argChoices, commaList: false } : NONE;
  return { long: option.long!, ...(option.short ? { short: option.short } : {}), takesValue, description: option.description, values };
}

/** Words a command's first argument completes to. */
function argumentOf(command: Command): Values {
  if (command.name() === 'explain') return { kind: 'words', words: ALL_CODES, commaList: false };
  const choices = command.registeredArguments[0]?.argChoices;
  return choices ? { kind: 'words', words: choices, commaList: false } : NONE;
}

const visibleOptions = (c: Command) => c.options.filter((o) => !o.hidden && o.long);

export function completionModel(program: Command): CompletionModel {
  const commands = program.commands
    .filter((c) => !(c as Command & { _hidden?: boolean })._hidden && !c.name().startsWith('_'))
    .map((c) => ({
      name: c.name(),
      description: c.description(),
      flags: [...visibleOptions(c).map(flagOf), { long: '--help', short: '-h', takesValue: false, description: 'show help', values: NONE }],
      argument: argumentOf(c),
    }));
  const globalFlags = [...visibleOptions(program).map(flagOf), { long: '--help', short: '-h', takesValue: false, description: 'show help', values: NONE }];
  return { program: program.name(), defaultCommand: 'check', commands, globalFlags };
}

// --- bash -------------------------------------------------------------------------

function shellWords(words: readonly string[]): string {
  return words.join(' ');
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
    else if (v.kind === 'words' && v.commaList) body = `_${program}_comma_list "${shellWords(v.words)}"`;
    else if (v.kind === 'words') body = `COMPREPLY=($(compgen -W "${shellWords(v.words)}" -- "$cur"))`;
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
    const arg = c.argument.kind === 'words' ? `COMPREPLY=($(compgen -W "${shellWords(c.argument.words)}" -- "$cur"))` : 'COMPREPLY=()';
    return bashCommandBranch(c.name, c.flags, arg, p);
  });
  // Before any command word, the default command's flags apply (a bare `k8sdoc` runs it).
  branches.push(bashCommandBranch('*', [...m.globalFlags, ...defaultFlags], `COMPREPLY=($(compgen -W "${shellWords(names)}" -- "$cur"))`, p));
  return `# bash completion for ${p}, generated by \`${p} completion bash\`.
# Load it now:        source <(${p} completion bash)
# Load it always:     ${p} completion bash > ~/.local/share/bash-completion/completions/${p}

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
      return f.short ? `    '(${f.short} ${f.long})'{${f.short},${f.long}}'${body}'` : `    '${f.long}${body}'`;
    })
    .join('\n');
}

function zshScript(m: CompletionModel): string {
  const p = m.program;
  const fn = `_${p}`;
  const cases = m.commands
    .map((c) => {
      const arg = c.argument.kind === 'words' ? `\n        '1:argument:(${c.argument.words.join(' ')})' \\` : '';
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

function fishFlag(p: string, condition: string, f: Flag): string {
  const parts = [`complete -c ${p}`, `-n ${fishQuote(condition)}`, `-l ${f.long.replace(/^--/, '')}`];
  if (f.short) parts.push(`-s ${f.short.replace(/^-/, '')}`);
  const v = f.values;
  if (f.takesValue) {
    if (v.kind === 'files') parts.push('-r -F');
    else if (v.kind === 'contexts') parts.push(`-x -a ${fishQuote(`(${p} __complete contexts 2>/dev/null)`)}`);
    else if (v.kind === 'words') parts.push(`-x -a ${fishQuote(v.words.join(' '))}`);
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
    // Flags of the default command also apply before any command is typed.
    const condition = c.name === m.defaultCommand ? `__fish_use_subcommand; or __fish_seen_subcommand_from ${c.name}` : `__fish_seen_subcommand_from ${c.name}`;
    for (const f of c.flags) lines.push(fishFlag(p, condition, f));
    if (c.argument.kind === 'words')
      lines.push(`complete -c ${p} -n ${fishQuote(`__fish_seen_subcommand_from ${c.name}`)} -a ${fishQuote(c.argument.words.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, program: Command): string {
  const model = completionModel(program);
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}
