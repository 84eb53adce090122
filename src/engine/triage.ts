// Root-cause ranking: the generic engine over the catalogue's "A explains B" rules and
// priority order (src/catalogue/rules.ts). Findings that nothing else explains are the root
// causes, most likely first; each lists what it explains, directly or down a chain (quorum
// lost → member unreachable → its port refused). Findings are related through their typed
// `about` alone: never through `data` key names or message text.
import type { AnyCode } from '../catalogue/codes.js';
import { API_FAILING, PRIORITY, RULES, type Rule, type Scope } from '../catalogue/rules.js';
import type { About, CertificateRole, ControlPlaneProgram, Result, RootCause } from './types.js';

export type { CertificateRole } from './types.js';

/** Whether a finding is about one of these control-plane programs (`about.program`). */
function isProgram(r: Result, programs: readonly ControlPlaneProgram[]): boolean {
  return r.about?.program !== undefined && programs.includes(r.about.program);
}

/** What a certificate finding is for, as the certificate check that raised it said. */
export function certificateRole(r: Pick<Result, 'about'>): CertificateRole | null {
  return r.about?.certificate?.role ?? null;
}

/**
 * Rules that loaded plugins add: their codes related to each other or to built-in ones (an
 * ingress controller down, explained by `node-not-ready` on its node). A plugin's `node`
 * scope is the built-in `host` relation, read from the findings' `about`.
 */
const pluginRules: Rule[] = [];

export function registerPluginRules(
  rules: readonly { cause: readonly AnyCode[]; explains: readonly AnyCode[]; scope: 'any' | 'node' | 'endpoint'; why: string }[],
): void {
  for (const r of rules) {
    pluginRules.push({ cause: r.cause, explains: r.explains, scope: r.scope === 'node' ? 'host' : r.scope, why: r.why });
  }
}

/** The API-failing codes, as the wider code type findings carry. */
const API_FAILING_CODES: readonly AnyCode[] = API_FAILING;

export function rank(r: Result): number {
  const role = certificateRole(r);
  const i = PRIORITY.findIndex((step) => step.code === r.code && (!step.role || (role !== null && step.role.includes(role))));
  return i === -1 ? PRIORITY.length : i;
}

function hostOfUrl(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

function endpointOfUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^\[|\]$/g, '')}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return null;
  }
}

function urlsIn(about: About): string[] {
  return [...(about.endpoint !== undefined ? [about.endpoint] : []), ...(about.member?.clientURLs ?? []), ...(about.member?.peerURLs ?? [])];
}

/** Places and endpoints are asked for many times per finding; work them out once. */
function memo(compute: (r: Result) => string[]): (r: Result) => string[] {
  const cache = new WeakMap<Result, string[]>();
  return (r) => {
    let value = cache.get(r);
    if (value === undefined) {
      value = compute(r);
      cache.set(r, value);
    }
    return value;
  };
}

/** The machines a finding is about: node names and addresses. */
const placesOf = memo((r) => {
  const about = r.about ?? {};
  const places = [about.node, about.host, ...urlsIn(about).map(hostOfUrl)];
  return [...new Set(places.filter((p): p is string => typeof p === 'string' && p !== ''))];
});

/** The host:port pairs a finding is about. */
const endpointsOf = memo((r) => {
  const about = r.about ?? {};
  const direct = about.host !== undefined && about.port !== undefined ? [`${about.host.replace(/^\[|\]$/g, '')}:${about.port}`] : [];
  const fromUrls = urlsIn(about).map(endpointOfUrl);
  return [...new Set([...direct, ...fromUrls].filter((e): e is string => e !== null))];
});

/** A certificate's identity: issuer and serial. */
function serialOf(r: Result): string | null {
  const c = r.about?.certificate;
  return c !== undefined && c.serial !== '' ? `${c.issuer}#${c.serial}` : null;
}

function isKubeconfigServer(r: Result): boolean {
  return r.about?.kubeconfigServer === true;
}

function individualApiServer(r: Result): string | null {
  const endpoint = r.about?.endpoint;
  return r.component === 'apiserver' && endpoint !== undefined && !isKubeconfigServer(r) ? endpoint : null;
}

/** Whether every individual API server probed (besides the kubeconfig's server) has a problem. */
function noHealthyBackend(results: readonly Result[]): boolean {
  const all = new Set<string>();
  const failing = new Set<string>();
  for (const r of results) {
    const endpoint = individualApiServer(r);
    if (endpoint === null) continue;
    all.add(endpoint);
    if ((r.status === 'warn' || r.status === 'crit') && r.code && API_FAILING_CODES.includes(r.code)) failing.add(endpoint);
  }
  return all.size > 0 && [...all].every((e) => failing.has(e));
}

/** Findings of some codes, indexed so that a rule finds its candidates without trying every pair. */
class FindingIndex {
  private readonly byCode = new Map<AnyCode, Result[]>();
  private readonly byPlace = new Map<string, Result[]>();
  private readonly placeless: Result[] = [];
  private readonly byEndpoint = new Map<string, Result[]>();
  private readonly bySerial = new Map<string, Result[]>();

  constructor(problems: readonly Result[]) {
    for (const r of problems) {
      push(this.byCode, r.code!, r);
      const places = placesOf(r);
      if (places.length === 0) this.placeless.push(r);
      for (const p of places) push(this.byPlace, p, r);
      for (const e of endpointsOf(r)) push(this.byEndpoint, e, r);
      const serial = serialOf(r);
      if (serial !== null) push(this.bySerial, serial, r);
    }
  }

