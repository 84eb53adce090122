// Is there a recent etcd snapshot to restore from? With --etcd-backup-dir, the newest snapshot
// must be non-empty and younger than --backup-max-age (1 h by default: back up hourly). A
// missing folder or no snapshot at all is a finding, never a crash.
import { raise } from '../catalogue/raise.js';
import { join } from 'node:path';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { formatBytes } from './etcd-db-size.js';

/** What snapshot tools write: etcdctl snapshot save *.db, kubeadm/rke/velero-style names, compressed copies. */
const SNAPSHOT_NAME = /(snap|\.db(\.(gz|xz|zst|bz2))?$)/i;

export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

export async function judgeBackups(ctx: CheckContext, dir: string): Promise<Finding[]> {
  const subject = `etcd backups in ${dir}`;
  const stat = await ctx.facts.files.stat(dir);
  if (!stat || !stat.isDirectory) {
    const code = 'etcd-backup-missing' as const;
    return [
      raise({
        code,
        subject,
        message: `${dir} ${stat ? 'is not a folder' : 'does not exist'}: no snapshot to restore from`,
        data: { dir },
      }),
    ];
  }
  const names = (await ctx.facts.files.list(dir)) ?? [];
  const snapshots: { name: string; size: number; mtime: Date }[] = [];
  for (const name of names.filter((n) => SNAPSHOT_NAME.test(n))) {
    const s = await ctx.facts.files.stat(join(dir, name));
    if (s?.isFile) snapshots.push({ name, size: s.size, mtime: s.mtime });
  }
  if (snapshots.length === 0) {
    const code = 'etcd-backup-missing' as const;
    return [
      raise({
        code,
        subject,
        message: `no snapshot file in ${dir} (${names.length} other file${names.length === 1 ? '' : 's'})`,
        data: { dir, files: names.length },
      }),
    ];
  }
  const newest = snapshots.reduce((a, b) => (b.mtime > a.mtime ? b : a));
  const ageMs = ctx.now.getTime() - newest.mtime.getTime();
  const data = {
    dir,
    newest: newest.name,
    size: newest.size,
    modified: newest.mtime.toISOString(),
    ageMs,
    maxAgeMs: ctx.options.backupMaxAgeMs,
    snapshots: snapshots.length,
  };
  if (newest.size === 0) {
    const code = 'etcd-backup-missing' as const;
    return [
      raise({
        code,
        subject,
        message: `the newest snapshot ${newest.name} is empty (0 bytes): the backup job fails while writing`,
        data,
      }),
    ];
  }
  if (ageMs > ctx.options.backupMaxAgeMs) {
    const code = 'etcd-backup-stale' as const;
    return [
      raise({
        code,
        subject,
        message: `the newest snapshot ${newest.name} is ${formatAge(ageMs)} old (allowed: ${formatAge(ctx.options.backupMaxAgeMs)})`,
        data,
      }),
    ];
  }
  return [{ status: 'ok', subject, message: `newest snapshot ${newest.name}: ${formatBytes(newest.size)}, ${formatAge(Math.max(0, ageMs))} old`, data }];
}

export const etcdBackup: Check = {
  id: 'etcd-backup',
  component: 'etcd',
  title: 'A recent, non-empty etcd snapshot exists in --etcd-backup-dir',
  needs: [],
  codes: ['etcd-backup-missing', 'etcd-backup-stale'],
  async run(ctx) {
    const dir = ctx.targets.etcdBackupDir;
    if (!dir) return [{ status: 'skip', subject: 'etcd backups', message: 'no --etcd-backup-dir given: backups not checked' }];
    return judgeBackups(ctx, dir);
  },
};
