// What `k8sdoc demo` gets from the simulator: the menu, and a started cluster with the
// flags that point `check` at it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listScenarios, startDemo } from '../../src/sim/demo.js';
import { ALL_SCENARIO_NAMES } from '../../src/sim/scenarios/index.js';
import { BLOCKS } from '../helpers/blocks.js';

describe('demo', () => {
  it('lists every scenario with a description', () => {
    const list = listScenarios();
    expect(list.map((s) => s.name)).toEqual([...ALL_SCENARIO_NAMES]);
    for (const s of list) expect(s.description.length).toBeGreaterThan(20);
  });

  it('refuses an unknown scenario and names the valid ones', async () => {
    await expect(startDemo('helthy', { block: BLOCKS.simDemo })).rejects.toThrow(/unknown scenario 'helthy': choose one of healthy, apiserver-down/);
  });

  it('with the etcd stand-in: says so in the header and the notes, and points check at its members', async () => {
    const registryDir = mkdtempSync(join(tmpdir(), 'k8sdoc-demo-registry-'));
    const demo = await startDemo('single-control-plane', { block: BLOCKS.simDemo, etcd: 'standin', keep: true, registryDir });
    try {
      expect(demo.header).toBe(`k8sdoc demo · single-control-plane · 3 hosts on 127.${BLOCKS.simDemo}.0.0/16 · etcd: 1 stand-in member (as asked)`);
      expect(demo.notes.some((n) => n.startsWith('etcd members are an in-process stand-in'))).toBe(true);
      expect(demo.notes).toContain(`kubeconfig: ${demo.cluster.kubeconfigPath}`);
      expect(demo.cluster.etcd?.implementation).toBe('standin');
      const kubeconfig = parse(readFileSync(demo.cluster.kubeconfigPath, 'utf8'));
      expect(kubeconfig.clusters[0].cluster.server).toBe(demo.cluster.server);
      const flag = (name: string) => demo.checkArgv[demo.checkArgv.indexOf(name) + 1];
      expect(flag('--kubeconfig')).toBe(demo.cluster.kubeconfigPath);
      expect(flag('--pki-dir')).toBe(demo.cluster.pkiDir);
      expect(flag('--apiserver')).toBe(`https://127.${BLOCKS.simDemo}.0.11:6443`);
      expect(flag('--etcd')).toBe(`https://127.${BLOCKS.simDemo}.0.11:2379`);
      expect(demo.checkArgv).not.toContain('--skip');

      // A second demo on the same addresses names the first instead of failing on a busy port.
      const second = startDemo('healthy', { block: BLOCKS.simDemo, etcd: 'standin', registryDir });
      await expect(second).rejects.toThrow(
        `a demo cluster started with --keep is still running (pid ${process.pid}, scenario single-control-plane): stop it with Ctrl-C where it runs or kill ${process.pid}, or use it with k8sdoc check --kubeconfig ${demo.cluster.kubeconfigPath}`,
      );
    } finally {
      await demo.stop();
    }
    expect(existsSync(demo.cluster.workDir)).toBe(false);
    expect(readdirSync(registryDir)).toEqual([]);
    rmSync(registryDir, { recursive: true, force: true });
  });
});
