// Are the aggregated APIs available? An APIService with Available=False (metrics-server down
// is the usual one) breaks `kubectl top` and autoscaling, makes discovery fail for its group,
// and keeps namespaces in Terminating, because the namespace controller cannot list that
// group's resources to delete them. The message quotes the reason the API server gives.
import { raise } from '../catalogue/raise.js';
import type { Check, Finding } from '../engine/types.js';
import type { ApiServiceSummary } from '../observe/cluster-objects.js';
import { safeText } from '../util/terminal-text.js';

function effects(a: ApiServiceSummary): string {
  if (a.name.endsWith('.metrics.k8s.io')) return "'kubectl top' and HorizontalPodAutoscalers fail; namespace deletion hangs in Terminating";
  return 'clients get discovery errors for its group; namespace deletion hangs in Terminating';
}

export const aggregatedApis: Check = {
  id: 'aggregated-apis',
  component: 'apiserver',
  title: 'Aggregated APIs (APIService objects) are Available (RBAC: list apiservices)',
  needs: ['api'],
  codes: ['apiservice-unavailable'],
  async run(ctx) {
    const list = await ctx.facts.objects.apiServices();
    if (list.kind === 'forbidden') return [{ status: 'skip', subject: 'aggregated APIs', message: list.message }];
    if (list.kind === 'failed') return [{ status: 'skip', subject: 'aggregated APIs', message: `cannot list APIServices: ${safeText(list.message)}` }];
    const remote = list.items.filter((a) => a.service !== null);
    const down = remote.filter((a) => a.available !== 'True');
    const findings: Finding[] = down.map((a) => {
      const service = `${a.service!.namespace}/${a.service!.name}`;
      const condition = a.available === null ? 'has no Available condition yet' : `is Available=${a.available}${a.reason ? ` (${a.reason})` : ''}`;
      const said = a.message ? `: "${a.message}"` : '';
      return raise({
        code: 'apiservice-unavailable',
        subject: safeText(`apiservice ${a.name}`),
        message: safeText(`${condition}${said}; served by service ${service}: ${effects(a)}`),
        data: { apiService: a.name, service, available: a.available, reason: a.reason, message: a.message, since: a.lastTransitionTime },
      });
    });
    if (findings.length > 0) return findings;
    return [
      {
        status: 'ok',
        subject: 'aggregated APIs',
        message:
          remote.length === 0
            ? `no aggregated APIs: all ${list.items.length} APIServices are served by the API server itself`
            : `${remote.length} aggregated API${remote.length === 1 ? '' : 's'} available (${safeText(remote.map((a) => a.name).join(', '))})`,
        data: { apiServices: list.items.length, aggregated: remote.map((a) => a.name) },
      },
    ];
  },
};
