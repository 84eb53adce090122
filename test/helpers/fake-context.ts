// A CheckContext with fake probes, for testing checks and the runner as pure units.
import { createLimiter } from '../../src/engine/limit.js';
import { createSharedCache } from '../../src/engine/shared-cache.js';
import type { CheckContext } from '../../src/engine/types.js';
import type { Targets } from '../../src/discovery/targets.js';
import { resolveCheckOptions, type CheckOptions } from '../../src/options.js';
import type { Probes } from '../../src/probes/types.js';

export function defaultOptions(overrides: Partial<CheckOptions> = {}): CheckOptions {
  return { ...resolveCheckOptions({}, { isTTY: false, env: {} }), ...overrides };
}

export function emptyTargets(overrides: Partial<Targets> = {}): Targets {
  return {
    context: null,
    kubeServer: null,
    clusterCa: null,
    apiServers: [],
    etcd: [],
    etcdTls: {},
    hosts: [],
    pkiDir: null,
    etcdBackupDir: null,
    notes: [],
    ...overrides,
  };
}

const unused = () => {
  throw new Error('probe not faked in this test');
};

export function fakeProbes(overrides: Partial<Probes> = {}): Probes {
  return {
    tcp: unused,
    tls: unused,
    kube: null,
    etcd: null,
    files: { read: unused, list: unused, stat: unused },
    ...overrides,
  };
}

export function fakeContext(
  overrides: { probes?: Partial<Probes>; targets?: Partial<Targets>; options?: Partial<CheckOptions>; now?: Date } = {},
): CheckContext {
  const options = defaultOptions(overrides.options);
  return {
    targets: emptyTargets(overrides.targets),
    probes: fakeProbes(overrides.probes),
    now: overrides.now ?? new Date('2026-11-25T10:00:00Z'),
    signal: new AbortController().signal,
    options,
    shared: createSharedCache(),
    limit: createLimiter(options.concurrency),
    log: () => undefined,
  };
}
