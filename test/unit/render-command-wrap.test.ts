// Commands in the table are pasted as printed: broken only between shell words with a ` \`
// continuation, never cut inside a word or elided, and a trailing comment stays a comment.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wrapCommand } from '../../src/render/layout.js';

/** What the shell runs when the printed lines (prefix removed) are pasted: echo each word. */
function pasted(lines: string[], prefixLength: number): string[] {
  const script = lines.map((l) => l.slice(prefixLength)).join('\n');
  const out = spawnSync('bash', ['-c', `set -- ; words() { printf '%s\\n' "$@"; }; words ${script}`], { encoding: 'utf8' });
  return out.stdout.split('\n').filter(Boolean);
}

const ETCDCTL =
  "etcdctl --endpoints=https://127.33.0.11:2379,https://127.33.0.12:2379,https://127.33.0.13:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert='/home/on call/healthcheck-client.crt' --key=/etc/kubernetes/pki/etcd/healthcheck-client.key member list -w table";

describe('wrapCommand', () => {
  it('breaks a long etcdctl line between words only, and the pasted lines are the same words', () => {
    const lines = wrapCommand(ETCDCTL, 80, '    $ ', '      ');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(0, -1)) expect(l.endsWith(' \\')).toBe(true);
    // The endpoint list is wider than nothing else: it stays whole on its own line.
    expect(lines.some((l) => l.includes('--endpoints=https://127.33.0.11:2379,https://127.33.0.12:2379,https://127.33.0.13:2379'))).toBe(true);
    expect(lines.join('\n')).not.toContain('…');
    expect(pasted(lines, 6)).toEqual(pasted([ETCDCTL], 0));
  });

  it('keeps a quoted word and a command substitution whole', () => {
    const text = 'crictl logs --tail 100 $(crictl ps -a --name kube-apiserver -q | head -n1)';
    const lines = wrapCommand(text, 40, '$ ', '  ');
    expect(lines).toContain('  $(crictl ps -a --name kube-apiserver -q | head -n1)');
  });

  it('keeps a comment after the command when it fits, else on comment lines of its own', () => {
    expect(wrapCommand('kubectl get nodes   # all Ready?', 80, '$ ')).toEqual(['$ kubectl get nodes   # all Ready?']);
    const lines = wrapCommand('kubectl get nodes   # a comment long enough that it cannot stay on the line of the command', 40, '$ ', '  ');
    expect(lines[0]).toBe('$ kubectl get nodes');
    expect(lines.slice(1).every((l) => l.startsWith('  # '))).toBe(true);
    // Pasted, the comment lines run nothing.
    expect(spawnSync('bash', ['-n', '-c', lines.map((l) => l.slice(2)).join('\n')]).status).toBe(0);
  });

  it('leaves a short command as it is', () => {
    expect(wrapCommand('kubectl uncordon worker-2', 80, '$ ')).toEqual(['$ kubectl uncordon worker-2']);
  });
});
