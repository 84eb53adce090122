// The discovery cache decides where the run's probes go: a file someone else could write, or a
// link someone planted, must neither be read nor be written through.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheRefused, fileCacheStore } from '../../src/discovery/cache.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'k8sdoc-cache-safety-'));
}

const CONTENT = '{"format":1}\n';

describe('reading the discovery cache', () => {
  it('reads a file owned by this user and writable by no one else', async () => {
    const path = join(dir(), 'ctx.json');
    writeFileSync(path, CONTENT, { mode: 0o600 });
    expect(await fileCacheStore.read(path)).toBe(CONTENT);
    expect(await fileCacheStore.read(join(dir(), 'absent.json'))).toBeNull();
  });

  it.each(['620', '602', '666'])('refuses a file others may write (mode %s)', async (mode) => {
    const path = join(dir(), 'ctx.json');
    writeFileSync(path, CONTENT);
    chmodSync(path, parseInt(mode, 8));
    await expect(fileCacheStore.read(path)).rejects.toThrow(CacheRefused);
    await expect(fileCacheStore.read(path)).rejects.toThrow(/others may write it \(mode 06\d\d\); remove it or chmod 600 it/);
  });

  it('does not follow a symbolic link at the cache name', async () => {
    const d = dir();
    const target = join(d, 'elsewhere.json');
    writeFileSync(target, CONTENT, { mode: 0o600 });
    symlinkSync(target, join(d, 'ctx.json'));
    await expect(fileCacheStore.read(join(d, 'ctx.json'))).rejects.toThrow(/symbolic link/);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a file owned by another user', async () => {
    const path = join(dir(), 'ctx.json');
    writeFileSync(path, CONTENT, { mode: 0o600 });
    chownSync(path, 65534, 65534);
    await expect(fileCacheStore.read(path)).rejects.toThrow(/owned by uid 65534, not by this user/);
  });

  it('refuses a FIFO without blocking on it', async () => {
    const d = dir();
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(d, 'ctx.json')]);
    await expect(fileCacheStore.read(join(d, 'ctx.json'))).rejects.toThrow(/not a regular file/);
  });
});

describe('writing the discovery cache', () => {
  it('never writes through a link planted at the old predictable temp name or at the final name', async () => {
    const d = dir();
    const cacheDir = join(d, 'k8sdoc');
    mkdirSync(cacheDir, { mode: 0o700 });
    const victim = join(d, 'victim');
    const victim2 = join(d, 'victim2');
    writeFileSync(victim, 'precious\n');
    writeFileSync(victim2, 'precious too\n');
    const path = join(cacheDir, 'ctx.json');
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    symlinkSync(victim2, path);

    await fileCacheStore.write(path, CONTENT);

    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(victim2, 'utf8')).toBe('precious too\n');
    // The link at the final name was replaced by the new file, not written through.
    expect(lstatSync(path).isFile()).toBe(true);
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(CONTENT);
    expect(await fileCacheStore.read(path)).toBe(CONTENT);
    // No temp file is left behind; the planted link stays as it was.
    expect(readdirSync(cacheDir).sort()).toEqual(['ctx.json', `ctx.json.${process.pid}.tmp`]);
  });

  it('writes through a cache folder that is itself a link (a relocated ~/.cache)', async () => {
    const d = dir();
    mkdirSync(join(d, 'real'));
    symlinkSync(join(d, 'real'), join(d, 'cache'));
    await fileCacheStore.write(join(d, 'cache', 'k8sdoc', 'ctx.json'), CONTENT);
    expect(readFileSync(join(d, 'real', 'k8sdoc', 'ctx.json'), 'utf8')).toBe(CONTENT);
  });

  it('two writes at once leave one whole file', async () => {
    const path = join(dir(), 'k8sdoc', 'ctx.json');
    const a = `${JSON.stringify({ a: 'x'.repeat(100_000) })}\n`;
    const b = `${JSON.stringify({ b: 'y'.repeat(100_000) })}\n`;
    await Promise.all([fileCacheStore.write(path, a), fileCacheStore.write(path, b)]);
    expect([a, b]).toContain(readFileSync(path, 'utf8'));
  });
});
