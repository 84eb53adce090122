// Start-up of the CLI against bare `node -e 0`: the Kubernetes and etcd clients must load
// only when a check needs them, and the plugin machinery only when a plugin is asked for.
// Wall time is what a user waits; on a machine shared with other runs it swings with their
// load, so the CPU time each process spent (user + system, from /usr/bin/time) is shown beside
// it: what start-up itself costs, with less of the neighbours' noise.
import { existsSync } from 'node:fs';
import { median, timeOnce } from './lib.mjs';

const node = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const timeV = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const commands = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'k8sdoc --version', args: ['bin/k8sdoc', '--version'] },
  { name: 'k8sdoc --help', args: ['bin/k8sdoc', '--help'] },
  { name: 'k8sdoc checks', args: ['bin/k8sdoc', 'checks'] },
  { name: 'k8sdoc explain connection refused', args: ['bin/k8sdoc', 'explain', 'connection', 'refused'] },
];

const wall = commands.map(() => []);
const cpu = commands.map(() => []);
// Interleaved run by run, so that load spikes hit every command alike.
for (let i = 0; i < RUNS; i++) {
  commands.forEach((c, j) => {
    const run = timeV ? timeOnce(timeV, ['-f', 'cpu %U %S', node, ...c.args]) : timeOnce(node, c.args);
    if (run.status !== 0) throw new Error(`${c.name} exited ${run.status}: ${run.stderr.slice(-300)}`);
    wall[j].push(run.ms);
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr ?? '');
    if (m) cpu[j].push((Number(m[1]) + Number(m[2])) * 1000);
  });
}

console.log(`\nStart-up (spawned, interleaved, median of ${RUNS})`);
const refWall = median(wall[0]);
const refCpu = cpu[0].length > 0 ? median(cpu[0]) : null;
commands.forEach((c, j) => {
  const w = median(wall[j]);
  const cpuText = refCpu !== null && cpu[j].length > 0 ? `   cpu ${median(cpu[j]).toFixed(0).padStart(5)} ms ${(median(cpu[j]) / refCpu).toFixed(2)}x` : '';
  console.log(
    `  ${c.name.padEnd(34)} wall ${w.toFixed(1).padStart(7)} ms ${(w / refWall).toFixed(2)}x   min ${Math.min(...wall[j])
      .toFixed(1)
      .padStart(7)} ms${cpuText}`,
  );
});
console.log('  (ratios to node -e 0; aim: 1.5x or less)');
