// The verdict where the eye is, spawned as a user runs check, table output at 80 columns: the
// first lines after the header and the last lines of the report both give the status, the most
// likely cause and its first step; Problems come in triage order, each root cause with what it
// explains indented under it, so zombie-etcd, lb-partial and quorum-lost each read as one
// problem; with 50 and more problems the verdict still closes the report; a 401 that two checks
// see is one problem, and "Same on:" never names the problem's own subject.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/engine/types.js';
import { startCluster, type SimCluster } from '../../src/sim/cluster.js';
import { startDemo, type Demo } from '../../src/sim/demo.js';
import type { ScenarioSpec } from '../../src/sim/scenarios/spec.js';
import { BLOCKS } from '../helpers/blocks.js';
import { emptyHome, parseJsonReport, runCli, type CliRun } from '../helpers/cli.js';

const TIMEOUT = ['--timeout', '10s'];

interface Table {
  lines: string[];
  /** The verdict after the header: status and cause, then the first step. */
  opening: string[];
  /** As many lines from the end of the report. */
  closing: string[];
  /** `CRIT <code>  <subject>` lines of PROBLEMS, in order. */
  titles: { status: string; code: string; subject: string }[];
  /** PROBLEMS lines that are neither a title, indented under one, blank, nor the fold of a long list. */
  stray: string[];
  /** The cause the opening verdict names, its wrapped lines joined. */
  cause: string;
  firstStep: string;
  /** The Summary line, its wrapped lines joined. */
  summary: string;
}

/** Lines a layout wrapped, joined back: the first line and the continuation lines indented deeper. */
function joined(lines: string[], start: number): string {
  const indent = (l: string) => l.length - l.trimStart().length;
  let text = lines[start]!;
  // A command broken for the width ends its lines in ` \` and may put its comment on a line of its own.
  for (let i = start + 1; i < lines.length && lines[i]!.trim() !== '' && indent(lines[i]!) > indent(lines[start]!); i++) {
    const next = lines[i]!.trim();
    if (text.endsWith(' \\')) text = `${text.slice(0, -2)} ${next}`;
    else if (next.startsWith('# ')) text += text.includes('   # ') ? ` ${next.slice(2)}` : `   ${next}`;
    else text += ` ${next}`;
  }
  return text;
}

function readTable(run: CliRun): Table {
  const lines = run.stdout.replace(/\n$/, '').split('\n');
  // The header ends with the run's duration, however it wrapped.
  const header = lines.findIndex((l) => / \d+ ms$/.test(l));
  const opening = lines.slice(header + 1, lines.indexOf('', header + 1));
  const closing = lines.slice(-opening.length);
  const start = lines.indexOf('PROBLEMS');
  const end = lines.findIndex((l) => l.startsWith('Summary: '));
  const section = start === -1 ? [] : lines.slice(start + 1, end);
  const titles: Table['titles'] = [];
  const stray: string[] = [];
  section.forEach((l, i) => {
    const title = /^(CRIT|WARN) (\S+) {2}(.*)$/.exec(l);
    if (title) {
      // A long subject wraps onto lines indented by four; the message follows indented by two.
      let subject = title[3]!;
      for (let j = i + 1; section[j]?.startsWith('    '); j++) subject += ` ${section[j]!.trim()}`;
      titles.push({ status: title[1]!, code: title[2]!, subject: subject.trim() });
    } else if (l !== '' && !l.startsWith(' ') && !/^… and \d+ more with /.test(l)) stray.push(l);
  });
  const step = opening.findIndex((l) => l.startsWith('  First step: '));
  const cause = opening
    .slice(0, step === -1 ? undefined : step)
    .map((l) => l.trim())
    .join(' ');
  const arrow = lines.findIndex((l, i) => i >= end && l.includes(' → '));
  const summary = lines.slice(end, arrow + 1).join(' ');
  return { lines, opening, closing, titles, stray, cause, summary, firstStep: step === -1 ? '' : joined(opening, step).replace(/^ {2}First step: /, '') };
}

async function diagnose(args: string[]): Promise<{ table: CliRun; json: CliRun; report: Report; t: Table }> {
  const home = emptyHome();
  const table = await runCli(['check', ...args, ...TIMEOUT], { env: { HOME: home, COLUMNS: '80' }, killAfterMs: 120_000 });
  const json = await runCli(['check', ...args, ...TIMEOUT, '-o', 'json'], { env: { HOME: home }, killAfterMs: 120_000 });
  return { table, json, report: parseJsonReport(json), t: readTable(table) };
}

