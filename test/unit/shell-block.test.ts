import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileError, UsageError } from '../../src/errors.ts';
import { END_MARKER, removeBlock, START_MARKER, scanRc, updateBlock } from '../../src/shell/block.ts';
import { joinLines, splitLines } from '../../src/shell/lines.ts';
import type { Syntax } from '../../src/shell/quote.ts';

const F = '/home/u/.bashrc';
const set = (text: string, name: string, value: string, syntax: Syntax = 'sh') =>
  updateBlock(text, syntax, { set: [[name, value]] }, F);
const unset = (text: string, name: string, syntax: Syntax = 'sh') =>
  updateBlock(text, syntax, { unset: [name] }, F);

function errorOf(fn: () => unknown): FileError {
  try {
    fn();
  } catch (err) {
    return err as FileError;
  }
  throw new Error('expected an error');
}

describe('splitLines / joinLines', () => {
  it('round-trips any text, CRLF, lone CR and missing final newline included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '\n', '\r', ' ', 'é') }),
        (t) => joinLines(splitLines(t)) === t,
      ),
    );
    expect(splitLines('a\r\nb\nc')).toEqual([
      { text: 'a', eol: '\r\n' },
      { text: 'b', eol: '\n' },
      { text: 'c', eol: '' },
    ]);
  });
});

describe('updateBlock', () => {
  it('appends a block at the end of the file, in the shell syntax', () => {
    expect(set('alias ll="ls -l"\n', 'K', 'v')).toBe(
      `alias ll="ls -l"\n${START_MARKER}\n# managed by codexgw; edit with codexgw env\nexport K='v'\n${END_MARKER}\n`,
    );
    expect(set('', 'K', "it's", 'fish')).toContain("\nset -gx K 'it\\'s'\n");
    expect(set('', 'K', "it's", 'pwsh')).toContain("\n$env:K = 'it''s'\n");
  });

  it('is idempotent: the same set twice returns the very same text', () => {
    const once = set('x=1\n', 'K', 'v');
    expect(set(once, 'K', 'v')).toBe(once);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((v) => !/[\n\r\u0000]|\p{Cs}/u.test(v)),
        (v) => {
          const a = set('x=1\n', 'K', v);
          return set(a, 'K', v) === a && scanRc(a, 'sh', F).block?.vars[0]?.value === v;
        },
      ),
    );
  });

  it('rewrites only the line of the variable that changes', () => {
    const a = set(set('top\n', 'A', '1'), 'B', '2');
    const b = set(a, 'A', '3');
    const diff = splitLines(a)
      .map((l, i) => [l.text, splitLines(b)[i]?.text])
      .filter(([x, y]) => x !== y);
    expect(diff).toEqual([["export A='1'", "export A='3'"]]);
  });

  it('set A, set B, unset A: only the block changed, B stays', () => {
    const user = 'one\r\ntwo\r\n';
    const after = unset(set(set(user, 'A', 'a'), 'B', 'b'), 'A');
    expect(after.startsWith(user)).toBe(true);
    expect(after).toBe(
      `${user}${START_MARKER}\r\n# managed by codexgw; edit with codexgw env\r\nexport B='b'\r\n${END_MARKER}\r\n`,
    );
  });

  it('keeps every user byte: CRLF, no final newline, lines around the block', () => {
    const fixture = `# my rc\r\nexport PATH="$HOME/bin:$PATH"\r\n${START_MARKER}\r\nexport OLD='x'\r\n${END_MARKER}\r\nalias g=git\r\nlast line, no newline`;
    const after = set(fixture, 'NEW', 'y');
    expect(after).toBe(
      `# my rc\r\nexport PATH="$HOME/bin:$PATH"\r\n${START_MARKER}\r\nexport OLD='x'\r\nexport NEW='y'\r\n${END_MARKER}\r\nalias g=git\r\nlast line, no newline`,
    );
    expect(unset(unset(after, 'NEW'), 'OLD')).toBe(
      `# my rc\r\nexport PATH="$HOME/bin:$PATH"\r\nalias g=git\r\nlast line, no newline`,
    );
  });

  it('uses the file line ending for new lines and adds one before the block when the file lacks it', () => {
    expect(set('a\r\nb', 'K', 'v')).toMatch(/^a\r\nb\r\n# >>> codexgw >>>\r\n.*\r\n# <<< codexgw <<<\r\n$/s);
  });

  it('keeps a line whose value is unchanged even if it was quoted another way', () => {
    const hand = `${START_MARKER}\nexport K=''\\''x'\n${END_MARKER}\n`;
    expect(set(hand, 'K', "'x")).toBe(hand);
  });

  it('removes the block when its last variable goes, and does nothing for an unknown one', () => {
    const a = set('top\n', 'A', '1');
    expect(unset(a, 'A')).toBe('top\n');
    expect(unset(a, 'NOPE')).toBe(a);
    expect(unset('top\n', 'A')).toBe('top\n');
  });

  it('adds a source line after the leading comment and keeps it while variables come and go', () => {
    const a = updateBlock('', 'sh', { source: '/c/codexgw.env' }, F);
    expect(splitLines(a).map((l) => l.text)).toEqual([
      START_MARKER,
      '# managed by codexgw; edit with codexgw env',
      "if [ -r '/c/codexgw.env' ]; then . '/c/codexgw.env'; fi",
      END_MARKER,
    ]);
    const b = updateBlock(set(set('', 'A', '1'), 'B', '2'), 'sh', { source: '/s', unset: ['A', 'B'] }, F);
    expect(scanRc(b, 'sh', F).block).toMatchObject({ vars: [], source: { file: '/s', line: 3 } });
    expect(updateBlock(b, 'sh', { source: null }, F)).toBe('');
  });

  it('refuses bad names and values before touching anything', () => {
    expect(() => set('', 'A-B', 'v')).toThrow(UsageError);
    expect(() => set('', 'K', 'a\nb')).toThrow(/newline/);
  });
});

