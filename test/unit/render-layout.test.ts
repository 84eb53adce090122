// Terminal layout: the report fits 60, 80 and 120 columns; words wrap at spaces, an address is
// never cut, a path loses its middle and keeps its file name; cluster strings cannot reach
// the terminal, a Markdown ticket or an HTML page as anything but text.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/engine/types.js';
import { buildReport } from '../../src/engine/report.js';
import { elidePath, outputWidth, renderColumns, wrapText } from '../../src/render/layout.js';
import { renderHtml } from '../../src/render/html.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderTable } from '../../src/render/table.js';
import { fixedReport } from '../helpers/fixed-report.js';

const ADDRESS = /(https?:\/\/)?\d+\.\d+\.\d+\.\d+:\d+/g;

describe('wrapText', () => {
  it('breaks at spaces and keeps every line within the width', () => {
    const lines = wrapText('the quick brown fox jumps over the lazy dog', 12);
    expect(lines).toEqual(['the quick', 'brown fox', 'jumps over', 'the lazy dog']);
  });

  it('never cuts a host:port or a URL, even when it is wider than the column', () => {
    const lines = wrapText('gone: cp-2 (https://127.0.0.12:2379: refused), 10.0.0.1:6443 too', 10);
    expect(lines).toContain('(https://127.0.0.12:2379:');
    expect(lines).toContain('10.0.0.1:6443');
  });

  it('shortens a long path in the middle, keeping its file name', () => {
    const [line] = wrapText('/tmp/k8sdoc-sim-healthy-8f2u5M/kubernetes/pki/etcd/healthcheck-client.crt', 40);
    expect(line!.length).toBeLessThanOrEqual(40);
    expect(line).toMatch(/^\/tmp.*…\/.*healthcheck-client\.crt$/);
  });

  it('cuts an unbroken hostile string into pieces instead of overflowing', () => {
    expect(wrapText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

describe('elidePath', () => {
  it('keeps whole trailing segments and the start', () => {
    expect(elidePath('/etc/kubernetes/pki/etcd/healthcheck-client.crt', 30)).toBe('/etc/k…/healthcheck-client.crt');
    expect(elidePath('/etc/kubernetes/pki/etcd/healthcheck-client.crt', 36)).toBe('/etc/ku…/etcd/healthcheck-client.crt');
    expect(elidePath('/short.crt', 30)).toBe('/short.crt');
  });

  it('keeps the end of a file name longer than the room', () => {
    expect(elidePath('/a/very-long-certificate-file-name.crt', 12)).toBe('…le-name.crt');
  });
});

describe('outputWidth', () => {
  it('uses the terminal, else COLUMNS, else 80 on a pipe', () => {
    expect(outputWidth(132, { COLUMNS: '60' })).toBe(132);
    expect(outputWidth(undefined, { COLUMNS: '100' })).toBe(100);
    expect(outputWidth(undefined, {})).toBe(80);
    expect(outputWidth(undefined, { COLUMNS: 'wide' })).toBe(80);
    expect(outputWidth(undefined, { COLUMNS: '5' })).toBe(40);
  });
});

describe('renderColumns', () => {
  const columns = [{ header: 'NAME' }, { header: 'EXTRA', priority: 1 }, { header: 'MESSAGE', wrap: true }, { header: 'STATUS' }];
  const rows = [['cp-1', 'something optional', 'member unreachable: dial tcp 10.0.0.12:2379: connect: connection refused', 'CRIT']];

  it('prints borderless, space-separated columns under a header', () => {
    const out = renderColumns(columns, rows, { width: 200, wide: false });
    expect(out[0]).toMatch(/^NAME {2}EXTRA {15}MESSAGE {2,}STATUS$/);
    expect(out[1]).toContain('cp-1  something optional  member unreachable');
  });

  it('wraps the message, then drops a low-priority column; wide keeps it', () => {
    const narrow = renderColumns(columns, rows, { width: 40, wide: false });
    expect(narrow[0]).not.toContain('EXTRA');
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(40);
    expect(narrow.join('\n')).toContain('10.0.0.12:2379:');
    const wide = renderColumns(columns, rows, { width: 40, wide: true });
    expect(wide[0]).toContain('EXTRA');
  });
});

function longReport(): ReturnType<typeof fixedReport> {
  const extra: Result[] = [
    {
      check: 'certs-files',
      component: 'certs',
      subject: '/var/lib/rancher/k3s/server/tls/etcd/very/deep/folder/structure/serving-kube-apiserver.crt',
      status: 'crit',
      code: 'cert-expired',
      message: 'CN=kube-apiserver expired 3 days ago, served on https://10.0.0.11:6443 and https://10.0.0.12:6443 by the API servers behind the load balancer',
      durationMs: 1,
      data: {
        name: 'serving-kube-apiserver',
        source: 'file /var/lib/rancher/k3s/server/tls/etcd/very/deep/folder/structure/serving-kube-apiserver.crt',
        issuer: 'CN=k3s-server-ca',
        notAfter: '2026-11-22T00:00:00.000Z',
        residualTime: 'expired',
      },
    },
  ];
  return fixedReport(extra);
}

describe.each([60, 80, 120])('the table report at %i columns', (width) => {
  const text = renderTable(longReport(), { color: false, width });
  const lines = text.split('\n');

  it('has no line wider than the terminal, but for one word alone on its line: a URL, a problem path, or a word of a command that must stay whole to be pasted', () => {
    for (const l of lines) if (l.length > width) expect(l.trim(), l).toMatch(/^((https:\/\/|\/)\S+|(\$ )?\S+( \\)?)$/);
    expect(lines.filter((l) => l.length > width).length).toBeLessThanOrEqual(width < 80 ? 6 : 2);
  });

  it('keeps every address whole on one line', () => {
    const wanted = ['https://10.0.1.10:6443', '10.0.1.10:6443', 'https://10.0.0.11:6443', 'https://10.0.0.12:6443'];
    const seen = new Set(lines.flatMap((l) => l.match(ADDRESS) ?? []));
    for (const a of wanted) expect(seen, a).toContain(a);
  });

  it('keeps the certificate file name where the path is shortened', () => {
    expect(text).toContain('serving-kube-apiserver.crt');
  });

  it('puts the verdict first and last, naming the cause', () => {
    expect(lines[1]).toMatch(/^CRIT {2}most likely cause: /);
    // The last lines repeat the verdict whole: status, cause and its first step.
    const opening = lines.slice(1, lines.indexOf('', 1));
    expect(opening.some((l) => l.startsWith('  First step: '))).toBe(true);
    expect(text.trimEnd().split('\n').slice(-opening.length)).toEqual(opening);
  });
});

describe('--problems-only', () => {
  it('prints the verdict and the problems, no tables', () => {
    const text = renderTable(fixedReport(), { color: false, width: 80, problemsOnly: true });
    expect(text.split('\n')[0]).toMatch(/^CRIT {2}most likely cause: etcd-quorum-lost on etcd/);
    expect(text).toContain('PROBLEMS');
    expect(text).not.toMatch(/^CHECK /m);
    const opening = text.split('\n').slice(0, text.split('\n').indexOf(''));
    expect(text.trimEnd().split('\n').slice(-opening.length)).toEqual(opening);
  });
});

describe('hostile strings from the cluster', () => {
  const evil: Result = {
    check: 'nodes-ready',
    component: 'nodes',
    subject: 'node evil\u001b]0;pwned\u0007',
    status: 'crit',
    code: 'node-not-ready',
    message: 'NotReady: <script>alert(1)</script> [click](http://evil.example) \u001b[2J\nforged line',
    durationMs: 1,
    data: { node: 'evil\u001b[31m<img src=x onerror=alert(1)>', ready: 'False', host: '10.0.0.9' },
  };
  const report = buildReport({
    version: '0.1.0',
    context: 'ctx\u001b[2J',
    server: 'https://10.0.0.1:6443',
    startedAt: new Date(0),
    durationMs: 1,
    results: [evil],
  });

  it('reach the terminal with their control characters shown escaped', () => {
    const text = renderTable(report, { color: false, width: 80 });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('\\x1b]0;pwned\\x07');
    expect(text).not.toMatch(/^forged line/m);
  });

  it('reach Markdown as text: no link, no HTML', () => {
    const md = renderMarkdown(report);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('](http://evil.example)');
    expect(md).toContain('\\[click\\]\\(http://evil.example\\)');
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('reach HTML escaped, and the page loads nothing from anywhere', () => {
    const html = renderHtml(report);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|srcset)=/i);
    // Links to the docs are followed only when clicked; nothing else points outside.
    for (const href of html.match(/\shref="[^"]*"/g) ?? []) expect(href).toMatch(/^ href="https:\/\//);
    expect(html).not.toMatch(/url\(|@import|<link/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });
});
