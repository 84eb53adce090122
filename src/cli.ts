// The command-line shell: parse, call the programmatic API, print, choose the exit code.
// Nothing below this file exits the process or writes to stdout.
import { Argument, Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';
import { CHECK_OPTIONS, type OptionSpec } from './options.js';
import { outputWidth } from './render/layout.js';
import type { CommandIo, CommandResult } from './commands/io.js';
import type { DemoFlags } from './commands/demo.js';
import { safeLines, safeText } from './util/terminal-text.js';
import { closest } from './config/suggest.js';
import { versionText } from './commands/version.js';
import { pluginSpecs } from './plugin/specs.js';

const debugRequested = process.argv.includes('--debug');

// A reader that stops early (`| head -c 100`, `| true`) closes the pipe: that ends the output,
// not the run, whose verdict is still the exit code. Any other failure to write is one line.
let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    stdoutClosed = true;
    return;
  }
  process.stderr.write(`k8sdoc: cannot write to standard output (${err.code ?? err.message}); check where it is redirected\n`);
  process.exit(2);
});
// Nowhere left to say anything: carry on, the exit code still tells.
process.stderr.on('error', () => undefined);

function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '' || stdoutClosed) resolve();
    else process.stdout.write(text, () => resolve());
  });
}

/** 128 + the signal's number, as a shell reports a process the signal ended. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/**
 * SIGINT (Ctrl-C) and SIGTERM (sent by Kubernetes, CI runners and `timeout`) abort the probes;
 * the run then prints what finished, marked interrupted, and exits 130 or 143. Without a
 * handler SIGTERM would end the process with nothing written (`-o junit > k8sdoc.xml` left
 * empty). A second signal means "now": exit at once.
 */
function stopOnSignals(controller: AbortController): () => StopSignal | null {
  let caught: StopSignal | null = null;
  const onSignal = (signal: StopSignal) => {
    if (caught !== null) process.exit(SIGNAL_EXIT_CODES[signal]);
    caught = signal;
    if (debugRequested) process.stderr.write(`debug: ${signal}: stopping the probes, printing what finished\n`);
    controller.abort();
  };
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]) process.on(signal, onSignal);
  return () => caught;
}

/** A stack trace readable on a terminal: the message (which may quote a file or the cluster) on one escaped line, then the frames. */
function safeStack(stack: string): string {
  const frames = stack.indexOf('\n    at ');
  return frames < 0 ? safeText(stack) : `${safeText(stack.slice(0, frames))}${safeLines(stack.slice(frames))}`;
}

function fail(message: string, err?: unknown): never {
  // Messages quote kubeconfig names, paths and server text: one escaped line, whatever they hold.
  process.stderr.write(`k8sdoc: ${safeText(message)}\n`);
  if (debugRequested && err instanceof Error && err.stack) process.stderr.write(`${safeStack(err.stack)}\n`);
  process.exit(2);
}

function addCheckOptions(command: Command): Command {
  for (const spec of CHECK_OPTIONS as readonly OptionSpec[]) {
    const shown = spec.defaultText ?? spec.defaultHelp;
    const description = shown ? `${spec.description} (default: ${shown})` : spec.description;
    const option = new Option(spec.flags, description);
    if (spec.repeatable) option.argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? (previous as string[]) : []), value]);
    command.addOption(option);
  }
  return command;
}

function commandIo(signal: AbortSignal): CommandIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: outputWidth(process.stdout.columns, process.env),
    signal,
    interrupted: () => new Promise<void>((resolve) => process.once('SIGINT', () => resolve())),
  };
}

/** Prints a command's result and exits with its code (or the signal's, when one stopped the run). */
async function finish(result: CommandResult, stoppedBy: StopSignal | null = null): Promise<never> {
  await writeOut(result.output);
  await result.afterOutput?.();
  process.exit(stoppedBy === null ? result.exitCode : SIGNAL_EXIT_CODES[stoppedBy]);
}

async function runCheckCommand(raw: Record<string, string | boolean | undefined>, command: Command): Promise<void> {
  const { runCheck } = await import('./commands/check.js');
  const controller = new AbortController();
  const stoppedBy = stopOnSignals(controller);
  // --debug is a program option (accepted before or after any command), so commander hands
  // it to the program, not to check.
  const withDebug = debugRequested ? { ...raw, debug: true } : raw;
  const typed = (name: string) => (name === 'debug' && debugRequested) || command.getOptionValueSource(name) === 'cli';
  const result = await runCheck(withDebug, typed, commandIo(controller.signal));
  await finish(result, stoppedBy());
}

