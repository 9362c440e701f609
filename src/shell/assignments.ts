import type { Line } from './lines.ts';
import { type Syntax, unquote } from './quote.ts';

/** An assignment to a variable found anywhere in an rc file (a user's own line, say). */
export interface Assignment {
  name: string;
  /** 1-based line number. */
  line: number;
  /** The literal value, or undefined when it depends on the shell (`$(…)`, `$HOME`, globs…). */
  value: string | undefined;
  /** The line up to the value: `export NAME=`, `set -gx NAME `, `$env:NAME = `. */
  prefix: string;
}

const SH_LINE = /^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=)(.*)$/s;
const PWSH_LINE = /^(\s*\$env:([A-Za-z_][A-Za-z0-9_]*)\s*=\s*)(.*)$/is;

interface FishSet {
  /** `set -gx NAME ` (with the whitespace after the name). */
  prefix: string;
  /** The flags between `set` and the name, with their whitespace. */
  flags: string;
  name: string;
  rest: string;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isFlagChar = (c: string | undefined) => c !== undefined && /[A-Za-z-]/.test(c);
const isNameStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);

/**
 * `set [flags] NAME rest` read in one pass (flags: `-x`, `--global`, …, each followed by
 * whitespace). A regex for this backtracked exponentially on `set --a --a … !` (issue 15).
 */
function matchFishSet(text: string): FishSet | undefined {
  let i = 0;
  while (isSpace(text[i])) i++;
  if (!text.startsWith('set', i) || !isSpace(text[i + 3])) return undefined;
  i += 3;
  while (isSpace(text[i])) i++;
  const flagsStart = i;
  while (text[i] === '-') {
    const start = i;
    while (isFlagChar(text[i])) i++;
    // A flag is a dash and at least one more flag character, then whitespace.
    if (i - start < 2 || !isSpace(text[i])) return undefined;
    while (isSpace(text[i])) i++;
  }
  const flagsEnd = i;
  if (!isNameStart(text[i])) return undefined;
  const nameStart = i;
  while (isNameChar(text[i])) i++;
  const nameEnd = i;
  if (i < text.length && !isSpace(text[i])) return undefined;
  while (isSpace(text[i])) i++;
  return {
    prefix: text.slice(0, i),
    flags: text.slice(flagsStart, flagsEnd),
    name: text.slice(nameStart, nameEnd),
    rest: text.slice(i),
  };
}

/** True when fish `set` flags do something other than set a plain value (erase, query, append…). */
function fishFlagsModify(flags: string): boolean {
  for (const flag of flags.split(/\s/)) {
    if (flag.startsWith('--')) {
      const long = flag.slice(2);
      if (/^(erase|query|show|names|append|prepend|path)(-|$)/.test(long)) return true;
    } else if (flag.startsWith('-') && /[eqSnap]/.test(flag.slice(1).split('-')[0]!)) {
      return true;
    }
  }
  return false;
}

/** Split any line that looks like an assignment into `prefix` and the rest, even if it is not a plain one. */
export function assignmentLike(syntax: Syntax, text: string): { prefix: string; rest: string } | undefined {
  if (syntax === 'fish') {
    const m = matchFishSet(text);
    return m && { prefix: m.prefix, rest: m.rest };
  }
  const m = (syntax === 'sh' ? SH_LINE : PWSH_LINE).exec(text);
  if (!m) return undefined;
  return { prefix: m[1]!, rest: m[3]! };
}

type Word = { kind: 'literal'; value: string } | { kind: 'dynamic' } | { kind: 'none' };

/**
 * Every line that assigns a variable, in the shell's syntax. It reads the simple forms people
 * write (`export K=v`, `K="v"`, `set -gx K v`, `$env:K = "v"`); anything the shell would expand
 * is reported with an unknown value rather than guessed. `K=v cmd` (an environment for one
 * command) is not an assignment and is skipped.
 */
export function findAssignments(lines: readonly Line[], syntax: Syntax): Assignment[] {
  const out: Assignment[] = [];
  lines.forEach((l, i) => {
    const a = parseAssignment(syntax, l.text);
    if (a) out.push({ ...a, line: i + 1 });
  });
  return out;
}

