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

type RawValue = string | boolean | undefined;

export interface OptionSpec {
  /** commander flags, e.g. `--timeout <duration>`. */
  flags: string;
  /** Name commander gives the value (camelCase of the long flag). */
  name: string;
  description: string;
  /** Default as the user would type it; shown in --help. */
  defaultText?: string;
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
  },
  {
    flags: '--context <name,...>',
    name: 'context',
    kind: 'context',
    description: 'kubeconfig context; several (a,b,c) are checked at once, one report each (default: current-context)',
  },
  { flags: '--all-contexts', name: 'allContexts', kind: 'boolean', description: 'check every context of the kubeconfig at once, one report each' },
  {
    flags: '--apiserver <url,...>',
    name: 'apiserver',
    kind: 'list',
    description: 'API server endpoints to probe one by one besides the kubeconfig server (default: control-plane nodes on :6443)',
  },
  {
    flags: '--etcd <url,...>',
    name: 'etcd',
    kind: 'list',
    description: "etcd client endpoints (default: kube-apiserver's --etcd-servers, else control-plane nodes on :2379)",
  },
  {
    flags: '--etcd-cacert <path>',
    name: 'etcdCacert',
    kind: 'path',
    description: "etcd CA file (default: the PKI folder's etcd CA, e.g. /etc/kubernetes/pki/etcd/ca.crt, when readable)",
  },
  {
    flags: '--etcd-cert <path>',
    name: 'etcdCert',
    kind: 'path',
    description: 'etcd client certificate (default: /etc/kubernetes/pki/etcd/healthcheck-client.crt)',
  },
  { flags: '--etcd-key <path>', name: 'etcdKey', kind: 'path', description: 'etcd client key (default: /etc/kubernetes/pki/etcd/healthcheck-client.key)' },
  {
    flags: '--pki-dir <path>',
    name: 'pkiDir',
    kind: 'path',
    description:
      "folder of certificates and kubeconfigs to inspect for expiry (default: this node's, /etc/kubernetes/pki or /var/lib/rancher/{k3s,rke2}/server/tls or /var/snap/microk8s/current/certs)",
  },
  {
    flags: '--etcd-backup-dir <path>',
    name: 'etcdBackupDir',
    kind: 'path',
    description: 'where etcd snapshots are written; the newest must be younger than --backup-max-age',
  },
  { flags: '--backup-max-age <duration>', name: 'backupMaxAge', kind: 'duration', defaultText: '1h', description: 'oldest acceptable etcd snapshot' },
  {
    flags: '--etcd-quota <bytes>',
    name: 'etcdQuota',
    kind: 'string',
    defaultText: '2GiB',
    description: "etcd backend quota when the member's metrics do not tell it",
  },
  {
    flags: '--latency-warn <duration>',
    name: 'latencyWarn',
    kind: 'duration',
    defaultText: '1s',
    description: 'API server request latency (p99) that raises apiserver-latency-high',
  },
  {
    flags: '--node-conditions <type,...>',
    name: 'nodeConditions',
    kind: 'list',
    description: 'extra node condition types to report (node-problem-detector, vendor)',
  },
  { flags: '--hosts <host,...>', name: 'hosts', kind: 'list', description: 'hosts to probe for ports 6443, 2379, 2380, 10250 (default: every node)' },
  {
    flags: '--only <id,...>',
    name: 'only',
    kind: 'list',
    description: 'run only these checks or components (apiserver, etcd, control-plane, certs, nodes, kubelet, ports)',
  },
  { flags: '--skip <id,...>', name: 'skip', kind: 'list', description: 'skip these checks or components' },
  {
    flags: '-o, --output <format>',
    name: 'output',
    kind: 'choice',
    choices: OUTPUT_FORMATS,
    defaultText: 'table',
    description: 'output format: table, json, junit, prometheus, wide (every column), markdown or html (an incident report)',
  },
  { flags: '--problems-only', name: 'problemsOnly', kind: 'boolean', description: 'print the verdict and the problems alone, without the tables' },
  { flags: '--timeout <duration>', name: 'timeout', kind: 'duration', defaultText: '3s', description: 'bound on any one network probe (500ms, 3s)' },
  {
    flags: '--deadline <duration>',
    name: 'deadline',
    kind: 'duration',
    defaultText: '10 x --timeout, at least 10s',
    description: 'bound on the whole run; a check cut short keeps what it found and says what it could not finish',
  },
  {
    flags: '--auth-timeout <duration>',
    name: 'authTimeout',
    kind: 'duration',
    defaultText: '60s',
    description: 'bound on an exec credential plugin, long enough for an interactive login; it is stopped after that',
  },
  { flags: '--concurrency <n>', name: 'concurrency', kind: 'number', defaultText: '32', description: 'probes in flight at once' },
  { flags: '--warn-days <n>', name: 'warnDays', kind: 'number', defaultText: '30', description: 'certificate expiry warning threshold in days' },
  { flags: '--crit-days <n>', name: 'critDays', kind: 'number', defaultText: '7', description: 'certificate expiry critical threshold in days' },
  {
    flags: '--fail-on <level>',
    name: 'failOn',
    kind: 'choice',
    choices: FAIL_ON_LEVELS,
    defaultText: 'crit',
    description: 'findings that make the exit code 1: warn, crit or never',
  },
  { flags: '--no-color', name: 'color', kind: 'boolean', description: 'plain output (also NO_COLOR, and whenever stdout is not a TTY)' },
  {
    flags: '--insecure-skip-tls-verify',
    name: 'insecureSkipTlsVerify',
    kind: 'boolean',
    description: 'talk to servers whose certificates do not verify (still reports why)',
  },
  { flags: '--wait <duration>', name: 'wait', kind: 'duration', description: 're-run until nothing is at or above --fail-on, or the duration runs out' },
  {
    flags: '--distribution <name>',
    name: 'distribution',
    kind: 'choice',
    choices: DISTRIBUTION_CHOICES,
    description: 'who built the cluster, when k8sdoc guesses wrong (kubeadm, k3s, rke2, talos, microk8s, openshift, kind, eks, gke, aks)',
  },
  {
    flags: '--plugin <path-or-package>',
    name: 'plugin',
    kind: 'plugin',
    repeatable: true,
    description: 'load checks from a plugin: an ES module, a rules .yaml or an npm package; repeatable (runs in-process with your privileges)',
  },
  { flags: '--config <path>', name: 'config', kind: 'path', description: 'config file (default: ./.k8sdoc.yaml, else ~/.config/k8sdoc/config.yaml)' },
  { flags: '--debug', name: 'debug', kind: 'boolean', description: 'stack traces and probe logs on stderr' },
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
  if (v === undefined || v === false) return null;
  if (v === true) return '';
  return v;
}