/** What every table verdict must be: status and cause right after the header, its first step, and the same lines closing the report. */
function expectVerdictWhereTheEyeIs(t: Table, report: Report): void {
  const out = t.lines.join('\n');
  const lead = report.rootCauses[0]!;
  expect(t.opening[0], out).toMatch(new RegExp(`^${report.status.toUpperCase()} {2}most likely cause: `));
  expect(t.cause, out).toContain(`most likely cause: ${lead.code} on ${lead.subject}`);
  // The first step is the lead problem's own first step, as its Fix lists it.
  const leadResult = report.results.find((r) => r.code === lead.code && r.subject === lead.subject && !r.explainedBy)!;
  expect(t.firstStep, out).toBe(leadResult.steps![0]!.text);
  expect(t.closing, out).toEqual(t.opening);
  // Problems in triage order, the lead first.
  expect(t.titles[0], out).toMatchObject({ code: lead.code, subject: lead.subject });
  expect(t.stray, out).toEqual([]);
}

/** One problem: one title line in PROBLEMS, every other finding indented under it; one root cause in JSON. */
function expectOneProblem(d: { t: Table; report: Report; table: CliRun }): void {
  const out = d.table.stdout;
  expect(d.table.code, out).toBe(1);
  expect(d.t.titles, out).toHaveLength(1);
  expect(d.report.rootCauses, JSON.stringify(d.report.rootCauses)).toHaveLength(1);
  expect(d.report.summary.problems).toBe(1);
  const echoes = d.report.results.filter((r) => r.explainedBy);
  expect(echoes.length).toBeGreaterThan(0);
  expect(d.t.summary).toMatch(/; 1 problem explains \d+ findings? → CRIT$/);
  expectVerdictWhereTheEyeIs(d.t, d.report);
}

const registryDir = mkdtempSync(join(tmpdir(), 'k8sdoc-verdict-'));
afterAll(() => rmSync(registryDir, { recursive: true, force: true }));

describe.concurrent('demo scenarios that are one problem each read as one problem', () => {
  const cases = [
    { name: 'zombie-etcd', block: BLOCKS.verdictZombieEtcd },
    { name: 'lb-partial', block: BLOCKS.verdictLbPartial },
    { name: 'quorum-lost', block: BLOCKS.verdictQuorumLost },
  ] as const;
  const demos = new Map<string, Demo>();
  beforeAll(async () => {
    await Promise.all(cases.map(async (c) => demos.set(c.name, await startDemo(c.name, { block: c.block, registryDir }))));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...demos.values()].map((d) => d.stop()));
  });

  it('zombie-etcd: the dead member on cp-3 is one problem; the member, its ports and quorum at risk under it', async () => {
    const demo = demos.get('zombie-etcd')!;
    const d = await diagnose(demo.checkArgv);
    expectOneProblem(d);
    const cp3 = demo.cluster.hosts.find((h) => h.name === 'cp-3')!.address;
    // The member's pod or the member itself may lead (one explains the other); either names cp-3.
    expect(d.t.titles[0]!.subject).toMatch(new RegExp(`cp-3|${cp3.replace(/\./g, '\\.')}`));
    const explains = d.report.rootCauses[0]!.explains;
    for (const code of ['port-refused', 'etcd-quorum-at-risk']) expect(explains).toContain(code);
    if (d.report.rootCauses[0]!.code !== 'etcd-member-unreachable') expect(explains).toContain('etcd-member-unreachable');
  }, 120_000);

  it('lb-partial: the API server down on cp-3 is one problem; its port and pod under it', async () => {
    const demo = demos.get('lb-partial')!;
    const d = await diagnose(demo.checkArgv);
    expectOneProblem(d);
    const cp3 = demo.cluster.hosts.find((h) => h.name === 'cp-3')!.address;
    expect(d.t.titles[0]).toMatchObject({ code: 'apiserver-refused', subject: `apiserver https://${cp3}:6443` });
    expect(d.report.rootCauses[0]!.explains).toContain('port-refused');
  }, 120_000);

  it('quorum-lost: lost quorum is one problem; the API servers not ready and the gone members under it', async () => {
    const d = await diagnose(demos.get('quorum-lost')!.checkArgv);
    expectOneProblem(d);
    expect(d.t.titles[0]).toMatchObject({ status: 'CRIT', code: 'etcd-quorum-lost', subject: 'etcd' });
    const explains = d.report.rootCauses[0]!.explains;
    for (const code of ['apiserver-not-ready', 'etcd-member-unreachable']) expect(explains).toContain(code);
  }, 120_000);
});

