// Is the kubelet up on every node? A TLS handshake to its port (10250) from where k8sdoc runs:
// any completed handshake means the process answers. Where the credentials may get
// nodes/proxy, the kubelet's own /healthz through the API server as well. For a NotReady node
// the message says which story it is: kubelet down, or kubelet up but cut off or starved.
// Kubelets whose lease stopped renewing on a NotReady node are known dead without a dial;
// only a sample of them is dialled (judge/kubelet-plan.ts). Dials the run's budget leaves no
// time for are counted in one line, never lost with the rest.
import { raise } from '../catalogue/raise.js';
import { PORTS } from '../judge/ports.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { HostTarget } from '../discovery/targets.js';
import type { KubeOutcome } from '../probes/types.js';
import type { KubeletAnswer } from '../observe/kubelet.js';
import { describeKubeletDown } from '../judge/kubelet.js';
import type { NodeSummary } from '../observe/nodes.js';
import { notFinishedFinding, OUT_OF_BUDGET, withinBudget } from '../engine/runner.js';
import { dialSample, heartbeatLoss, type HeartbeatLoss } from '../judge/kubelet-plan.js';
import { formatAge } from '../judge/age.js';

const FORBIDDEN_WHY = 'healthz not checked: needs get nodes/proxy';
const STOP_KINDS = new Set(['forbidden', 'unauthorized', 'timeout', 'refused']);

/** `grade`: the catalogue grade of kubelet-unhealthy that the evidence calls for. */
type Healthz = { kind: 'ok' } | { kind: 'unhealthy'; text: string; grade?: 'proxy-unreachable' } | { kind: 'not-checked'; why: string };

interface Probed {
  host: HostTarget;
  node: NodeSummary | undefined;
  port: number;
  answer: KubeletAnswer;
  healthz: Healthz;
}

function nodeIsReady(node: NodeSummary | undefined): boolean | null {
  const ready = node?.conditions.find((c) => c.type === 'Ready');
  return ready ? ready.status === 'True' : null;
}

function firstLine(text: string | undefined): string {
  return (
    (text ?? '')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 200) ?? ''
  );
}

function judgeHealthz(outcome: KubeOutcome): Healthz {
  if (outcome.kind === 'ok') return { kind: 'ok' };
  if (outcome.kind === 'forbidden') return { kind: 'not-checked', why: FORBIDDEN_WHY };
  if (outcome.kind === 'http' && (outcome.status === 502 || outcome.status === 503)) {
    return {
      kind: 'unhealthy',
      grade: 'proxy-unreachable',
      text: `the API server cannot reach this kubelet through the nodes proxy (HTTP ${outcome.status}: ${firstLine(outcome.body)}), though k8sdoc can: is a firewall between the control plane and the node?`,
    };
  }
  if (outcome.kind === 'http') return { kind: 'unhealthy', text: `its /healthz fails (HTTP ${outcome.status}: ${firstLine(outcome.body)})` };
  return { kind: 'not-checked', why: `healthz not checked: ${outcome.message}` };
}

function proxyHealthz(ctx: CheckContext, node: NodeSummary): Promise<KubeOutcome> {
  return ctx.facts.api.get(`/api/v1/nodes/${encodeURIComponent(node.name)}/proxy/healthz`);
}

/**
 * Healthz through the nodes proxy, asked for each kubelet as soon as its TLS answer is in (not
 * after the slowest handshake, so hung kubelets do not hold up the others' healthz). The first
 * answer tells whether we may (403) and whether the API server can serve it at all, so
 * thousands of nodes do not each collect the same 403 or timeout: the rest wait for it.
 */
