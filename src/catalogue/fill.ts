// Fix steps filled with what the run knows about the finding: `kubectl describe node <name>`
// becomes `kubectl describe node worker-2`. A placeholder the run cannot fill stays visible
// (`<container-id>`) and marks the step unfilled, so nobody pastes it believing it complete.
import type { About, Component, FixStepData } from '../engine/types.js';
import { profileOf, PROFILES, type DistributionProfile, type FixVocabulary, type ProgramFixes } from '../shape/distributions.js';
import type { Distribution } from '../shape/types.js';
import { isCommand } from './fix-step.js';

/**
 * How this run reached etcd: the client URLs it asked and the files it used, as given (paths,
 * never contents). Absent when the run had no etcd client certificate to use.
 */
export interface EtcdAccess {
  endpoints: readonly string[];
  cacert?: string;
  cert?: string;
  key?: string;
}

/**
 * What the run knows beyond the finding: the cluster's distribution picks the commands of `@`
 * steps, and how the run reached etcd fills `<etcdctl>`.
 */
export interface FillContext {
  distribution?: Distribution;
  etcd?: EtcdAccess;
}

const VERBS: Readonly<Record<string, keyof Omit<FixVocabulary, 'owner' | 'programs' | 'etcdctl'>>> = {
  status: 'status',
  logs: 'logs',
  restart: 'restart',
  'renew-certificates': 'renewCertificates',
  'etcd-snapshot': 'etcdSnapshot',
  'etcd-members': 'etcdMembers',
  'etcd-remove-member': 'etcdRemoveMember',
  'etcd-restore': 'etcdRestore',
};

/** Whether a step is a distribution template (`@logs kube-apiserver`). */
export function isVocabularyStep(step: string): boolean {
  return /^@[a-z-]+(\s|$)/.test(step.trim());
}

/** A whole-step template's verb and program: `@logs kube-apiserver` → ['logs', 'kube-apiserver']. */
function parseTemplate(step: string): { verb: string; program: string | undefined } | null {
  const m = /^@([a-z-]+)(?:\s+(\S+))?\s*$/.exec(step.trim());
  return m === null ? null : { verb: m[1]!, program: m[2] };
}

/** The distribution's profile, kubeadm's when it is not known (static pods: the commonest shape). */
function profileFor(distribution: Distribution | undefined): DistributionProfile {
  return (distribution !== undefined ? profileOf(distribution) : null) ?? PROFILES.kubeadm;
}

const VERB_WORDS: Readonly<Record<string, string>> = {
  status: 'status of',
  logs: 'logs of',
  restart: 'restart',
  'renew-certificates': 'renew the certificates',
  'etcd-snapshot': 'etcd snapshot',
  'etcd-members': 'etcd member list',
  'etcd-remove-member': 'remove the etcd member',
  'etcd-restore': 'restore etcd from a snapshot',
};

/**
 * A template step in words for `explain` and the docs, with kubeadm's commands as the example:
 * "logs of kube-apiserver, with your distribution's commands (kubeadm: crictl logs …)".
 */
export function describeVocabularyStep(step: string): string {
  const t = parseTemplate(step);
  if (t === null || VERBS[t.verb] === undefined) return step;
  const example = expandVocabulary([step], 'kubeadm').join('; ');
  return `${VERB_WORDS[t.verb]}${t.program !== undefined ? ` ${t.program}` : ''}, with your distribution's commands (kubeadm: \`${example}\`)`;
}

/**
 * `@logs kube-apiserver` → the distribution's log commands for that program (`crictl logs …` on
 * kubeadm, `journalctl -u k3s` on k3s, `talosctl -n <node-ip> logs …` on Talos). Without a known
 * distribution the kubeadm commands stand: static pods are the commonest shape. A verb the
 * distribution has no command for (etcd membership on a managed cluster) adds no step.
 */
export function expandVocabulary(fix: readonly string[], distribution: Distribution | undefined): string[] {
  const profile = profileFor(distribution);
  return fix.flatMap((step) => {
    const t = parseTemplate(step);
    if (t === null) return [step];
    const verb = VERBS[t.verb];
    if (verb === undefined) throw new Error(`unknown fix template ${step}`);
    const component = t.program;
    // A program that runs apart from the rest (the kubelet under systemd, etcd as a Talos service).
    const programs: Readonly<Record<string, ProgramFixes>> | undefined = profile.fixes.programs;
    const own = component !== undefined && (verb === 'status' || verb === 'logs' || verb === 'restart') ? programs?.[component]?.[verb] : undefined;
    const lines: readonly string[] = own ?? profile.fixes[verb];
    return lines.map((line) => (component !== undefined ? line.split('<component>').join(component) : line));
  });
}

/** `<etcdctl>`: etcdctl against every endpoint the run asked; `<etcdctl-member>`: against the finding's member alone. */
const ETCDCTL = /<etcdctl(-member)?>/g;

