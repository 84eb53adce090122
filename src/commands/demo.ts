// `k8sdoc demo`: start a simulated cluster, diagnose it with the scenario's flags, clean up.
import { runDiagnosis } from '../index.js';
import { UsageError } from '../errors.js';
import { resolveCheckOptions } from '../options.js';
import { DEFAULT_DEMO_SCENARIO, listScenarios, startDemo, UnknownScenarioError } from '../sim/demo.js';
import { reportResult } from './check.js';
import type { CommandIo, CommandResult } from './io.js';

type Raw = Record<string, string | boolean | undefined>;

export interface DemoFlags {
  list?: boolean;
  keep?: boolean;
  output?: string;
  timeout?: string;
}

export function scenarioList(): string {
  const rows = listScenarios();
  const width = Math.max(...rows.map((r) => r.name.length));
  const distWidth = Math.max(...rows.map((r) => r.distribution.length));
  return `${rows.map((r) => `${r.name.padEnd(width)}  ${r.distribution.padEnd(distWidth)}  ${r.description}`).join('\n')}\n`;
}

/**
 * `parseCheckArgv` turns the scenario's check flags into raw option values through the same
 * option table as `check` (cli.ts owns commander, so it hands the parser in).
 */
export async function runDemo(scenario: string | undefined, flags: DemoFlags, parseCheckArgv: (argv: string[]) => Raw, io: CommandIo): Promise<CommandResult> {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo(scenario ?? DEFAULT_DEMO_SCENARIO, { keep: flags.keep === true });
  } catch (err) {
    if (err instanceof UnknownScenarioError) throw new UsageError(err.message);
    throw err;
  }
  const stop = () => demo.cluster.stop();
  const onSigterm = () => void stop().finally(() => process.exit(143));
  process.once('SIGTERM', onSigterm);
  const cleanUp = async () => {
    process.removeListener('SIGTERM', onSigterm);
    await stop();
  };
  try {
    for (const note of demo.notes) io.stderr.write(`k8sdoc demo: ${note}\n`);
    const extra = [...(flags.output ? ['-o', flags.output] : []), ...(flags.timeout ? ['--timeout', flags.timeout] : [])];
    const options = resolveCheckOptions(parseCheckArgv([...demo.checkArgv, ...extra]), { isTTY: io.stdoutIsTTY, env: io.env });
    // The demo must not overwrite a real cluster's discovery cache (kubeadm's default context name).
    const report = await runDiagnosis(options, { env: io.env, log: (line) => io.stderr.write(`debug: ${line}\n`), discoveryCache: false });
    const result = reportResult(report, options, io);
    if (!flags.keep) {
      await cleanUp();
      return result;
    }
    return {
      ...result,
      afterOutput: async () => {
        io.stderr.write('k8sdoc demo: the cluster keeps running; press Ctrl-C to stop it\n');
        await io.interrupted();
        await cleanUp();
      },
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
