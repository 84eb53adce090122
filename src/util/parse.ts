// Parsers for flag values. Each throws UsageError with a message that says what is wrong
// and what a valid value looks like; the CLI turns it into one line and exit code 2.
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `3s`, `1m30s`, `1h`, `2d`; a bare number means seconds, as kubectl's --request-timeout. */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = part.exec(text)) !== null) {
    total += Number(m[1]) * (DURATION_UNITS[m[2]!] ?? 0);
    matched = part.lastIndex;
  }
  if (text.length === 0 || matched !== text.length) {
    throw new UsageError(`${flag}: '${value}' is not a duration; use a number with a unit, like 500ms, 3s, 2m or 1h`);
  }
  return Math.round(total);
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  k: 1024,
  ki: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};

/** `8589934592`, `2GiB`, `2Gi`, `512MB`. */
export function parseBytes(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new UsageError(`${flag}: '${value}' is not a size; use bytes or a unit, like 8589934592, 2GiB or 512MB`);
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes <= 0) throw new UsageError(`${flag}: the size must be greater than zero`);
  return bytes;
}

export function parseInteger(value: string, flag: string, min: number, max: number): number {
  if (!/^\s*-?\d+\s*$/.test(value)) throw new UsageError(`${flag}: '${value}' is not a whole number; use a number from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range; use a number from ${min} to ${max}`);
  return n;
}

export function parseChoice<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase();
  if ((choices as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`${flag}: '${value}' is not one of ${choices.join(', ')}`);
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * A host to probe: an IPv4 or IPv6 address (brackets allowed) or a DNS name. A port or a
 * scheme is refused here: probed as a name it would only end as "does not resolve".
 */
export function parseHost(value: string, flag: string): string {
  const text = value.trim();
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIP(bare) !== 0) return bare;
  const name = bare.endsWith('.') ? bare.slice(0, -1) : bare;
  if (name.length > 0 && name.length <= 253 && name.split('.').every((label) => HOST_LABEL.test(label))) return name;
  const hint = /^[a-z]+:\/\//i.test(text) || /:\d+$/.test(text) ? 'give it without a scheme or port' : 'use a host name or an IP address';
  throw new UsageError(`${flag}: '${value}' is not a host name or address; ${hint}, like 10.0.0.11 or cp-1.example.com`);
}
