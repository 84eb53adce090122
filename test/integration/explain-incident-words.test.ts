// `k8sdoc explain` with the words a person types during an incident, spawned as a user runs
// it: the best entry comes first with its symptom, cause and fix, and says which checks
// detect it (the registry's own list, so a renamed or unregistered check fails here).
import { isCommand } from '../../src/catalogue/fix-step.js';
import { describeVocabularyStep, isVocabularyStep } from '../../src/catalogue/fill.js';
import { describe, expect, it } from 'vitest';
import type { Code } from '../../src/catalogue/codes.js';
import { entryFor } from '../../src/catalogue/index.js';
import { CHECKS } from '../../src/registry/index.js';
import { runCli } from '../helpers/cli.js';

/** Words as typed or pasted, the entry that must come first, and others that must be offered. */
const INCIDENT_WORDS: [string, Code, Code[]][] = [
  ['connection refused', 'apiserver-refused', ['port-refused', 'kubelet-unreachable']],
  ['The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?', 'apiserver-refused', []],
  ['NotReady', 'node-not-ready', ['kubelet-unreachable', 'node-lease-stale']],
  ['changes not applied', 'etcd-quorum-lost', ['etcd-alarm-nospace', 'webhook-backend-down']],
  ['my changes are not applied', 'etcd-quorum-lost', ['etcd-alarm-nospace', 'webhook-backend-down']],
  ['read-only', 'etcd-quorum-lost', ['etcd-alarm-nospace']],
  ['certificate has expired', 'cert-expired', ['apiserver-tls-error']],
  ['x509', 'apiserver-tls-error', ['cert-expired', 'cert-untrusted']],
  ['database space exceeded', 'etcd-alarm-nospace', ['etcd-db-near-quota']],
  ['etcdserver: mvcc: database space exceeded', 'etcd-alarm-nospace', []],
  ['failed calling webhook', 'webhook-backend-down', []],
  [
    'Internal error occurred: failed calling webhook "validate.policy.example.com": failed to call webhook: Post "https://policy.policy-system.svc:443/validate?timeout=10s": dial tcp 10.96.1.12:443: connect: connection refused',
    'webhook-backend-down',
    [],
  ],
  ['error: Metrics API not available', 'apiservice-unavailable', []],
  ['slow fdatasync', 'etcd-wal-fsync-slow', []],
];

function detectedBy(code: Code): string {
  return CHECKS.filter((c) => c.codes.includes(code))
    .map((c) => c.id)
    .join(', ');
}

/** The printed entries: each starts with "<code> — <title>". */
function entries(stdout: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const block of stdout.split(/\n(?=[a-z0-9-]+ — )/)) {
    const code = /^([a-z0-9-]+) — /m.exec(block)?.[1];
    if (code) found.set(code, block);
  }
  return found;
}

describe('k8sdoc explain with incident words', () => {
  it.each(INCIDENT_WORDS)('"%s" shows %s first, with its fix and the checks that detect it', async (words, first, alsoOffered) => {
    const run = await runCli(['explain', ...words.split(' ')]);
    expect(run.code, run.stderr).toBe(0);
    const shown = entries(run.stdout);
    expect([...shown.keys()][0]).toBe(first);
    for (const code of alsoOffered) expect([...shown.keys()]).toContain(code);
    for (const [code, block] of shown) {
      const entry = entryFor(code as Code);
      expect(block).toContain(`  Symptom: ${entry.symptom}`);
      const first = entry.fix[0]!;
      // A distribution template is said in words, with kubeadm's commands as the example.
      expect(block).toContain(isVocabularyStep(first) ? `    - ${describeVocabularyStep(first)}` : `    ${isCommand(first) ? '$' : '-'} ${first}`);
      expect(block).toContain(`  Detected by: ${detectedBy(code as Code)}`);
      expect(detectedBy(code as Code), `${code} is detected by some check`).not.toBe('');
    }
  });

  it('answers the same as JSON, for scripts and chat bots', async () => {
    const run = await runCli(['explain', 'connection', 'refused', '-o', 'json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as { code: Code; detectedBy: string[]; fix: string[] }[];
    expect(list[0]).toMatchObject({ code: 'apiserver-refused', detectedBy: ['apiserver-reachable', 'apiserver-health'] });
    // The template as written: a report fills `@status`/`@logs` with the distribution's commands.
    expect(list[0]!.fix.slice(0, 2)).toEqual(['@status kube-apiserver', '@logs kube-apiserver']);
  });
});
