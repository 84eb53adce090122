// The capped reader refuses what is not a regular file or is too large before reading a byte,
// and never blocks on a FIFO. Real files, a real FIFO and real devices: no fs mocks.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReadError, readFileCapped, readFileCappedSync } from '../../../src/util/read-file-capped.js';

const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-capped-'));
const small = join(dir, 'small.yaml');
writeFileSync(small, 'apiVersion: v1\n');
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const sparse = join(dir, 'sparse');
// 64 GiB that take no disk: reading it whole would take minutes and all memory.
const fd = openSync(sparse, 'w');
ftruncateSync(fd, 64 * 1024 ** 3);
closeSync(fd);

const MAX = 1024 * 1024;

function failureOf(fn: () => unknown): FileReadError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FileReadError);
    return err as FileReadError;
  }
  throw new Error('expected a FileReadError');
}

async function asyncFailureOf(p: Promise<unknown>): Promise<FileReadError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FileReadError);
  return err as FileReadError;
}

describe.each([
  ['sync', (path: string) => Promise.resolve().then(() => readFileCappedSync(path, { maxBytes: MAX }))],
  ['async', (path: string) => readFileCapped(path, { maxBytes: MAX })],
])('readFileCapped (%s)', (_name, read) => {
  it('reads a regular file', async () => {
    expect((await read(small)).toString()).toBe('apiVersion: v1\n');
  });

  it.each([
    ['/dev/zero', /^is a character device, not a regular file$/],
    ['/dev/null', /^is a character device, not a regular file$/],
    [fifo, /^is a FIFO \(named pipe\), not a regular file$/],
    [dir, /^is a directory, not a regular file$/],
  ])('refuses %s without reading it', async (path, message) => {
    const err = await asyncFailureOf(read(path));
    expect(err.reason).toBe('not-a-file');
    expect(err.message).toMatch(message);
  });

  it('refuses a huge sparse file by its size, before reading', async () => {
    const err = await asyncFailureOf(read(sparse));
    expect(err.reason).toBe('too-large');
    expect(err.message).toBe('is 65536 MB, more than the 1.0 MB read at most');
  });

  it('names a missing file and one it may not read', async () => {
    expect((await asyncFailureOf(read(join(dir, 'nope')))).reason).toBe('missing');
    if (process.getuid?.() !== 0) {
      const secret = join(dir, 'secret');
      writeFileSync(secret, 'x', { mode: 0o000 });
      expect((await asyncFailureOf(read(secret))).reason).toBe('denied');
    }
  });
});

it("'-' is an ordinary file name unless standard input is allowed (the CLI tests read a pipe)", () => {
  expect(failureOf(() => readFileCappedSync('-', { maxBytes: 100 })).reason).toBe('missing');
});

it('a file that grows past the cap after its size was read is still cut at the cap', () => {
  const growing = join(dir, 'growing');
  writeFileSync(growing, 'x'.repeat(MAX));
  expect(readFileCappedSync(growing, { maxBytes: MAX }).length).toBe(MAX);
  appendFileSync(growing, 'y');
  expect(failureOf(() => readFileCappedSync(growing, { maxBytes: MAX })).reason).toBe('too-large');
});
