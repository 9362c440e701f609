import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePalette } from '../../src/io/colors.ts';
import { splitLines, unifiedDiff } from '../../src/io/diff.ts';

const labels = { fromLabel: 'a/config.toml', toLabel: 'b/config.toml' };

/** Apply a unified diff to `text` (a strict little `patch`: context must match exactly). */
function applyPatch(text: string, diff: string): string {
  const src = splitLines(text);
  const lines = diff.split('\n').slice(2, -1);
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < lines.length; ) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(lines[i]!);
    if (!m) throw new Error(`bad hunk header: ${lines[i]}`);
    const start = Number(m[1]);
    const len = m[2] === undefined ? 1 : Number(m[2]);
    const from = len === 0 ? start : start - 1;
    while (at < from) out.push(src[at++]!);
    i++;
    let pending: { kind: string; text: string } | undefined;
    const flush = () => {
      if (!pending) return;
      if (pending.kind === '+') out.push(pending.text);
      else {
        expect(src[at]).toBe(pending.text);
        if (pending.kind === ' ') out.push(src[at]!);
        at++;
      }
      pending = undefined;
    };
    for (; i < lines.length && !lines[i]!.startsWith('@@'); i++) {
      const line = lines[i]!;
      if (line === '\\ No newline at end of file') {
        pending!.text = pending!.text.slice(0, -1);
        continue;
      }
      flush();
      pending = { kind: line[0]!, text: `${line.slice(1)}\n` };
    }
    flush();
  }
  while (at < src.length) out.push(src[at++]!);
  return out.join('');
}

describe('unified diff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', labels)).toBe('');
  });

  it('shows a change with three lines of context, like diff -u', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const b = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff(a, b, labels)).toBe(
      '--- a/config.toml\n+++ b/config.toml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n',
    );
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('x = 1', 'x = 1\ny = 2', labels)).toBe(
      '--- a/config.toml\n+++ b/config.toml\n@@ -1 +1,2 @@\n-x = 1\n\\ No newline at end of file\n+x = 1\n+y = 2\n\\ No newline at end of file\n',
    );
  });

  it('shows CRLF lines without the carriage return', () => {
    expect(unifiedDiff('a\r\nb\r\n', 'a\r\nc\r\n', labels)).toContain('\n-b\n+c\n');
  });

  it('colours removed and added lines', () => {
    const out = unifiedDiff('a\n', 'b\n', { ...labels, color: makePalette(1) });
    expect(out).toContain('\u001b[31m-a\u001b[39m');
    expect(out).toContain('\u001b[32m+b\u001b[39m');
  });

  it('numbers a small change deep in a large file right (speed is for npm run bench)', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `key_${i} = ${i}`).join('\n');
    const changed = big.replace('key_10000 = 10000', 'key_10000 = 1');
    expect(unifiedDiff(big, changed, labels)).toBe(
      [
        '--- a/config.toml',
        '+++ b/config.toml',
        '@@ -9998,7 +9998,7 @@',
        ' key_9997 = 9997',
        ' key_9998 = 9998',
        ' key_9999 = 9999',
        '-key_10000 = 10000',
        '+key_10000 = 1',
        ' key_10001 = 10001',
        ' key_10002 = 10002',
        ' key_10003 = 10003',
        '',
      ].join('\n'),
    );
    expect(applyPatch(big, unifiedDiff(big, changed, { ...labels, context: 0 }))).toBe(changed);
  });

  it('stays correct when everything changed (the shortest-diff search gives up)', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}\n`).join('');
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}\n`).join('');
    expect(applyPatch(a, unifiedDiff(a, b, labels))).toBe(b);
  });

  it('always produces a diff that turns the old text into the new one', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'a = 1', '', '# c'), { maxLength: 30 })
      .chain((lines) => fc.tuple(fc.constant(lines), fc.boolean()))
      .map(([lines, finalNewline]) => lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : ''));
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
        const diff = unifiedDiff(a, b, { ...labels, context });
        if (a === b) expect(diff).toBe('');
        else expect(applyPatch(a, diff)).toBe(b);
      }),
      { numRuns: 500 },
    );
  });
});
