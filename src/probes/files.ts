import { readdir, stat } from 'node:fs/promises';
import { FileReadError, readFileCapped } from '../util/read-file-capped.js';
import type { FilesProbe } from './types.js';

/** Certificates and kubeconfigs are small: refuse to slurp something huge by mistake. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export const filesProbe: FilesProbe = {
  async read(path) {
    try {
      return { kind: 'ok', data: await readFileCapped(path, { maxBytes: MAX_FILE_BYTES }) };
    } catch (err) {
      if (!(err instanceof FileReadError)) throw err;
      if (err.reason === 'missing') return { kind: 'missing', message: `${path} does not exist` };
      if (err.reason === 'not-a-file') return { kind: 'not-a-file', message: `${path} ${err.message}` };
      if (err.reason === 'denied') return { kind: 'unreadable', message: `${path} cannot be read: permission denied (needs read access, e.g. run as root)` };
      if (err.reason === 'too-large') return { kind: 'unreadable', message: `${path} ${err.message}: too large to be a certificate or kubeconfig` };
      return { kind: 'unreadable', message: `${path} ${err.message}` };
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
