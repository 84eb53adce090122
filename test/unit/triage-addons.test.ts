// Root-cause ranking for the add-on and etcd performance codes: a slow etcd disk explains its
// leader changes and the API server's latency; a webhook without backend is the cause of
// "changes not applied" ahead of node and kubelet trouble; a NotReady node explains its
// unreachable taint.
import { describe, expect, it } from 'vitest';
import type { Code } from '../../src/catalogue/codes.js';
import { triage } from '../../src/engine/triage.js';
import type { Component, Result, Status } from '../../src/engine/types.js';

function result(check: string, component: Component, subject: string, code: Code, status: Status, data: Record<string, unknown> = {}): Result {
  return { check, component, subject, status, message: subject, durationMs: 1, data, code };
}

describe('triage of add-on and etcd performance findings', () => {
  it('slow WAL fsync explains leader changes, failed proposals and API server latency', () => {
    const causes = triage([
      result('apiserver-latency', 'apiserver', 'apiserver https://10.0.0.11:6443', 'apiserver-latency-high', 'warn', { host: '10.0.0.11', port: 6443 }),
      result('etcd-performance', 'etcd', 'etcd member cp-2', 'etcd-leader-changes', 'warn', { endpoint: 'https://10.0.0.12:2379' }),
      result('etcd-performance', 'etcd', 'etcd member cp-1', 'etcd-wal-fsync-slow', 'crit', { endpoint: 'https://10.0.0.11:2379' }),
      result('etcd-performance', 'etcd', 'etcd member cp-3', 'etcd-proposals-failed', 'warn', { endpoint: 'https://10.0.0.13:2379' }),
    ]);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ code: 'etcd-wal-fsync-slow', subject: 'etcd member cp-1' });
    expect(causes[0]!.explains.sort()).toEqual(['apiserver-latency-high', 'etcd-leader-changes', 'etcd-proposals-failed']);
  });

  it('a Fail webhook without backend ranks before kubelet and node trouble', () => {
    const causes = triage([
      result('kubelet', 'kubelet', 'kubelet w1', 'kubelet-unhealthy', 'crit', { node: 'w1' }),
      result('admission-webhooks', 'apiserver', 'webhook validate.policy', 'webhook-backend-down', 'crit', { service: 'p/policy' }),
    ]);
    expect(causes.map((c) => c.code)).toEqual(['webhook-backend-down', 'kubelet-unhealthy']);
  });

  it('the unreachable taint is explained by the stopped kubelet through the NotReady node', () => {
    const causes = triage([
      result('nodes-health', 'nodes', 'node w2', 'node-unreachable', 'warn', { node: 'w2' }),
      result('nodes-ready', 'nodes', 'node w2', 'node-not-ready', 'crit', { node: 'w2' }),
      result('kubelet', 'kubelet', 'kubelet w2', 'kubelet-unreachable', 'crit', { node: 'w2', host: '10.0.0.22', port: 10250 }),
    ]);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ code: 'kubelet-unreachable' });
    expect(causes[0]!.explains).toEqual(expect.arrayContaining(['node-not-ready', 'node-unreachable']));
  });
});
