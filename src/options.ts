// The options of `k8sdoc check`, declared once as data: the CLI registers them in a loop,
// the config file supplies defaults by the same names, and completion lists them.
import { UsageError } from './errors.js';
import { parseBytes, parseChoice, parseDuration, parseHost, parseInteger, parseList } from './util/parse.js';
import { DISTRIBUTIONS, type Distribution } from './shape/types.js';

/** What --distribution accepts: every distribution the shape inference knows, but not `unknown`. */
export const DISTRIBUTION_CHOICES = DISTRIBUTIONS.filter((d) => d !== 'unknown');

export const OUTPUT_FORMATS = ['table', 'json', 'junit', 'prometheus', 'wide', 'markdown', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const FAIL_ON_LEVELS = ['warn', 'crit', 'never'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

export interface CheckOptions {
  kubeconfig: string | null;
  context: string | null;
  apiservers: string[];
  etcd: string[];
  etcdCacert: string | null;
  etcdCert: string | null;
  etcdKey: string | null;
  pkiDir: string | null;
  etcdBackupDir: string | null;
  backupMaxAgeMs: number;
  /** Quota to judge the etcd database size against; `etcdQuotaFromFlag` says whether the user set it. */
  etcdQuotaBytes: number;
  etcdQuotaFromFlag: boolean;
  latencyWarnMs: number;
  nodeConditions: string[];
  hosts: string[];
  only: string[];
  skip: string[];
  output: OutputFormat;
  /** --problems-only: the verdict and the problems without the tables. */
  problemsOnly: boolean;
  timeoutMs: number;
  /** Bound on the whole run (--deadline); absent: deadlineFor(timeoutMs). */
  deadlineMs?: number;
  /** Bound on an exec credential plugin (--auth-timeout); absent: the default. */
  authTimeoutMs?: number;
  concurrency: number;
  warnDays: number;
  critDays: number;
  failOn: FailOn;
  color: boolean;
  insecureSkipTlsVerify: boolean;
  waitMs: number | null;
  config: string | null;
  debug: boolean;
  /** --distribution: who built the cluster, when the shape inference guesses wrong. */
  distribution?: Distribution;
}

type RawValue = string | boolean | string[] | undefined;

/** What one option's resolver is handed. */
export interface OptionInput {
  /** The text given (or the default text); null when neither. */
  text: string | null;
  /** The raw value: `true`/`false` for flags, an array for repeatable options. */
  raw: RawValue;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export interface OptionSpec {
  /** commander flags, e.g. `--timeout <duration>`. */
  flags: string;
  /** Name commander gives the value (camelCase of the long flag). */
  name: string;
  description: string;
  /** Default as the user would type it: shown in --help, and what `resolve` parses when the option is not given. */
  defaultText?: string;
  /** A default that is not a value to parse (`10 x --timeout`): shown in --help only. */
  defaultHelp?: string;
  /**
   * The option's part of CheckOptions, from its text (the default when not given; null when
   * neither) or, for a flag, whether it was given. Validation errors are UsageErrors.
   */
  resolve: (given: OptionInput) => Partial<CheckOptions>;
  /** Values offered by shell completion. */
  choices?: readonly string[];
  /** Kind of value, for completion (files, contexts) and the config file's type check. */
  kind: 'string' | 'boolean' | 'path' | 'list' | 'duration' | 'number' | 'choice' | 'context' | 'plugin';
  /** Given several times, each adds a value (commander hands over an array). */
  repeatable?: boolean;
}

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--kubeconfig <path>',
    name: 'kubeconfig',
    kind: 'path',
    description: 'kubeconfig file ($KUBECONFIG list, else ~/.kube/config; the service account inside a pod)',
    resolve: ({ text }) => ({ kubeconfig: requireNonEmpty(text, '--kubeconfig') }),
  },
  {
    flags: '--context <name,...>',
    name: 'context',
    kind: 'context',
    description: 'kubeconfig context; several (a,b,c) are checked at once, one report each (default: current-context)',
    resolve: ({ text }) => ({ context: requireNonEmpty(text, '--context') }),
  },
  {
    flags: '--all-contexts',
    name: 'allContexts',
    kind: 'boolean',
    description: 'check every context of the kubeconfig at once, one report each',
    resolve: () => ({}),
  },
  {
    flags: '--apiserver <url,...>',
    name: 'apiserver',
    kind: 'list',
    description: 'API server endpoints to probe one by one besides the kubeconfig server (default: control-plane nodes on :6443)',
    resolve: ({ text }) => ({ apiservers: parseList(text ?? '') }),
  },
  {
    flags: '--etcd <url,...>',
    name: 'etcd',
    kind: 'list',
    description: "etcd client endpoints (default: kube-apiserver's --etcd-servers, else control-plane nodes on :2379)",
    resolve: ({ text }) => ({ etcd: parseList(text ?? '') }),
  },
  {
    flags: '--etcd-cacert <path>',
    name: 'etcdCacert',
    kind: 'path',
    description: "etcd CA file (default: the PKI folder's etcd CA, e.g. /etc/kubernetes/pki/etcd/ca.crt, when readable)",
    resolve: ({ text }) => ({ etcdCacert: requireNonEmpty(text, '--etcd-cacert') }),
  },
  {
    flags: '--etcd-cert <path>',
    name: 'etcdCert',
    kind: 'path',
    description: 'etcd client certificate (default: /etc/kubernetes/pki/etcd/healthcheck-client.crt)',
    resolve: ({ text }) => ({ etcdCert: requireNonEmpty(text, '--etcd-cert') }),
  },
  {
    flags: '--etcd-key <path>',
    name: 'etcdKey',
    kind: 'path',
    description: 'etcd client key (default: /etc/kubernetes/pki/etcd/healthcheck-client.key)',
    resolve: ({ text }) => ({ etcdKey: requireNonEmpty(text, '--etcd-key') }),
  },
  {
    flags: '--pki-dir <path>',
    name: 'pkiDir',
    kind: 'path',
    description:
      "folder of certificates and kubeconfigs to inspect for expiry (default: this node's, /etc/kubernetes/pki or /var/lib/rancher/{k3s,rke2}/server/tls or /var/snap/microk8s/current/certs)",
    resolve: ({ text }) => ({ pkiDir: requireNonEmpty(text, '--pki-dir') }),
  },
  {
    flags: '--etcd-backup-dir <path>',
    name: 'etcdBackupDir',
    kind: 'path',
    description: 'where etcd snapshots are written; the newest must be younger than --backup-max-age',
    resolve: ({ text }) => ({ etcdBackupDir: requireNonEmpty(text, '--etcd-backup-dir') }),
  },
  {
    flags: '--backup-max-age <duration>',
    name: 'backupMaxAge',
    kind: 'duration',
    defaultText: '1h',
    description: 'oldest acceptable etcd snapshot',
    resolve: ({ text }) => ({ backupMaxAgeMs: parseDuration(text!, '--backup-max-age') }),
  },
  {
    flags: '--etcd-quota <bytes>',
    name: 'etcdQuota',
    kind: 'string',
    defaultText: '2GiB',
    description: "etcd backend quota when the member's metrics do not tell it",
    resolve: ({ text, raw }) => ({ etcdQuotaBytes: parseBytes(text!, '--etcd-quota'), etcdQuotaFromFlag: typeof raw === 'string' }),
  },
  {
    flags: '--latency-warn <duration>',
    name: 'latencyWarn',
    kind: 'duration',
    defaultText: '1s',
    description: 'API server request latency (p99) that raises apiserver-latency-high',
    resolve: ({ text }) => ({ latencyWarnMs: parseDuration(text!, '--latency-warn') }),
  },
  {
    flags: '--node-conditions <type,...>',
    name: 'nodeConditions',
    kind: 'list',
    description: 'extra node condition types to report (node-problem-detector, vendor)',
    resolve: ({ text }) => ({
      nodeConditions: parseList(text ?? '').map((t) => {
        if (!CONDITION_TYPE_PATTERN.test(t))
          throw new UsageError(`--node-conditions: '${t}' is not a node condition type; use names like KernelDeadlock or FrequentKubeletRestart`);
        return t;
      }),
    }),
  },
  {
    flags: '--hosts <host,...>',
    name: 'hosts',
    kind: 'list',
    description: 'hosts to probe for ports 6443, 2379, 2380, 10250 (default: every node)',
    resolve: ({ text }) => ({ hosts: parseList(text ?? '').map((h) => parseHost(h, '--hosts')) }),
  },
  {
    flags: '--only <id,...>',
    name: 'only',
    kind: 'list',
    description: 'run only these checks or components (apiserver, etcd, control-plane, certs, nodes, kubelet, ports)',
    resolve: ({ text }) => ({ only: selectors(text, 'only') }),
  },
  {
    flags: '--skip <id,...>',
    name: 'skip',
    kind: 'list',
    description: 'skip these checks or components',
    resolve: ({ text }) => ({ skip: selectors(text, 'skip') }),
  },
  {
    flags: '-o, --output <format>',
    name: 'output',
    kind: 'choice',
    choices: OUTPUT_FORMATS,
    defaultText: 'table',
    description: 'output format: table, json, junit, prometheus, wide (every column), markdown or html (an incident report)',
    resolve: ({ text }) => ({ output: parseChoice(text!, '--output', OUTPUT_FORMATS) }),
  },
  {
    flags: '--problems-only',
    name: 'problemsOnly',
    kind: 'boolean',
    description: 'print the verdict and the problems alone, without the tables',
    resolve: ({ raw }) => ({ problemsOnly: raw === true }),
  },
  {
    flags: '--timeout <duration>',
    name: 'timeout',
    kind: 'duration',
    defaultText: '3s',
    description: 'bound on any one network probe (500ms, 3s)',
    resolve: ({ text }) => {
      const timeoutMs = parseDuration(text!, '--timeout');
      if (timeoutMs < 1) throw new UsageError('--timeout must be at least 1ms, like 500ms or 3s');
      return { timeoutMs };
    },
  },
  {
    flags: '--deadline <duration>',
    name: 'deadline',
    kind: 'duration',
    defaultHelp: '10 x --timeout, at least 10s',
    description: 'bound on the whole run; a check cut short keeps what it found and says what it could not finish',
    resolve: ({ text }) => (text === null ? {} : { deadlineMs: parseDuration(text, '--deadline') }),
  },
  {
    flags: '--auth-timeout <duration>',
    name: 'authTimeout',
    kind: 'duration',
    defaultText: '60s',
    description: 'bound on an exec credential plugin, long enough for an interactive login; it is stopped after that',
    resolve: ({ text }) => {
      const authTimeoutMs = parseDuration(text!, '--auth-timeout');
      if (authTimeoutMs < 1) throw new UsageError('--auth-timeout must be at least 1ms, like 30s or 2m');
      return { authTimeoutMs };
    },
  },
  {
    flags: '--concurrency <n>',
    name: 'concurrency',
    kind: 'number',
    defaultText: '32',
    description: 'probes in flight at once',
    resolve: ({ text }) => ({ concurrency: parseInteger(text!, '--concurrency', 1, 1024) }),
  },
  {
    flags: '--warn-days <n>',
    name: 'warnDays',
    kind: 'number',
    defaultText: '30',
    description: 'certificate expiry warning threshold in days',
    resolve: ({ text }) => ({ warnDays: parseInteger(text!, '--warn-days', 0, 3650) }),
  },
  {
    flags: '--crit-days <n>',
    name: 'critDays',
    kind: 'number',
    defaultText: '7',
    description: 'certificate expiry critical threshold in days',
    resolve: ({ text }) => ({ critDays: parseInteger(text!, '--crit-days', 0, 3650) }),
  },
  {
    flags: '--fail-on <level>',
    name: 'failOn',
    kind: 'choice',
    choices: FAIL_ON_LEVELS,
    defaultText: 'crit',
    description: 'findings that make the exit code 1: warn, crit or never',
    resolve: ({ text }) => ({ failOn: parseChoice(text!, '--fail-on', FAIL_ON_LEVELS) }),
  },
  {
    flags: '--no-color',
    name: 'color',
    kind: 'boolean',
    description: 'plain output (also NO_COLOR, and whenever stdout is not a TTY)',
    resolve: ({ raw, isTTY, env }) => ({ color: isTTY && raw !== false && (env.NO_COLOR === undefined || env.NO_COLOR === '') }),
  },
  {
    flags: '--insecure-skip-tls-verify',
    name: 'insecureSkipTlsVerify',
    kind: 'boolean',
    description: 'talk to servers whose certificates do not verify (still reports why)',
    resolve: ({ raw }) => ({ insecureSkipTlsVerify: raw === true }),
  },
  {
    flags: '--wait <duration>',
    name: 'wait',
    kind: 'duration',
    description: 're-run until nothing is at or above --fail-on, or the duration runs out',
    resolve: ({ text }) => ({ waitMs: text === null ? null : parseDuration(text, '--wait') }),
  },
  {
    flags: '--distribution <name>',
    name: 'distribution',
    kind: 'choice',
    choices: DISTRIBUTION_CHOICES,
    description: 'who built the cluster, when k8sdoc guesses wrong (kubeadm, k3s, rke2, talos, microk8s, openshift, kind, eks, gke, aks)',
    resolve: ({ text }) => (text === null ? {} : { distribution: parseChoice(text, '--distribution', DISTRIBUTION_CHOICES) }),
  },
  {
    flags: '--plugin <path-or-package>',
    name: 'plugin',
    kind: 'plugin',
    repeatable: true,
    description: 'load checks from a plugin: an ES module, a rules .yaml or an npm package; repeatable (runs in-process with your privileges)',
    resolve: () => ({}),
  },
  {
    flags: '--config <path>',
    name: 'config',
    kind: 'path',
    description: 'config file (default: ./.k8sdoc.yaml, else ~/.config/k8sdoc/config.yaml)',
    resolve: ({ text }) => ({ config: requireNonEmpty(text, '--config') }),
  },
  { flags: '--debug', name: 'debug', kind: 'boolean', description: 'stack traces and probe logs on stderr', resolve: ({ raw }) => ({ debug: raw === true }) },
];

/**
 * The run's default --deadline: ten rounds of --timeout. Discovery can cost one (a hung API
 * server), a hung target another, and probes queued behind --concurrency a few more; a run
 * that needs more than ten is waiting on hosts that will not answer, and its report is worth
 * more on time than complete. Never under 10 s, so a short --timeout on a large cluster still
 * leaves time to list and judge it.
 */
export function deadlineFor(timeoutMs: number): number {
  return Math.max(10 * timeoutMs, 10_000);
}

export interface ResolveEnv {
  /** Whether stdout is a terminal; colour only then. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

const SELECTOR_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
// Node condition types are identifiers (Ready, KernelDeadlock, example.com/DiskSlow).
const CONDITION_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function str(raw: Record<string, RawValue>, name: string): string | null {
  const v = raw[name];
  if (v === undefined || v === false || Array.isArray(v)) return null;
  if (v === true) return '';
  return v;
}

function selectors(text: string | null, name: 'only' | 'skip'): string[] {
  const list = parseList(text ?? '');
  for (const s of list) {
    if (!SELECTOR_PATTERN.test(s)) throw new UsageError(`--${name}: '${s}' is not a check id or component; run 'k8sdoc checks' to list them`);
  }
  return list;
}

function requireNonEmpty(value: string | null, flag: string): string | null {
  if (value !== null && value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value;
}

/** Turns commander's raw strings (and config-file defaults) into validated options, one spec at a time. */
export function resolveCheckOptions(raw: Record<string, RawValue>, { isTTY, env }: ResolveEnv): CheckOptions {
  const options = Object.assign(
    {},
    ...CHECK_OPTIONS.map((spec) => spec.resolve({ text: str(raw, spec.name) ?? spec.defaultText ?? null, raw: raw[spec.name], isTTY, env })),
  ) as CheckOptions;
  // Relations between options, once each has its value.
  if (options.critDays > options.warnDays) throw new UsageError(`--crit-days (${options.critDays}) must not be larger than --warn-days (${options.warnDays})`);
  if (options.deadlineMs === undefined) options.deadlineMs = deadlineFor(options.timeoutMs);
  else if (options.deadlineMs < options.timeoutMs)
    throw new UsageError(
      `--deadline (${options.deadlineMs} ms) must be at least --timeout (${options.timeoutMs} ms): no probe could finish in it; try --deadline ${deadlineFor(options.timeoutMs) / 1000}s`,
    );
  return options;
}
