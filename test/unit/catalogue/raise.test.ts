import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CODES, entryFor } from '../../../src/catalogue/index.js';
import { raise, severityOf } from '../../../src/catalogue/raise.js';

describe('raise', () => {
  it('takes the severity from the catalogue entry', () => {
    expect(raise({ code: 'etcd-quorum-lost', subject: 'etcd', message: 'm' }).status).toBe('crit');
    expect(raise({ code: 'etcd-quorum-at-risk', subject: 'etcd', message: 'm' }).status).toBe('warn');
    for (const code of ALL_CODES) expect(severityOf(code)).toBe(entryFor(code).severity);
  });

  it('a named grade weighs what the catalogue says it weighs', () => {
    expect(raise({ code: 'cert-expiring', grade: 'urgent', subject: 'c', message: 'm' }).status).toBe('crit');
    expect(raise({ code: 'etcd-db-near-quota', grade: 'full', subject: 'm', message: 'm' }).status).toBe('crit');
    expect(raise({ code: 'kubelet-unhealthy', grade: 'proxy-unreachable', subject: 'k', message: 'm' }).status).toBe('warn');
  });

  it('a grade the catalogue does not define is a bug, not a silent default', () => {
    expect(() => raise({ code: 'etcd-quorum-lost', grade: 'mild', subject: 'etcd', message: 'm' })).toThrow(/no grade 'mild'/);
  });
});

describe('severity comes from the catalogue only', () => {
  // A check or a judge helper that writes a literal warn or crit status would decide a
  // severity the catalogue (and a config file's overrides) does not know about.
  const LITERAL_STATUS = /status\s*[:=]\s*['"](warn|crit)['"]|['"](warn|crit)['"]\s+as\s+(const|Status|Level|Severity)/;
  for (const dir of ['src/checks', 'src/judge']) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      it(`${dir}/${file} sets no warn or crit status itself`, () => {
        const offending = readFileSync(join(dir, file), 'utf8')
          .split('\n')
          .map((line, i) => `${i + 1}: ${line.trim()}`)
          .filter((line) => LITERAL_STATUS.test(line));
        expect(offending).toEqual([]);
      });
    }
  }
});