function etcdctlFlags(access: EtcdAccess, endpoints: readonly string[]): string {
  const flags = [`--endpoints=${shellWord(endpoints.join(','))}`];
  if (access.cacert !== undefined) flags.push(`--cacert=${shellWord(access.cacert)}`);
  if (access.cert !== undefined) flags.push(`--cert=${shellWord(access.cert)}`);
  if (access.key !== undefined) flags.push(`--key=${shellWord(access.key)}`);
  return `etcdctl ${flags.join(' ')}`;
}

/** Says where a line that uses a node's own certificate runs, in the step's trailing comment. */
function onControlPlaneNode(step: string): string {
  const at = step.indexOf('   # ');
  return at < 0 ? `${step}   # on a control-plane node` : `${step.slice(0, at)}   # on a control-plane node: ${step.slice(at + 5)}`;
}

/**
 * `<etcdctl> endpoint status -w table` → the etcdctl line this run could use: its own endpoints
 * and files when it had them, so that the step runs from where k8sdoc ran; otherwise the
 * distribution's etcdctl with the node's own certificate, said to run on a control-plane node.
 * A distribution with no etcdctl on its nodes (Talos, managed) gets no such step: its `@`
 * templates say the same in its own tool. null: drop the step.
 */
function withEtcdctl(step: string, about: About, context: FillContext): string | null {
  if (!step.includes('<etcdctl')) return step;
  const member = about.member?.clientURLs?.[0] ?? about.endpoint;
  const access = context.etcd !== undefined && context.etcd.endpoints.length > 0 ? context.etcd : undefined;
  const local = profileFor(context.distribution).fixes.etcdctl;
  if (access === undefined && local === null) return null;
  const line = (single: boolean): string => {
    if (access !== undefined) {
      if (!single) return etcdctlFlags(access, access.endpoints);
      return member !== undefined ? etcdctlFlags(access, [member]) : 'etcdctl --endpoints=<member client URL>';
    }
    if (!single) return local!;
    const url = member !== undefined ? shellWord(member) : '<member client URL>';
    return /--endpoints=\S+/.test(local!) ? local!.replace(/--endpoints=\S+/, `--endpoints=${url}`) : `${local!} --endpoints=${url}`;
  };
  const text = step.replace(ETCDCTL, (_, single: string | undefined) => line(single !== undefined));
  return access !== undefined ? text : onControlPlaneNode(text);
}

/**
 * A distribution line that runs etcdctl with the node's own certificate (`@etcd-members`) runs
 * from where k8sdoc ran, with the run's endpoints and files, when the run had them.
 */
function runEtcdctl(line: string, context: FillContext): string {
  if (context.etcd === undefined || context.etcd.endpoints.length === 0) return line;
  const local = profileFor(context.distribution).fixes.etcdctl;
  if (local === null || !local.startsWith('etcdctl ') || !line.startsWith(`${local} `)) return line;
  return `${etcdctlFlags(context.etcd, context.etcd.endpoints)}${line.slice(local.length)}`;
}

function hostOf(about: About): string | undefined {
  if (about.host !== undefined) return about.host;
  const url = about.endpoint ?? about.member?.clientURLs?.[0];
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** The placeholders a step may carry and where each value comes from. */
function valuesFor(component: Component, about: About): Record<string, string | undefined> {
  const nodeScoped = component === 'nodes' || component === 'kubelet';
  return {
    '<host>': hostOf(about),
    '<port>': about.port !== undefined ? String(about.port) : undefined,
    '<id>': about.member?.id,
    // `<name>` names a node only in node and kubelet steps (elsewhere it is a client or file name).
    '<name>': nodeScoped ? about.node : undefined,
    '<node>': about.node,
    '<member-host>': hostOf(about),
    '<node-ip>': hostOf(about),
    '<member-id>': about.member?.id,
    '<pod>': about.pod?.name,
    '<namespace>': about.pod?.namespace,
    '<one member client URL>': about.member?.clientURLs?.[0] ?? (component === 'etcd' ? about.endpoint : undefined),
    '<file>': about.certificate?.path,
    '<cert>': about.certificate?.path,
  };
}

/** A shell-safe rendering of a value from the cluster: anything but plain words is single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9._:/@%+=,[\]-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function fillSteps(fix: readonly string[], component: Component, about: About | undefined, context: FillContext = {}): FixStepData[] {
  const values = valuesFor(component, about ?? {});
  // `@logs <component>` names the program the finding is about, so that its own commands apply.
  const program = about?.program;
  const named = program !== undefined ? fix.map((step) => (isVocabularyStep(step) ? step.split('<component>').join(program) : step)) : fix;
  const etcdSteps = named.flatMap((step) => {
    const line = withEtcdctl(step, about ?? {}, context);
    return line === null ? [] : [line];
  });
  return expandVocabulary(etcdSteps, context.distribution).map((step) => {
    let text = runEtcdctl(step, context);
    for (const [placeholder, value] of Object.entries(values)) {
      if (value !== undefined && value !== '') text = text.split(placeholder).join(shellWord(value));
    }
    return { kind: isCommand(text) ? 'command' : 'advice', text, filled: !/<[a-z][a-z0-9 -]*>/i.test(text) };
  });
}
