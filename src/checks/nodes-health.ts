// What one snapshot of the node list says beyond Ready and pressure: nodes that carry the
// `node.kubernetes.io/unreachable` taint (the node controller lost them, and their pods will
// be evicted), nodes whose Ready condition changed in the last 15 minutes (a node that went
// NotReady and came back, possibly flapping), and kubelets outside the supported version
// skew with the API server. One snapshot cannot count transitions: a recent lastTransitionTime
// on a node that is Ready now proves at least one NotReady→Ready change in that window, no
// more; the node's events count them.
import { raise } from '../catalogue/raise.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { judgeSkew, parseMinor, type MinorVersion } from '../judge/version-skew.js';
import { parseJsonBody } from '../probes/json-body.js';
import type { NodeSummary } from '../observe/nodes.js';
import { safeText } from '../util/terminal-text.js';

/** The window of the field's flapping alert (> 2 changes in 15 minutes). */
export const FLAP_WINDOW_MS = 15 * 60_000;
/** A node's first Ready after it registered is no flap. */
const REGISTRATION_GRACE_MS = 5 * 60_000;
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

function minutes(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  return m < 1 ? 'under a minute' : `${m} min`;
}

async function apiServerVersion(ctx: CheckContext): Promise<{ version: MinorVersion; text: string } | null> {
  const answer = ctx.targets.kubeServer ? await ctx.facts.api.version(ctx.targets.kubeServer) : await ctx.facts.api.get('/version');
  if (answer.kind !== 'ok') return null;
  const parsed = parseJsonBody<{ gitVersion?: string }>(answer, 'GET /version');
  const text = parsed.ok ? (parsed.value.gitVersion ?? '') : '';
  const version = parseMinor(text);
  return version ? { version, text } : null;
}

export function judgeNode(n: NodeSummary, now: Date, apiServer: { version: MinorVersion; text: string } | null): Finding[] {
  const findings: Finding[] = [];
  const about = { node: n.name, ...(n.address ? { host: n.address } : {}) };
  const subject = safeText(`node ${n.name}`);
  const base = { node: n.name, ...(n.address ? { host: n.address } : {}) };

  const unreachable = (n.taints ?? []).filter((t) => t.key === UNREACHABLE_TAINT);
  if (unreachable.length > 0) {
    const since = unreachable.map((t) => t.timeAdded).find((t) => t !== undefined);
    const ago = since ? ` since ${since} (${minutes(now.getTime() - Date.parse(since))} ago)` : '';
    const effects = unreachable.map((t) => t.effect).join(' and ');
    findings.push(
      raise({
        code: 'node-unreachable',
        subject,
        message: safeText(
          `carries the ${UNREACHABLE_TAINT} taint (${effects})${ago}: the node controller lost the kubelet; pods without a longer toleration are evicted after 300 s`,
        ),
        data: { ...base, taint: UNREACHABLE_TAINT, effects: unreachable.map((t) => t.effect), since: since ?? null },
        about,
      }),
    );
  }

  const ready = n.conditions.find((c) => c.type === 'Ready');
  const changed = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  const created = n.createdAt ? Date.parse(n.createdAt) : NaN;
  if (ready?.status === 'True' && Number.isFinite(changed) && now.getTime() - changed <= FLAP_WINDOW_MS) {
    // A Ready that follows the node's registration is its first, not a recovery.
    if (!Number.isFinite(created) || changed - created > REGISTRATION_GRACE_MS) {
      findings.push(
        raise({
          code: 'node-ready-flapping',
          subject,
          message: `turned Ready ${minutes(now.getTime() - changed)} ago after being NotReady or Unknown (within the last 15 min); one snapshot shows only the last change, its events show how many`,
          data: { ...base, readySince: ready.lastTransitionTime, windowMinutes: FLAP_WINDOW_MS / 60_000 },
          about,
        }),
      );
    }
  }

  const kubelet = parseMinor(n.kubeletVersion);
  if (apiServer && kubelet) {
    const skew = judgeSkew(kubelet, apiServer.version);
    if (!skew.ok) {
      findings.push(
        raise({
          code: 'kubelet-version-skew',
          subject,
          message: safeText(`kubelet ${n.kubeletVersion} with API server ${apiServer.text}: ${skew.why}`),
          data: { ...base, kubeletVersion: n.kubeletVersion, apiServerVersion: apiServer.text, lag: Number.isFinite(skew.lag) ? skew.lag : null },
          about,
        }),
      );
    }
  }
  return findings;
}

export const nodesHealth: Check = {
  id: 'nodes-health',
  component: 'nodes',
  title: 'No node is tainted unreachable, none turned Ready in the last 15 min, kubelet versions within the supported skew',
  needs: ['nodes'],
  codes: ['node-unreachable', 'node-ready-flapping', 'kubelet-version-skew'],
  async run(ctx) {
    const list = await ctx.facts.nodes();
    if (list.kind !== 'ok') return [{ status: 'skip', subject: 'nodes', message: safeText(list.message) }];
    const apiServer = await apiServerVersion(ctx);
    const now = list.serverNow ?? ctx.now;
    const findings = list.nodes.flatMap((n) => judgeNode(n, now, apiServer));
    if (findings.length > 0) return findings;
    const versions = [...new Set(list.nodes.map((n) => n.kubeletVersion).filter((v): v is string => v !== null))].sort();
    const skew = apiServer
      ? `kubelets ${safeText(versions.join(', ')) || 'of unknown version'} within the supported skew of API server ${safeText(apiServer.text)}`
      : 'version skew not judged (API server version unknown)';
    return [
      {
        status: 'ok',
        subject: 'nodes',
        message: `${list.nodes.length} node${list.nodes.length === 1 ? '' : 's'}: none tainted unreachable, none turned Ready in the last 15 min; ${skew}`,
        data: { nodes: list.nodes.length, kubeletVersions: versions, apiServerVersion: apiServer?.text ?? null },
      },
    ];
  },
};
