// Reads a file the user named, refusing anything that is not a regular file and anything
// larger than a cap before a byte is read. A path can name /dev/zero (endless: reading it
// whole exhausts memory), a FIFO (open and read block until a writer comes, and a blocked
// synchronous read cannot be interrupted), a directory, a socket or a sparse file of
// terabytes; none of them is a kubeconfig, a certificate or a config file.
//
// The type is checked on the opened descriptor (fstat), so a path swapped between a check
// and the open cannot slip a FIFO or a device through; the open itself is non-blocking so
// that opening a FIFO with no writer returns at once instead of hanging. Standard input is
// read only when the caller allows it and the user named it (`-` or `/dev/stdin`), with the
// cap enforced while reading since a pipe has no size to check first.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isatty } from 'node:tty';

export type FileReadFailure = 'missing' | 'not-a-file' | 'too-large' | 'denied' | 'unreadable';

/** Why a file was not read; `message` is a phrase that follows the path ("is a directory"). */
export class FileReadError extends Error {
  constructor(
    readonly reason: FileReadFailure,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

export interface ReadCappedOptions {
  maxBytes: number;
  /** Accept `-` and `/dev/stdin` as standard input (only for a path the user typed). */
  allowStdin?: boolean;
}

const STDIN_NAMES = new Set(['-', '/dev/stdin']);
// Standard input can be read only once; a second load in the same process (--wait re-runs)
// must see the same text.
let stdinData: Buffer | null = null;

export function isStdinPath(path: string): boolean {
  return STDIN_NAMES.has(path);
}

function describeMegabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function notRegular(path: string, st: Stats): FileReadError {
  const kind = kindOf(st);
  return new FileReadError('not-a-file', path, kind === 'not a regular file' ? 'is not a regular file' : `is ${kind}, not a regular file`);
}

function tooLarge(path: string, size: number | null, maxBytes: number): FileReadError {
  const limit = `the ${describeMegabytes(maxBytes)} read at most`;
  return new FileReadError('too-large', path, size === null ? `is more than ${limit}` : `is ${describeMegabytes(size)}, more than ${limit}`);
}

function fromErrno(path: string, err: unknown): FileReadError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileReadError('missing', path, 'does not exist');
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError('denied', path, 'cannot be read: permission denied');
  // A Unix socket cannot be opened as a file at all.
  if (code === 'ENXIO') return new FileReadError('not-a-file', path, 'is a socket, not a regular file');
  if (code === 'ELOOP') return new FileReadError('unreadable', path, 'cannot be read: too many levels of symbolic links');
  return new FileReadError('unreadable', path, `cannot be read (${code ?? (err as Error).message})`);
}

// O_NONBLOCK: opening a FIFO without a writer would otherwise block the whole process.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Reads `fd` to its end or to maxBytes + 1 bytes, whichever comes first. */
function readAllSync(fd: number, maxBytes: number, path: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      // Standard input may be a non-blocking terminal or pipe: wait a moment and retry.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      throw err;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) throw tooLarge(path, null, maxBytes);
  }
  return Buffer.concat(chunks, total);
}

function readStdinSync(maxBytes: number): Buffer {
  if (stdinData) return stdinData;
  // A synchronous read from a terminal would wait for Ctrl-D and could not be interrupted.
  if (isatty(0)) throw new FileReadError('not-a-file', 'standard input', 'is a terminal; pipe or redirect the file into it');
  const st = fstatSync(0);
  if (st.isFile() && st.size > maxBytes) throw tooLarge('standard input', st.size, maxBytes);
  if (st.isDirectory()) throw notRegular('standard input', st);
  stdinData = readAllSync(0, maxBytes, 'standard input');
  return stdinData;
}

/** The file's bytes; throws FileReadError naming why it was not read. */
export function readFileCappedSync(path: string, options: ReadCappedOptions): Buffer {
  if (options.allowStdin && isStdinPath(path)) {
    try {
      return readStdinSync(options.maxBytes);
    } catch (err) {
      throw err instanceof FileReadError ? err : fromErrno('standard input', err);
    }
  }
  let fd: number | null = null;
  try {
    // A first look through the path refuses devices and FIFOs without opening them (opening
    // some devices has effects of its own); fstat below is the check that counts.
    const before = statSync(path);
    if (!before.isFile()) throw notRegular(path, before);
    fd = openSync(path, OPEN_FLAGS);
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(path, st);
    if (st.size > options.maxBytes) throw tooLarge(path, st.size, options.maxBytes);
    return readAllSync(fd, options.maxBytes, path);
  } catch (err) {
    throw err instanceof FileReadError ? err : fromErrno(path, err);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** As readFileCappedSync, without blocking the event loop (standard input is not offered here). */
export async function readFileCapped(path: string, options: Omit<ReadCappedOptions, 'allowStdin'>): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | null = null;
  try {
    const before = await stat(path);
    if (!before.isFile()) throw notRegular(path, before);
    handle = await open(path, OPEN_FLAGS);
    const st = await handle.stat();
    if (!st.isFile()) throw notRegular(path, st);
    if (st.size > options.maxBytes) throw tooLarge(path, st.size, options.maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, options.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      // The file grew after fstat: the cap holds whatever the size said.
      if (total > options.maxBytes) throw tooLarge(path, null, options.maxBytes);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    throw err instanceof FileReadError ? err : fromErrno(path, err);
  } finally {
    await handle?.close();
  }
}
