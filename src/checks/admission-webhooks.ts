// Can writes get past the admission webhooks? A webhook whose failurePolicy is Fail (the API
// server's default) and whose Service has no ready endpoint, or whose Service or namespace is
// gone, makes the API server reject (or hang on, until timeoutSeconds) every write it
// intercepts: "changes are not applied" although etcd and the API server are healthy. With
// failurePolicy Ignore the same dead backend lets writes through unchecked after the timeout:
// a warning, since the webhook's policy or defaults are silently skipped and every matching
// write waits. Webhooks that call a URL instead of a Service are not judged: nothing in the
// cluster says whether the URL answers, and k8sdoc does not call it.
import { raise } from '../catalogue/raise.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import type { WebhookSummary } from '../observe/cluster-objects.js';
import { safeText } from '../util/terminal-text.js';

function intercepts(w: WebhookSummary): string {
  const ops = [...new Set(w.rules.flatMap((r) => r.operations))];
  const resources = [...new Set(w.rules.flatMap((r) => r.resources))];
  if (ops.length === 0 && resources.length === 0) return 'the requests it matches';
  return `${ops.join(',') || '*'} of ${resources.join(',') || '*'}`;
}

async function judge(ctx: CheckContext, w: WebhookSummary): Promise<Finding> {
  const kind = w.kind === 'validating' ? 'ValidatingWebhookConfiguration' : 'MutatingWebhookConfiguration';
  const subject = safeText(`webhook ${w.name} (${kind} ${w.configuration})`);
  const svc = w.service!;
  const where = safeText(`service ${svc.namespace}/${svc.name}`);
  const data = {
    configuration: w.configuration,
    kind: w.kind,
    webhook: w.name,
    failurePolicy: w.failurePolicy,
    service: `${svc.namespace}/${svc.name}`,
    port: svc.port,
    timeoutSeconds: w.timeoutSeconds,
  };
  const backends = await ctx.facts.objects.serviceBackends(svc.namespace, svc.name);
  if (backends.kind === 'forbidden' || backends.kind === 'failed')
    return { status: 'skip', subject, message: `backend not checked: ${safeText(backends.message)}`, data };
  let why: string | null = null;
  if (backends.kind === 'no-namespace')
    why = `its namespace ${safeText(svc.namespace)} is gone (the add-on was uninstalled, its webhook configuration left behind)`;
  else if (backends.kind === 'no-service') why = `${where} does not exist`;
  else if (backends.ready === 0) why = `${where} has no ready endpoint (${backends.source}: ${backends.notReady} not ready)`;
  if (why === null && backends.kind === 'ok') {
    return {
      status: 'ok',
      subject,
      message: `${where}: ${backends.ready} ready endpoint${backends.ready === 1 ? '' : 's'} (failurePolicy ${w.failurePolicy})`,
      data: { ...data, ready: backends.ready },
    };
  }
  const what = safeText(intercepts(w));
  const effect =
    w.failurePolicy === 'Fail'
      ? `every ${what} it intercepts is rejected with 'failed calling webhook' (failurePolicy Fail)`
      : `every ${what} it intercepts waits up to ${w.timeoutSeconds} s, then goes through without it (failurePolicy Ignore)`;
  return raise({
    code: 'webhook-backend-down',
    ...(w.failurePolicy === 'Ignore' ? { grade: 'failure-ignored' } : {}),
    subject,
    message: `${why}: ${effect}`,
    data: { ...data, backend: backends.kind === 'ok' ? 'no-ready-endpoints' : backends.kind },
  });
}

export const admissionWebhooks: Check = {
  id: 'admission-webhooks',
  component: 'apiserver',
  title: 'Admission webhooks have a ready backend (RBAC: list validating/mutatingwebhookconfigurations, get services and namespaces, list endpointslices)',
  needs: ['api'],
  codes: ['webhook-backend-down'],
  async run(ctx) {
    const list = await ctx.facts.objects.webhooks();
    if (list.kind === 'forbidden') return [{ status: 'skip', subject: 'admission webhooks', message: list.message }];
    if (list.kind === 'failed')
      return [{ status: 'skip', subject: 'admission webhooks', message: `cannot list webhook configurations: ${safeText(list.message)}` }];
    if (list.items.length === 0) return [{ status: 'ok', subject: 'admission webhooks', message: 'no admission webhooks are registered' }];
    const byUrl = list.items.filter((w) => w.service === null);
    const judged = await Promise.all(list.items.filter((w) => w.service !== null).map((w) => judge(ctx, w)));
    const notes: Finding[] =
      byUrl.length > 0
        ? [
            {
              status: 'skip',
              subject: 'admission webhooks',
              message: `${byUrl.length} webhook${byUrl.length === 1 ? '' : 's'} call${byUrl.length === 1 ? 's' : ''} a URL, not a Service (${safeText(byUrl.map((w) => w.name).join(', '))}): not judged, k8sdoc does not call it`,
            },
          ]
        : [];
    return [...judged, ...notes];
  },
};
