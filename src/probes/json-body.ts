// Pure: checks import this without loading node:https, so `k8sdoc checks` stays fast.
import type { KubeOutcome } from './types.js';

/** Parses a JSON body, turning garbage into a bad-response failure instead of a throw. */
export function parseJsonBody<T>(outcome: Extract<KubeOutcome, { kind: 'ok' }>, what: string): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(outcome.body) as T };
  } catch {
    const sample = outcome.body.slice(0, 40).replace(/\s+/g, ' ');
    const excerpt = `'${sample}${outcome.body.length > 40 ? '…' : ''}'`;
    if (startsLikeJson(outcome.body) && endsEarly(outcome.body)) {
      return {
        ok: false,
        message: `${what}: answered with JSON that stops after ${Buffer.byteLength(outcome.body)} bytes, cut short by the server or a proxy (${excerpt})`,
      };
    }
    return { ok: false, message: `${what}: answered with something that is not JSON (${excerpt})` };
  }
}

function startsLikeJson(body: string): boolean {
  return /^\s*[[{]/.test(body);
}

/** True when the text is a valid JSON prefix that merely ends too soon. */
function endsEarly(body: string): boolean {
  try {
    JSON.parse(body);
    return false;
  } catch (err) {
    const message = (err as Error).message;
    if (/end of JSON input|Unterminated string/i.test(message)) return true;
    // V8 names the position where parsing stopped; at the very end means nothing was wrong yet.
    const at = /at position (\d+)/.exec(message);
    return at !== null && Number(at[1]) >= body.trimEnd().length;
  }
}
