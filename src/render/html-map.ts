// The control plane drawn as inline SVG for the HTML report: the balancer (the kubeconfig's
// server), the API servers behind it, the etcd members with their leader and the quorum, and
// the nodes by state. Drawn only from the report's tables; nothing is fetched.
import type { Status } from '../engine/types.js';
import type { ComponentTable, ReportView, TableRow } from './view.js';

export const STATUS_COLOUR: Record<Status, string> = { ok: '#2e7d32', warn: '#e0a800', crit: '#c62828', skip: '#9e9e9e', error: '#6a1b9a' };

/** Text for an SVG or HTML document: markup characters as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  status: Status;
  lines: string[];
  /** A thicker border: the etcd leader. */
  strong?: boolean;
}

function box(b: Box, kind: string): string {
  const text = b.lines
    .map(
      (l, i) =>
        `<text x="${b.x + b.w / 2}" y="${b.y + 18 + i * 15}" text-anchor="middle"${i === 0 ? ' font-weight="bold"' : ''}>${escapeHtml(clip(l, Math.floor(b.w / 6.6)))}</text>`,
    )
    .join('');
  return `<g class="node ${kind} ${b.status}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" fill="${STATUS_COLOUR[b.status]}" fill-opacity="0.14" stroke="${STATUS_COLOUR[b.status]}" stroke-width="${b.strong ? 4 : 2}"/>${text}</g>`;
}

function line(x1: number, y1: number, x2: number, y2: number, status: Status = 'skip'): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${STATUS_COLOUR[status]}" stroke-width="1.5"${status === 'skip' ? ' stroke-dasharray="4 3"' : ''}/>`;
}

function label(x: number, y: number, text: string): string {
  return `<text x="${x}" y="${y}" class="label" font-weight="bold">${escapeHtml(text)}</text>`;
}

/** Lays `count` boxes of width `w` centred across `width`, wrapping into rows. */
function spread(count: number, w: number, width: number, gap = 16): { x: number; row: number }[] {
  const perRow = Math.max(1, Math.floor((width - 40 + gap) / (w + gap)));
  return Array.from({ length: count }, (_, i) => {
    const row = Math.floor(i / perRow);
    const inRow = Math.min(perRow, count - row * perRow);
    const start = (width - (inRow * w + (inRow - 1) * gap)) / 2;
    return { x: start + (i % perRow) * (w + gap), row };
  });
}

const statusOf = (row: TableRow) => row.status;
const table = (view: ReportView, id: ComponentTable['id']) => view.tables.find((t) => t.id === id);

export interface MapFacts {
  /** `2 of 3 healthy, quorum 2` from etcd-quorum, when it ran. */
  quorum: string | null;
  quorumStatus: Status;
  server: string | null;
}

