// Completing --only/--skip and explain with plugins, in the real shells: the scripts
// `k8sdoc completion bash|zsh|fish` prints ask k8sdoc at completion time for the check ids,
// components and codes of the plugins the config file (as `check` finds it) and the line
// being completed (--plugin) name. A plugin that cannot be loaded, prints, or hangs offers
// nothing and nothing reaches the user's terminal.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, emptyHome, runCli } from '../helpers/cli.js';
import { tutorialFiles } from '../helpers/plugin-tutorial.js';

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-completion-plugins-'));
const bin = join(dir, 'bin');
/** A project with the tutorial's plugin, a rules-file plugin and broken ones beside it. */
const project = join(dir, 'project');
/** A project whose ./.k8sdoc.yaml names the plugins: `check` finds it without --config. */
const configured = join(dir, 'configured');
const scripts: Record<string, string> = {};

const RULES = resolve('examples/ingress-nginx/rules.yaml');

/** Runs `args` in `shell` in `cwd` with k8sdoc on PATH (as an installed package puts it). */
function inShell(shell: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(shell, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: [bin, dirname(process.execPath), process.env.PATH].join(delimiter), HOME: emptyHome() },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  mkdirSync(bin);
  symlinkSync(BIN, join(bin, 'k8sdoc'));
  for (const where of [project, configured]) {
    mkdirSync(join(where, 'node_modules'), { recursive: true });
    symlinkSync(resolve('.'), join(where, 'node_modules', 'k8sdoc'), 'dir');
  }
  writeFileSync(join(project, 'my-plugin.mjs'), tutorialFiles().get('my-plugin.mjs')!);
  writeFileSync(join(project, 'throws.mjs'), "throw new Error('broken at import');\n");
  writeFileSync(join(project, 'hangs.mjs'), 'await new Promise(() => {});\n');
  // A plugin whose top level prints: its words would land in the candidates if printing leaked.
  writeFileSync(
    join(project, 'chatty.mjs'),
    `console.log('noise-word'); process.stdout.write('');\n${readFileSync(join(project, 'my-plugin.mjs'), 'utf8').replace(/acme/g, 'chatty')}`,
  );
  writeFileSync(join(configured, 'my-plugin.mjs'), readFileSync(join(project, 'my-plugin.mjs')));
  writeFileSync(join(configured, '.k8sdoc.yaml'), `plugins:\n  - ./my-plugin.mjs\n  - ${RULES}\n`);
  for (const shell of ['bash', 'zsh', 'fish']) {
    const run = await runCli(['completion', shell]);
    expect(run.code).toBe(0);
    scripts[shell] = join(dir, `k8sdoc.${shell}`);
    writeFileSync(scripts[shell]!, run.stdout);
  }
});

/** Every shell's completion of `line` (the last word being completed), as candidates. */
type Completer = (line: string[], cwd?: string) => string[];

