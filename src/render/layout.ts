// Terminal layout: word wrapping that never cuts an address, paths shortened in the middle,
// and kubectl-style borderless columns that fit a width. Pure functions over plain strings;
// colour is added by the caller after the layout is decided.

/** Narrowest layout we try to honour: below this, columns would be one word wide. */
export const MIN_WIDTH = 40;
/** Widest line the report is laid out for, even on a very wide terminal: longer lines are hard to read. */
export const MAX_WIDTH = 160;
/** On a pipe (no terminal to ask), as wide as a classic terminal unless COLUMNS says otherwise. */
export const PIPE_WIDTH = 80;

/**
 * The width to lay the report out for: the terminal's own when there is one, else `COLUMNS`,
 * else 80. Clamped so that a broken value (0, 100000) still gives a readable report.
 */
export function outputWidth(terminalColumns: number | undefined, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  const chosen = terminalColumns && terminalColumns > 0 ? terminalColumns : Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : PIPE_WIDTH;
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, chosen));
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Printed width of a string: colour codes take no room. */
export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether a word is a path (shortened in the middle when too long) rather than an address. */
export function isPath(word: string): boolean {
  return !URL_LIKE.test(word) && (word.startsWith('/') || word.startsWith('~/') || word.startsWith('./')) && word.includes('/');
}

/**
 * A path no longer than `max`, shortened in the middle: the start, `…`, then as many whole
 * trailing segments as fit, always the file name (ten certificates under one long folder
 * must still read apart). A file name longer than `max` keeps its end.
 */
export function elidePath(path: string, max: number): string {
  if (path.length <= max) return path;
  const slash = path.lastIndexOf('/');
  const file = path.slice(slash + 1);
  if (file.length + 1 >= max) return `…${file.slice(file.length - (max - 1))}`;
  // Whole trailing segments, as many as leave room for at least a few characters of the start.
  let tail = `/${file}`;
  let rest = path.slice(0, slash);
  const room = () => max - 1 - tail.length;
  while (rest.includes('/')) {
    const cut = rest.lastIndexOf('/');
    const segment = rest.slice(cut);
    if (room() - segment.length < 4) break;
    tail = segment + tail;
    rest = rest.slice(0, cut);
  }
  return `${path.slice(0, Math.max(0, room()))}…${tail}`;
}

/**
 * Splits text into lines of at most `width` at spaces. An address (`10.0.0.1:6443`, a URL)
 * is never cut: longer than the width, it stands on its own line. A path is shortened in the
 * middle, or with `elide` false (where the full path is the point: a problem's subject) kept
 * whole like an address. Anything else too long (a hash, a hostile unbroken string) is cut
 * into pieces so that the layout holds.
 */
