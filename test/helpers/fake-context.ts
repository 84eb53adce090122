// A CheckContext with fake probes, for testing checks and the runner as pure units.
import { createFacts, type Facts } from '../../src/observe/facts.js';
import { createMemo } from '../../src/observe/scope.js';
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

/**
 * A CheckContext whose facts run over the given probes (fakes by default), as a run builds it.
 * `probes` stays reachable so a test can swap a probe after the context is made.
 */
export function contextOver(probes: Probes, o: { targets?: Targets; options?: CheckOptions; now?: Date } = {}): FakeContext {
  const options = o.options ?? defaultOptions();
  const targets = o.targets ?? emptyTargets();
  const signal = new AbortController().signal;
  const log = () => undefined;
  const scope = { targets, probes, options, signal, memo: createMemo(), log };
  const factsFor = (t: Targets, p: Probes) => createFacts({ ...scope, targets: t, probes: p });
  return { facts: createFacts(scope), probes, factsFor, targets, now: o.now ?? new Date('2026-11-25T10:00:00Z'), signal, options, log };
}

/** A context, its probes, and facts over other targets and probes that share its memo (as the early probes get). */
export type FakeContext = CheckContext & { probes: Probes; factsFor: (targets: Targets, probes: Probes) => Facts };

export function fakeContext(
  overrides: { probes?: Partial<Probes>; targets?: Partial<Targets>; options?: Partial<CheckOptions>; now?: Date } = {},
): FakeContext {
  return contextOver(fakeProbes(overrides.probes), {
    targets: emptyTargets(overrides.targets),
    options: defaultOptions(overrides.options),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}
