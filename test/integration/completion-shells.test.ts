// Completion scripts loaded by the real shells: bash parses and registers them and its
// completion function offers commands, flags, flag values, check ids, components,
// catalogue codes and the kubeconfig's context names (asked from k8sdoc at completion
// time); zsh and fish parse theirs, fish completes, zsh registers with compinit.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/registry/index.js';
import { BIN, emptyHome, runCli } from '../helpers/cli.js';

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-completion-'));
const bin = join(dir, 'bin');
const KUBECONFIG = join(dir, 'two-contexts.conf');

/** Runs `script` in `shell` with k8sdoc on PATH (as an installed package puts it). */
function inShell(shell: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(shell, args, {
    encoding: 'utf8',
    env: { PATH: [bin, dirname(process.execPath), process.env.PATH].join(delimiter), HOME: emptyHome(), ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scripts: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(bin);
  symlinkSync(BIN, join(bin, 'k8sdoc'));
  const context = (name: string) => `- name: ${name}\n  context: {cluster: c, user: u}\n`;
  writeFileSync(
    KUBECONFIG,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:6443'}\nusers:\n- name: u\n  user: {}\ncontexts:\n${context('prod-eu')}${context('staging')}current-context: staging\n`,
  );
  for (const shell of ['bash', 'zsh', 'fish']) {
    const run = await runCli(['completion', shell]);
    expect(run.code).toBe(0);
    scripts[shell] = join(dir, `k8sdoc.${shell}`);
    writeFileSync(scripts[shell]!, run.stdout);
  }
});

describe('bash', () => {
  /** Calls the completion function as bash would for the command line `words` (the last one being completed). */
  function complete(words: string[], env: NodeJS.ProcessEnv = {}): string[] {
    const driver = `source ${scripts.bash}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_k8sdoc
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = inShell('bash', ['-c', driver], env);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  it('the script parses (bash -n) and registers for k8sdoc and the kubectl plugin', () => {
    expect(inShell('bash', ['-n', scripts.bash!]).status).toBe(0);
    const registered = inShell('bash', ['-c', `source ${scripts.bash}; complete -p k8sdoc; complete -p kubectl-k8sdoc`]);
    expect(registered.stdout).toBe('complete -F _k8sdoc k8sdoc\ncomplete -F _k8sdoc kubectl-k8sdoc\n');
  });

  it('commands, and the flags of check before any command (a bare k8sdoc runs check)', () => {
    expect(complete(['k8sdoc', 'ch'])).toEqual(['check', 'checks']);
    expect(complete(['k8sdoc', '--fail'])).toEqual(['--fail-on']);
    expect(complete(['k8sdoc', 'check', '--etcd-c'])).toEqual(['--etcd-cacert', '--etcd-cert']);
  });

  it('flag values: output formats, fail-on levels, and files for paths', () => {
    expect(complete(['k8sdoc', 'check', '-o', ''])).toEqual(['table', 'json', 'junit', 'prometheus', 'wide', 'markdown', 'html']);
    expect(complete(['k8sdoc', '--fail-on', 'c'])).toEqual(['crit']);
    expect(complete(['k8sdoc', 'check', '--kubeconfig', join(dir, 'two-')])).toEqual([KUBECONFIG]);
  });

  it('check ids and components for --only and --skip, one comma-separated item at a time', () => {
    const all = complete(['k8sdoc', 'check', '--only', '']);
    expect(all).toEqual(expect.arrayContaining([...CHECKS.map((c) => c.id), 'apiserver', 'etcd', 'certs', 'nodes', 'kubelet', 'ports']));
    expect(complete(['k8sdoc', 'check', '--skip', 'etcd-q'])).toEqual(['etcd-quorum']);
    expect(complete(['k8sdoc', 'check', '--only', 'etcd,nodes-r'])).toEqual(['etcd,nodes-ready']);
  });

  it('catalogue codes for explain, shells for completion', () => {
    expect(complete(['k8sdoc', 'explain', 'etcd-quorum-'])).toEqual(['etcd-quorum-lost', 'etcd-quorum-at-risk']);
    expect(complete(['k8sdoc', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('context names from $KUBECONFIG, or from the --kubeconfig typed earlier on the line', () => {
    expect(complete(['k8sdoc', 'check', '--context', ''], { KUBECONFIG })).toEqual(['prod-eu', 'staging']);
    expect(complete(['k8sdoc', 'check', '--kubeconfig', KUBECONFIG, '--context', 'pr'])).toEqual(['prod-eu']);
    expect(complete(['k8sdoc', 'check', '--context', ''])).toEqual([]);
  });
});

describe.skipIf(!has('zsh'))('zsh', () => {
  it('the script parses (zsh -n) and compinit registers _k8sdoc for k8sdoc and the kubectl plugin', () => {
    expect(inShell('zsh', ['-n', scripts.zsh!]).status).toBe(0);
    const r = inShell('zsh', ['-c', `autoload -U compinit && compinit -u -D && source ${scripts.zsh} && print -r -- $_comps[k8sdoc] $_comps[kubectl-k8sdoc]`]);
    expect(r.stdout.trim()).toBe('_k8sdoc _k8sdoc');
  });
});

describe.skipIf(!has('fish'))('fish', () => {
  const complete = (line: string, env: NodeJS.ProcessEnv = {}) =>
    inShell('fish', ['-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`], env)
      .stdout.split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t')[0]);

  it('the script parses (fish -n) and completes commands, values, codes and contexts', () => {
    expect(inShell('fish', ['-n', scripts.fish!]).status).toBe(0);
    expect(complete('k8sdoc ch')).toEqual(['check', 'checks']);
    expect(complete('k8sdoc check -o ')).toEqual(['html', 'json', 'junit', 'markdown', 'prometheus', 'table', 'wide']);
    expect(complete('k8sdoc explain etcd-quorum-l')).toEqual(['etcd-quorum-lost']);
    expect(complete('k8sdoc check --context ', { KUBECONFIG })).toEqual(['prod-eu', 'staging']);
  });
});
