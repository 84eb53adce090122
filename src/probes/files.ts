import { readdir, readFile, stat } from 'node:fs/promises';
import type { FilesProbe } from './types.js';

/** Certificates and kubeconfigs are small: refuse to slurp something huge by mistake. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export const filesProbe: FilesProbe = {
  async read(path) {
    try {
      const st = await stat(path);
      if (!st.isFile()) return { kind: 'not-a-file', message: `${path} is not a regular file` };
      if (st.size > MAX_FILE_BYTES)
        return { kind: 'unreadable', message: `${path} is ${Math.round(st.size / 1024 / 1024)} MB, too large to be a certificate or kubeconfig` };
      return { kind: 'ok', data: await readFile(path) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing', message: `${path} does not exist` };
      if (code === 'EACCES' || code === 'EPERM')
        return { kind: 'unreadable', message: `${path} cannot be read: permission denied (needs read access, e.g. run as root)` };
      return { kind: 'unreadable', message: `${path} cannot be read (${code ?? 'error'})` };
    }
  },
  async list(dir) {
    try {
      return (await readdir(dir)).sort();
    } catch {
      return null;
    }
  },
  async stat(path) {
    try {
      const st = await stat(path);
      return { size: st.size, mtime: st.mtime, isFile: st.isFile(), isDirectory: st.isDirectory() };
    } catch {
      return null;
    }
  },
};
