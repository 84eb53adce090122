import { describe, expect, it } from 'vitest';
import { describeFailingChecks, parseVerboseHealth } from '../../../src/judge/readyz.js';

// Bodies as k8s.io/apiserver's healthz handler writes them (a 500 body ends with http.Error's newline).
const READYZ_ETCD_FAILED = [
  '[+]ping ok',
  '[+]log ok',
  '[-]etcd failed: reason withheld',
  '[+]etcd-readiness ok',
  '[+]informer-sync ok',
  '[+]poststarthook/start-apiextensions-informers ok',
  '[-]poststarthook/crd-informer-synced failed: reason withheld',
  '[+]shutdown excluded: ok',
  'readyz check failed',
  '',
].join('\n');

describe('parseVerboseHealth', () => {
  it('names the failing checks in the order the server lists them', () => {
    const health = parseVerboseHealth(READYZ_ETCD_FAILED);
    expect(health.failing).toEqual(['etcd', 'poststarthook/crd-informer-synced']);
    expect(health.passed).toBe(false);
    expect(health.checks).toHaveLength(8);
    expect(health.checks.find((c) => c.name === 'shutdown')).toEqual({ name: 'shutdown', ok: true, excluded: true });
  });

  it('reads a passing livez with its verdict', () => {
    const health = parseVerboseHealth('[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n');
    expect(health.failing).toEqual([]);
    expect(health.passed).toBe(true);
  });

  it('copes with a bare "ok" body (no ?verbose honoured) and with CRLF', () => {
    expect(parseVerboseHealth('ok')).toEqual({ checks: [], failing: [], passed: null });
    expect(parseVerboseHealth('[-]etcd failed: reason withheld\r\nreadyz check failed\r\n').failing).toEqual(['etcd']);
  });
});

describe('describeFailingChecks', () => {
  it('gives checks that mean the same thing one explanation', () => {
    expect(describeFailingChecks(['etcd', 'etcd-readiness', 'vendor-thing'])).toBe(
      '[-]etcd, [-]etcd-readiness failed: the API server cannot reach etcd (etcd down or without quorum, or the apiserver-etcd-client certificate rejected); [-]vendor-thing failed',
    );
  });

  it('says that a failing etcd check means the API server cannot reach etcd', () => {
    expect(describeFailingChecks(['etcd'])).toMatch(/^\[-\]etcd failed: the API server cannot reach etcd/);
  });

  it('explains start-up hooks and leaves unknown names bare', () => {
    expect(describeFailingChecks(['poststarthook/rbac/bootstrap-roles', 'vendor-thing'])).toBe(
      '[-]poststarthook/rbac/bootstrap-roles failed: start-up hook rbac/bootstrap-roles has not finished (recently restarted, or waiting for etcd); [-]vendor-thing failed',
    );
  });
});
