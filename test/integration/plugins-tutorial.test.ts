// docs/plugins.md's tutorial, run as written: its files (the code fences after a
// `<!-- tutorial-file: NAME -->` marker) go into a fresh project that has k8sdoc installed,
// and its own test runs there with `node --test` against the simulator. A change that breaks
// the tutorial fails here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCKS } from '../helpers/blocks.js';
import { runCli } from '../helpers/cli.js';
import { tutorialFiles } from '../helpers/plugin-tutorial.js';

describe('docs/plugins.md tutorial', () => {
  const markdown = readFileSync(resolve('docs/plugins.md'), 'utf8');
  const files = tutorialFiles(markdown);

  it('uses the address blocks registered for it', () => {
    expect(files.get('my-plugin.test.mjs')).toContain(`block: ${BLOCKS.pluginTutorialFailing}`);
    expect(files.get('my-plugin.test.mjs')).toContain(`block: ${BLOCKS.pluginTutorialHealthy}`);
  });

  it('its plugin loads and its test passes, as written', async () => {
    expect([...files.keys()]).toEqual(['my-plugin.mjs', 'my-plugin.test.mjs']);
    const project = mkdtempSync(join(tmpdir(), 'k8sdoc-tutorial-'));
    for (const [name, text] of files) writeFileSync(join(project, name), text);
    // `npm install k8sdoc`: the built package with its exports.
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(resolve('.'), join(project, 'node_modules', 'k8sdoc'), 'dir');

    const listed = await runCli(['checks', '--plugin', './my-plugin.mjs'], { cwd: project });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/acme-workers\s+acme\s+may list nodes\s+At least two worker nodes are Ready/);

    const run = spawnSync(process.execPath, ['--test', 'my-plugin.test.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: process.env.PATH, HOME: project },
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/# pass 2/);
  }, 150_000);
});
