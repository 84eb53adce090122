import { describe, expect, it } from 'vitest';
import { safeLines, safeText } from '../../../src/util/terminal-text.js';

describe('safeText', () => {
  it('shows escape sequences instead of passing them to the terminal', () => {
    expect(safeText('node\u001b[2Jx')).toBe('node\\x1b[2Jx');
    expect(safeText('\u001b]0;pwned\u0007')).toBe('\\x1b]0;pwned\\x07');
  });
  it('escapes a newline, so a string cannot forge a report line', () => {
    expect(safeText('ok\nCRIT forged-line')).toBe('ok\\nCRIT forged-line');
  });
  it('escapes C1 controls (U+009B is a one-byte CSI) and bidi overrides', () => {
    expect(safeText('a\u009b2Jb')).toBe('a\\x9b2Jb');
    expect(safeText('x\u202eexe.txt')).toBe('x\\u202eexe.txt');
  });
  it('leaves ordinary text, Unicode included, as it is', () => {
    expect(safeText('worker-2 · Ready ✓ 東京')).toBe('worker-2 · Ready ✓ 東京');
  });
  it('safeLines keeps line breaks and escapes the rest', () => {
    expect(safeLines('a\u001b\nb')).toBe('a\\x1b\nb');
  });
});