/** `--plugin` on checks and explain: the plugins' checks, loaded (and their codes registered) as check would. */
function pluginOption(): Option {
  return new Option('--plugin <path-or-package>', "include a plugin's checks and codes; repeatable").argParser((value: string, previous: unknown) => [
    ...(Array.isArray(previous) ? (previous as string[]) : []),
    value,
  ]);
}

async function pluginInfos(specs: unknown): Promise<import('./engine/types.js').CheckInfo[]> {
  const list = pluginSpecs(specs);
  // Without --plugin the built-in checks' generated data is all there is to read: the loader
  // would load every check's code, the catalogue and triage for nothing.
  if (list.length === 0) return [];
  const [{ checksWithPlugins }, { CHECKS }] = await Promise.all([import('./plugin/for-run.js'), import('./registry/index.js')]);
  const { checks } = await checksWithPlugins(list, null, 'crit', { cwd: process.cwd(), env: process.env });
  return checks.slice(CHECKS.length).map(({ id, component, title, needs, codes }) => ({ id, component, title, needs, codes }));
}

async function runChecksCommand(raw: { output?: string; plugin?: unknown }): Promise<void> {
  const { listChecks } = await import('./commands/list-checks.js');
  const extra = await pluginInfos(raw.plugin);
  await writeOut(listChecks(raw.output === 'json' ? 'json' : 'table', process.stdout.isTTY === true && !process.env.NO_COLOR, extra));
}

/** A command's `-o`: a value outside `formats` is a usage error, as for check. */
function outputOption(formats: readonly string[]): Option {
  return new Option('-o, --output <format>', formats.join(' or ')).choices(formats).default(formats[0]);
}

async function runExplainCommand(words: string[], raw: { output?: string; plugin?: unknown }): Promise<void> {
  const { explain } = await import('./commands/explain.js');
  const extra = await pluginInfos(raw.plugin);
  const result = explain(words.join(' '), { json: raw.output === 'json', color: process.stdout.isTTY === true && !process.env.NO_COLOR, extra });
  await writeOut(result.text);
  if (result.notFound) process.exit(1);
}

/** Parses `check` flags given as a list (the demo's), through the same option table. */
function parseCheckArgv(argv: string[]): Record<string, string | boolean | undefined> {
  const parser = addCheckOptions(new Command('check').exitOverride().configureOutput({ writeErr: () => undefined, outputError: () => undefined }));
  parser.parse(argv, { from: 'user' });
  return parser.opts();
}

async function runDemoCommand(scenario: string | undefined, flags: DemoFlags, command: Command): Promise<void> {
  const { runDemo, scenarioList } = await import('./commands/demo.js');
  if (flags.list) return finish({ output: scenarioList(), exitCode: 0 });
  // The program took --debug; the demo's own check run gets it back, for its probe lines.
  const parse = (argv: string[]) => parseCheckArgv(debugRequested ? [...argv, '--debug'] : argv);
  const typed = (name: string) => command.getOptionValueSource(name) === 'cli';
  await finish(await runDemo(scenario, flags, typed, parse, commandIo(new AbortController().signal)));
}

