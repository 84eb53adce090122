// A whole `check` against a cluster where every port refuses (nothing listens on the
// addresses): aim under 300 ms wall.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, printTable } from './lib.mjs';

// Block 150 is the benchmarks' own (see test/helpers/blocks.ts); nothing listens there.
const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-'));
const kubeconfig = join(dir, 'config');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
current-context: down
clusters:
- name: down
  cluster: {server: "https://127.150.0.10:6443"}
contexts:
- name: down
  context: {cluster: down, user: u}
users:
- name: u
  user: {token: bench}
`,
);
const hosts = '127.150.0.11,127.150.0.12,127.150.0.13';
const node = process.execPath;
const rows = compare(
  [
    { name: 'node -e 0', cmd: node, args: ['-e', '0'] },
    {
      name: 'k8sdoc check (all refused)',
      cmd: node,
      args: [
        'bin/k8sdoc',
        'check',
        '--kubeconfig',
        kubeconfig,
        '--apiserver',
        hosts
          .split(',')
          .map((h) => `https://${h}:6443`)
          .join(','),
        '--etcd',
        hosts
          .split(',')
          .map((h) => `https://${h}:2379`)
          .join(','),
        '--hosts',
        hosts,
        '-o',
        'json',
      ],
      options: { env: { ...process.env, HOME: dir } },
    },
  ],
  Number(process.env.BENCH_RUNS ?? 11),
);
printTable('check against an unreachable cluster (3 control-plane hosts, every port refused)', rows, 'node -e 0');
