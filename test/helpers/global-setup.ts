// Runs once before the suite: the spawned-CLI tests need the build. It also names one file
// that every simulated server of the whole run appends its requests to (workers and spawned
// children inherit the variable), and fails the run at teardown if any request but GET or
// HEAD ever reached one: k8sdoc never writes, proven over the suite, not one test. The only
// exception is a simulator test that sends a write on purpose and says so in its User-Agent.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DELIBERATE_WRITE_USER_AGENT, readRequestLogFile, REQUEST_LOG_FILE_ENV } from '../../src/sim/request-log.js';

const READS = new Set(['GET', 'HEAD']);

export default function setup(): () => void {
  if (!existsSync('dist/k8sdoc.mjs')) {
    throw new Error('dist/k8sdoc.mjs is missing: run `npm test` (it builds first) or `npm run build`');
  }
  const dir = mkdtempSync(join(tmpdir(), 'k8sdoc-suite-requests-'));
  const file = join(dir, 'requests.jsonl');
  process.env[REQUEST_LOG_FILE_ENV] = file;
  return () => {
    const requests = readRequestLogFile(file);
    rmSync(dir, { recursive: true, force: true });
    const writes = requests.filter((r) => !READS.has(r.method) && r.userAgent !== DELIBERATE_WRITE_USER_AGENT);
    if (writes.length > 0) {
      const sample = writes
        .slice(0, 5)
        .map((w) => `${w.method} ${w.server}${w.path} (${w.identity})`)
        .join('; ');
      // vitest reports an error thrown here but still exits 0: set the exit code too.
      process.exitCode = 1;
      throw new Error(`${writes.length} of ${requests.length} requests to simulated servers were not GET or HEAD: ${sample}`);
    }
  };
}
