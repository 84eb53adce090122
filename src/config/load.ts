// Finds and reads the config file: --config, else ./.k8sdoc.yaml, else the user's
// ~/.config/k8sdoc/config.yaml ($XDG_CONFIG_HOME honoured, as ~/.config is its default).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { FileReadError, isStdinPath, readFileCappedSync } from '../util/read-file-capped.js';
import type { ConfigFile } from './types.js';

export interface ConfigSource {
  /** --config: must exist. */
  explicitPath: string | null;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The files looked at, in order, when --config is not given. */
export function defaultConfigPaths(source: Pick<ConfigSource, 'cwd' | 'env'>): string[] {
  const configHome = source.env.XDG_CONFIG_HOME || join(source.env.HOME || homedir(), '.config');
  return [resolve(source.cwd, '.k8sdoc.yaml'), join(configHome, 'k8sdoc', 'config.yaml')];
}

/** A config file is a page of YAML; anything near this size is the wrong file. */
const MAX_CONFIG_BYTES = 1024 * 1024;

function read(path: string, explicit: boolean): string | null {
  try {
    return readFileCappedSync(path, { maxBytes: MAX_CONFIG_BYTES, allowStdin: explicit }).toString('utf8');
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    if (err.reason === 'missing' && !explicit) return null;
    const why = err.reason === 'missing' ? 'no such file' : err.message.replace(/^is /, 'it is ').replace(/^cannot be read: /, '');
    const hint = err.reason === 'not-a-file' || err.reason === 'too-large' ? '; point --config at a YAML file (or - to read it from a pipe)' : '';
    throw new UsageError(`${explicit ? '--config: ' : ''}cannot read config file ${err.path}: ${why}${hint}`);
  }
}

async function parse(text: string, path: string): Promise<ConfigFile> {
  // The YAML parser loads only when there is a file: most runs have none, and start-up counts.
  const { parseConfig } = await import('./parse.js');
  return parseConfig(text, path);
}

/** The config in effect, or null when there is none. */
export async function loadConfig(source: ConfigSource): Promise<ConfigFile | null> {
  if (source.explicitPath !== null) {
    const path = isStdinPath(source.explicitPath) ? source.explicitPath : resolve(source.cwd, source.explicitPath);
    return parse(read(path, true)!, path);
  }
  for (const path of defaultConfigPaths(source)) {
    const text = read(path, false);
    if (text !== null) return parse(text, path);
  }
  return null;
}
