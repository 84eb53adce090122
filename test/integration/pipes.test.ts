// A reader that stops early: `k8sdoc check -o json | head -c 100` and `| true`. The report is
// cut, the run is not: no EPIPE stack trace on stderr, and the exit code is still the run's
// verdict. Real shell pipelines, spawned as a user types them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPlan } from '../../src/sim/hosts.js';
import { BLOCKS } from '../helpers/blocks.js';
import { BIN, emptyHome } from '../helpers/cli.js';

const plan = hostPlan(BLOCKS.pipes);
// Nothing listens on these: every port is refused at once, and each refusal is a finding with
// its symptom, cause and fix, so the report is far larger than a pipe's 64 KiB buffer.
const hosts = Array.from({ length: 120 }, (_, i) => plan.spare(i)).join(',');

function pipeline(reader: string, format: string): { code: number; stderr: string; out: string; readerCode: number } {
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-pipes-'));
  const codeFile = join(dir, 'code');
  const errFile = join(dir, 'stderr');
  const script = `{ "${process.execPath}" "${BIN}" check --hosts ${hosts} --only ports -o ${format} --timeout 2s 2>"${errFile}"; echo $? >"${codeFile}"; } | ${reader}`;
  const run = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH, HOME: emptyHome() }, encoding: 'utf8', timeout: 60_000 });
  return { code: Number(readFileSync(codeFile, 'utf8').trim()), stderr: readFileSync(errFile, 'utf8'), out: run.stdout, readerCode: run.status ?? -1 };
}

describe('output into a pipe that closes early', () => {
  it.each([
    ['head -c 100', 'json'],
    ['true', 'json'],
    ['head -n 3', 'table'],
  ])('| %s (-o %s): quiet, the exit code is the verdict', (reader, format) => {
    const run = pipeline(reader, format);
    expect(run.stderr).toBe('');
    // Every port refused is crit: exit 1, as without the pipe.
    expect(run.code).toBe(1);
    expect(run.readerCode).toBe(0);
    if (reader === 'head -c 100') expect(run.out).toHaveLength(100);
  });
});
