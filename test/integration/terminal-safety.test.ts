// Strings from the cluster or a file reach stderr in --debug lines (probe timeline, discovery
// notes, check failures) and in error messages: an escape sequence in them could clear the
// screen, retitle the window or plant a hyperlink, a newline could forge a line. They arrive
// escaped. A simulated node carries the hostile name; a kubeconfig carries a hostile context.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { hostPlan } from '../../src/sim/hosts.js';
import { createCa, kubeconfigYaml } from '../../src/sim/pki.js';
import { BLOCKS } from '../helpers/blocks.js';
import { runCli, type CliRun } from '../helpers/cli.js';

// Window title (OSC 0), clear screen (CSI 2J), a newline that starts a fake report line, and
// the one-byte C1 CSI (U+009B) that some terminals act on.
const HOSTILE = 'evil\u001b]0;pwned\u0007\u001b[2J\nCRIT forged-line \u009b31m';
/** C0 controls other than the newline that ends each line, DEL and C1 controls. */
function hasControl(text: string): boolean {
  return [...text].some((ch) => {
    const code = ch.codePointAt(0)!;
    return (code < 0x20 && ch !== '\n') || (code >= 0x7f && code <= 0x9f);
  });
}

function expectSafeStderr(run: CliRun): void {
  expect(hasControl(run.stderr), JSON.stringify(run.stderr)).toBe(false);
  for (const line of run.stderr.split('\n')) expect(line).not.toMatch(/^CRIT forged-line/);
}

describe('hostile node data with --debug', () => {
  let cluster: SimCluster;
  beforeAll(async () => {
    cluster = await startCluster(
      { name: 'hostile-node', description: 'a node whose name carries escape sequences', controlPlanes: 1, workers: 1 },
      { block: BLOCKS.terminalSafety, etcd: false },
    );
    // Without an InternalIP the node is named in a discovery note, which --debug prints.
    const worker = cluster.state.node('worker-1')!;
    worker.name = `worker-1${HOSTILE}`;
    worker.address = '';
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('stderr has no raw control byte and no forged line; the name is shown escaped', async () => {
    const run = await runCli(['check', '--kubeconfig', cluster.kubeconfigPath, '--debug', '-o', 'json', '--timeout', '2s']);
    expect(run.stderr).toContain('not probed: worker-1evil\\x1b]0;pwned\\x07\\x1b[2J\\nCRIT forged-line \\x9b31m');
    expectSafeStderr(run);
  });
});

it('an error message quoting a hostile context name is one escaped line, with --debug too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-terminal-safety-'));
  const ca = await createCa('kubernetes');
  const kubeconfig = join(dir, 'hostile.conf');
  const server = `https://${hostPlan(BLOCKS.terminalSafety).spare(0)}:6443`;
  writeFileSync(kubeconfig, kubeconfigYaml({ server, caPem: ca.certPem, user: { token: 'terminal-safety' }, contextName: `ctx${HOSTILE}` }));
  for (const debug of [[], ['--debug']]) {
    const run = await runCli(['check', '--kubeconfig', kubeconfig, '--context', `other${HOSTILE}`, ...debug]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toMatch(/^k8sdoc: /);
    expect(run.stderr).toContain('otherevil\\x1b]0;pwned\\x07\\x1b[2J\\nCRIT forged-line \\x9b31m');
    expectSafeStderr(run);
  }
});
