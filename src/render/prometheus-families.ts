// Measurements from result data as named Prometheus families, so that a rule reads
// `k8sdoc_cert_expiry_seconds < 7 * 86400` or `k8sdoc_etcd_db_size_bytes / k8sdoc_etcd_quota_bytes`.
// Each family is declared here with its unit in its name (seconds and bytes, converted from the
// milliseconds in the JSON); data keys that are not measurements (ports, ids, flags) never
// become sample values. docs/metrics.md describes every family.
import type { Report, ReportResult } from '../engine/types.js';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

type Data = Record<string, unknown>;

function numberAt(data: Data, key: string): number | null {
  const v = data[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // etcd's raft figures arrive as decimal strings (they may exceed 2^53 in the JSON).
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

function stringAt(data: Data, key: string): string | null {
  const v = data[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The labels a result is joined on: host, node and member, where its data names one. */
export function joinLabels(r: ReportResult): Record<string, string> {
  const data = r.data ?? {};
  const out: Record<string, string> = {};
  const host = stringAt(data, 'host');
  if (host) out.host = host;
  const node = stringAt(data, 'node');
  if (node) out.node = node;
  // etcd checks name a member `member` (sizes, alarms) or `name` (the member list).
  const member = stringAt(data, 'member') ?? (r.component === 'etcd' ? stringAt(data, 'name') : null);
  if (member) out.member = member;
  return out;
}

/** Collects samples, keeping the first of any label set seen twice (a scrape rejects duplicates). */
class Collector {
  readonly samples: Sample[] = [];
  private readonly seen = new Set<string>();

  add(labels: Record<string, string>, value: number | null): void {
    if (value === null) return;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.samples.push({ labels, value });
  }
}

interface Spec {
  name: string;
  help: string;
  /** Adds this family's samples for one result. */
  collect(r: ReportResult, data: Data, add: (labels: Record<string, string>, value: number | null) => void, report: Report): void;
}

const ms = (data: Data, key: string): number | null => {
  const v = numberAt(data, key);
  return v === null ? null : v / 1000;
};
const perResult = (r: ReportResult): Record<string, string> => ({ check: r.check, subject: r.subject, ...joinLabels(r) });
const withPort = (r: ReportResult, data: Data): Record<string, string> => {
  const port = numberAt(data, 'port');
  return { ...perResult(r), ...(port !== null ? { port: String(port) } : {}) };
};
const only =
  (check: string, collect: Spec['collect']): Spec['collect'] =>
  (r, data, add, report) => {
    if (r.check === check) collect(r, data, add, report);
  };
const member = (r: ReportResult): Record<string, string> => {
  const m = joinLabels(r).member;
  return m ? { member: m } : {};
};
const node = (data: Data): Record<string, string> | null => {
  const name = stringAt(data, 'node');
  if (!name) return null;
  const host = stringAt(data, 'host');
  return { node: name, ...(host ? { host } : {}) };
};
/** The etcd cluster figures come from etcd-quorum's one result. */
const quorumFigure = (key: string): Spec['collect'] => only('etcd-quorum', (_r, data, add) => add({}, numberAt(data, key)));
/** Size figures per member: from each per-member finding, or from the all-members summary when none has a problem. */
const dbFigure =
  (key: string): Spec['collect'] =>
  (r, data, add) => {
    if (r.check !== 'etcd-db-size') return;
    const rows = Array.isArray(data.members) ? (data.members as Data[]) : [data];
    for (const row of rows) {
      const name = stringAt(row, 'member');
      if (name) add({ member: name }, numberAt(row, key));
    }
  };

const SPECS: Spec[] = [
  // Probe timings of each result.
  {
    name: 'k8sdoc_tcp_connect_duration_seconds',
    help: 'Time the TCP connection to the endpoint took (API servers, kubelets, open ports).',
    collect: (r, data, add) => {
      if (data.outcome === 'open') add(withPort(r, data), ms(data, 'ms'));
      else add(withPort(r, data), ms(data, 'tcpMs'));
    },
  },
  {
    name: 'k8sdoc_tls_handshake_duration_seconds',
    help: 'Time the TLS handshake with the endpoint took.',
    collect: (r, data, add) => add(withPort(r, data), ms(data, 'tlsMs')),
  },
  {
    name: 'k8sdoc_apiserver_version_request_duration_seconds',
    help: 'Time GET /version took on the API server endpoint.',
    collect: only('apiserver-reachable', (r, data, add) => add(withPort(r, data), ms(data, 'versionMs'))),
  },
  {
    name: 'k8sdoc_apiserver_probe_median_seconds',
    help: "Median of k8sdoc's own request round trips to the API server endpoint.",
    collect: only('apiserver-latency', (r, data, add) => add(withPort(r, data), ms(data, 'medianMs'))),
  },
  {
    name: 'k8sdoc_apiserver_probe_max_seconds',
    help: "Slowest of k8sdoc's own request round trips to the API server endpoint.",
    collect: only('apiserver-latency', (r, data, add) => add(withPort(r, data), ms(data, 'maxMs'))),
  },
  {
    name: 'k8sdoc_apiserver_request_p99_seconds',
    help: "99th percentile of the API server's own request latency, from its /metrics histogram.",
    collect: only('apiserver-latency', (r, data, add) => add(withPort(r, data), ms(data, 'p99Ms'))),
  },
  {
    name: 'k8sdoc_apiserver_latency_threshold_seconds',
    help: 'The --latency-warn threshold the p99 was judged against.',
    collect: only('apiserver-latency', (r, data, add) => add(withPort(r, data), ms(data, 'thresholdMs'))),
  },
  {
    name: 'k8sdoc_control_plane_nodes',
    help: 'Control-plane nodes the cluster lists.',
    collect: only('control-plane-ha', (_r, data, add) => add({}, numberAt(data, 'controlPlaneNodes'))),
  },
  // etcd as a whole.
  { name: 'k8sdoc_etcd_members', help: 'etcd members in the cluster membership.', collect: quorumFigure('members') },
  { name: 'k8sdoc_etcd_voting_members', help: 'etcd voting members (members that are not learners).', collect: quorumFigure('voters') },
  { name: 'k8sdoc_etcd_healthy_members', help: 'etcd voting members that answered healthy.', collect: quorumFigure('healthy') },
  { name: 'k8sdoc_etcd_quorum_members', help: 'etcd members needed for quorum.', collect: quorumFigure('quorum') },
  {
    name: 'k8sdoc_etcd_failure_tolerance',
    help: 'More etcd member failures the cluster survives (0: one more loses quorum; negative: quorum lost).',
    collect: quorumFigure('tolerance'),
  },
  {
    name: 'k8sdoc_etcd_has_leader',
    help: 'Whether the etcd members agree on a leader (1) or not (0).',
    collect: only('etcd-quorum', (_r, data, add) => {
      if ('leader' in data) add({}, stringAt(data, 'leader') ? 1 : 0);
    }),
  },
  {
    name: 'k8sdoc_etcd_quorum_estimated',
    help: 'Whether quorum was estimated from outside (1: no etcd client certificate, members judged by their TLS answer) or read from etcd (0).',
    collect: only('etcd-quorum', (_r, data, add) => {
      if (numberAt(data, 'healthy') !== null) add({}, data.indirect === true ? 1 : 0);
    }),
  },
  // etcd per member.
  {
    name: 'k8sdoc_etcd_member_status_duration_seconds',
    help: 'Time the etcd member took to answer its status request.',
    collect: only('etcd-members', (r, data, add) => add(member(r), ms(data, 'ms'))),
  },
  {
    name: 'k8sdoc_etcd_raft_term',
    help: 'Raft term the etcd member reports.',
    collect: only('etcd-members', (r, data, add) => add(member(r), numberAt(data, 'raftTerm'))),
  },
  {
    name: 'k8sdoc_etcd_raft_index',
    help: 'Raft index the etcd member reports.',
    collect: only('etcd-members', (r, data, add) => add(member(r), numberAt(data, 'raftIndex'))),
  },
  {
    name: 'k8sdoc_etcd_raft_applied_index',
    help: 'Raft applied index the etcd member reports.',
    collect: only('etcd-members', (r, data, add) => add(member(r), numberAt(data, 'raftAppliedIndex'))),
  },
  {
    name: 'k8sdoc_etcd_member_learner',
    help: 'Whether the etcd member is a learner (1) or a voting member (0).',
    collect: only('etcd-members', (r, data, add) => {
      if (typeof data.isLearner === 'boolean' && member(r).member) add(member(r), data.isLearner ? 1 : 0);
    }),
  },
  { name: 'k8sdoc_etcd_db_size_bytes', help: "Size of the etcd member's database file.", collect: dbFigure('dbSize') },
  {
    name: 'k8sdoc_etcd_db_size_in_use_bytes',
    help: "Bytes of the etcd member's database file in use (the rest is reclaimed by defragmenting).",
    collect: dbFigure('dbSizeInUse'),
  },
  {
    name: 'k8sdoc_etcd_quota_bytes',
    help: "The etcd member's backend quota (from its metrics, --etcd-quota or the 2 GiB default).",
    collect: dbFigure('quotaBytes'),
  },
  {
    name: 'k8sdoc_etcd_alarm',
    help: 'An alarm an etcd member has raised (NOSPACE, CORRUPT); absent when none is raised.',
    collect: only('etcd-alarms', (r, data, add) => {
      const alarm = stringAt(data, 'alarm');
      if (alarm) add({ alarm, ...member(r) }, 1);
    }),
  },
  {
    name: 'k8sdoc_etcd_backup_age_seconds',
    help: 'Age of the newest etcd snapshot in --etcd-backup-dir.',
    collect: only('etcd-backup', (_r, data, add) => add({ dir: stringAt(data, 'dir') ?? '' }, ms(data, 'ageMs'))),
  },
  {
    name: 'k8sdoc_etcd_backup_size_bytes',
    help: 'Size of the newest etcd snapshot in --etcd-backup-dir.',
    collect: only('etcd-backup', (_r, data, add) => add({ dir: stringAt(data, 'dir') ?? '' }, numberAt(data, 'size'))),
  },
  // Certificates.
  {
    name: 'k8sdoc_cert_expiry_seconds',
    help: 'Seconds from the start of the run until the certificate expires (negative once expired).',
    collect: (r, data, add, report) => {
      const at = r.component === 'certs' ? Date.parse(stringAt(data, 'notAfter') ?? '') : NaN;
      if (!Number.isNaN(at)) add(certLabels(r, data), Math.round((at - Date.parse(report.startedAt)) / 1000));
    },
  },
  {
    name: 'k8sdoc_cert_not_after_timestamp_seconds',
    help: 'When the certificate expires, as a Unix timestamp (alert on it minus time() between runs).',
    collect: (r, data, add) => {
      const at = r.component === 'certs' ? Date.parse(stringAt(data, 'notAfter') ?? '') : NaN;
      if (!Number.isNaN(at)) add(certLabels(r, data), at / 1000);
    },
  },
  // Nodes.
  {
    name: 'k8sdoc_node_ready',
    help: 'Whether the node reports Ready=True (1) or not (0: False, Unknown, or no Ready condition).',
    collect: only('nodes-ready', (_r, data, add) => {
      const labels = node(data);
      if (labels && 'ready' in data) add(labels, data.ready === 'True' ? 1 : 0);
    }),
  },
  {
    name: 'k8sdoc_node_unschedulable',
    help: 'Whether the node is cordoned (1) or schedulable (0).',
    collect: only('nodes-ready', (_r, data, add) => {
      const labels = node(data);
      if (labels && typeof data.unschedulable === 'boolean') add(labels, data.unschedulable ? 1 : 0);
    }),
  },
  {
    name: 'k8sdoc_node_lease_age_seconds',
    help: "Seconds since the node's kubelet last renewed its lease in kube-node-lease.",
    collect: only('nodes-ready', (_r, data, add) => {
      const labels = node(data);
      if (labels) add(labels, numberAt(data, 'leaseRenewedSecondsAgo'));
    }),
  },
  // Ports.
  {
    name: 'k8sdoc_port_open',
    help: 'Whether the port accepted a TCP connection (1) or not (0: refused, timed out, unreachable).',
    collect: only('ports', (r, data, add) => {
      const outcome = stringAt(data, 'outcome');
      const port = numberAt(data, 'port');
      if (outcome === null || port === null) return;
      add({ ...joinLabels(r), port: String(port), service: stringAt(data, 'service') ?? '' }, outcome === 'open' ? 1 : 0);
    }),
  },
];

function certLabels(r: ReportResult, data: Data): Record<string, string> {
  return { check: r.check, subject: r.subject, name: stringAt(data, 'name') ?? '', ...joinLabels(r) };
}

/** Every measurement family with at least one sample, in the order declared above. */
export function derivedFamilies(report: Report): Family[] {
  const families: Family[] = [];
  for (const spec of SPECS) {
    const collector = new Collector();
    for (const r of report.results) spec.collect(r, r.data ?? {}, (labels, value) => collector.add(labels, value), report);
    if (collector.samples.length > 0) families.push({ name: spec.name, help: spec.help, samples: collector.samples });
  }
  return families;
}

/** The names of every family this file can produce, for documentation and tests. */
export const DERIVED_FAMILY_NAMES: readonly string[] = SPECS.map((s) => s.name);
