// The command-line shell: parse, call the programmatic API, print, choose the exit code.
// Nothing below this file exits the process or writes to stdout.
import { Argument, Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';
import { CHECK_OPTIONS, resolveCheckOptions, type OptionSpec } from './options.js';
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

async function runCheckCommand(raw: Record<string, string | boolean | undefined>, command: Command): Promise<void> {
  const { loadConfig } = await import('./config/load.js');
  const { mergeConfigDefaults, pointAtConfig } = await import('./config/merge.js');
  const typed = (name: string) => command.getOptionValueSource(name) === 'cli';
  const config = await loadConfig({ explicitPath: typeof raw.config === 'string' ? raw.config : null, cwd: process.cwd(), env: process.env });
  let options: ReturnType<typeof resolveCheckOptions>;
  try {
    options = resolveCheckOptions(mergeConfigDefaults(raw, config, typed), { isTTY: process.stdout.isTTY === true, env: process.env });
  } catch (err) {
    throw pointAtConfig(err, config, typed);
  }
  if (options.insecureSkipTlsVerify) {
    process.stderr.write('k8sdoc: warning: --insecure-skip-tls-verify: server certificates are not verified (findings still say why they would fail)\n');
  }
  const { runDiagnosis, exitCodeFor, render } = await import('./index.js');
  const { createProgress, progressWanted } = await import('./progress.js');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const log = (line: string) => process.stderr.write(`debug: ${line}\n`);
  if (options.debug && config) log(`config file ${config.path}`);
  const progress = createProgress(process.stderr, progressWanted(process.stderr, options.output));
  const diagnose = () => runDiagnosis(options, { env: process.env, log, signal: controller.signal, progress, ...(config ? { policy: config } : {}) });
  let report;
  if (options.waitMs === null) report = await diagnose();
  else {
    const { waitUntilPassing, waitVerdict } = await import('./engine/wait.js');
    report = await waitUntilPassing(diagnose, { waitMs: options.waitMs, failOn: options.failOn, signal: controller.signal, onAttempt: progress.onWaitAttempt });
    process.stderr.write(`${waitVerdict(report, options.failOn)}\n`);
  }
  const out = render(report, options.output, { color: options.color, width: process.stdout.columns ?? 120, failOn: options.failOn });
  await writeOut(out);
  process.exit(exitCodeFor(report, options.failOn));
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

async function runDemoCommand(scenario: string | undefined, raw: { list?: boolean; keep?: boolean; output?: string; timeout?: string }): Promise<void> {
  const { listScenarios, startDemo, DEFAULT_DEMO_SCENARIO, UnknownScenarioError } = await import('./sim/demo.js');
  if (raw.list) {
    const rows = listScenarios();
    const width = Math.max(...rows.map((r) => r.name.length));
    await writeOut(`${rows.map((r) => `${r.name.padEnd(width)}  ${r.description}`).join('\n')}\n`);
    process.exit(0);
  }
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo(scenario ?? DEFAULT_DEMO_SCENARIO, { keep: raw.keep === true });
  } catch (err) {
    if (err instanceof UnknownScenarioError) throw new UsageError(err.message);
    throw err;
  }
  const stop = () => demo.cluster.stop();
  process.once('SIGTERM', () => void stop().finally(() => process.exit(143)));
  try {
    for (const note of demo.notes) process.stderr.write(`k8sdoc demo: ${note}\n`);
    const extra = [...(raw.output ? ['-o', raw.output] : []), ...(raw.timeout ? ['--timeout', raw.timeout] : [])];
    const options = resolveCheckOptions(parseCheckArgv([...demo.checkArgv, ...extra]), { isTTY: process.stdout.isTTY === true, env: process.env });
    const { runDiagnosis, exitCodeFor, render } = await import('./index.js');
    const report = await runDiagnosis(options, { env: process.env, log: (line) => process.stderr.write(`debug: ${line}\n`), discoveryCache: false });
    await writeOut(render(report, options.output, { color: options.color, width: process.stdout.columns ?? 120, failOn: options.failOn }));
    if (raw.keep) {
      process.stderr.write('k8sdoc demo: the cluster keeps running; press Ctrl-C to stop it\n');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    await stop();
    process.exit(exitCodeFor(report, options.failOn));
  } catch (err) {
    await stop();
    throw err;
  }
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

  program
    .command('demo')
    .description('start the built-in simulated cluster on loopback and run check against it')
    .argument('[scenario]', 'scenario to start (default: healthy); --list names them')
    .option('--list', 'name the scenarios')
    .option('--keep', 'leave the cluster running and print its kubeconfig path, until Ctrl-C')
    .option('-o, --output <format>', 'output format: table, json, junit, prometheus')
    .option('--timeout <duration>', 'bound on any one network probe')
    .action((scenario: string | undefined, opts) => runDemoCommand(scenario, opts));

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
