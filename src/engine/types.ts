// The shapes every check, probe and renderer agrees on. Pure types: nothing here runs.
import type { AnyCode } from '../catalogue/codes.js';
import type { Facts } from '../observe/facts.js';
import type { DiscoveryCacheUse, Targets } from '../discovery/targets.js';
import type { CheckOptions } from '../options.js';

export type Status = 'ok' | 'warn' | 'crit' | 'skip' | 'error';
export type Severity = 'warn' | 'crit';
export type Level = 'ok' | 'warn' | 'crit';

export const COMPONENTS = ['apiserver', 'etcd', 'control-plane', 'certs', 'nodes', 'kubelet', 'ports'] as const;
export type Component = (typeof COMPONENTS)[number];

/** What a check reports about one subject (an endpoint, a member, a node, a file). */
export interface Finding {
  status: Status;
  /** What the finding is about: `etcd`, `etcd member m1 (https://10.0.0.1:2379)`, `node w1`, a file path. */
  subject: string;
  /** One line a person reads: figures, names, what failed. */
  message: string;
  /** Catalogue code; required on warn and crit, optional on ok/skip. */
  code?: AnyCode;
  /** Figures for machines (JSON, Prometheus). Large integers as hex strings. Triage never reads it. */
  data?: Record<string, unknown>;
  /** What the finding is about, typed: triage relates findings through this alone. */
  about?: About;
  /** Probes that ran into `--timeout` while producing this finding (e.g. `tcp 10.0.0.1:6443`). */
  timedOut?: string[];
}

/** What a certificate is for, as far as the failures it can cause go. */
export type CertificateRole =
  'cluster-ca' | 'apiserver-serving' | 'apiserver-etcd-client' | 'etcd' | 'etcd-healthcheck-client' | 'kubeconfig-client' | 'kubelet-serving' | 'other';

/**
 * The places and things a finding is about. Two findings are related (one may explain the
 * other) when they share a node or host, an endpoint (host and port), an etcd member or a
 * certificate; triage's rules say which relation each rule needs.
 */
export interface About {
  /** Node name. */
  node?: string;
  /** Address or host name of the machine. */
  host?: string;
  /** Port on `host`. */
  port?: number;
  /** URL of the endpoint asked (an API server, an etcd client URL). */
  endpoint?: string;
  /** The endpoint is the kubeconfig's server (often a load balancer), not one API server. */
  kubeconfigServer?: boolean;
  /** An etcd member: its id (hex) and name when known, and its URLs. */
  member?: { id?: string; name?: string; clientURLs?: readonly string[]; peerURLs?: readonly string[] };
  /** A certificate: its identity (issuer and serial), what it is for, and the file it came from. */
  certificate?: { serial: string; issuer: string; role: CertificateRole; path?: string };
  /** The control-plane program (its pods, its leader-election Lease) the finding is about. */
  program?: ControlPlaneProgram;
  /** A pod the finding is about: its namespace and name, for the steps that name it (`kubectl logs <pod>`). */
  pod?: { namespace: string; name: string };
  /** What was observed of how the problem shows itself: picks the catalogue variant whose causes and steps fit it. */
  evidence?: Evidence;
}

/**
 * The observations that change what a problem most likely is and what to do first: a timeout
 * after TCP connected is no firewall; a 401 on a token is no expired certificate; without
 * quorum no member can be removed. Checks set what they saw; the catalogue's variants read it.
 */
export interface Evidence {
  /** TCP to the endpoint: connected (whatever failed came after), refused, or no answer. */
  tcp?: 'connected' | 'refused' | 'timeout';
  /** How the TLS layer failed, when it did. */
  tls?: 'expired' | 'not-yet-valid' | 'unknown-authority' | 'name-mismatch' | 'alert' | 'not-tls' | 'handshake-timeout' | 'protocol' | 'oversized';
  /** The credential the request carried. */
  credential?: 'token' | 'client-certificate' | 'exec' | 'auth-provider' | 'basic' | 'none';
  /** Whether etcd still has a majority. */
  quorum?: 'present' | 'lost';
  /** How the program concerned runs on its host. */
  runsAs?: 'static-pod' | 'systemd' | 'host-service' | 'in-process' | 'managed';
  /** Whether other API servers (or the kubeconfig's server) still answer while this one fails: kubectl works. */
  peers?: 'answering' | 'none';
  /** What a missing or broken file holds: a certificate, or a kubeconfig with one inside. */
  file?: 'certificate' | 'kubeconfig';
  /** An alarm etcd has raised for the member. */
  alarm?: 'nospace' | 'corrupt';
  /** What is expected to listen on the port probed: tells etcd's refused 2379 from a NodePort's. */
  listener?: 'kube-apiserver' | 'etcd-client' | 'etcd-peer' | 'kubelet' | 'nodeport' | 'other';
}

/** The programs of a control plane, named as their static pods and Leases name them. */
export type ControlPlaneProgram = 'kube-apiserver' | 'etcd' | 'kube-scheduler' | 'kube-controller-manager';

/** A finding as the report holds it: tagged with its check and timing. */
export interface Result extends Finding {
  check: string;
  component: Component;
  durationMs: number;
}

