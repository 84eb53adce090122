// `k8sdoc demo`: start a simulated cluster, diagnose it with the scenario's flags and the
// user's check flags, clean up.
import { CHECKS, runDiagnosis } from '../index.js';
import { pluginSpecs } from '../plugin/specs.js';
import { UsageError } from '../errors.js';
import { CHECK_OPTIONS, resolveCheckOptions } from '../options.js';
import { DEFAULT_DEMO_SCENARIO, DemoRefusedError, listScenarios, startDemo, UnknownScenarioError, type Demo } from '../sim/demo.js';
import { reportResult } from './check.js';
import type { CommandIo, CommandResult } from './io.js';

type Raw = Record<string, string | boolean | undefined>;

export interface DemoFlags extends Raw {
  list?: boolean;
  keep?: boolean;
}

// The demo points check at its own cluster: flags that name another target, read a config
// file or wait for healing have nothing to do there.
const NOT_FOR_DEMO: Readonly<Record<string, string>> = {
  kubeconfig: 'the demo writes its own kubeconfig',
  context: 'the demo writes its own kubeconfig',
  apiserver: 'the demo points check at its own API servers',
  etcd: 'the demo points check at its own etcd members',
  etcdCacert: 'the demo uses its own etcd certificates',
  etcdCert: 'the demo uses its own etcd certificates',
  etcdKey: 'the demo uses its own etcd certificates',
  pkiDir: 'the demo inspects its own certificates',
  config: 'the demo reads no config file',
  wait: 'a demo cluster does not heal',
};

function flagOf(name: string): string {
  const spec = CHECK_OPTIONS.find((s) => s.name === name);
  return spec ? (spec.flags.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? `--${name}`) : `--${name}`;
}

export function scenarioList(): string {
  const rows = listScenarios();
  const width = Math.max(...rows.map((r) => r.name.length));
  const distWidth = Math.max(...rows.map((r) => r.distribution.length));
  const described = (r: (typeof rows)[number]) => (r.name === DEFAULT_DEMO_SCENARIO ? `(the default) ${r.description}` : r.description);
  return `${rows.map((r) => `${r.name.padEnd(width)}  ${r.distribution.padEnd(distWidth)}  ${described(r)}`).join('\n')}\n`;
}

/** The check flags the user typed on `demo`, refused where they make no sense for a demo. */
export function userCheckFlags(flags: DemoFlags, typed: (name: string) => boolean): Raw {
  const raw: Raw = {};
  for (const spec of CHECK_OPTIONS) {
    if (!typed(spec.name)) continue;
    const why = NOT_FOR_DEMO[spec.name];
    if (why) {
      throw new UsageError(
        `${flagOf(spec.name)} does not go with demo: ${why}; run 'k8sdoc demo --keep' and point 'k8sdoc check' at the cluster it prints to use it`,
      );
    }
    raw[spec.name] = flags[spec.name];
  }
  return raw;
}

/**
 * `parseCheckArgv` turns the scenario's check flags into raw option values through the same
 * option table as `check` (cli.ts owns commander, so it hands the parser in); the user's
 * typed flags then win over the scenario's.
 */
export async function runDemo(
  scenario: string | undefined,
  flags: DemoFlags,
  typed: (name: string) => boolean,
  parseCheckArgv: (argv: string[]) => Raw,
  io: CommandIo,
): Promise<CommandResult> {
  const userRaw = userCheckFlags(flags, typed);
  // Bad values are usage errors before any server starts.
  const userOptions = resolveCheckOptions(userRaw, { isTTY: io.stdoutIsTTY, env: io.env });
  // Plugins load (and a broken one is named) before any server starts.
  const specs = pluginSpecs((userRaw as Record<string, unknown>).plugin);
  const { checks } =
    specs.length > 0 ? await (await import('../plugin/for-run.js')).checksWithPlugins(specs, null, userOptions.failOn, io) : { checks: CHECKS };

  let demo: Demo;
  try {
    demo = await startDemo(scenario ?? DEFAULT_DEMO_SCENARIO, { keep: flags.keep === true });
  } catch (err) {
    if (err instanceof UnknownScenarioError || err instanceof DemoRefusedError) throw new UsageError(err.message);
    throw err;
  }
  const onSigterm = () => void demo.stop().finally(() => process.exit(143));
  process.once('SIGTERM', onSigterm);
  const cleanUp = async () => {
    process.removeListener('SIGTERM', onSigterm);
    await demo.stop();
  };
  try {
    for (const note of demo.notes) io.stderr.write(`k8sdoc demo: ${note}\n`);
    const options = resolveCheckOptions({ ...parseCheckArgv(demo.checkArgv), ...userRaw }, { isTTY: io.stdoutIsTTY, env: io.env });
    // The demo must not overwrite a real cluster's discovery cache (kubeadm's default context name).
    const report = await runDiagnosis(options, { env: io.env, log: (line) => io.stderr.write(`debug: ${line}\n`), discoveryCache: false, checks });
    const rendered = reportResult(report, options, io);
    // The header goes on top of the table only: machine formats stay parseable.
    const result = options.output === 'table' ? { ...rendered, output: `${demo.header}\n\n${rendered.output}` } : rendered;
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
