// `k8sdoc version` and `--version`: enough to tell two builds apart in a bug report.
import { BUILD_DATE, COMMIT, VERSION } from '../version.js';

export interface VersionInfo {
  version: string;
  commit: string;
  buildDate: string;
  node: string;
  platform: string;
}

export function versionInfo(): VersionInfo {
  return { version: VERSION, commit: COMMIT, buildDate: BUILD_DATE, node: process.version, platform: `${process.platform}/${process.arch}` };
}

/** One line for people (`k8sdoc 0.1.0 (commit …, built …, Node.js v20…)`), or JSON for machines. */
export function versionText(format: 'text' | 'json'): string {
  const v = versionInfo();
  if (format === 'json') return `${JSON.stringify(v, null, 2)}\n`;
  const commit = /^[0-9a-f]{40}$/.test(v.commit) ? v.commit.slice(0, 12) : v.commit;
  return `k8sdoc ${v.version} (commit ${commit}, built ${v.buildDate}, Node.js ${v.node} ${v.platform})\n`;
}