export function wrapText(text: string, width: number, elide = true): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  const push = (word: string) => {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= w) line = `${line} ${word}`;
    else {
      lines.push(line.trimEnd());
      line = word;
    }
  };
  for (const raw of text.split(' ')) {
    // A run of spaces is kept inside a line (`code  subject`, a command's `   # comment`).
    if (raw === '') {
      if (line !== '' && line.length < w) line += ' ';
      continue;
    }
    let word = raw;
    if (word.length > w && isPath(word) && elide) word = elidePath(word, w);
    if (word.length > w && !isAddress(word) && !isPath(word)) {
      for (let i = 0; i < word.length; i += w) push(word.slice(i, i + w));
      continue;
    }
    push(word);
  }
  if (line !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * The words of a shell line: split at spaces outside quotes and `$( … )`, so that a quoted
 * node name or a command substitution stays one word.
 */
function shellWords(code: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (quote !== null) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < code.length) word += code[i++];
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' && code[i - 1] === '$') depth += 1;
    else if (ch === ')' && depth > 0) depth -= 1;
    else if (ch === ' ' && depth === 0) {
      if (word !== '') words.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (word !== '') words.push(word);
  return words;
}

/**
 * A command laid out to be pasted as printed: broken only between shell words, each broken line
 * ending in ` \` so that the shell reads one line; a word is never cut or elided, even when it
 * is wider than the column (the terminal wraps it, the copy stays whole). A trailing
 * `   # comment` is kept after the command when it fits, else on lines of its own, each a comment.
 */
export function wrapCommand(text: string, width: number, firstPrefix: string, restPrefix = ' '.repeat(firstPrefix.length)): string[] {
  const at = text.indexOf('   # ');
  const code = at < 0 ? text : text.slice(0, at);
  const comment = at < 0 ? null : text.slice(at + 3);
  const lines: string[] = [];
  let line = firstPrefix;
  let empty = true;
  for (const word of shellWords(code)) {
    if (!empty && visibleLength(line) + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = restPrefix + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  if (comment !== null) {
    if (visibleLength(line) + 3 + comment.length <= width) line = `${line}   ${comment}`;
    else {
      lines.push(line);
      const body = comment.replace(/^#\s*/, '');
      for (const l of wrapText(body, width - restPrefix.length - 2, false)) lines.push(`${restPrefix}# ${l}`);
      return lines;
    }
  }
  lines.push(line);
  return lines;
}

/** Words that must stay whole however narrow the column: URLs and host:port, maybe in brackets or with punctuation. */
export function isAddress(word: string): boolean {
  const bare = word.replace(/^[("'[]+|[)"',.;:\]]+$/g, '');
  return URL_LIKE.test(bare) || /^[\w.-]+:\d{1,5}$/.test(bare) || /^\[[0-9a-f:]+\]:\d{1,5}$/i.test(bare);
}

/** Wraps, then indents every line; the first line may carry a different prefix (a label, a bullet). */
export function wrapIndented(text: string, width: number, firstPrefix: string, restPrefix = ' '.repeat(firstPrefix.length), elide = true): string[] {
  return wrapText(text, width - Math.max(visibleLength(firstPrefix), restPrefix.length), elide).map((l, i) => (i === 0 ? firstPrefix : restPrefix) + l);
}

export interface Column {
  header: string;
  /** Wraps on word boundaries when the line is too wide (messages); otherwise kept whole. */
  wrap?: boolean;
  /** Shortened in the middle when too wide (paths), keeping the file name. */
  elide?: boolean;
  /** Narrowest a wrapping or eliding column may become. */
  min?: number;
  /** Dropped (in this order, lowest first) when the line does not fit; `-o wide` keeps every column. */
  priority?: number;
  /** Columns only `-o wide` shows. */
  wideOnly?: boolean;
  /** Right-aligned (figures). */
  right?: boolean;
}

export interface ColumnsOptions {
  width: number;
  wide: boolean;
  /** Applied to a cell after layout (colour), given the plain cell text and its row. */
  paint?: (columnIndex: number, text: string, rowIndex: number) => string;
  gap?: number;
}

const natural = (cells: string[]) => Math.max(0, ...cells.map((c) => c.length));

/**
 * Narrowest a wrapped column may be: an address must fit whole, a path only its file name
 * and a little, any other word up to 30 characters (a longer one is cut rather than letting
 * one hostile string set the width).
 */
function longestWord(cells: string[]): number {
  return Math.max(0, ...cells.flatMap((c) => c.split(' ').map((w) => (isAddress(w) ? w.length : isPath(w) ? Math.min(w.length, 24) : Math.min(w.length, 30)))));
}

/**
 * Lays rows out as kubectl does: a header in capitals, columns separated by spaces, no
 * borders. When the line is too wide, wrapping columns give up room first (down to their
 * longest address), then the lowest-priority columns are left out (`-o wide` keeps them and
 * lets the line run long instead).
 */
export function renderColumns(columns: Column[], rows: string[][], options: ColumnsOptions): string[] {
  const gap = options.gap ?? 2;
  let shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => options.wide || !c.wideOnly);
  const cellsOf = (i: number) => [columns[i]!.header, ...rows.map((r) => r[i] ?? '')];
  const layout = () => {
    const widths = shown.map(({ i }) => natural(cellsOf(i)));
    const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    // Shrink the widest flexible column a step at a time, so that two messages share the room.
    for (;;) {
      const excess = total() - options.width;
      if (excess <= 0) break;
      let best = -1;
      for (let k = 0; k < shown.length; k += 1) {
        const { c, i } = shown[k]!;
        if (!c.wrap && !c.elide) continue;
        const floor = Math.max(c.min ?? 8, c.header.length, c.wrap ? Math.min(longestWord(rows.map((r) => r[i] ?? '')), 40) : 0);
        if (widths[k]! > floor && (best === -1 || widths[k]! > widths[best]!)) best = k;
      }
      if (best === -1) break;
      widths[best] = widths[best]! - 1;
    }
    return { widths, fits: total() <= options.width };
  };
  let { widths, fits } = layout();
  while (!fits && !options.wide) {
    const droppable = shown.filter(({ c }) => c.priority !== undefined);
    if (droppable.length === 0) break;
    const lowest = droppable.reduce((a, b) => (b.c.priority! < a.c.priority! ? b : a));
    shown = shown.filter((s) => s !== lowest);
    ({ widths, fits } = layout());
  }
  const out: string[] = [];
  const all = [shown.map(({ c }) => c.header), ...rows.map((r) => shown.map(({ i }) => r[i] ?? ''))];
  all.forEach((row, rowIndex) => {
    const cellLines = row.map((cell, k) => {
      const { c } = shown[k]!;
      const w = widths[k]!;
      if (c.wrap && rowIndex > 0) return wrapText(cell, w);
      if (c.elide && cell.length > w) return [isPath(cell) ? elidePath(cell, w) : cell];
      return [cell];
    });
    const height = Math.max(...cellLines.map((l) => l.length));
    for (let line = 0; line < height; line += 1) {
      const parts = cellLines.map((l, k) => {
        const text = l[line] ?? '';
        const w = widths[k]!;
        const padded = shown[k]!.c.right ? text.padStart(w) : text.padEnd(w);
        const painted = options.paint && text !== '' ? padded.replace(text, options.paint(shown[k]!.i, text, rowIndex - 1)) : padded;
        return painted;
      });
      out.push(parts.join(' '.repeat(gap)).trimEnd());
    }
  });
  return out;
}
