// aggregated-apis from a fake API: local APIServices only, an available metrics-server, and a
// metrics-server the API server reports Available=False, quoting its words (made safe).
import { describe, expect, it } from 'vitest';
import { aggregatedApis } from '../../../src/checks/aggregated-apis.js';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { fakeApi, list } from '../../helpers/fake-objects-api.js';

const PATH = '/apis/apiregistration.k8s.io/v1/apiservices';
const local = (name: string) => ({
  metadata: { name },
  spec: { service: null },
  status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] },
});
const metrics = (status: string, reason: string, message: string) => ({
  metadata: { name: 'v1beta1.metrics.k8s.io' },
  spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
  status: { conditions: [{ type: 'Available', status, reason, message, lastTransitionTime: '2026-11-25T09:48:00Z' }] },
});

const run = (items: unknown[]) => aggregatedApis.run(fakeContext({ probes: { kube: fakeApi({ [PATH]: list(items) }) } }));

describe('aggregated-apis', () => {
  it('is ok when every APIService is local (a kubeadm cluster without add-ons)', async () => {
    expect(await run([local('v1.'), local('v1.apps')])).toEqual([
      expect.objectContaining({ status: 'ok', message: 'no aggregated APIs: all 2 APIServices are served by the API server itself' }),
    ]);
  });

  it('is ok with an available metrics-server', async () => {
    const [f] = await run([local('v1.'), metrics('True', 'Passed', 'all checks passed')]);
    expect(f).toMatchObject({ status: 'ok', message: '1 aggregated API available (v1beta1.metrics.k8s.io)' });
  });

  it("warns about an unavailable metrics-server with the API server's own message and what breaks", async () => {
    const [f] = await run([
      local('v1.'),
      metrics(
        'False',
        'FailedDiscoveryCheck',
        'failing or missing response from https://10.244.1.5:10250/apis/metrics.k8s.io/v1beta1: connect: connection refused',
      ),
    ]);
    expect(f).toMatchObject({ status: 'warn', code: 'apiservice-unavailable', subject: 'apiservice v1beta1.metrics.k8s.io' });
    expect(f!.message).toBe(
      'is Available=False (FailedDiscoveryCheck): "failing or missing response from https://10.244.1.5:10250/apis/metrics.k8s.io/v1beta1: connect: connection refused"; served by service kube-system/metrics-server: \'kubectl top\' and HorizontalPodAutoscalers fail; namespace deletion hangs in Terminating',
    );
    expect(ENTRIES['apiservice-unavailable'].fix[0]).toMatch(/^kubectl get apiservices/);
  });

  it('neutralises terminal escapes in the condition message', async () => {
    const [f] = await run([metrics('False', 'Evil', 'boom\u001b[2J\u001b]8;;https://x\u0007')]);
    expect(f!.message).not.toContain('\u001b');
    expect(f!.message).not.toContain('\u0007');
  });
});