export function parseAssignment(syntax: Syntax, text: string): Omit<Assignment, 'line'> | undefined {
  let prefix: string;
  let name: string;
  let rest: string;
  let word: Word;
  if (syntax === 'sh') {
    const m = SH_LINE.exec(text);
    if (!m) return undefined;
    [, prefix, name, rest] = m as unknown as [string, string, string, string];
    word = shWord(rest);
  } else if (syntax === 'fish') {
    const m = matchFishSet(text);
    if (!m) return undefined;
    // Erase, query, show, append and prepend do not set a plain value.
    if (fishFlagsModify(m.flags)) return undefined;
    [prefix, name, rest] = [m.prefix, m.name, m.rest];
    word = fishWord(rest);
  } else {
    const m = PWSH_LINE.exec(text);
    if (!m) return undefined;
    [, prefix, name, rest] = m as unknown as [string, string, string, string];
    word = pwshWord(rest);
  }
  if (word.kind === 'none') return undefined;
  return { name, prefix, value: word.kind === 'literal' ? word.value : undefined };
}

/** What may follow a value on the same line without making it something else. */
function endsStatement(rest: string): boolean {
  const r = rest.trim();
  return r === '' || r.startsWith('#') || r.startsWith(';');
}

function shWord(s: string): Word {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return { kind: 'dynamic' };
      out += s.slice(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return { kind: 'dynamic' };
        const d = s[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && '$`"\\'.includes(s[i + 1] ?? 'x')) {
          out += s[i + 1];
          i += 2;
        } else if (d === '$' || d === '`') {
          return { kind: 'dynamic' };
        } else {
          out += d;
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 >= s.length) return { kind: 'dynamic' };
      out += s[i + 1];
      i += 2;
    } else if (c === ' ' || c === '\t' || c === ';') {
      break;
    } else if ('$`*?[~(){}<>|&'.includes(c)) {
      return { kind: 'dynamic' };
    } else {
      out += c;
      i++;
    }
  }
  // `K=v cmd` sets K for cmd only: not an assignment of the shell's variable.
  return endsStatement(s.slice(i)) ? { kind: 'literal', value: out } : { kind: 'none' };
}

function fishWord(s: string): Word {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= s.length) return { kind: 'dynamic' };
        const d = s[j]!;
        if (d === "'") break;
        if (d === '\\' && (s[j + 1] === "'" || s[j + 1] === '\\')) {
          out += s[j + 1];
          j += 2;
        } else {
          out += d;
          j++;
        }
      }
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= s.length) return { kind: 'dynamic' };
        const d = s[j]!;
        if (d === '"') break;
        if (d === '\\' && '"\\$'.includes(s[j + 1] ?? 'x')) {
          out += s[j + 1];
          j += 2;
        } else if (d === '$' || d === '(') {
          return { kind: 'dynamic' };
        } else {
          out += d;
          j++;
        }
      }
      i = j + 1;
    } else if (c === ' ' || c === '\t' || c === ';') {
      break;
    } else if ('\\$*?{}()~|&<>'.includes(c)) {
      return { kind: 'dynamic' };
    } else {
      out += c;
      i++;
    }
  }
  // Several words make a list; fish exports a list joined with spaces — not worth guessing.
  return endsStatement(s.slice(i)) ? { kind: 'literal', value: out } : { kind: 'dynamic' };
}

function pwshWord(s: string): Word {
  const single =
    /^(['\u2018\u2019\u201a\u201b](?:[^'\u2018\u2019\u201a\u201b]|['\u2018\u2019\u201a\u201b]{2})*['\u2018\u2019\u201a\u201b])(.*)$/s.exec(
      s,
    );
  if (single) {
    const value = unquote('pwsh', single[1]!);
    return value !== undefined && endsStatement(single[2]!)
      ? { kind: 'literal', value }
      : { kind: 'dynamic' };
  }
  const double = /^"((?:[^"$`]|"")*)"(.*)$/s.exec(s);
  if (double && endsStatement(double[2]!)) return { kind: 'literal', value: double[1]!.replace(/""/g, '"') };
  return { kind: 'dynamic' };
}
