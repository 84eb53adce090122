// The single-file build for air-gapped jump hosts, and the image built from it: copied
// alone into an empty folder, it runs the full check against the simulator with nothing
// but Node.js, and the Dockerfile ships exactly that file as a non-root user.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, type CliRun } from '../helpers/cli.js';

const STANDALONE = 'dist/k8sdoc-standalone.mjs';

/** Optional add-ons that bundled libraries try to load inside try/catch and run without. */
const OPTIONAL_IN_TRY = new Set([
  'bufferutil', // ws: native frame masking
  'utf-8-validate', // ws: native UTF-8 check
  'encoding', // node-fetch: legacy charsets
]);

/** Runs the copied file with node only: no repository, no node_modules, no NODE_PATH. */
function runAlone(file: string, args: string[]): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd: dirname(file),
      env: { PATH: dirname(process.execPath), HOME: emptyHome() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

describe('dist/k8sdoc-standalone.mjs, alone in an empty folder', () => {
  let cluster: SimCluster;
  let file: string;
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'k8sdoc-airgap-'));
    file = join(folder, 'k8sdoc-standalone.mjs');
    copyFileSync(STANDALONE, file);
    cluster = await startCluster('zombie-etcd', { block: BLOCKS.standalone });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('imports nothing but Node.js built-ins', () => {
    const source = readFileSync(file, 'utf8');
    const specifiers = [
      ...source.matchAll(/^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"'\s]+)["']/gm),
      ...source.matchAll(/\b(?:import|require)\(\s*["']([^"'\s]+)["']\s*\)/g),
    ].map((m) => m[1]!);
    const builtins = new Set(builtinModules);
    const foreign = [...new Set(specifiers)].filter((s) => !s.startsWith('node:') && !builtins.has(s) && !OPTIONAL_IN_TRY.has(s));
    expect(foreign).toEqual([]);
    expect(readdirSync(dirname(file))).toEqual(['k8sdoc-standalone.mjs']);
  });

  it('prints its version and a completion script', async () => {
    const version = await runAlone(file, ['--version']);
    expect(version.stdout.startsWith(`k8sdoc ${JSON.parse(readFileSync('package.json', 'utf8')).version} (commit `)).toBe(true);
    const completion = await runAlone(file, ['completion', 'bash']);
    expect(completion.stdout).toContain('complete -F _k8sdoc k8sdoc');
  });

  it.skipIf(!etcdAvailable())('runs the full check against the simulator: every component, the planted problem found, no check crashed', async () => {
    const run = await runAlone(file, ['check', ...cluster.checkArgs, '-o', 'json', '--timeout', '2s']);
    const report = parseJsonReport(run);
    expect(run.code, run.stderr).toBe(1);
    expect(new Set(report.results.map((r) => r.component))).toEqual(new Set(['apiserver', 'etcd', 'control-plane', 'certs', 'nodes', 'kubelet', 'ports']));
    expect(report.results.filter((r) => r.status === 'error')).toEqual([]);
    const deadMember = cluster.etcd!.members.find((m) => m.name === 'cp-3')!;
    expect(report.results.find((r) => r.code === 'etcd-quorum-at-risk')).toMatchObject({ status: 'warn', data: { healthy: 2, quorum: 2 } });
    const deadClient = new URL(deadMember.clientUrl);
    expect(
      report.results.find((r) => r.code === 'port-refused' && r.data?.host === deadClient.hostname && r.data?.port === Number(deadClient.port)),
    ).toMatchObject({ status: 'crit' });
  });
});

describe('Dockerfile and CronJob agree with the single-file build', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('the image is node:20-slim with only the standalone file and its licences, run by a numeric non-root user', () => {
    expect(finalStage).toMatch(/^\nFROM node:20-slim\n/);
    const copies = [...finalStage.matchAll(/^COPY (.*)$/gm)].map((m) => m[1]);
    expect(copies).toEqual([
      '--from=build /src/dist/k8sdoc-standalone.mjs /opt/k8sdoc/k8sdoc.mjs',
      'LICENSE /opt/k8sdoc/LICENSE',
      '--from=build /src/dist/THIRD-PARTY-NOTICES.txt /opt/k8sdoc/THIRD-PARTY-NOTICES.txt',
    ]);
    expect(finalStage).toMatch(/^ENTRYPOINT \["node", "\/opt\/k8sdoc\/k8sdoc\.mjs"\]$/m);
    const user = /^USER (\d+):(\d+)$/m.exec(finalStage);
    expect(user, 'USER must be numeric for runAsNonRoot').not.toBeNull();
    expect(Number(user![1])).toBeGreaterThan(0);
    const pod = (
      parse(readFileSync('deploy/cronjob.yaml', 'utf8')) as {
        spec: { jobTemplate: { spec: { template: { spec: { securityContext: { runAsUser: number; runAsNonRoot: boolean } } } } } };
      }
    ).spec.jobTemplate.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(user![1]) });
  });
});
