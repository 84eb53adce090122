// Pure pieces of the simulated API server's wire format.
import { describe, expect, it } from 'vitest';
import { allowed, forbiddenMessage, identityFromCertificate, TokenTable } from '../../src/sim/api-access.js';
import { resourceAttributes } from '../../src/sim/api-server.js';
import { nodeStatus } from '../../src/sim/api-tables.js';
import { decodeContinue, encodeContinue, humanDuration, kubeMicroTime, paginate, wantsTable } from '../../src/sim/api-wire.js';
import type { KubeObject } from '../../src/sim/cluster-state.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (the AGE column)', () => {
  it.each([
    [-5 * S, '<invalid>'],
    [-1 * S, '0s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [3 * D + 5 * H, '3d5h'],
    [8 * D, '8d'],
    [729 * D, '729d'],
    [2 * 365 * D + 3 * D, '2y3d'],
    [9 * 365 * D, '9y'],
  ])('%i ms reads %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});

describe('continue tokens and pages', () => {
  it('encode the apiserver token shape: base64url JSON with the start key after the last one', () => {
    const token = encodeContinue(1234, 'worker-0500');
    expect(JSON.parse(Buffer.from(token, 'base64url').toString())).toEqual({ v: 'meta.k8s.io/v1', rv: 1234, start: 'worker-0500\u0000' });
    expect(token).not.toMatch(/[=+/]/);
    expect(decodeContinue(token)).toEqual({ resourceVersion: 1234, startAfter: 'worker-0500' });
  });

  it('reject tokens that are not ours', () => {
    expect(decodeContinue('garbage')).toBeNull();
    expect(decodeContinue(Buffer.from('{"v":"x","rv":1,"start":"a\\u0000"}').toString('base64url'))).toBeNull();
  });

  it('page through a sorted list without losing or repeating an item', () => {
    const names = Array.from({ length: 23 }, (_, i) => `n-${String(i).padStart(2, '0')}`);
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: ReturnType<typeof paginate<string>> = paginate(names, (n) => n, 5, after, 7);
      seen.push(...page.items);
      if (!page.continue) break;
      expect(page.remainingItemCount).toBe(names.length - seen.length);
      after = decodeContinue(page.continue)!.startAfter;
    }
    expect(seen).toEqual(names);
  });
});

describe('content negotiation', () => {
  it('recognises the Accept header kubectl get sends for tables', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });

  it('writes lease renew times with microseconds', () => {
    expect(kubeMicroTime(new Date('2026-11-25T10:00:00.123Z'))).toBe('2026-11-25T10:00:00.123000Z');
  });
});

describe('node STATUS column', () => {
  const node = (ready: string | null, unschedulable = false) =>
    ({
      metadata: { name: 'n', uid: 'u', resourceVersion: '1', creationTimestamp: '' },
      spec: { unschedulable },
      status: { conditions: ready ? [{ type: 'Ready', status: ready }] : [] },
    }) as unknown as KubeObject;
  it.each([
    ['True', false, 'Ready'],
    ['False', false, 'NotReady'],
    ['Unknown', false, 'NotReady'],
    [null, false, 'Unknown'],
    ['True', true, 'Ready,SchedulingDisabled'],
  ] as const)('Ready=%s unschedulable=%s prints %s', (ready, cordoned, expected) => {
    expect(nodeStatus(node(ready, cordoned))).toBe(expected);
  });
});

describe('request attributes and RBAC', () => {
  const q = new URLSearchParams();
  it('parse resource paths into verb, group, resource, namespace and name', () => {
    expect(resourceAttributes('GET', '/api/v1/nodes', q)).toEqual({ kind: 'resource', verb: 'list', group: '', resource: 'nodes' });
    expect(resourceAttributes('GET', '/api/v1/nodes/cp-1/proxy/healthz', q)).toEqual({
      kind: 'resource',
      verb: 'get',
      group: '',
      resource: 'nodes',
      name: 'cp-1',
      subresource: 'proxy',
    });
    expect(resourceAttributes('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/w1', q)).toEqual({
      kind: 'resource',
      verb: 'get',
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: 'kube-node-lease',
      name: 'w1',
    });
    expect(resourceAttributes('GET', '/api/v1/namespaces/kube-system', q)).toEqual({
      kind: 'resource',
      verb: 'get',
      group: '',
      resource: 'namespaces',
      name: 'kube-system',
    });
    expect(resourceAttributes('DELETE', '/api/v1/nodes', q)?.verb).toBe('deletecollection');
    expect(resourceAttributes('GET', '/version', q)).toBeNull();
  });

  it('grant admin groups everything and token rules only what they list', () => {
    expect(allowed(identityFromCertificate('kubernetes-admin', ['kubeadm:cluster-admins']), { kind: 'path', verb: 'get', path: '/metrics' })).toBe(true);
    expect(allowed(identityFromCertificate('someone', ['dev']), { kind: 'path', verb: 'get', path: '/metrics' })).toBe(false);
    const tokens = new TokenTable();
    const id = tokens.identity(tokens.add({ user: 'u', rules: [{ verbs: ['list'], resources: ['nodes', '/metrics'] }] }))!;
    expect(allowed(id, { kind: 'resource', verb: 'list', group: '', resource: 'nodes' })).toBe(true);
    expect(allowed(id, { kind: 'resource', verb: 'get', group: '', resource: 'nodes', name: 'x' })).toBe(false);
    expect(allowed(id, { kind: 'resource', verb: 'get', group: '', resource: 'nodes', name: 'x', subresource: 'proxy' })).toBe(false);
    expect(tokens.identity('unknown')).toBeUndefined();
  });

  it('word Forbidden messages as the apiserver does', () => {
    expect(forbiddenMessage('bob', { kind: 'resource', verb: 'get', group: '', resource: 'nodes', name: 'cp-1', subresource: 'proxy' })).toBe(
      'nodes "cp-1" is forbidden: User "bob" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
    );
  });
});
