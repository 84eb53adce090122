// Fix steps filled from what the finding is about: the node, host, port and member the run
// saw; a value it cannot know stays a visible placeholder and marks the step unfilled.
import { describe, expect, it } from 'vitest';
import { fillSteps } from '../../src/catalogue/fill.js';
import { entryFor } from '../../src/catalogue/index.js';

describe('fix steps filled from the run', () => {
  it('names the NotReady node in kubectl describe node', () => {
    const steps = fillSteps(entryFor('node-not-ready').fix, 'nodes', { node: 'worker-2', host: '10.0.0.22' });
    expect(steps.find((s) => s.text.startsWith('kubectl describe node'))).toEqual({
      kind: 'command',
      text: 'kubectl describe node worker-2   # conditions and events',
      filled: true,
    });
  });

  it('puts the timed-out host into nc, and finds the container id in the command itself', () => {
    expect(fillSteps(entryFor('port-timeout').fix, 'ports', { host: '10.0.0.13', port: 2379 })[0]).toEqual({
      kind: 'command',
      text: 'nc -vz -w 3 10.0.0.13 2379',
      filled: true,
    });
    const refused = fillSteps(entryFor('apiserver-refused').fix, 'apiserver', { endpoint: 'https://10.0.0.11:6443', host: '10.0.0.11', port: 6443 });
    // No `<container-id>` to look up by hand: the line asks crictl for the newest container.
    expect(refused.find((s) => s.text.startsWith('crictl logs'))).toEqual({
      kind: 'command',
      text: 'crictl logs --tail 100 $(crictl ps -a --name kube-apiserver -q | head -n1)',
      filled: true,
    });
  });

  it('quotes a hostile node name so that pasting it runs nothing else', () => {
    const steps = fillSteps(entryFor('node-cordoned').fix, 'nodes', { node: 'w1; rm -rf /' });
    expect(steps[0]!.text).toBe("kubectl uncordon 'w1; rm -rf /'   # when maintenance is over");
  });

  it('never fills a client name with a node name', () => {
    const steps = fillSteps(entryFor('apiserver-unauthorized').fix, 'apiserver', { node: 'cp-1', host: '10.0.0.11', port: 6443 });
    expect(steps.some((s) => s.text.includes('--client-name=cp-1'))).toBe(false);
  });

  it('names the crash-looping pod in its logs step', () => {
    const steps = fillSteps(entryFor('control-plane-pod-crashloop').fix, 'control-plane', {
      program: 'etcd',
      node: 'cp-3',
      host: '10.0.0.13',
      pod: { namespace: 'kube-system', name: 'etcd-cp-3' },
    });
    expect(steps[0]).toEqual({ kind: 'command', text: 'kubectl -n kube-system logs etcd-cp-3 --previous   # the last run, as it ended', filled: true });
  });
});
