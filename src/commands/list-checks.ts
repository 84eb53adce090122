import Table from 'cli-table3';
import { CHECKS } from '../checks/index.js';

const NEED_TEXT: Record<string, string> = { api: 'API reachable', nodes: 'may list nodes', etcd: 'etcd endpoints' };

/** `k8sdoc checks`: every check with what it looks at and what it needs. */
export function listChecks(format: 'table' | 'json', color: boolean): string {
  if (format === 'json') {
    return `${JSON.stringify(CHECKS.map((c) => ({ id: c.id, component: c.component, title: c.title, needs: c.needs, codes: c.codes })), null, 2)}\n`;
  }
  const table = new Table({
    head: ['ID', 'Component', 'Looks at', 'Needs'],
    wordWrap: true,
    colWidths: [24, 11, 60, 18],
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [] },
  });
  for (const c of CHECKS) table.push([c.id, c.component, c.title, c.needs.map((n) => NEED_TEXT[n] ?? n).join(', ') || '-']);
  return `${table.toString()}\nSelect with --only/--skip by id or component (apiserver, etcd, certs, nodes, kubelet, ports).\n`;
}
