// What `k8sdoc demo` gets from the simulator: the menu, and a started cluster with the
// flags that point `check` at it.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listScenarios, startDemo } from '../../src/sim/demo.js';
import { SCENARIO_NAMES } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';

describe('demo', () => {
  it('lists every scenario with a description', () => {
    const list = listScenarios();
    expect(list.map((s) => s.name)).toEqual([...SCENARIO_NAMES]);
    for (const s of list) expect(s.description.length).toBeGreaterThan(20);
  });

  it('refuses an unknown scenario and names the valid ones', async () => {
    await expect(startDemo('helthy', { block: BLOCKS.simDemo })).rejects.toThrow(/unknown scenario 'helthy': choose one of healthy, apiserver-down/);
  });

  it('without etcd says the etcd part is skipped, how to install it, and skips the etcd checks', async () => {
    const demo = await startDemo('single-control-plane', { block: BLOCKS.simDemo, etcd: false, keep: true });
    try {
      expect(demo.notes).toContain('etcd not installed: the etcd part is skipped; install it with `apt-get install etcd-server` to see real etcd members');
      expect(demo.notes).toContain(`kubeconfig: ${demo.cluster.kubeconfigPath}`);
      expect(demo.checkArgv.slice(-2)).toEqual(['--skip', 'etcd']);
      expect(demo.checkArgv).not.toContain('--etcd');
      const kubeconfig = parse(readFileSync(demo.cluster.kubeconfigPath, 'utf8'));
      expect(kubeconfig.clusters[0].cluster.server).toBe(demo.cluster.server);
      const flag = (name: string) => demo.checkArgv[demo.checkArgv.indexOf(name) + 1];
      expect(flag('--kubeconfig')).toBe(demo.cluster.kubeconfigPath);
      expect(flag('--pki-dir')).toBe(demo.cluster.pkiDir);
      expect(flag('--apiserver')).toBe(`https://127.${BLOCKS.simDemo}.0.11:6443`);
    } finally {
      await demo.cluster.stop();
    }
    expect(existsSync(demo.cluster.workDir)).toBe(false);
  });
});