const bash: Completer = (words, cwd = project) => {
  const driver = `source ${scripts.bash}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_k8sdoc
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = inShell('bash', ['-c', driver], cwd);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
};

/**
 * zsh completes only inside its line editor: an interactive zsh on a pseudo-terminal (zpty)
 * gets the line and a Tab; compadd, wrapped, prints each match between \1 bytes (its own
 * IPREFIX included, the part of a comma list already typed) and the run ends after them.
 */
const ZSH_CAPTURE = String.raw`zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''"
zpty -w z "autoload -U compinit && compinit -u -d ${'$'}{(q)3}"
zpty -w z "source ${'$'}{(q)1}"
zpty -w z 'compadd () {
  if [[ ${'$'}{@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  (( $#__hits )) || return 1
  local h; for h in $__hits; do builtin print -r -- $'"'"'\1'"'"'"$IPREFIX$h"$'"'"'\1'"'"'; done
  builtin compadd -U -Q ""
}'
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false"
zpty -w z "bindkey '^I' complete-word"
zpty -w z 'comppostfuncs=( __done ); __done() { print -r -- $'"'"'\2'"'"'; exit }'
zpty -w z "$2"$'\t'
local line
while zpty -r z line; do
  [[ $line == *$'\2'* ]] && break
  [[ $line == *$'\1'*$'\1'* ]] && { line=${'$'}{line#*$'\1'}; print -r -- ${'$'}{line%%$'\1'*} }
done
zpty -d z
`;

const zsh: Completer = (words, cwd = project) => {
  const capture = join(dir, 'capture.zsh');
  writeFileSync(capture, ZSH_CAPTURE);
  // compinit's dump, written on the first run, spares the later ones its scan of every function.
  const r = inShell('zsh', ['-f', capture, scripts.zsh!, words.join(' '), join(dir, 'zcompdump')], cwd);
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
};

const fish: Completer = (words, cwd = project) => {
  const r = inShell('fish', ['-c', `source ${scripts.fish}; complete -C ${JSON.stringify(words.join(' '))}`], cwd);
  expect(r.stderr).toBe('');
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t')[0]!);
};

const shells: [string, Completer][] = [['bash', bash]];
if (has('zsh')) shells.push(['zsh', zsh]);
if (has('fish')) shells.push(['fish', fish]);

describe.each(shells)('%s', (name, complete) => {
  it('--only and --skip offer the check id and component of a --plugin earlier on the line, for check and demo', () => {
    expect(complete(['k8sdoc', 'check', '--plugin', './my-plugin.mjs', '--only', 'acme'])).toEqual(expect.arrayContaining(['acme-workers', 'acme']));
    expect(complete(['k8sdoc', '--plugin', './my-plugin.mjs', '--skip', 'acme-'])).toEqual(['acme-workers']);
    expect(complete(['k8sdoc', 'demo', '--plugin', './my-plugin.mjs', '--only', 'acme-w'])).toEqual(['acme-workers']);
    // Without the plugin on the line (and no config file) the word is unknown.
    expect(complete(['k8sdoc', 'check', '--only', 'acme'])).toEqual([]);
  });

  it.skipIf(name === 'fish')('the plugin check completes as the next item of a comma list', () => {
    expect(complete(['k8sdoc', 'check', '--plugin', './my-plugin.mjs', '--only', 'etcd-quorum,acme-'])).toEqual(['etcd-quorum,acme-workers']);
  });

  it("explain offers the plugin's codes beside the built-in ones", () => {
    expect(complete(['k8sdoc', 'explain', '--plugin', './my-plugin.mjs', 'acme/'])).toEqual(['acme/too-few-workers']);
    expect(complete(['k8sdoc', 'explain', '--plugin', RULES, 'ingress-nginx/'])).toEqual(['ingress-nginx/controller-not-ready']);
    expect(complete(['k8sdoc', 'explain', '--plugin', './my-plugin.mjs', 'etcd-quorum-l'])).toEqual(['etcd-quorum-lost']);
  });

  it("the config file's plugins: found as check finds it (./.k8sdoc.yaml), or named by --config on the line; not for the demo", () => {
    expect(complete(['k8sdoc', 'check', '--only', 'acme-'], configured)).toEqual(['acme-workers']);
    expect(complete(['k8sdoc', 'check', '--skip', 'ingress-nginx-'], configured)).toEqual(['ingress-nginx-controller']);
    expect(complete(['k8sdoc', 'check', '--config', join(configured, '.k8sdoc.yaml'), '--only', 'acme-'])).toEqual(['acme-workers']);
    expect(complete(['k8sdoc', 'demo', '--only', 'acme-'], configured)).toEqual([]);
  });

  it('a plugin that throws, hangs, prints or is missing offers nothing, and prints nothing into the shell', () => {
    for (const broken of ['./throws.mjs', './hangs.mjs', './missing.mjs', 'no-such-package']) {
      expect(complete(['k8sdoc', 'check', '--plugin', broken, '--only', 'etcd-q'])).toEqual(['etcd-quorum']);
    }
    // One broken plugin does not hide a good one.
    expect(complete(['k8sdoc', 'check', '--plugin', './throws.mjs', '--plugin', './my-plugin.mjs', '--only', 'acme-'])).toEqual(['acme-workers']);
    const chatty = complete(['k8sdoc', 'check', '--plugin', './chatty.mjs', '--only', '']);
    expect(chatty).toEqual(expect.arrayContaining(['chatty-workers', 'chatty']));
    expect(chatty).not.toContain('noise-word');
  });
});

describe('k8sdoc __complete', () => {
  it('answers with nothing on stdout or stderr, exit 0, when nothing can be loaded or the config file is malformed', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'plugins: [\n');
    for (const args of [
      ['__complete', 'plugin-checks', '--', 'check', '--plugin', './throws.mjs'],
      ['__complete', 'plugin-codes', '--', 'explain', '--plugin', './hangs.mjs'],
      ['__complete', 'plugin-checks', '--', 'check', '--config', join(dir, 'bad.yaml')],
      ['__complete', 'no-such-list', '--', 'check'],
    ]) {
      const run = await runCli(args, { cwd: project });
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });

  it('reads --plugin=path (one word, and as bash splits it at the =) and ~/ paths', async () => {
    // Inside the project: the plugin imports k8sdoc/plugin from the project's node_modules.
    const home = join(project, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'mine.mjs'), readFileSync(join(project, 'my-plugin.mjs')));
    const want = 'acme-workers\nacme\n';
    for (const words of [
      ['check', '--plugin=./my-plugin.mjs'],
      ['check', '--plugin', '=', './my-plugin.mjs'],
      ['check', '--plugin', '~/mine.mjs'],
    ]) {
      const run = await runCli(['__complete', 'plugin-checks', '--', ...words], { cwd: project, env: { HOME: home } });
      expect(run.stdout).toBe(want);
    }
  });
});
