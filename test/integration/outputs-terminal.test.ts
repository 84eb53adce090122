// The human reports as a user gets them, spawned against the simulator with real etcd: the
// healthy cluster fits 80 columns in under 40 lines on a pipe; with etcd quorum lost the
// verdict names the cause first and last, Markdown pastes as a ticket, and the HTML incident
// report renders in a real headless Chromium with its map and verdict and no console error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { etcdAvailable } from '../../src/sim/etcd-cluster.js';
import { BLOCKS } from '../helpers/blocks.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { decodePng } from '../helpers/png.js';

const CHROMIUM = '/usr/bin/chromium';
const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe.skipIf(!etcdAvailable())('terminal report of a healthy cluster', () => {
  let cluster: SimCluster;
  let run: CliRun;
  const check = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(['check', ...cluster.checkArgs, '--timeout', '2s', ...args], { killAfterMs: 50_000, env });

  beforeAll(async () => {
    cluster = await startCluster('healthy', { block: BLOCKS.outputsTerminal, etcd: true });
    run = await check([]);
  });
  afterAll(async () => cluster?.stop());

  it('fits 80 columns in under 40 lines on a pipe, and exits 0', () => {
    const lines = run.stdout.trimEnd().split('\n');
    console.log(`[outputs-terminal] healthy: ${lines.length} lines, longest ${longest(run.stdout)} columns`);
    expect(run.code, run.stderr).toBe(0);
    expect(lines.length).toBeLessThan(40);
    expect(longest(run.stdout)).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^OK {2}no problem found: \d+ ok/);
    expect(lines.at(-1)).toMatch(/^Summary: \d+ ok, 0 warn, 0 crit, \d+ skipped, 0 errors → OK$/);
  });

  it('shows each etcd member with its role, database size and raft position, and the certificates in kubeadm columns', () => {
    const lines = run.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('MEMBER '));
    expect(lines[head]).toMatch(/^MEMBER +ENDPOINT +ROLE +VERSION +DB\/IN USE +TERM\/INDEX +STATUS$/);
    const members = lines.slice(head + 1, head + 4);
    expect(members.map((l) => l.split(/\s+/)[0])).toEqual(['cp-1', 'cp-2', 'cp-3']);
    for (const m of members) expect(m).toMatch(/^cp-\d +127\.\d+\.\d+\.\d+:2379 +(voter|leader) +\d+\.\d+\.\d+ +[\d.]+ KiB\/[\d.]+ KiB +\d+\/\d+ +OK$/);
    expect(members.filter((m) => / leader /.test(m))).toHaveLength(1);
    expect(run.stdout).toMatch(/^CERTIFICATE +RESIDUAL TIME +SOURCE +STATUS$/m);
  });

  it('follows COLUMNS on a pipe, and -o wide adds the columns that did not fit', async () => {
    const wider = await check([], { COLUMNS: '120' });
    expect(longest(wider.stdout)).toBeLessThanOrEqual(120);
    expect(wider.stdout).toMatch(/^CERTIFICATE +EXPIRES +RESIDUAL TIME +AUTHORITY +SOURCE +STATUS$/m);
    const wide = await check(['-o', 'wide']);
    expect(wide.stdout).toMatch(/^MEMBER +ENDPOINT +CLIENT URL +ROLE .* ID /m);
    expect(wide.stdout).toMatch(/^CERTIFICATE +EXPIRES +RESIDUAL TIME +AUTHORITY +SOURCE +STATUS$/m);
    expect(wide.stdout).not.toContain('-o wide lists them');
  });
});