/**
 * A precondition a check declares. The runner resolves each need once per run (memoised)
 * and skips every check whose need is unmet, with the need's reason as the message, so one
 * root failure does not fan out into twenty.
 */
export type NeedId = 'api' | 'etcd' | 'nodes';

export interface Check {
  /** Stable kebab-case id: users select it with --only/--skip and CI scripts depend on it. */
  id: string;
  component: Component;
  title: string;
  needs: readonly NeedId[];
  /** Catalogue codes this check may report (for `k8sdoc explain`: which checks detect a code). */
  codes: readonly AnyCode[];
  run(ctx: CheckContext): Promise<Finding[]>;
  /**
   * Starts, without waiting, the probes `run` will make on the targets already known before
   * discovery (flags, the discovery cache), through the run's facts, so that a
   * hung host's --timeout runs alongside discovery instead of after it. Only probes whose
   * outcome cannot depend on what discovery adds may start here.
   */
  prewarm?(ctx: CheckContext): void;
}

/** What `k8sdoc checks`, `explain` and shell completion tell about a check, without its code. */
export type CheckInfo = Pick<Check, 'id' | 'component' | 'title' | 'needs' | 'codes'>;

export interface CheckContext {
  /** What the run may learn about the cluster: every observation made once, bounded and read-only. */
  facts: Facts;
  /** What discovery found: endpoints, hosts, files. Checks read it; only discovery adds to it. */
  targets: Targets;
  now: Date;
  signal: AbortSignal;
  options: CheckOptions;
  /** Debug log to stderr when --debug is on; never pass secrets. */
  log: (message: string) => void;
  /**
   * Fires shortly before the run's --deadline: a check that fans out stops waiting, keeps
   * what it has and says what it could not finish (engine/runner.ts withinBudget).
   */
  budget?: AbortSignal;
}

export interface RootCause {
  code: AnyCode;
  subject: string;
  /** Codes of the findings this cause explains (docs/contract.md), each once. */
  explains: AnyCode[];
  /** The same findings with their subjects, for people: `apiserver-not-ready` on which API server. */
  explainsFindings: { code: AnyCode; subject: string }[];
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'k8sdoc'; version: string };
  /** `kubeconfigFrom`: present when no kubeconfig was found and a distribution's admin kubeconfig on this node was used. */
  target: { context: string | null; server: string | null; kubeconfigFrom?: { path: string; distribution: string } };
  startedAt: string;
  durationMs: number;
  status: Level;
  /** Results by status; findings a config file ignores are counted under `ignored` instead. */
  summary: Record<Status, number> & {
    ignored?: number;
    /** Problems no other finding explains (present when some finding is explained). */
    problems?: number;
    /** Findings a root cause explains, counted once under it (present when there are any). */
    explained?: number;
  };
  rootCauses: RootCause[];
  /** Every probe that ran into --timeout, each once (e.g. `tcp 10.0.0.11:6443`), from the results' `timedOut`. */
  timedOut: string[];
  /** Present when the API server did not list the nodes and targets came from the discovery cache. */
  discoveryCache?: DiscoveryCacheUse;
  /** Who built the cluster, where its state lives and where k8sdoc stood, with what that was read from. */
  cluster?: ClusterShape;
  results: ReportResult[];
  /** Present with --wait: how the wait went, for pipelines that want to know how long a change took to settle. */
  wait?: WaitSummary;
  /**
   * Present when SIGINT or SIGTERM stopped the run: the results are what finished before it,
   * checks still running are `skip` results saying so, and the report proves nothing healthy.
   */
  interrupted?: true;
  /**
   * Present when the run reached its --deadline: the checks named kept what they had found
   * and said what they could not finish; the report is partial for them.
   */
  deadlineReached?: { deadlineMs: number; checks: string[] };
}

export interface ClusterShape {
  distribution: string;
  datastore: string;
  vantage: string;
  localNode?: string;
  evidence: string[];
}

export interface WaitSummary {
  /** Full runs made. */
  attempts: number;
  /** From the first run's start to the end of the last. */
  elapsedMs: number;
  /** Whether the last run had nothing at or above --fail-on. */
  passed: boolean;
  /** Checks that failed on every run (empty when passed). */
  neverPassed: string[];
}

/** A result as it appears in the report: warn/crit carry the catalogue text. */
export interface ReportResult extends Result {
  symptom?: string;
  /** The catalogue's likely causes joined with `; ` (kept for the first readers of schemaVersion 1). */
  cause?: string;
  /** The same causes one by one, most likely first. */
  causes?: string[];
  fix?: string[];
  /** The catalogue entry's documentation page. */
  docs?: string;
  ignored?: boolean;
  ignoreReason?: string;
  /** The root cause that explains this finding: the problem it is an echo of. */
  explainedBy?: { code: AnyCode; subject: string };
  /** Fix steps filled with this run's values, commands told from advice. */
  steps?: FixStepData[];
  /** The catalogue variant whose causes and steps were chosen for what was observed (absent: the entry's own). */
  variant?: string;
}

/** One fix step as JSON carries it: a command to paste, or advice; `filled` when every value came from this run. */
export interface FixStepData {
  kind: 'command' | 'advice';
  text: string;
  filled: boolean;
}
