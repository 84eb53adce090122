// etcd-backup on real files in a temporary folder: fresh, stale, empty, none, no folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdBackup } from '../../../src/checks/etcd-backup.js';
import { fakeContext } from '../../helpers/etcd-fakes.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe('etcd-backup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8sdoc-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: number, age: number) => {
    writeFileSync(join(dir, name), Buffer.alloc(bytes, 1));
    utimesSync(join(dir, name), minutesAgo(age), minutesAgo(age));
  };
  const run = (backupDir: string | null) => etcdBackup.run(fakeContext({ backupDir, now: NOW }));

  it('skips without --etcd-backup-dir', async () => {
    expect((await run(null))[0]).toMatchObject({ status: 'skip', message: 'no --etcd-backup-dir given: backups not checked' });
  });

  it('ok when the newest snapshot is recent and not empty', async () => {
    write('snapshot-old.db', 4096, 300);
    write('snapshot-new.db', 2048, 20);
    write('notes.txt', 10, 1);
    const [f] = await run(dir);
    expect(f).toMatchObject({
      status: 'ok',
      message: 'newest snapshot snapshot-new.db: 2.0 KiB, 20 min old',
      data: { newest: 'snapshot-new.db', snapshots: 2 },
    });
  });

  it('stale when the newest snapshot is older than --backup-max-age', async () => {
    write('etcd-2026-11-24.db', 4096, 26 * 60);
    const [f] = await run(dir);
    expect(f).toMatchObject({ status: 'warn', code: 'etcd-backup-stale', message: 'the newest snapshot etcd-2026-11-24.db is 26 h old (allowed: 60 min)' });
  });

  it('missing when the newest snapshot is empty', async () => {
    write('snapshot-1.db', 4096, 120);
    write('snapshot-2.db', 0, 5);
    const [f] = await run(dir);
    expect(f).toMatchObject({ status: 'crit', code: 'etcd-backup-missing' });
    expect(f!.message).toContain('snapshot-2.db is empty');
  });

  it('missing when the folder holds no snapshot, or does not exist', async () => {
    write('readme.txt', 10, 1);
    expect((await run(dir))[0]).toMatchObject({ code: 'etcd-backup-missing', message: `no snapshot file in ${dir} (1 other file)` });
    expect((await run(join(dir, 'nope')))[0]).toMatchObject({
      code: 'etcd-backup-missing',
      message: `${join(dir, 'nope')} does not exist: no snapshot to restore from`,
    });
  });
});
