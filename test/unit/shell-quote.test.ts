import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import {
  assertValue,
  assertVarName,
  exportLine,
  parseExportLine,
  parseSourceLine,
  quote,
  type Syntax,
  sourceLine,
  unquote,
} from '../../src/shell/quote.ts';

const SYNTAXES: Syntax[] = ['sh', 'fish', 'pwsh'];
const hostile = fc.string({
  unit: fc.constantFrom(
    ...'\'"$`\\!*?;&|<>(){}[]~#% aZ9-é€😀\t\u2018\u2019\u201a\u201b\u2028\u2029\u0085=:'.split(''),
    '$(touch X)',
    '😀',
  ),
  minLength: 1,
  maxLength: 40,
});

describe('quote (sh: bash, zsh)', () => {
  it("single-quotes, with a quote as \\' between runs and no empty runs", () => {
    expect(quote('sh', 'abc')).toBe("'abc'");
    expect(quote('sh', "a'b")).toBe("'a'\\''b'");
    expect(quote('sh', "'")).toBe("\\'");
    expect(quote('sh', "''x")).toBe("\\'\\''x'");
    expect(quote('sh', "x'")).toBe("'x'\\'");
    expect(quote('sh', '')).toBe("''");
    expect(quote('sh', '$(touch X) `id` \\ "')).toBe("'$(touch X) `id` \\ \"'");
  });

  // Tokenise as sh does outside quotes: only quoted runs and \' may appear, and no run is empty
  // (an empty '' next to a quote is what zsh's RC_QUOTES would read as a literal quote).
  const shTokens = (q: string): string[] | undefined => {
    const re = /'[^']*'|\\'/y;
    const out: string[] = [];
    while (re.lastIndex < q.length) {
      const m = re.exec(q);
      if (!m) return undefined;
      out.push(m[0]);
    }
    return out;
  };

  it("is made only of non-empty quoted runs and \\' (so no empty '' pair)", () => {
    fc.assert(
      fc.property(hostile, (v) => {
        const tokens = shTokens(quote('sh', v));
        return tokens !== undefined && !tokens.includes("''");
      }),
    );
  });
});

describe('quote (fish)', () => {
  it("escapes only \\ and ' inside single quotes", () => {
    expect(quote('fish', "a'b\\c$d")).toBe("'a\\'b\\\\c$d'");
    expect(quote('fish', '\\n')).toBe("'\\\\n'");
  });
});

describe('quote (pwsh)', () => {
  it('uses a verbatim string: each quote doubled, nothing else escaped', () => {
    expect(quote('pwsh', 'abc')).toBe("'abc'");
    expect(quote('pwsh', "it's")).toBe("'it''s'");
    expect(quote('pwsh', '$env:HOME `n $(Get-Date) "x" \\')).toBe('\'$env:HOME `n $(Get-Date) "x" \\\'');
  });

  it('doubles the typographic single quotes too (PowerShell treats ‘ ’ ‚ ‛ as quotes)', () => {
    expect(quote('pwsh', 'a\u2018b\u2019c\u201ad\u201be')).toBe(
      "'a\u2018\u2018b\u2019\u2019c\u201a\u201ad\u201b\u201be'",
    );
  });

  it('leaves no lone quote character inside the string', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        const body = quote('pwsh', v).slice(1, -1);
        return /^(?:[^'\u2018\u2019\u201a\u201b]|(['\u2018\u2019\u201a\u201b])\1)*$/.test(body);
      }),
    );
  });
});

describe('unquote', () => {
  it('inverts quote for every syntax', () => {
    for (const s of SYNTAXES) fc.assert(fc.property(hostile, (v) => unquote(s, quote(s, v)) === v));
  });

  it('rejects forms codexgw does not write', () => {
    expect(unquote('sh', '"abc"')).toBeUndefined();
    expect(unquote('sh', 'abc')).toBeUndefined();
    expect(unquote('sh', "'abc")).toBeUndefined();
    expect(unquote('fish', "'a'b'")).toBeUndefined();
    expect(unquote('pwsh', "'a'b'")).toBeUndefined();
    expect(unquote('pwsh', '"a"')).toBeUndefined();
  });
});

describe('export and source lines', () => {
  it('has one syntax per shell', () => {
    expect(exportLine('sh', 'K', 'v')).toBe("export K='v'");
    expect(exportLine('fish', 'K', 'v')).toBe("set -gx K 'v'");
    expect(exportLine('pwsh', 'K', 'v')).toBe("$env:K = 'v'");
  });

  it('parses back what it writes', () => {
    for (const s of SYNTAXES) {
      fc.assert(fc.property(hostile, (v) => parseExportLine(s, exportLine(s, 'MY_KEY', v))?.value === v));
      expect(parseSourceLine(s, sourceLine(s, "/h o/m'e/codexgw.env"))).toBe("/h o/m'e/codexgw.env");
    }
    expect(sourceLine('sh', '/a b')).toBe("if [ -r '/a b' ]; then . '/a b'; fi");
    expect(sourceLine('fish', '/a')).toBe("test -r '/a'; and source '/a'");
    expect(sourceLine('pwsh', 'C:\\a')).toBe("if (Test-Path -LiteralPath 'C:\\a') { . 'C:\\a' }");
    expect(parseSourceLine('sh', "if [ -r '/a' ]; then . '/b'; fi")).toBeUndefined();
  });
});

describe('input checks', () => {
  it('accepts [A-Za-z_][A-Za-z0-9_]* names only', () => {
    for (const ok of ['A', '_', 'PORTKEY_API_KEY', 'a1']) expect(() => assertVarName(ok)).not.toThrow();
    for (const bad of ['', '1A', 'A-B', 'A B', 'A=B', '$A', 'Ä', 'A\n']) {
      expect(() => assertVarName(bad)).toThrow(UsageError);
    }
    const messageOf = (name: string) => {
      try {
        assertVarName(name);
      } catch (err) {
        expect((err as UsageError).exitCode).toBe(2);
        return (err as UsageError).message;
      }
      throw new Error('expected an error');
    };
    expect(messageOf('MY-KEY')).toBe(
      'Invalid environment variable name: character 3 ("-") is not a letter, digit or "_".',
    );
    expect(messageOf('1A')).toBe('Invalid environment variable name: it starts with a digit ("1").');
    expect(messageOf('')).toBe('Invalid environment variable name: it is empty.');
    expect(messageOf('A\tB')).toBe(
      'Invalid environment variable name: character 2 ("\\x09") is not a letter, digit or "_".',
    );
  });

  it('never repeats the name: a key pasted in its place is not printed', () => {
    const key = 'sk-proj-0123456789abcdefghij';
    try {
      assertVarName(key);
    } catch (err) {
      expect(JSON.stringify({ m: (err as UsageError).message, h: (err as UsageError).hint })).not.toContain(
        '0123456789',
      );
      expect((err as UsageError).hint).toContain('shell history');
    }
  });

  it('rejects newline, CR, NUL, lone surrogates and empty values without showing the value', () => {
    const cases: [string, RegExp][] = [
      ['sk-secret\nmore', /contains a newline at character 10/],
      ['sk-secret\r', /contains a carriage return at character 10/],
      ['sk-\u0000x', /contains a NUL byte at character 4/],
      ['sk-\ud800x', /lone surrogate/],
      ['', /is empty/],
    ];
    for (const [value, re] of cases) {
      let err: unknown;
      try {
        assertValue(value, 'K');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('secret');
    }
    expect(() => assertValue('sk-😀 \t\u2028 ok', 'K')).not.toThrow();
  });
});
