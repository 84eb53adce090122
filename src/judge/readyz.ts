// The API server's /readyz?verbose and /livez?verbose bodies, turned into named checks and
// plain words. The format is k8s.io/apiserver's healthz handler: one `[+]name ok`,
// `[+]name excluded: ok` or `[-]name failed: reason withheld` line per check, then
// `readyz check passed` or `readyz check failed`.

export interface NamedHealthCheck {
  name: string;
  ok: boolean;
  excluded: boolean;
}

export interface VerboseHealth {
  checks: NamedHealthCheck[];
  /** Names of the checks that failed, in the order the server listed them. */
  failing: string[];
  /** The closing verdict line, when there is one: true for `… check passed`. */
  passed: boolean | null;
}

const CHECK_LINE = /^\[([+-])\]([^\s]+)\s+(excluded: ok|ok|failed\b.*)$/;
const VERDICT_LINE = /^(\w+) check (passed|failed)$/;

export function parseVerboseHealth(body: string): VerboseHealth {
  const checks: NamedHealthCheck[] = [];
  let passed: boolean | null = null;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    const check = CHECK_LINE.exec(line);
    if (check) {
      checks.push({ name: check[2]!, ok: check[1] === '+', excluded: check[3] === 'excluded: ok' });
      continue;
    }
    const verdict = VERDICT_LINE.exec(line);
    if (verdict) passed = verdict[2] === 'passed';
  }
  return { checks, failing: checks.filter((c) => !c.ok).map((c) => c.name), passed };
}

/** What a failing named check means for the person on call; null when we have nothing to add. */
export function meaningOfFailingCheck(name: string): string | null {
  if (name === 'etcd' || name === 'etcd-readiness')
    return 'the API server cannot reach etcd (etcd down or without quorum, or the apiserver-etcd-client certificate rejected)';
  if (name === 'shutdown') return 'the API server is shutting down';
  if (name === 'informer-sync') return 'its informers have not synced yet (it has just started, or etcd is slow)';
  if (name === 'ping' || name === 'log') return 'the API server process itself is unhealthy';
  if (name.startsWith('kms-provider')) return 'it cannot reach the KMS plugin that decrypts secrets';
  if (name.startsWith('poststarthook/'))
    return `start-up hook ${name.slice('poststarthook/'.length)} has not finished (recently restarted, or waiting for etcd)`;
  return null;
}

/**
 * `[-]etcd, [-]etcd-readiness failed: the API server cannot reach etcd (…); [-]informer-sync failed`:
 * checks that mean the same thing share one explanation.
 */
export function describeFailingChecks(failing: readonly string[]): string {
  const byMeaning = new Map<string, string[]>();
  const bare: string[] = [];
  for (const name of failing) {
    const meaning = meaningOfFailingCheck(name);
    if (meaning === null) bare.push(name);
    else byMeaning.set(meaning, [...(byMeaning.get(meaning) ?? []), name]);
  }
  return [
    ...[...byMeaning].map(([meaning, names]) => `${names.map((n) => `[-]${n}`).join(', ')} failed: ${meaning}`),
    ...bare.map((name) => `[-]${name} failed`),
  ].join('; ');
}