export function controlPlaneMap(view: ReportView, facts: MapFacts): string {
  const width = 920;
  const parts: string[] = [];
  let y = 10;
  const api = table(view, 'apiservers');
  const balancerRow = api?.rows.find((r) => r.cells[1] === 'kubeconfig');
  const backends = api?.rows.filter((r) => r !== balancerRow) ?? [];
  // The balancer: the kubeconfig's server, as seen through it.
  const lb: Box = {
    x: width / 2 - 150,
    y,
    w: 300,
    h: 44,
    status: balancerRow ? statusOf(balancerRow) : 'skip',
    lines: ['kubeconfig server', facts.server ?? 'unknown'],
  };
  parts.push(box(lb, 'balancer'));
  y += 44 + 50;
  parts.push(label(10, y - 12, 'API servers'));
  const apiW = 200;
  const apiPos = spread(Math.max(1, backends.length), apiW, width);
  const apiRows = Math.max(1, ...apiPos.map((p) => p.row + 1));
  const apiBoxes: Box[] =
    backends.length === 0
      ? [{ x: apiPos[0]!.x, y, w: apiW, h: 44, status: 'skip', lines: ['not probed one by one', 'pass --apiserver'] }]
      : backends.map((r, i) => ({
          x: apiPos[i]!.x,
          y: y + apiPos[i]!.row * 60,
          w: apiW,
          h: 44,
          status: statusOf(r),
          lines: [r.cells[1] === '-' ? 'API server' : r.cells[1]!, r.cells[0]!],
        }));
  for (const b of apiBoxes) parts.push(line(lb.x + lb.w / 2, lb.y + lb.h, b.x + b.w / 2, b.y, b.status), box(b, 'apiserver'));
  y += apiRows * 60 + 40;
  const etcd = table(view, 'etcd-members');
  parts.push(label(10, y - 12, `etcd${facts.quorum ? `: ${facts.quorum}` : ''}`));
  const etcdW = 200;
  const members = etcd?.rows ?? [];
  const etcdPos = spread(Math.max(1, members.length), etcdW, width);
  const etcdRows = Math.max(1, ...etcdPos.map((p) => p.row + 1));
  const etcdBoxes: Box[] =
    members.length === 0
      ? [{ x: etcdPos[0]!.x, y, w: etcdW, h: 58, status: 'skip', lines: ['etcd', 'members not observed'] }]
      : members.map((r, i) => ({
          x: etcdPos[i]!.x,
          y: y + etcdPos[i]!.row * 74,
          w: etcdW,
          h: 58,
          status: statusOf(r),
          strong: r.cells[3] === 'leader',
          lines: [`${r.cells[0]}${r.cells[3] === 'leader' ? ' ★ leader' : ''}`, r.cells[1]!, r.cells[8] ? `${r.cells[8]}` : `${r.cells[3]} · ${r.cells[4]}`],
        }));
  // The API servers talk to etcd: one line from the API row to each member.
  const apiBottom = Math.max(...apiBoxes.map((b) => b.y + b.h));
  for (const b of etcdBoxes) parts.push(line(width / 2, apiBottom + 12, b.x + b.w / 2, b.y, facts.quorumStatus === 'crit' ? 'crit' : b.status));
  parts.push(line(width / 2, apiBottom, width / 2, apiBottom + 12, facts.quorumStatus));
  for (const b of etcdBoxes) parts.push(box(b, 'etcd'));
  // The quorum itself, as a band around the members in the quorum's colour.
  const minX = Math.min(...etcdBoxes.map((b) => b.x)) - 8;
  const maxX = Math.max(...etcdBoxes.map((b) => b.x + b.w)) + 8;
  parts.push(
    `<rect class="quorum ${facts.quorumStatus}" x="${minX}" y="${y - 8}" width="${maxX - minX}" height="${etcdRows * 74 - 0}" rx="10" fill="none" stroke="${STATUS_COLOUR[facts.quorumStatus]}" stroke-dasharray="6 4"/>`,
  );
  y += etcdRows * 74 + 40;
  const nodes = table(view, 'nodes');
  const nodeRows = nodes?.rows ?? [];
  const ready = nodeRows.filter((r) => r.cells[2] === 'True').length;
  const notReady = nodeRows.filter((r) => r.cells[2] === 'False' || r.cells[2] === 'Unknown').length;
  parts.push(
    label(
      10,
      y - 12,
      nodeRows.length === 0 ? 'Nodes: not listed' : `Nodes: ${ready} Ready, ${notReady} NotReady, ${nodeRows.length - ready - notReady} unknown`,
    ),
  );
  const nodeW = 140;
  // By state: the broken ones first, where the eye starts.
  const order = { crit: 0, error: 1, warn: 2, skip: 3, ok: 4 } as const;
  const sorted = [...nodeRows].sort((a, b) => order[a.status] - order[b.status]);
  const nodePos = spread(Math.max(1, sorted.length), nodeW, width, 10);
  const nodeLines = Math.max(1, ...nodePos.map((p) => p.row + 1));
  sorted.forEach((r, i) => {
    const state = r.cells[2] === 'True' ? 'Ready' : r.cells[2] === 'False' ? 'NotReady' : r.cells[2] === 'Unknown' ? 'Unknown' : 'not listed';
    parts.push(
      box(
        { x: nodePos[i]!.x, y: y + nodePos[i]!.row * 56, w: nodeW, h: 44, status: statusOf(r), lines: [r.cells[0]!, `${state} · ${r.cells[1]}`] },
        'k8s-node',
      ),
    );
  });
  if (sorted.length === 0) parts.push(box({ x: nodePos[0]!.x, y, w: nodeW, h: 44, status: 'skip', lines: ['nodes', 'not listed'] }, 'k8s-node'));
  y += nodeLines * 56 + 10;
  return `<svg role="img" aria-label="Map of the control plane" viewBox="0 0 ${width} ${y}" width="100%" font-family="system-ui, sans-serif" font-size="12">${parts.join('')}</svg>`;
}
