// `--only certs` shaped as admins know it from `kubeadm certs check-expiration`: one row per
// certificate (files, kubeconfigs and what endpoints serve), with where it was found.
import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { ReportResult, Status } from '../engine/types.js';

const LABEL: Record<Status, string> = { ok: 'OK', warn: 'WARN', crit: 'CRIT', skip: 'SKIP', error: 'ERROR' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The table replaces the generic one when every result is about certificates. */
export function isCertificatesOnly(results: readonly ReportResult[]): boolean {
  return results.length > 0 && results.every((r) => r.component === 'certs');
}

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
  return typeof value === 'string' && value !== '' ? value : null;
}

function authority(data: Record<string, unknown>): string {
  const issuer = text(data['issuer']);
  if (issuer === null) return '-';
  if (issuer === text(data['subject'])) return '(self-signed)';
  const cn = issuer.split(/,\s*/).find((p) => p.startsWith('CN='));
  return cn ? cn.slice(3) : issuer;
}

/** Breaks at spaces where it can; a longer word (a path) is then cut by the table itself. */
function wrapWords(value: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of value.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line].join('\n');
}

function paint(c: ChalkInstance, status: Status): string {
  const label = LABEL[status];
  if (status === 'ok') return c.green(label);
  if (status === 'warn') return c.yellow(label);
  if (status === 'crit') return c.red.bold(label);
  return c.dim(label);
}

export function renderCertsTable(results: readonly ReportResult[], c: ChalkInstance, width: number): string {
  const fixed = [26, 27, 10, 16, 8];
  const sourceWidth = Math.max(20, width - fixed.reduce((a, b) => a + b, 0) - 7);
  const table = new Table({
    // Headers broken by hand so that paths can wrap anywhere without truncation.
    head: ['CERTIFICATE', 'EXPIRES', 'RESIDUAL\nTIME', 'CERTIFICATE\nAUTHORITY', 'SOURCE', 'STATUS'],
    colWidths: [fixed[0]!, fixed[1]!, fixed[2]!, fixed[3]!, sourceWidth, fixed[4]!],
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: c.level > 0 ? ['bold'] : [], border: c.level > 0 ? ['grey'] : [] },
  });
  for (const r of results) {
    const data = r.data ?? {};
    const notAfter = text(data['notAfter']);
    const name = text(data['name']) ?? r.subject;
    // The path or endpoint alone: the column is narrow and the word adds nothing to it.
    const source = wrapWords((text(data['source']) ?? r.subject).replace(/^(file|endpoint) /, ''), sourceWidth - 2);
    if (notAfter === null) {
      // Nothing was read: the reason stands where the date would (the details follow the table).
      table.push([name, wrapWords((r.code && NO_CERTIFICATE[r.code]) ?? r.message, fixed[1]! - 2), '-', '-', source, paint(c, r.status)]);
      continue;
    }
    table.push([name, formatExpiry(notAfter), text(data['residualTime']) ?? '-', authority(data), source, paint(c, r.status)]);
  }
  return table.toString();
}
