// The command-line shell: parse, call the programmatic API, print, choose the exit code.
// Nothing below this file exits the process or writes to stdout.
import { Argument, Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';
import { CHECK_OPTIONS, type OptionSpec } from './options.js';
import type { CommandIo, CommandResult } from './commands/io.js';
import type { DemoFlags } from './commands/demo.js';
import { VERSION } from './version.js';

const debugRequested = process.argv.includes('--debug');

function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '') resolve();
    else process.stdout.write(text, () => resolve());
  });
}

function fail(message: string, err?: unknown): never {
  process.stderr.write(`k8sdoc: ${message}\n`);
  if (debugRequested && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(2);
}

function addCheckOptions(command: Command): Command {
  for (const spec of CHECK_OPTIONS as readonly OptionSpec[]) {
    const description = spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description;
    command.addOption(new Option(spec.flags, description));
  }
  return command;
}

function commandIo(signal: AbortSignal): CommandIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 120,
    signal,
    interrupted: () => new Promise<void>((resolve) => process.once('SIGINT', () => resolve())),
  };
}

/** Prints a command's result and exits with its code. */
async function finish(result: CommandResult): Promise<never> {
  await writeOut(result.output);
  await result.afterOutput?.();
  process.exit(result.exitCode);
}

async function runCheckCommand(raw: Record<string, string | boolean | undefined>, command: Command): Promise<void> {
  const { runCheck } = await import('./commands/check.js');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  await finish(await runCheck(raw, (name) => command.getOptionValueSource(name) === 'cli', commandIo(controller.signal)));
}

async function runChecksCommand(raw: { output?: string }): Promise<void> {
  const { listChecks } = await import('./commands/list-checks.js');
  await writeOut(listChecks(raw.output === 'json' ? 'json' : 'table', process.stdout.isTTY === true && !process.env.NO_COLOR));
}

async function runExplainCommand(words: string[], raw: { output?: string }): Promise<void> {
  const { explain } = await import('./commands/explain.js');
  const result = explain(words.join(' '), { json: raw.output === 'json', color: process.stdout.isTTY === true && !process.env.NO_COLOR });
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
  const typed = (name: string) => command.getOptionValueSource(name) === 'cli';
  await finish(await runDemo(scenario, flags, typed, parseCheckArgv, commandIo(new AbortController().signal)));
}

function buildProgram(): Command {
  const program = new Command('k8sdoc')
    .description('A doctor for Kubernetes clusters: etcd quorum, certificates, nodes, kubelets and ports, with symptom, cause and fix for every problem.')
    .version(VERSION, '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });

  addCheckOptions(
    program
      .command('check', { isDefault: true })
      .description('run the checks and print the diagnosis (what a bare `k8sdoc` does)')
      .addHelpText('after', '\nExit codes: 0 nothing at or above --fail-on, 1 something is, 2 could not run as asked.')
      .action((opts, command: Command) => runCheckCommand(opts, command)),
  );

  program
    .command('checks')
    .description('list every check: id, component, what it looks at, what it needs')
    .option('-o, --output <format>', 'table or json', 'table')
    .action((opts) => runChecksCommand(opts));

  program
    .command('explain')
    .description('print catalogue entries: by code (etcd-quorum-lost) or the best matches for words (connection refused); no argument: the whole catalogue')
    .argument('[words...]', 'a catalogue code or words from an error message')
    .option('-o, --output <format>', 'text or json', 'text')
    .action((words: string[], opts) => runExplainCommand(words, opts));

  program
    .command('completion')
    .description('print a shell completion script: source <(k8sdoc completion bash)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./commands/completion.js');
      await writeOut(completionScript(shell, program));
    });

  // Asked by the completion scripts at completion time; not for people.
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .option('--kubeconfig <path>')
    .action(async (what: string, opts: { kubeconfig?: string }) => {
      if (what !== 'contexts') return;
      const { listContexts } = await import('./discovery/kubeconfig.js');
      const names = listContexts({ explicitPath: opts.kubeconfig ?? null, env: process.env });
      await writeOut(names.map((n) => `${n}\n`).join(''));
    });

  // The demo takes check's flags from the same table (those naming another cluster are refused when run).
  addCheckOptions(
    program
      .command('demo')
      .description('start the built-in simulated cluster on loopback and run check against it')
      .argument('[scenario]', 'scenario to start (default: healthy); --list names them')
      .option('--list', 'name the scenarios')
      .option('--keep', 'leave the cluster running and print its kubeconfig path, until Ctrl-C'),
  ).action((scenario: string | undefined, opts: DemoFlags, command: Command) => runDemoCommand(scenario, opts, command));

  return program;
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
      // commander puts its "(Did you mean --debug?)" on a second line; the contract is one.
      fail(`${err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}; run 'k8sdoc --help' for usage`, err);
    }
    if (err instanceof UsageError) fail(err.message, err);
    fail(`unexpected error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (run with --debug for details)`, err);
  }
}

void main();