function healthzAsker(ctx: CheckContext, listOk: boolean): (node: NodeSummary) => Promise<Healthz> {
  let first: Promise<KubeOutcome> | null = null;
  return async (node) => {
    if (!ctx.facts.api.configured || !listOk) return { kind: 'not-checked', why: 'healthz not checked: the node list is not readable' };
    if (!first) {
      first = proxyHealthz(ctx, node);
      return judgeHealthz(await first);
    }
    const gate = await first;
    // No permission, or no API server to ask: the rest would collect the same answer.
    if (gate.kind !== 'ok' && STOP_KINDS.has(gate.kind)) {
      return { kind: 'not-checked', why: gate.kind === 'forbidden' ? FORBIDDEN_WHY : `healthz not checked: ${gate.message}` };
    }
    return judgeHealthz(await proxyHealthz(ctx, node));
  };
}

/** A kubelet judged from its lease and Ready condition; `why` says why it was not dialled. */
function lostFinding(host: HostTarget, node: NodeSummary, loss: HeartbeatLoss, why: string): Finding {
  const port = node.kubeletPort;
  const lease = loss.noLease
    ? 'has no lease in kube-node-lease'
    : loss.leaseAgoMs === null
      ? 'has never renewed its lease'
      : `stopped renewing its lease ${formatAge(loss.leaseAgoMs)} ago`;
  const ready = loss.ready === null ? 'has no Ready condition' : `is NotReady (Ready=${loss.ready}${loss.readyReason ? `, ${loss.readyReason}` : ''})`;
  return raise({
    subject: `kubelet ${node.name}`,
    code: 'kubelet-unreachable',
    message: `the kubelet ${lease} and node ${node.name} ${ready}: it is down, hung, or cut off from the control plane; not dialled (${why})`,
    data: {
      node: node.name,
      host: host.address,
      port,
      nodeReady: loss.ready === 'False' ? false : null,
      kubelet: 'not-probed',
      evidence: 'lease',
      leaseRenewedSecondsAgo: loss.leaseAgoMs === null ? null : Math.round(loss.leaseAgoMs / 1000),
    },
    about: { node: node.name, host: host.address, port },
  });
}

/** Kubelets the budget left no time to probe, in one line: how many, and the first few. */
function cutFinding(cut: HostTarget[], ctx: CheckContext): Finding {
  return notFinishedFinding(ctx, {
    subject: 'kubelet',
    what: `kubelet${cut.length === 1 ? '' : 's'} not probed`,
    names: cut.map((h) => h.name ?? h.address),
    data: { notProbed: cut.length, hosts: cut.map((h) => h.address) },
  });
}

function finding(ctx: CheckContext, p: Probed): Finding {
  const name = p.host.name ?? p.node?.name;
  const subject = `kubelet ${name ?? p.host.address}`;
  const ready = nodeIsReady(p.node);
  const base = { ...(name ? { node: name } : {}), host: p.host.address, port: p.port, nodeReady: ready };
  const about = { ...(name ? { node: name } : {}), host: p.host.address, port: p.port };
  if (!p.answer.up) {
    const why = describeKubeletDown(p.answer, p.port, ctx.options.timeoutMs);
    const story =
      ready === false
        ? `; this is why node ${name} is NotReady`
        : ready === true
          ? '; the node still reports Ready (its status lags by up to 40 s, or only this path to the host is blocked)'
          : '';
    return raise({
      subject,
      about,
      code: 'kubelet-unreachable',
      message: `${why}${story}`,
      data: { ...base, kubelet: p.answer.failure.kind, stage: p.answer.stage },
      timedOut: p.answer.failure.kind === 'timeout' ? [`${p.answer.stage} ${p.host.address}:${p.port}`] : undefined,
    });
  }
  const answered = `answers TLS on ${p.port} (${p.answer.tcpMs + p.answer.tlsMs} ms)`;
  const notReady =
    ready === false ? `, yet node ${name} is NotReady: the kubelet runs but cannot report to the control plane, or the host is starved (see nodes-ready)` : '';
  const data = { ...base, kubelet: 'up', tcpMs: p.answer.tcpMs, tlsMs: p.answer.tlsMs, healthz: p.healthz.kind };
  if (p.healthz.kind === 'unhealthy')
    return raise({
      subject,
      about,
      code: 'kubelet-unhealthy',
      ...(p.healthz.grade ? { grade: p.healthz.grade } : {}),
      message: `${answered}, but ${p.healthz.text}${notReady}`,
      data,
    });
  const healthz = p.healthz.kind === 'ok' ? '; healthz ok' : `; ${p.healthz.why}`;
  return { status: 'ok', subject, about, message: `${answered}${healthz}${notReady}`, data };
}

