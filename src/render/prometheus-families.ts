// Named Prometheus families for the figures people alert on, so a rule reads
// `k8sdoc_cert_expiry_seconds < 7 * 86400` rather than digging in the generic
// k8sdoc_result_value. Each is derived from result data where a check reports it.
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

function numberAt(data: Record<string, unknown>, key: string): number | null {
  const v = data[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** One sample per certificate result: its notAfter as a Unix timestamp. */
function certificateExpiries(results: readonly ReportResult[]): Sample[] {
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    const at = r.component === 'certs' && typeof r.data?.notAfter === 'string' ? Date.parse(r.data.notAfter) : NaN;
    const key = `${r.check}\0${r.subject}`;
    if (Number.isNaN(at) || seen.has(key)) continue;
    seen.add(key);
    samples.push({ labels: { check: r.check, subject: r.subject, name: typeof r.data!.name === 'string' ? r.data!.name : '' }, value: at / 1000 });
  }
  return samples;
}

/** Families derived from result data; empty families are left out. */
export function derivedFamilies(report: Report): Family[] {
  const now = Date.parse(report.startedAt) / 1000;
  const certs = certificateExpiries(report.results);
  const families: Family[] = [
    {
      name: 'k8sdoc_cert_expiry_seconds',
      help: 'Seconds from the start of the run until the certificate expires (negative once expired).',
      samples: certs.map((s) => ({ labels: s.labels, value: Math.round(s.value - now) })),
    },
    {
      name: 'k8sdoc_cert_not_after_timestamp_seconds',
      help: 'When the certificate expires, as a Unix timestamp.',
      samples: certs,
    },
  ];
  const quorum = report.results.find((r) => r.check === 'etcd-quorum' && r.data && numberAt(r.data, 'healthy') !== null);
  if (quorum?.data) {
    const figures: [string, string, string][] = [
      ['k8sdoc_etcd_members', 'members', 'etcd members listed in the cluster membership.'],
      ['k8sdoc_etcd_healthy_members', 'healthy', 'etcd voting members that answered healthy.'],
      ['k8sdoc_etcd_quorum_members', 'quorum', 'etcd members needed for quorum.'],
      ['k8sdoc_etcd_failure_tolerance', 'tolerance', 'More etcd member failures the cluster survives (negative: quorum lost).'],
    ];
    for (const [name, key, help] of figures) {
      const v = numberAt(quorum.data, key);
      if (v !== null) families.push({ name, help, samples: [{ labels: {}, value: v }] });
    }
  }
  return families.filter((f) => f.samples.length > 0);
}
