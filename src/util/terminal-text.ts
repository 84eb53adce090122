// Strings from a cluster (node names, condition messages, versions, server bodies) or from a
// file are hostile: an escape sequence can clear the screen, retitle the window or plant a
// hyperlink, a newline can forge a report line. Everything such a string carries that a
// terminal would act on is shown escaped instead, so the reader sees what was sent.

// C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what is shown.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line safe to print: control characters (newlines included) shown as escapes. */
export function safeText(value: string): string {
  return value.replace(UNSAFE, escapeOne);
}

/** Like safeText, but keeps line breaks (for multi-line text the tool itself lays out). */
export function safeLines(value: string): string {
  return value
    .split('\n')
    .map((line) => safeText(line))
    .join('\n');
}
