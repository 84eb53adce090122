import { CHECK_INFO as BUILTIN_INFO } from '../registry/info.generated.js';
import type { CheckInfo } from '../engine/types.js';

const NEED_TEXT: Record<string, string> = { api: 'API reachable', nodes: 'may list nodes', etcd: 'etcd endpoints' };

/**
 * `k8sdoc checks`: every check with what it looks at and what it needs. Plain columns, as
 * kubectl prints them: the table library (and its emoji-width tables) would cost this command
 * a sixth of its start-up.
 */
export function listChecks(format: 'table' | 'json', color: boolean, plugins: readonly CheckInfo[] = []): string {
  const CHECK_INFO = [...BUILTIN_INFO, ...plugins];
  if (format === 'json') {
    return `${JSON.stringify(
      CHECK_INFO.map((c) => ({ id: c.id, component: c.component, title: c.title, needs: c.needs, codes: c.codes })),
      null,
      2,
    )}\n`;
  }
  const rows = [
    ['ID', 'COMPONENT', 'NEEDS', 'LOOKS AT'],
    ...CHECK_INFO.map((c) => [c.id, c.component, c.needs.map((n) => NEED_TEXT[n] ?? n).join(', ') || '-', c.title]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r, i) => {
    const line = `${r
      .slice(0, 3)
      .map((cell, j) => cell.padEnd(widths[j]!))
      .join('   ')}   ${r[3]}`;
    return i === 0 && color ? `\u001b[1m${line}\u001b[22m` : line;
  });
  const components = [...new Set(['apiserver', 'etcd', 'control-plane', 'certs', 'nodes', 'kubelet', 'ports', ...plugins.map((p) => p.component)])];
  return `${lines.join('\n')}\n\nSelect with --only/--skip by id or component (${components.join(', ')}).\n`;
}
