// One simulated cluster per test, always stopped after it (also when the test fails).
import { afterEach } from 'vitest';
import { startCluster, type SimCluster, type StartClusterOptions } from '../../src/sim/cluster.js';

export function clusterPerTest(options: StartClusterOptions): (scenario: Parameters<typeof startCluster>[0]) => Promise<SimCluster> {
  let cluster: SimCluster | null = null;
  afterEach(async () => {
    await cluster?.stop();
    cluster = null;
  });
  return async (scenario) => {
    cluster = await startCluster(scenario, options);
    return cluster;
  };
}
