// Root-cause ranking over 9,000 findings (3,000 dead kubelets, each with its NotReady node and
// its refused port): triage finds candidates through an index by place, not by comparing
// every pair. Timed in-process against a reference over the same results in the same run
// (sorting them by subject), since these machines are shared and noisy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSource, median } from './lib.mjs';

const work = mkdtempSync(join(tmpdir(), 'k8sdoc-bench-triage-'));
try {
  const { triage } = await loadSource({ 'engine/triage.js': ['triage'] }, work);
  const result = (check, component, subject, code, place) => ({
    check,
    component,
    subject,
    status: 'crit',
    code,
    message: '',
    durationMs: 1,
    data: { ...place },
    about: { ...place },
  });
  const results = [];
  for (let i = 0; i < 3000; i++) {
    const host = `10.1.${Math.floor(i / 250)}.${i % 250}`;
    results.push(result('nodes-ready', 'nodes', `node w${i}`, 'node-not-ready', { node: `w${i}`, host }));
    results.push(result('kubelet', 'kubelet', `kubelet w${i}`, 'kubelet-unreachable', { node: `w${i}`, host, port: 10250 }));
    results.push(result('ports', 'ports', `${host}:10250`, 'port-refused', { node: `w${i}`, host, port: 10250 }));
  }
  const runs = Number(process.env.BENCH_RUNS ?? 11);
  const triageMs = [];
  const sortMs = [];
  let causes = 0;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    causes = triage(results).length;
    triageMs.push(performance.now() - t);
    t = performance.now();
    [...results].sort((a, b) => a.subject.localeCompare(b.subject));
    sortMs.push(performance.now() - t);
  }
  const tri = median(triageMs);
  const ref = median(sortMs);
  console.log('\nTriage of 9,000 findings (in-process, interleaved)');
  console.log(`  triage (${causes} root causes)          median ${tri.toFixed(1).padStart(7)} ms  ${(tri / ref).toFixed(2)}x sort`);
  console.log(`  sort by subject (reference)        median ${ref.toFixed(1).padStart(7)} ms`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