describe.skipIf(!etcdAvailable())('incident reports of a cluster that lost etcd quorum', () => {
  let cluster: SimCluster;
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-incident-'));
  const check = (args: string[]) => runCli(['check', ...cluster.checkArgs, '--timeout', '2s', ...args], { killAfterMs: 50_000 });

  beforeAll(async () => {
    cluster = await startCluster('quorum-lost', { block: BLOCKS.outputsIncident, etcd: true });
  });
  afterAll(async () => cluster?.stop());

  it('the table opens and ends with the verdict naming the cause; --problems-only keeps only that and the problems', async () => {
    const table = await check([]);
    expect(table.code).toBe(1);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^CRIT {2}most likely cause: etcd-quorum-lost on etcd \(explains \d+ findings\)$/);
    // Is etcd running on the member hosts (kubeadm's static pods, the simulated shape)?
    expect(lines[2]).toBe('  First step: crictl ps -a --name etcd');
    const opening = lines.slice(1, lines.indexOf('', 1));
    expect(lines.slice(-opening.length)).toEqual(opening);
    // Wider than 80 only where one word of a command must stay whole to be pasted (an etcdctl endpoint list).
    for (const l of lines) if (l.length > 80) expect(l.trim(), l).toMatch(/^(\$ )?\S+( \\)?$/);
    const problems = table.stdout.slice(table.stdout.indexOf('PROBLEMS'));
    expect(problems.indexOf('CRIT etcd-quorum-lost')).toBeLessThan(problems.indexOf('apiserver-not-ready'));
    expect(problems).not.toMatch(/^CRIT apiserver-not-ready/m);

    const only = await check(['--problems-only']);
    expect(only.stdout.split('\n')[0]).toMatch(/^CRIT {2}most likely cause: etcd-quorum-lost on etcd/);
    expect(only.stdout).not.toMatch(/^(MEMBER|CHECK|API SERVER) /m);
  });

  it('-o markdown pastes as a ticket: verdict title, root-cause chain, fix commands in code blocks', async () => {
    const md = await check(['-o', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout.split('\n')[0]).toMatch(/^## k8sdoc CRIT: etcd-quorum-lost on etcd \\\(explains \d+ findings\\\)$/);
    expect(md.stdout).toMatch(/### Root-cause chain\n\n1\. \*\*CRIT etcd-quorum-lost\*\* on etcd/);
    // The distribution's etcd status and logs, then etcdctl with this run's endpoints and files.
    expect(md.stdout).toMatch(
      /```sh\ncrictl ps -a --name etcd\n[^`]*\netcdctl --endpoints=\S+ --cacert=\S+ --cert=\S+ --key=\S+ endpoint status -w table {3}# which members answer/,
    );
    expect(md.stdout).toMatch(/^\| MEMBER \| ENDPOINT \|/m);
  });

  it.runIf(existsSync(CHROMIUM))('-o html renders in headless Chromium: verdict, the control-plane map, no console error', async () => {
    const html = await check(['-o', 'html']);
    expect(html.code).toBe(1);
    const page = join(dir, 'quorum-lost.html');
    writeFileSync(page, html.stdout);
    const shot = join(dir, 'quorum-lost.png');
    const chromium = (args: string[]) =>
      spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--enable-logging=stderr', '--v=0', ...args, `file://${page}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    const dom = chromium(['--dump-dom']);
    expect(dom.status, dom.stderr).toBe(0);
    expect(dom.stdout).toContain('most likely cause: etcd-quorum-lost on etcd');
    expect(dom.stdout.match(/<g class="node etcd /g)).toHaveLength(3);
    expect(dom.stdout.match(/<g class="node apiserver /g)).toHaveLength(3);
    expect(dom.stdout).toMatch(/etcd: 1 of 3 healthy, quorum 2/);
    const rendered = chromium([`--screenshot=${shot}`, '--window-size=1000,1400', '--hide-scrollbars']);
    expect(rendered.status, rendered.stderr).toBe(0);
    console.log(`[outputs-terminal] screenshot of the quorum-lost incident report: ${shot}`);
    // Console messages and blocked loads are logged on stderr with --enable-logging.
    for (const output of [dom.stderr, rendered.stderr]) expect(output).not.toMatch(/CONSOLE|Refused to|Uncaught|ERR_/);

    const png = decodePng(readFileSync(shot));
    expect(png.width).toBe(1000);
    const near = ([r, g, b]: number[], [R, G, B]: number[]) => Math.abs(r! - R!) + Math.abs(g! - G!) + Math.abs(b! - B!) < 60;
    const count = (colour: number[], y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y += 2) for (let x = 0; x < png.width; x += 2) if (near(png.at(x, y), colour)) n += 1;
      return n;
    };
    // The verdict's red badge and bar at the top; the map below it: red (API servers not
    // ready, and the members gone: losing one of N is critical) and green (the member left).
    expect(count([0xc6, 0x28, 0x28], 0, 200)).toBeGreaterThan(100);
    expect(count([0xc6, 0x28, 0x28], 250, 700)).toBeGreaterThan(300);
    expect(count([0x2e, 0x7d, 0x32], 250, 700)).toBeGreaterThan(50);
  });
});
