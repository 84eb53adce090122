// nodes-pressure judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { nodesPressure } from '../../../src/checks/nodes-pressure.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { nodeObject, fakeApi } from '../../helpers/fake-nodes.js';

describe('nodes-pressure', () => {
  it('memory, disk and PID pressure are warnings, NetworkUnavailable critical, all named', async () => {
    const kube = fakeApi([
      nodeObject('w1', { true: ['MemoryPressure'] }),
      nodeObject('w2', { true: ['DiskPressure', 'NetworkUnavailable'] }),
      nodeObject('w3'),
    ]);
    const findings = await nodesPressure.run(fakeContext({ probes: { kube } }));
    expect(findings.map((f) => [f.subject, f.status, f.code])).toEqual([
      ['node w1', 'warn', 'node-memory-pressure'],
      // One finding per node, under its gravest condition's code: the severity is that code's.
      ['node w2', 'crit', 'node-network-unavailable'],
      ['node w3', 'ok', undefined],
    ]);
    expect(findings[1]!.message).toMatch(/^DiskPressure .*; NetworkUnavailable \(the pod network \(CNI\) is not configured/);
    expect(findings[0]!.data).toMatchObject({ node: 'w1', conditions: ['MemoryPressure'] });
  });

  it('vendor conditions are reported only when --node-conditions names them', async () => {
    const nodes = [nodeObject('w1', { true: ['KernelDeadlock', 'FrequentKubeletRestart'] })];
    const unasked = await nodesPressure.run(fakeContext({ probes: { kube: fakeApi(nodes) } }));
    expect(unasked[0]).toMatchObject({ status: 'ok' });
    const asked = await nodesPressure.run(
      fakeContext({ probes: { kube: fakeApi(nodes) }, options: { nodeConditions: ['KernelDeadlock', 'ReadonlyFilesystem'] } }),
    );
    expect(asked[0]).toMatchObject({
      status: 'warn',
      code: 'node-condition',
      data: { conditions: ['KernelDeadlock'], conditionsNotReported: ['ReadonlyFilesystem'] },
    });
    expect(asked[0]!.message).toBe('KernelDeadlock [KernelDeadlockDetected: KernelDeadlock seen]');
  });

  it('a node whose kubelet stopped posting has unknown conditions: skip, never healthy', async () => {
    const [f] = await nodesPressure.run(fakeContext({ probes: { kube: fakeApi([nodeObject('w2', { ready: 'Unknown', reason: 'NodeStatusUnknown' })]) } }));
    expect(f).toMatchObject({ status: 'skip', subject: 'node w2' });
  });
});
