import { UsageError } from '../errors.ts';

/** The shells whose rc files codexgw manages. bash and zsh share the POSIX sh syntax. */
export type Shell = 'bash' | 'zsh' | 'fish' | 'pwsh';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish', 'pwsh'];

/** The syntax family of a shell: what one export line looks like. */
export type Syntax = 'sh' | 'fish' | 'pwsh';

export function syntaxOf(shell: Shell): Syntax {
  return shell === 'bash' || shell === 'zsh' ? 'sh' : shell;
}

export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names must be `[A-Za-z_][A-Za-z0-9_]*`. The error never repeats the name: a key pasted where
 * the name goes would otherwise be printed (only the one offending character is shown).
 */
export function assertVarName(name: string): void {
  if (VAR_NAME.test(name)) return;
  const chars = Array.from(name);
  const bad = chars.findIndex((c, i) => !(i === 0 ? /[A-Za-z_]/ : /[A-Za-z0-9_]/).test(c));
  const shown = (c: string) =>
    /[\u0000-\u001f\u007f]/.test(c) ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c;
  const why =
    chars.length === 0
      ? 'it is empty'
      : bad === 0 && /[0-9]/.test(chars[0]!)
        ? `it starts with a digit ("${chars[0]}")`
        : `character ${bad + 1} ("${shown(chars[bad]!)}") is not a letter, digit or "_"`;
  throw new UsageError(`Invalid environment variable name: ${why}.`, {
    hint:
      chars.length >= 16
        ? 'Pass the name (e.g. PORTKEY_API_KEY) as the argument and the key on stdin or at the prompt. If you pasted a key there, it is now in your shell history.'
        : 'Use letters, digits and "_", not starting with a digit (e.g. PORTKEY_API_KEY).',
  });
}

/**
 * Values must survive a round trip through one line of an rc file: no line breaks (a value
 * cannot span lines of the managed block), no NUL (no shell can hold one), no lone UTF-16
 * surrogate (it cannot be written as UTF-8). Errors name the position, never the value.
 */
export function assertValue(value: string, name = 'the value'): void {
  const bad = /[\n\r\u0000]|\p{Cs}/u.exec(value);
  if (value === '') {
    throw new UsageError(`The value for ${name} is empty.`, {
      hint: `Pass the key itself; to remove ${name}, run: codexgw env unset ${name}`,
    });
  }
  if (bad) {
    const ch = bad[0];
    const what =
      ch === '\n'
        ? 'a newline'
        : ch === '\r'
          ? 'a carriage return'
          : ch === '\u0000'
            ? 'a NUL byte'
            : 'an invalid (lone surrogate) character';
    throw new UsageError(
      `The value for ${name} contains ${what} at character ${bad.index + 1}; rc files hold one value per line.`,
      {
        hint:
          ch === '\n' || ch === '\r'
            ? 'Pipe the key without embedded line breaks (one trailing newline is stripped), e.g. printf %s "$KEY" | codexgw env set VAR --value-stdin'
            : 'Check the key you pasted; API keys are plain printable text.',
      },
    );
  }
}

// PowerShell treats all four of these as single quotes, inside and around a verbatim string
// (about_Quoting_Rules); each is escaped by doubling it.
const PWSH_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/**
 * Quote a value so the shell reads it back verbatim and expands nothing in it.
 * - sh: single quotes; a `'` becomes `\'` between quoted runs. Empty runs are never emitted,
 *   so no `''` pair appears (zsh's RC_QUOTES gives `''` a meaning inside quotes).
 * - fish: single quotes, in which only `\\` and `\'` are escapes.
 * - pwsh: a verbatim (single-quoted) string, each quote character doubled; no other escapes.
 */
export function quote(syntax: Syntax, value: string): string {
  switch (syntax) {
    case 'sh': {
      if (value === '') return "''";
      return value
        .split("'")
        .map((run) => (run === '' ? '' : `'${run}'`))
        .join("\\'");
    }
    case 'fish':
      return `'${value.replace(/[\\']/g, '\\$&')}'`;
    case 'pwsh':
      return `'${value.replace(PWSH_QUOTES, '$&$&')}'`;
  }
}

/** The inverse of `quote` for exactly the forms it produces; undefined for anything else. */
export function unquote(syntax: Syntax, text: string): string | undefined {
  switch (syntax) {
    case 'sh': {
      if (text === '') return undefined;
      let out = '';
      const re = /'([^']*)'|\\'/y;
      let i = 0;
      while (i < text.length) {
        re.lastIndex = i;
        const m = re.exec(text);
        if (!m) return undefined;
        out += m[1] ?? "'";
        i = re.lastIndex;
      }
      return out;
    }
    case 'fish': {
      const m = /^'((?:[^'\\]|\\[\\'])*)'$/.exec(text);
      return m ? m[1]!.replace(/\\([\\'])/g, '$1') : undefined;
    }
    case 'pwsh': {
      const m =
        /^['\u2018\u2019\u201a\u201b]((?:[^'\u2018\u2019\u201a\u201b]|(['\u2018\u2019\u201a\u201b])\2)*)['\u2018\u2019\u201a\u201b]$/.exec(
          text,
        );
      return m ? m[1]!.replace(/(['\u2018\u2019\u201a\u201b])\1/g, '$1') : undefined;
    }
  }
}

/** One export line (no line ending) in the shell's syntax. */
export function exportLine(syntax: Syntax, name: string, value: string): string {
  const q = quote(syntax, value);
  switch (syntax) {
    case 'sh':
      return `export ${name}=${q}`;
    case 'fish':
      return `set -gx ${name} ${q}`;
    case 'pwsh':
      return `$env:${name} = ${q}`;
  }
}

/** Parse a line produced by `exportLine`; undefined when it is anything else. */
export function parseExportLine(syntax: Syntax, line: string): { name: string; value: string } | undefined {
  // The s flag: values may hold U+2028/U+2029, which `.` would not match.
  const re =
    syntax === 'sh'
      ? /^export ([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s
      : syntax === 'fish'
        ? /^set -gx ([A-Za-z_][A-Za-z0-9_]*) (.+)$/s
        : /^\$env:([A-Za-z_][A-Za-z0-9_]*) = (.+)$/s;
  const m = re.exec(line);
  if (!m) return undefined;
  const value = unquote(syntax, m[2]!);
  return value === undefined ? undefined : { name: m[1]!, value };
}

/**
 * The line that loads a secrets file: skipped quietly when the file is missing, so a deleted
 * secrets file does not print an error in every new shell.
 */
export function sourceLine(syntax: Syntax, file: string): string {
  const q = quote(syntax, file);
  switch (syntax) {
    case 'sh':
      return `if [ -r ${q} ]; then . ${q}; fi`;
    case 'fish':
      return `test -r ${q}; and source ${q}`;
    case 'pwsh':
      return `if (Test-Path -LiteralPath ${q}) { . ${q} }`;
  }
}

/** Parse a line produced by `sourceLine`; undefined when it is anything else. */
export function parseSourceLine(syntax: Syntax, line: string): string | undefined {
  const re =
    syntax === 'sh'
      ? /^if \[ -r (.+) \]; then \. (.+); fi$/s
      : syntax === 'fish'
        ? /^test -r (.+); and source (.+)$/s
        : /^if \(Test-Path -LiteralPath (.+)\) \{ \. (.+) \}$/s;
  const m = re.exec(line);
  if (!m || m[1] !== m[2]) return undefined;
  return unquote(syntax, m[1]!);
}