function buildProgram(): Command {
  const program = new Command('k8sdoc')
    .description('A doctor for Kubernetes clusters: etcd quorum, certificates, nodes, kubelets and ports, with symptom, cause and fix for every problem.')
    .version(versionText('text').trimEnd(), '-V, --version', 'print the version, commit, build date and Node.js version')
    .option('--debug', 'stack traces and, for check and demo, one line per probe on stderr (any command)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });

  addCheckOptions(
    program
      .command('check', { isDefault: true })
      .description('run the checks and print the diagnosis (what a bare `k8sdoc` does)')
      .addHelpText(
        'after',
        '\nExit codes: 0 nothing at or above --fail-on, 1 something is, 2 could not run as asked, 130/143 stopped by SIGINT/SIGTERM (what finished is printed, marked interrupted).',
      )
      .action((opts, command: Command) => runCheckCommand(opts, command)),
  );

  program
    .command('checks')
    .description('list every check: id, component, what it looks at, what it needs')
    .addOption(outputOption(['table', 'json']))
    .addOption(pluginOption())
    .action((opts) => runChecksCommand(opts));

  program
    .command('explain')
    .description('print catalogue entries: by code (etcd-quorum-lost) or the best matches for words (connection refused); no argument: the whole catalogue')
    .argument('[words...]', 'a catalogue code or words from an error message')
    .addOption(outputOption(['text', 'json']))
    .addOption(pluginOption())
    .action((words: string[], opts) => runExplainCommand(words, opts));

  program
    .command('version')
    .description('print the version, the commit and date of the build, and the Node.js version')
    .addOption(outputOption(['text', 'json']))
    .action((opts: { output: 'text' | 'json' }) => writeOut(versionText(opts.output)));

  program
    .command('completion')
    .description('print a shell completion script: source <(k8sdoc completion bash)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./commands/completion.js');
      await writeOut(completionScript(shell, program));
    });

  // Asked by the completion scripts at completion time; not for people. `plugin-checks` and
  // `plugin-codes` take the words before the cursor after `--` and read their --plugin and --config.
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .argument('[words...]')
    .option('--kubeconfig <path>')
    .option('--no-config', 'leave the config file out (the demo reads none)')
    .action(async (what: string, words: string[], opts: { kubeconfig?: string; config: boolean }) => {
      if (what !== 'contexts') {
        const { pluginCompletions } = await import('./commands/completion.js');
        const found = await pluginCompletions(what, words, { cwd: process.cwd(), env: process.env, useConfig: opts.config });
        // A plugin's timers or sockets must not keep the shell waiting.
        return finish({ output: found.map((w) => `${w}\n`).join(''), exitCode: 0 });
      }
      const { listContexts } = await import('./discovery/kubeconfig.js');
      const names = listContexts({ explicitPath: opts.kubeconfig ?? null, env: process.env });
      await writeOut(names.map((n) => `${n}\n`).join(''));
    });

  // The demo takes check's flags from the same table (those naming another cluster are refused when run).
  addCheckOptions(
    program
      .command('demo')
      .description('start the built-in simulated cluster on loopback and run check against it')
      .argument('[scenario]', 'scenario to start (default: kubeadm, as kubeadm writes it); --list names them')
      .option('--list', 'name the scenarios')
      .option('--keep', 'leave the cluster running and print its kubeconfig path, until Ctrl-C'),
  ).action((scenario: string | undefined, opts: DemoFlags, command: Command) => runDemoCommand(scenario, opts, command));

  return program;
}

/**
 * `check` is the default command, so a mistyped command (`k8sdoc chek`) reaches it as an
 * argument and commander would say "too many arguments for 'check'". Name it as what the
 * user meant: an unknown command, with the nearest one when there is one.
 */
function unexpectedArgument(program: Command): string | null {
  const check = program.commands.find((c) => c.name() === 'check');
  const word = check?.args.find((a) => !a.startsWith('-'));
  if (word === undefined) return null;
  const commands = program.commands.map((c) => c.name()).filter((name) => !name.startsWith('_'));
  // `k8sdoc check checks` names a real command in the wrong place: no suggestion to make.
  const hint = commands.includes(word) ? null : closest(word, commands);
  if (hint) return `unknown command '${word}'; did you mean '${hint}'?`;
  const typed = program.args.indexOf('check');
  if (typed !== -1 && typed < program.args.indexOf(word)) return `check takes no arguments, got '${word}'; run 'k8sdoc check --help' for its options`;
  return `unknown command '${word}'; run 'k8sdoc --help' for the commands (${commands.join(', ')})`;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        process.exit(0);
      }
      const unexpected = err.code === 'commander.excessArguments' ? unexpectedArgument(program) : null;
      if (unexpected) fail(unexpected, err);
      // commander puts its "(Did you mean --debug?)" on a second line; the contract is one.
      fail(
        `${err.message
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .replace(/\.$/, '')}; run 'k8sdoc --help' for usage`,
        err,
      );
    }
    if (err instanceof UsageError) fail(err.message, err);
    fail(`unexpected error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (run with --debug for details)`, err);
  }
}

void main();