describe('many problems, a 401 seen twice', () => {
  // 55 workers under memory pressure and one API server down: 56 problems, the crit one first.
  const WORKERS = 55;
  const spec: ScenarioSpec = {
    name: 'verdict-many-rows',
    description: 'Every worker reports MemoryPressure and cp-3 API server is down.',
    controlPlanes: 3,
    workers: WORKERS,
    kubelets: 'control-plane',
    apiServer: { 'cp-3': { mode: 'down' } },
    nodes: Object.fromEntries(Array.from({ length: WORKERS }, (_, i) => [`worker-${i + 1}`, { memoryPressure: true }])),
  };
  let c: SimCluster;
  let args: string[];
  beforeAll(async () => {
    c = await startCluster(spec, { block: BLOCKS.verdictManyRows });
    // As the demo does: only hosts that run a simulated kubelet are probed for one.
    args = [...c.checkArgs, '--hosts', c.kubelets.map((k) => k.host).join(',')];
  }, 120_000);
  afterAll(async () => c?.stop());

  it('56 problems: the verdict opens and closes the report, Problems in triage order (the crit cause first), 10 per code then one fold', async () => {
    const d = await diagnose(args);
    const out = d.table.stdout;
    expect(d.report.rootCauses.length, out).toBeGreaterThanOrEqual(50);
    expect(d.t.lines.length).toBeGreaterThan(100);
    expectVerdictWhereTheEyeIs(d.t, d.report);
    expect(d.t.titles[0]).toMatchObject({ status: 'CRIT', code: 'apiserver-refused' });
    // The titles are the root causes in the order triage ranked them.
    expect(d.t.titles.map((t) => `${t.code} ${t.subject}`)).toEqual(d.report.rootCauses.slice(0, d.t.titles.length).map((rc) => `${rc.code} ${rc.subject}`));
    expect(d.t.titles.filter((t) => t.code === 'node-memory-pressure')).toHaveLength(10);
    expect(out).toMatch(new RegExp(`^… and ${WORKERS - 10} more with node-memory-pressure: `, 'm'));
    // What a cause explains is never a problem of its own.
    const explained = new Set(d.report.rootCauses.flatMap((rc) => rc.explainsFindings.map((e) => `${e.code} ${e.subject}`)));
    expect(d.t.titles.filter((t) => explained.has(`${t.code} ${t.subject}`))).toEqual([]);
  }, 120_000);

  it('a rejected token: each API server is one apiserver-unauthorized problem, whichever checks saw the 401; "Same on:" never repeats a subject', async () => {
    // A kubeconfig whose bearer token the API servers do not know: /version and /readyz both answer 401.
    const { path } = await c.tokens.kubeconfig({ user: 'someone', groups: [], rules: [] }, { fileName: 'rejected.conf' });
    const text = readFileSync(path, 'utf8');
    const token = /token: (\S+)/.exec(text)![1]!;
    const rejected = join(c.workDir, 'rejected-token.conf');
    writeFileSync(rejected, text.replace(token, 'k8sdoc-test-token-nobody-issued'), { mode: 0o600 });
    const urls = c.apiServers.map((a) => a.url).join(',');
    const d = await diagnose(['--kubeconfig', rejected, '--apiserver', urls]);
    const out = d.table.stdout;

    const unauthorized = d.report.results.filter((r) => r.code === 'apiserver-unauthorized');
    const subjects = [...new Set(unauthorized.map((r) => r.subject))];
    // One 401 per API server, counted once: apiserver-health does not ask again what /version was refused.
    expect(unauthorized.length, out).toBe(subjects.length);
    expect(subjects.length, out).toBeGreaterThan(1);
    for (const subject of subjects)
      expect(d.report.rootCauses.filter((rc) => rc.code === 'apiserver-unauthorized' && rc.subject === subject).length).toBeLessThanOrEqual(1);
    expect(
      d.report.results.filter((r) => r.check === 'apiserver-health' && r.status !== 'skip' && r.status !== 'ok'),
      out,
    ).toEqual([]);
    // Each subject is named once in Problems: as a title, or on a "Same on:" line, never both, never twice.
    const named = [...d.t.titles.map((t) => t.subject)];
    d.t.lines.forEach((l, i) => {
      if (l.startsWith('  Same on: '))
        named.push(
          ...joined(d.t.lines, i)
            .replace(/^ {2}Same on: /, '')
            .split(', '),
        );
    });
    const unauthorizedNamed = named.filter((s) => subjects.includes(s));
    expect(unauthorizedNamed.sort(), out).toEqual([...new Set(unauthorizedNamed)].sort());
    expect(d.t.titles.filter((t) => t.code === 'apiserver-unauthorized').length, out).toBeGreaterThanOrEqual(1);
    expectVerdictWhereTheEyeIs(d.t, d.report);
  }, 120_000);
});
