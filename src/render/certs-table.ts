// Certificates as admins know them from `kubeadm certs check-expiration`: one row per
// certificate (files, kubeconfigs and what endpoints serve), with where it was found.
import type { ReportResult } from '../engine/types.js';
import { safeText } from '../util/terminal-text.js';
import type { ComponentTable, TableRow } from './view.js';

const LABEL = { ok: 'OK', warn: 'WARN', crit: 'CRIT', skip: 'SKIP', error: 'ERROR' } as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ORDER = { crit: 0, error: 1, warn: 2, skip: 3, ok: 4 } as const;

const NO_CERTIFICATE: Partial<Record<string, string>> = {
  'cert-file-missing': 'missing',
  'cert-file-unreadable': 'unreadable',
  'cert-file-invalid': 'not a certificate',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** kubeadm's `Jan 02, 2006 15:04 UTC`, with seconds: openssl's -enddate can be checked against it. */
export function formatExpiry(iso: string): string {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? safeText(value) : null;
}

function authority(data: Record<string, unknown>): string {
  const issuer = text(data['issuer']);
  if (issuer === null) return '-';
  if (issuer === text(data['subject'])) return '(self-signed)';
  const cn = issuer.split(/,\s*/).find((p) => p.startsWith('CN='));
  return cn ? cn.slice(3) : issuer;
}

function row(r: ReportResult): TableRow {
  const data = r.data ?? {};
  const notAfter = text(data['notAfter']);
  const name = text(data['name']) ?? safeText(r.subject).replace(/ \((client|peer)\)$/, '');
  // The path or endpoint alone: the column is narrow and the word adds nothing to it.
  const source = (text(data['source']) ?? safeText(r.subject)).replace(/^(file|endpoint) /, '');
  const status = r.ignored ? `${LABEL[r.status]}*` : LABEL[r.status];
  // Nothing was read: the reason stands where the date would (the details are under Problems).
  if (notAfter === null) {
    const why = (r.code && NO_CERTIFICATE[r.code]) ?? text(data['failure']) ?? 'not read';
    return { status: r.status, cells: [name, (r.code && NO_CERTIFICATE[r.code]) ?? safeText(r.message), why, '-', source, status] };
  }
  return { status: r.status, cells: [name, formatExpiry(notAfter), text(data['residualTime']) ?? '-', authority(data), source, status] };
}

/**
 * The certificate table. Problems come first, then healthy certificates by expiry; the
 * default terminal output folds the healthy ones into one row saying when the first of them
 * expires (`folded`); -o wide, Markdown and HTML show every row.
 */
export function certificateRows(results: readonly ReportResult[], used: Set<ReportResult>): ComponentTable | null {
  if (results.length === 0) return null;
  results.forEach((r) => used.add(r));
  const expiry = (r: ReportResult) => (typeof r.data?.['notAfter'] === 'string' ? Date.parse(r.data['notAfter']) : Number.POSITIVE_INFINITY);
  const sorted = [...results].sort((a, b) => ORDER[a.status] - ORDER[b.status] || expiry(a) - expiry(b));
  const healthy = sorted.filter((r) => r.status === 'ok' && !r.ignored && Number.isFinite(expiry(r)));
  const folded = healthy.length > 1 ? healthy : [];
  const rows = sorted.filter((r) => !folded.includes(r)).map(row);
  const table: ComponentTable = {
    id: 'certificates',
    title: 'Certificates',
    columns: [
      { header: 'CERTIFICATE', wrap: true, min: 12 },
      { header: 'EXPIRES', priority: 2 },
      { header: 'RESIDUAL TIME' },
      { header: 'AUTHORITY', priority: 1 },
      { header: 'SOURCE', wrap: true, min: 20, priority: 3 },
      { header: 'STATUS' },
    ],
    rows,
  };
  if (folded.length > 0) {
    const soonest = folded[0]!;
    table.folded = {
      all: sorted.map(row),
      summary: [
        {
          status: 'ok',
          cells: [
            `${folded.length} healthy`,
            `from ${formatExpiry(String(soonest.data!['notAfter']))}`,
            `≥ ${text(soonest.data?.['residualTime']) ?? '?'}`,
            '-',
            '-o wide lists them',
            'OK',
          ],
        },
      ],
    };
  }
  return table;
}
