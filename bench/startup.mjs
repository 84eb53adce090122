// Start-up of the CLI against bare `node -e 0`: the Kubernetes and etcd clients must load
// only when a check needs them.
import { compare, printTable } from './lib.mjs';

const node = process.execPath;
const rows = compare(
  [
    { name: 'node -e 0', cmd: node, args: ['-e', '0'] },
    { name: 'k8sdoc --version', cmd: node, args: ['bin/k8sdoc', '--version'] },
    { name: 'k8sdoc --help', cmd: node, args: ['bin/k8sdoc', '--help'] },
    { name: 'k8sdoc checks', cmd: node, args: ['bin/k8sdoc', 'checks'] },
    { name: 'k8sdoc explain connection refused', cmd: node, args: ['bin/k8sdoc', 'explain', 'connection', 'refused'] },
  ],
  Number(process.env.BENCH_RUNS ?? 21),
);
printTable('Start-up (spawned, interleaved)', rows, 'node -e 0');
