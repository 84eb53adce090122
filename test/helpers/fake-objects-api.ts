// A fake API server for unit tests of checks that read cluster objects (webhooks, add-ons, CSRs): each path
// the paging parameters the list helper adds) answers the JSON given; anything else is a 404,
// as the API server answers an object that does not exist.
import type { KubeOutcome, KubeProbe } from '../../src/probes/types.js';

export interface FakeApi extends KubeProbe {
  asked: string[];
}

/** `/apis/x/v1/things?limit=500` → `/apis/x/v1/things`; a label selector stays (decoded). */
export function pathKey(path: string): string {
  const [base, query = ''] = path.split('?') as [string, string?];
  const selector = new URLSearchParams(query).get('labelSelector');
  return selector ? `${base}?labelSelector=${selector}` : base;
}

export function fakeApi(answers: Record<string, unknown>, o: { forbidden?: string[] } = {}): FakeApi {
  const asked: string[] = [];
  return {
    server: 'https://10.0.0.10:6443',
    asked,
    async get(path): Promise<KubeOutcome> {
      const key = pathKey(path);
      asked.push(key);
      if (o.forbidden?.some((f) => key.startsWith(f))) return { kind: 'forbidden', status: 403, message: 'HTTP 403 Forbidden', ms: 1 };
      if (!(key in answers)) return { kind: 'http', status: 404, message: `HTTP 404 for ${key}`, body: '{"kind":"Status","code":404}', ms: 1 };
      return {
        kind: 'ok',
        status: 200,
        headers: { date: new Date('2026-11-25T10:00:00Z').toUTCString() },
        body: JSON.stringify(answers[key]),
        ms: 1,
        truncated: false,
      };
    },
  };
}

export const list = (items: unknown[]) => ({ metadata: {}, items });