  withCodes(codes: readonly AnyCode[]): Result[] {
    return codes.flatMap((c) => this.byCode.get(c) ?? []);
  }

  /** Candidates for a rule's effects, before the codes are filtered. */
  near(cause: Result, scope: Scope): Iterable<Result> {
    if (scope === 'certificate') {
      const serial = serialOf(cause);
      return serial === null ? [] : (this.bySerial.get(serial) ?? []);
    }
    if (scope === 'endpoint') return new Set(endpointsOf(cause).flatMap((e) => this.byEndpoint.get(e) ?? []));
    if (scope === 'host') {
      const places = placesOf(cause);
      if (places.length === 0) return [...this.byCode.values()].flat();
      return new Set([...places.flatMap((p) => this.byPlace.get(p) ?? []), ...this.placeless]);
    }
    return [...this.byCode.values()].flat();
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** cause → the findings it explains directly. */
function explanationEdges(problems: readonly Result[], all: readonly Result[]): Map<Result, Set<Result>> {
  const index = new FindingIndex(problems);
  const backendsDown = noHealthyBackend(all);
  const edges = new Map<Result, Set<Result>>();
  for (const rule of [...RULES, ...pluginRules]) {
    if (rule.scope === 'backends' && !backendsDown) continue;
    for (const cause of index.withCodes(rule.cause)) {
      if (rule.causeRole) {
        const role = certificateRole(cause);
        if (role === null || !rule.causeRole.includes(role)) continue;
      }
      if (rule.causeProgram && !isProgram(cause, rule.causeProgram)) continue;
      if (rule.scope === 'backends' && individualApiServer(cause) === null) continue;
      for (const effect of index.near(cause, rule.scope)) {
        if (effect === cause || !rule.explains.includes(effect.code!)) continue;
        if (rule.effectProgram && !isProgram(effect, rule.effectProgram)) continue;
        const listener = effect.about?.evidence?.listener;
        if (rule.effectListener && listener !== undefined && !rule.effectListener.includes(listener)) continue;
        if (rule.scope === 'backends' && !isKubeconfigServer(effect)) continue;
        const set = edges.get(cause) ?? new Set<Result>();
        set.add(effect);
        edges.set(cause, set);
      }
    }
  }
  return edges;
}

/** Strongly connected components (Tarjan): findings that explain each other are one fact. */
function components(nodes: readonly Result[], edges: Map<Result, Set<Result>>): Map<Result, number> {
  const index = new Map<Result, number>();
  const low = new Map<Result, number>();
  const onStack = new Set<Result>();
  const stack: Result[] = [];
  const component = new Map<Result, number>();
  let counter = 0;
  let components = 0;
  const visit = (v: Result): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      let w: Result;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.set(w, components);
      } while (w !== v);
      components += 1;
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return component;
}

/** Which of several findings that are one fact speaks for it: the highest-priority one. */
function byPriority(a: Result, b: Result): number {
  return rank(a) - rank(b) || a.check.localeCompare(b.check) || a.subject.localeCompare(b.subject);
}

function reachable(from: readonly Result[], edges: Map<Result, Set<Result>>): Result[] {
  const seen = new Set<Result>(from);
  const queue = [...from];
  while (queue.length > 0) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return [...seen];
}

/** One root cause with the findings it explains, and the severity of the problem as a whole. */
export interface TriageGroup {
  root: Result;
  explained: Result[];
  /** The gravest of the root and what it explains: a cause is at least as grave as its echoes. */
  severity: 'warn' | 'crit';
}

const isCrit = (r: Result) => r.status === 'crit';

/** Root causes as the results themselves, most likely first, each with what it explains. */
export function triageGroups(results: readonly Result[]): TriageGroup[] {
  const problems = results.filter((r) => (r.status === 'warn' || r.status === 'crit') && r.code !== undefined);
  const edges = explanationEdges(problems, results);
  const component = components(problems, edges);
  const explainedFromOutside = new Set<number>();
  for (const [cause, effects] of edges) {
    for (const effect of effects) if (component.get(effect) !== component.get(cause)) explainedFromOutside.add(component.get(effect)!);
  }
  const position = new Map(problems.map((r, i) => [r, i]));
  const members = new Map<number, Result[]>();
  for (const r of problems) push(members, component.get(r)!, r);
  const roots: TriageGroup[] = [...members.entries()]
    .filter(([id]) => !explainedFromOutside.has(id))
    .map(([, group]) => {
      const sorted = [...group].sort(byPriority);
      const root = sorted[0]!;
      const explained = reachable(group, edges).filter((r) => r !== root);
      explained.sort((a, b) => position.get(a)! - position.get(b)!);
      return { root, explained, severity: isCrit(root) || explained.some(isCrit) ? 'crit' : 'warn' };
    });
  roots.sort(
    (a, b) =>
      (a.severity === 'crit' ? 0 : 1) - (b.severity === 'crit' ? 0 : 1) ||
      rank(a.root) - rank(b.root) ||
      b.explained.length - a.explained.length ||
      a.root.subject.localeCompare(b.root.subject),
  );
  return roots;
}

export function rootCausesOf(groups: readonly TriageGroup[]): RootCause[] {
  return groups.map(({ root, explained }) => ({
    code: root.code!,
    subject: root.subject,
    explains: [...new Set(explained.map((e) => e.code!))],
    explainsFindings: explained.map((e) => ({ code: e.code!, subject: e.subject })),
  }));
}

export function triage(results: readonly Result[]): RootCause[] {
  return rootCausesOf(triageGroups(results));
}
