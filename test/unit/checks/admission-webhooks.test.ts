// admission-webhooks from a fake API: a webhook with a ready backend, one whose backend is
// down with failurePolicy Fail (writes rejected) or Ignore (writes unchecked), one whose
// namespace is gone, and one that calls a URL (not judged).
import { describe, expect, it } from 'vitest';
import { admissionWebhooks } from '../../../src/checks/admission-webhooks.js';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { fakeApi, list } from '../../helpers/fake-objects-api.js';

const ADMISSION = '/apis/admissionregistration.k8s.io/v1';

function configuration(name: string, webhook: Record<string, unknown>) {
  return {
    metadata: { name },
    webhooks: [
      {
        name: `validate.${name}.example.com`,
        rules: [{ operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
        timeoutSeconds: 10,
        ...webhook,
      },
    ],
  };
}

const service = (ns: string, name: string) => ({ clientConfig: { service: { namespace: ns, name, port: 443 } } });

function slices(ns: string, svc: string, ready: boolean[]) {
  return {
    [`/api/v1/namespaces/${ns}/services/${svc}`]: { metadata: { name: svc, namespace: ns } },
    [`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io/service-name=${svc}`]: list([
      { endpoints: ready.map((r, i) => ({ addresses: [`10.244.1.${i + 2}`], conditions: { ready: r } })) },
    ]),
  };
}

function run(validating: unknown[], extra: Record<string, unknown> = {}, mutating: unknown[] = []) {
  const kube = fakeApi({
    [`${ADMISSION}/validatingwebhookconfigurations`]: list(validating),
    [`${ADMISSION}/mutatingwebhookconfigurations`]: list(mutating),
    ...extra,
  });
  return admissionWebhooks.run(fakeContext({ probes: { kube } }));
}

describe('admission-webhooks', () => {
  it('is ok for a webhook whose Service has ready endpoints, and for a cluster without webhooks', async () => {
    const ok = await run([configuration('policy', service('policy-system', 'policy'))], slices('policy-system', 'policy', [true, false]));
    expect(ok).toEqual([expect.objectContaining({ status: 'ok', message: 'service policy-system/policy: 1 ready endpoint (failurePolicy Fail)' })]);
    expect(await run([])).toEqual([expect.objectContaining({ status: 'ok', message: 'no admission webhooks are registered' })]);
  });

  it('a Fail webhook without a ready endpoint is critical: every write it intercepts is rejected', async () => {
    const [f] = await run([configuration('policy', service('policy-system', 'policy'))], slices('policy-system', 'policy', [false, false]));
    expect(f).toMatchObject({
      status: 'crit',
      code: 'webhook-backend-down',
      subject: 'webhook validate.policy.example.com (ValidatingWebhookConfiguration policy)',
      message:
        "service policy-system/policy has no ready endpoint (EndpointSlices: 2 not ready): every CREATE,UPDATE of pods it intercepts is rejected with 'failed calling webhook' (failurePolicy Fail)",
    });
    expect(ENTRIES['webhook-backend-down'].fix[0]).toMatch(/^kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations/);
  });

  it('an Ignore webhook without a backend is a warning: writes wait, then go through unchecked', async () => {
    const [f] = await run([], {}, [configuration('defaults', { failurePolicy: 'Ignore', ...service('defaults-system', 'defaults') })]);
    expect(f).toMatchObject({
      status: 'warn',
      code: 'webhook-backend-down',
      subject: 'webhook validate.defaults.example.com (MutatingWebhookConfiguration defaults)',
    });
    // Neither the Service nor its namespace exist (the fake answers 404 for both).
    expect(f!.message).toBe(
      'its namespace defaults-system is gone (the add-on was uninstalled, its webhook configuration left behind): every CREATE,UPDATE of pods it intercepts waits up to 10 s, then goes through without it (failurePolicy Ignore)',
    );
  });

  it('tells a deleted Service from a deleted namespace', async () => {
    const [f] = await run([configuration('policy', service('policy-system', 'policy'))], {
      '/api/v1/namespaces/policy-system': { metadata: { name: 'policy-system' } },
    });
    expect(f).toMatchObject({ status: 'crit', code: 'webhook-backend-down' });
    expect(f!.message).toMatch(/^service policy-system\/policy does not exist: /);
  });

  it('falls back to the Endpoints object when EndpointSlices cannot be read', async () => {
    const kube = fakeApi(
      {
        [`${ADMISSION}/validatingwebhookconfigurations`]: list([configuration('policy', service('p', 'policy'))]),
        [`${ADMISSION}/mutatingwebhookconfigurations`]: list([]),
        '/api/v1/namespaces/p/services/policy': {},
        '/api/v1/namespaces/p/endpoints/policy': { subsets: [{ addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.1.3' }] }] },
      },
      { forbidden: ['/apis/discovery.k8s.io'] },
    );
    const [f] = await admissionWebhooks.run(fakeContext({ probes: { kube } }));
    expect(f).toMatchObject({ status: 'ok', message: 'service p/policy: 2 ready endpoints (failurePolicy Fail)' });
  });

  it('does not judge a webhook that calls a URL, and says so', async () => {
    const findings = await run([configuration('external', { clientConfig: { url: 'https://hooks.example.com/validate' } })]);
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'skip',
        message: '1 webhook calls a URL, not a Service (validate.external.example.com): not judged, k8sdoc does not call it',
      }),
    ]);
  });

  it('says which permission is missing instead of guessing', async () => {
    const kube = fakeApi({}, { forbidden: [ADMISSION] });
    const findings = await admissionWebhooks.run(fakeContext({ probes: { kube } }));
    expect(findings).toEqual([
      expect.objectContaining({ status: 'skip', message: 'needs list validatingwebhookconfigurations (admissionregistration.k8s.io)' }),
    ]);
  });

  it('prints hostile names from the cluster safely', async () => {
    const [f] = await run([configuration('evil\u001b[2Jname', service('ns', 'svc\u001b]0;x\u0007'))]);
    expect(f!.subject).not.toContain('\u001b');
    expect(f!.message).not.toContain('\u001b');
    expect(f!.message).not.toContain('\u0007');
  });
});
