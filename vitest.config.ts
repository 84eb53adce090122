import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real etcd members and servers on loopback; two cores
    // cannot run many of them at once without turning timeouts into flakes.
    maxWorkers: 2,
    projects: [
      {
        // Pure units: in-process, no build, no servers (`npm run test:unit`, seconds).
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        // The CLI spawned on the built package, real etcd, the simulator, real kubectl.
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
