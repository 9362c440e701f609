import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/io/redact.ts';
import { parseAssignment } from '../../src/shell/assignments.ts';
import { maskAssignments } from '../../src/shell/mask.ts';
import { exportLine, type Syntax } from '../../src/shell/quote.ts';

const value = (syntax: Syntax, line: string) => {
  const a = parseAssignment(syntax, line);
  return a === undefined ? 'not an assignment' : a.value;
};

describe('parseAssignment (sh)', () => {
  it('reads the literal forms people write', () => {
    expect(value('sh', "export K='a b'")).toBe('a b');
    expect(value('sh', 'export K="a \\$b \\"c\\""')).toBe('a $b "c"');
    expect(value('sh', 'K=plain # comment')).toBe('plain');
    expect(value('sh', '  export K=a\\ b; echo hi')).toBe('a b');
    expect(value('sh', 'K=')).toBe('');
  });

  it('does not guess what the shell computes', () => {
    for (const l of ['export K="$HOME/x"', 'K=$(cat f)', 'K=`id`', 'K=~/x', 'K=*.txt', "K='unterminated"]) {
      expect(value('sh', l)).toBeUndefined();
    }
  });

  it('skips K=v cmd (an environment for one command) and non-assignments', () => {
    expect(value('sh', 'K=v some-command')).toBe('not an assignment');
    expect(value('sh', 'echo K=v')).toBe('not an assignment');
    expect(value('sh', 'export K')).toBe('not an assignment');
  });
});

describe('parseAssignment (fish, pwsh)', () => {
  it('reads set -gx/-x/--export and plain set (fish keeps a variable exported)', () => {
    expect(value('fish', "set -gx K 'a\\'b'")).toBe("a'b");
    expect(value('fish', 'set --export --global K "x"')).toBe('x');
    expect(value('fish', 'set -g K v')).toBe('v');
    expect(value('fish', 'set -gx K $HOME/x')).toBeUndefined();
    expect(value('fish', 'set -gx K a b')).toBeUndefined();
    expect(value('fish', 'set -e K')).toBe('not an assignment');
    expect(value('fish', 'set -q K')).toBe('not an assignment');
  });

  it('reads $env:K = single or double quoted literals', () => {
    expect(value('pwsh', "$env:K = 'it''s'")).toBe("it's");
    expect(value('pwsh', '$Env:K="a""b"')).toBe('a"b');
    expect(value('pwsh', '$env:K = "$HOME"')).toBeUndefined();
    expect(value('pwsh', '$env:K = Get-Secret')).toBeUndefined();
  });
});

describe('maskAssignments', () => {
  it('masks every value it can find, block or not, and hides forms it cannot read', () => {
    const key = 'sk-live-0123456789abcdef';
    const text = [
      `export OPENAI_API_KEY="${key}"`,
      `${exportLine('sh', 'K', key)}`,
      `K2=${key} some-command`,
      'alias g=git',
    ].join('\n');
    const masked = maskAssignments(text, 'sh');
    expect(masked).not.toContain('0123456789');
    expect(masked).toBe(
      ['export OPENAI_API_KEY=sk…cdef', 'export K=sk…cdef', 'K2=…', 'alias g=git'].join('\n'),
    );
    expect(maskAssignments(`set -gx K '${key}'\n`, 'fish')).toBe('set -gx K sk…cdef\n');
    expect(maskAssignments(`$env:K = '${key}'\r\n`, 'pwsh')).toBe('$env:K = sk…cdef\r\n');
  });

  it('reads every syntax in any file (fish also runs export K=v) and masks key-shaped tokens elsewhere', () => {
    const key = 'sk-live-0123456789abcdef';
    expect(maskAssignments(`export K='${key}'\n`, 'fish')).toBe('export K=sk…cdef\n');
    expect(maskAssignments(`set -gx K '${key}'\n`, 'sh')).toBe('set -gx K sk…cdef\n');
    expect(maskAssignments(`alias c='curl -H "Authorization: Bearer ${key}"'\n`, 'sh')).toBe(
      `alias c='curl -H "Authorization: Bearer sk…cdef"'\n`,
    );
    // Long words without digits (paths, names) stay readable.
    expect(maskAssignments('source /usr/share/chruby/chruby_and_friends.sh\n', 'sh')).toBe(
      'source /usr/share/chruby/chruby_and_friends.sh\n',
    );
  });
});

describe('maskSecret, the rule every env output uses', () => {
  it('shows at most first 3 + … + last 4, never more than a quarter, and nothing below 12 characters', () => {
    expect(maskSecret('sk-proj-0123456789abcdefghij-wxyz')).toBe('sk-…wxyz');
    expect(maskSecret('pk-0123456789abcdefghijklmnop')).toBe('pk-…mnop');
    expect(maskSecret('sk-0123456789abcd')).toBe('…abcd');
    // A 12-character key shows 3 characters, not 7.
    expect(maskSecret('abcdefghijkl')).toBe('…jkl');
    expect(maskSecret('abcdefghijk')).toBe('…');
    expect(maskSecret('12345678')).toBe('…');
    expect(maskSecret('')).toBe('…');
  });
});