type Outcome = { kind: 'probed'; probed: Probed } | { kind: 'lost'; finding: Finding } | { kind: 'cut'; host: HostTarget };

export const kubelet: Check = {
  // The kubelet port is the node's own (from the node list) when discovery finds one; the
  // default is right for nearly every cluster, and a wrong guess only leaves a probe unused.
  // Only the first round of slots: before the node list is in, a dial may be one the leases
  // make needless, and thousands queued here would hold up the ones that matter.
  prewarm(ctx) {
    for (const h of ctx.targets.hosts.slice(0, dialSample(ctx.options.concurrency))) void ctx.facts.kubelet(h.address, PORTS.kubelet).catch(() => undefined);
  },
  id: 'kubelet',
  component: 'kubelet',
  title: 'Every kubelet answers TLS on :10250; its healthz through the nodes proxy where permitted',
  needs: [],
  codes: ['kubelet-unreachable', 'kubelet-unhealthy'],
  async run(ctx) {
    const hosts = ctx.targets.hosts;
    if (hosts.length === 0) return [{ status: 'skip', subject: 'kubelet', message: 'no hosts known: the node list is not readable and no --hosts given' }];
    // Without the `nodes` need (it works from --hosts alone): an API server already known to be
    // down or hung must not cost another --timeout for the list. The plan is the run's one:
    // certs-served and kubelet-certificates dial the same kubelets, through the same handshakes.
    const plan = await ctx.facts.kubeletPlan(ctx.now);
    const list = plan.list;
    const notDialled = `the lease and the Ready condition tell; ${plan.dials.sampled} kubelet${plan.dials.sampled === 1 ? '' : 's'} in the same state dialled as a sample`;
    const askHealthz = healthzAsker(ctx, list.kind === 'ok');
    const outcomes: Outcome[] = await Promise.all(
      hosts.map(async (host): Promise<Outcome> => {
        const node = plan.byAddress.get(host.address);
        const lost = plan.notDialled(host.address);
        if (lost) return { kind: 'lost', finding: lostFinding(host, lost.node, lost.loss, notDialled) };
        const port = node?.kubeletPort ?? PORTS.kubelet;
        const answer = await withinBudget(ctx, ctx.facts.kubelet(host.address, port));
        if (answer === OUT_OF_BUDGET) {
          // A sampled kubelet whose heartbeat is lost is still known dead: only the story is missing.
          const loss = node && heartbeatLoss(node, plan.leases, plan.now);
          return node && loss ? { kind: 'lost', finding: lostFinding(host, node, loss, 'the dial did not finish within the budget') } : { kind: 'cut', host };
        }
        const asked: Healthz | typeof OUT_OF_BUDGET =
          answer.up && node ? await withinBudget(ctx, askHealthz(node)) : { kind: 'not-checked', why: 'healthz not checked: the node is not known to the API' };
        const healthz: Healthz = asked === OUT_OF_BUDGET ? { kind: 'not-checked', why: 'healthz not asked within the budget' } : asked;
        return { kind: 'probed', probed: { host, node, port, answer, healthz } };
      }),
    );
    const findings: Finding[] = [];
    const cut: HostTarget[] = [];
    for (const o of outcomes) {
      if (o.kind === 'probed') findings.push(finding(ctx, o.probed));
      else if (o.kind === 'lost') findings.push(o.finding);
      else cut.push(o.host);
    }
    if (cut.length > 0) findings.push(cutFinding(cut, ctx));
    return findings;
  },
};