function requireNonEmpty(value: string | null, flag: string): string | null {
  if (value !== null && value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value;
}

/** Turns commander's raw strings (and config-file defaults) into validated options. */
export function resolveCheckOptions(raw: Record<string, RawValue>, { isTTY, env }: ResolveEnv): CheckOptions {
  const duration = (name: string, flag: string, fallback: string) => parseDuration(str(raw, name) ?? fallback, flag);
  const quotaText = str(raw, 'etcdQuota');
  const warnDays = parseInteger(str(raw, 'warnDays') ?? '30', '--warn-days', 0, 3650);
  const critDays = parseInteger(str(raw, 'critDays') ?? '7', '--crit-days', 0, 3650);
  if (critDays > warnDays) throw new UsageError(`--crit-days (${critDays}) must not be larger than --warn-days (${warnDays})`);
  const timeoutMs = duration('timeout', '--timeout', '3s');
  if (timeoutMs < 1) throw new UsageError('--timeout must be at least 1ms, like 500ms or 3s');
  const deadlineMs = (() => {
    if (str(raw, 'deadline') === null) return deadlineFor(timeoutMs);
    const ms = duration('deadline', '--deadline', '0s');
    if (ms < timeoutMs)
      throw new UsageError(
        `--deadline (${ms} ms) must be at least --timeout (${timeoutMs} ms): no probe could finish in it; try --deadline ${deadlineFor(timeoutMs) / 1000}s`,
      );
    return ms;
  })();
  const authTimeout = () => {
    const ms = duration('authTimeout', '--auth-timeout', '60s');
    if (ms < 1) throw new UsageError('--auth-timeout must be at least 1ms, like 30s or 2m');
    return ms;
  };
  const waitText = str(raw, 'wait');
  const noColor = raw.color === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  const selectors = (name: 'only' | 'skip') => {
    const list = parseList(str(raw, name) ?? '');
    for (const s of list) {
      if (!SELECTOR_PATTERN.test(s)) throw new UsageError(`--${name}: '${s}' is not a check id or component; run 'k8sdoc checks' to list them`);
    }
    return list;
  };
  return {
    kubeconfig: requireNonEmpty(str(raw, 'kubeconfig'), '--kubeconfig'),
    context: requireNonEmpty(str(raw, 'context'), '--context'),
    apiservers: parseList(str(raw, 'apiserver') ?? ''),
    etcd: parseList(str(raw, 'etcd') ?? ''),
    etcdCacert: requireNonEmpty(str(raw, 'etcdCacert'), '--etcd-cacert'),
    etcdCert: requireNonEmpty(str(raw, 'etcdCert'), '--etcd-cert'),
    etcdKey: requireNonEmpty(str(raw, 'etcdKey'), '--etcd-key'),
    pkiDir: requireNonEmpty(str(raw, 'pkiDir'), '--pki-dir'),
    etcdBackupDir: requireNonEmpty(str(raw, 'etcdBackupDir'), '--etcd-backup-dir'),
    backupMaxAgeMs: duration('backupMaxAge', '--backup-max-age', '1h'),
    etcdQuotaBytes: parseBytes(quotaText ?? '2GiB', '--etcd-quota'),
    etcdQuotaFromFlag: quotaText !== null,
    latencyWarnMs: duration('latencyWarn', '--latency-warn', '1s'),
    nodeConditions: parseList(str(raw, 'nodeConditions') ?? '').map((t) => {
      if (!CONDITION_TYPE_PATTERN.test(t))
        throw new UsageError(`--node-conditions: '${t}' is not a node condition type; use names like KernelDeadlock or FrequentKubeletRestart`);
      return t;
    }),
    hosts: parseList(str(raw, 'hosts') ?? '').map((h) => parseHost(h, '--hosts')),
    only: selectors('only'),
    skip: selectors('skip'),
    output: parseChoice(str(raw, 'output') ?? 'table', '--output', OUTPUT_FORMATS),
    problemsOnly: raw.problemsOnly === true,
    timeoutMs,
    deadlineMs,
    authTimeoutMs: authTimeout(),
    // Never more sockets at once than the open-file limit leaves room for (`ulimit -n`).
    // Capped by the open-file limit when the run starts (index.ts), where --debug can say so.
    concurrency: parseInteger(str(raw, 'concurrency') ?? '32', '--concurrency', 1, 1024),
    warnDays,
    critDays,
    failOn: parseChoice(str(raw, 'failOn') ?? 'crit', '--fail-on', FAIL_ON_LEVELS),
    color: isTTY && !noColor,
    insecureSkipTlsVerify: raw.insecureSkipTlsVerify === true,
    waitMs: waitText === null ? null : parseDuration(waitText, '--wait'),
    config: requireNonEmpty(str(raw, 'config'), '--config'),
    debug: raw.debug === true,
    ...(str(raw, 'distribution') !== null ? { distribution: parseChoice(str(raw, 'distribution')!, '--distribution', DISTRIBUTION_CHOICES) } : {}),
  };
}
