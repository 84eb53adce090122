// Node resource pressure: MemoryPressure, DiskPressure, PIDPressure and
// NetworkUnavailable on every node. Vendor conditions (node-problem-detector, cloud
// providers) are judged only when --node-conditions names them: their polarity and meaning
// vary, so reporting them unasked would raise false alarms.
import type { Code } from '../catalogue/codes.js';
import { entryFor } from '../catalogue/index.js';
import { raise } from '../catalogue/raise.js';
import type { Check, Finding } from '../engine/types.js';
import type { NodeCondition, NodeSummary } from '../observe/nodes.js';

interface KnownCondition {
  type: string;
  code: Code;
  meaning: string;
}

/** In order of what to look at first; a node with several reports them all under the first's code. */
const KNOWN: readonly KnownCondition[] = [
  { type: 'MemoryPressure', code: 'node-memory-pressure', meaning: "the host's memory is nearly full: pods are being evicted" },
  { type: 'DiskPressure', code: 'node-disk-pressure', meaning: 'the disk is nearly full: images are garbage-collected and pods evicted' },
  { type: 'PIDPressure', code: 'node-pid-pressure', meaning: 'the node is running out of process ids' },
  { type: 'NetworkUnavailable', code: 'node-network-unavailable', meaning: 'the pod network (CNI) is not configured on this node' },
];

const KNOWN_TYPES = new Set(['Ready', ...KNOWN.map((k) => k.type)]);

function describe(c: NodeCondition, meaning: string | null): string {
  const detail = [c.reason, c.message?.replace(/\.$/, '')].filter((x) => x).join(': ');
  return `${c.type}${meaning ? ` (${meaning})` : ''}${detail ? ` [${detail}]` : ''}`;
}

function judgeNode(node: NodeSummary, extraTypes: readonly string[]): Finding {
  const subject = `node ${node.name}`;
  const base = { node: node.name, host: node.address };
  const about = { node: node.name, ...(node.address ? { host: node.address } : {}) };
  const ready = node.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'Unknown') {
    return { status: 'skip', subject, message: 'conditions unknown: the kubelet stopped posting node status (see nodes-ready)', data: base };
  }
  const problems: { code: Code; text: string; type: string }[] = [];
  for (const known of KNOWN) {
    const c = node.conditions.find((x) => x.type === known.type);
    if (c?.status === 'True') problems.push({ code: known.code, text: describe(c, known.meaning), type: c.type });
  }
  for (const type of extraTypes) {
    if (KNOWN_TYPES.has(type)) continue;
    const c = node.conditions.find((x) => x.type === type);
    if (c?.status === 'True') problems.push({ code: 'node-condition', text: describe(c, null), type });
  }
  const absent = extraTypes.filter((t) => !KNOWN_TYPES.has(t) && !node.conditions.some((c) => c.type === t));
  const data = { ...base, conditions: problems.map((p) => p.type), ...(absent.length > 0 ? { conditionsNotReported: absent } : {}) };
  if (problems.length === 0) {
    const watched = extraTypes.filter((t) => !KNOWN_TYPES.has(t) && !absent.includes(t));
    return {
      status: 'ok',
      subject,
      about,
      message: `no memory, disk or PID pressure; network available${watched.length > 0 ? `; ${watched.join(', ')} not true` : ''}`,
      data,
    };
  }
  // One finding per node, under the code of its gravest condition (the catalogue's severity).
  const gravest = problems.find((p) => entryFor(p.code).severity === 'crit') ?? problems[0]!;
  return raise({ subject, about, code: gravest.code, message: problems.map((p) => p.text).join('; '), data });
}

export const nodesPressure: Check = {
  id: 'nodes-pressure',
  component: 'nodes',
  title: 'No node reports memory, disk or PID pressure or an unconfigured network (plus --node-conditions)',
  needs: ['nodes'],
  codes: ['node-memory-pressure', 'node-disk-pressure', 'node-pid-pressure', 'node-network-unavailable', 'node-condition'],
  async run(ctx) {
    const list = await ctx.facts.nodes();
    if (list.kind !== 'ok') return [{ status: 'skip', subject: 'nodes', message: list.message }];
    if (list.nodes.length === 0) return [{ status: 'skip', subject: 'nodes', message: 'the cluster has no nodes registered' }];
    return list.nodes.map((node) => judgeNode(node, ctx.options.nodeConditions));
  },
};