describe('damaged blocks are reported with line numbers, never rewritten', () => {
  const cases: [string, string, RegExp][] = [
    [
      'a hand-edited line',
      `x\n${START_MARKER}\nexport K='v'\necho hi\n${END_MARKER}\n`,
      /:4: line 4 is not a line codexgw writes/,
    ],
    [
      'an end marker missing',
      `x\n${START_MARKER}\nexport K='v'\n`,
      /:2: the block started at line 2 never ends/,
    ],
    [
      'a start marker missing',
      `x\nexport K='v'\n${END_MARKER}\n`,
      /:3: line 3 ends a block that never starts/,
    ],
    [
      'duplicated markers',
      `${START_MARKER}\n${END_MARKER}\n${START_MARKER}\n${END_MARKER}\n`,
      /appears 2 times \(lines 1, 3\).*appears 2 times \(lines 2, 4\)/,
    ],
    [
      'markers in the wrong order',
      `${END_MARKER}\n${START_MARKER}\n`,
      /end marker \(line 1\) comes before the start marker \(line 2\)/,
    ],
    [
      'a variable set twice',
      `${START_MARKER}\nexport K='a'\nexport K='b'\n${END_MARKER}\n`,
      /K is set twice \(lines 2 and 3\)/,
    ],
    [
      'a double-quoted value',
      `${START_MARKER}\nexport K="$(id)"\n${END_MARKER}\n`,
      /line 2 is not a line codexgw writes/,
    ],
  ];
  for (const [what, text, re] of cases) {
    it(`reports ${what}`, () => {
      for (const fn of [
        () => set(text, 'N', 'v'),
        () => removeBlock(text, 'sh', F),
        () => scanRc(text, 'sh', F),
      ]) {
        const err = errorOf(fn);
        expect(err).toBeInstanceOf(FileError);
        expect(err.exitCode).toBe(3);
        expect(err.message).toMatch(re);
        expect(err.file).toBe(F);
        expect(err.hint).toMatch(/did not change the file/);
      }
    });
  }

  it('accepts blank lines and comments inside the block and keeps them', () => {
    const text = `${START_MARKER}\n# mine\n\nexport K='v'\n${END_MARKER}\n`;
    expect(set(text, 'K', 'w')).toBe(`${START_MARKER}\n# mine\n\nexport K='w'\n${END_MARKER}\n`);
  });
});

describe('removeBlock', () => {
  it('removes exactly the block lines', () => {
    const user = 'a\r\nb\r\n';
    expect(removeBlock(set(user, 'K', 'v'), 'sh', F)).toBe(user);
    expect(removeBlock(user, 'sh', F)).toBe(user);
  });
});
