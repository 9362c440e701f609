/**
 * A fast scanner that finds where things are in a TOML text already validated by smol-toml:
 * headers, key/value pairs (with decoded key segments), value ranges, inline tables and comments.
 * It builds no tokens and no line/column objects, which makes it many times cheaper than a full
 * AST parser on large files (measured: a 5,000-line config cost ~120 ms per toml-eslint-parser
 * parse cold, mostly allocation). Tests check it against toml-eslint-parser on the whole corpus.
 * It throws ScanError on text it does not understand; the editor then refuses to edit.
 */

export type Range = [number, number];

export interface KeyValueNode {
  /** From the first key character to the end of the value. */
  range: Range;
  keys: string[];
  value: ValueNode;
}

export type ValueNode =
  | { type: 'string'; range: Range; style: 'basic' | 'literal'; multiline: boolean }
  | { type: 'scalar'; range: Range }
  | { type: 'array'; range: Range }
  | { type: 'inline-table'; range: Range; body: KeyValueNode[] };

export interface TableNode {
  /** From `[` to the end of the header line's closing bracket(s). */
  range: Range;
  kind: 'standard' | 'array';
  keys: string[];
  /** The keys with the index of the current entry of every array of tables on the way. */
  resolvedKey: (string | number)[];
  body: KeyValueNode[];
}

export interface ScanResult {
  /** Key/value pairs before the first header. */
  root: KeyValueNode[];
  tables: TableNode[];
  /** Offsets of every `#` that starts a comment. */
  comments: number[];
}

export class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;
const DOT = 0x2e;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

/**
 * Scan `text`. With `untilFirstTable`, stop after the first header: enough to edit a top-level
 * key that is not a table (it can only live before the first header), without scanning the rest
 * of a large file.
 */
export function scanToml(text: string, opts: { untilFirstTable?: boolean } = {}): ScanResult {
  return new Scanner(text).scan(opts.untilFirstTable === true);
}

class Scanner {
  private i = 0;
  private readonly comments: number[] = [];

  constructor(private readonly s: string) {}

  scan(untilFirstTable: boolean): ScanResult {
    const root: KeyValueNode[] = [];
    const tables: TableNode[] = [];
    let body = root;
    const resolver = new ArrayIndexResolver();
    const s = this.s;
    for (;;) {
      this.skipBlankAndComments();
      if (this.i >= s.length) break;
      if (s.charCodeAt(this.i) === LBRACKET) {
        const start = this.i;
        const isArray = s.charCodeAt(this.i + 1) === LBRACKET;
        this.i += isArray ? 2 : 1;
        this.skipSpaces();
        const keys = this.key();
        this.skipSpaces();
        this.expect(RBRACKET);
        if (isArray) this.expect(RBRACKET);
        const range: Range = [start, this.i];
        this.endOfLine();
        const resolvedKey = isArray ? resolver.arrayTable(keys) : resolver.table(keys);
        const table: TableNode = { range, kind: isArray ? 'array' : 'standard', keys, resolvedKey, body: [] };
        tables.push(table);
        if (untilFirstTable) break;
        body = table.body;
        continue;
      }
      body.push(this.keyValue());
      this.endOfLine();
    }
    return { root, tables, comments: this.comments };
  }

  // The loops over characters keep the offset in a local and store it back once: reading and
  // writing `this.i` per character was most of the scanner's cost (interpreted, as at start-up).

  /** Spaces, tabs, newlines and comments. */
  private skipBlankAndComments(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i); // NaN at the end
      if (c === SPACE || c === TAB || c === LF || c === CR) i++;
      else if (c === HASH) {
        this.i = i;
        this.comment();
        i = this.i;
      } else break;
    }
    this.i = i;
  }

  private skipSpaces(): void {
    const s = this.s;
    let i = this.i;
    for (let c = s.charCodeAt(i); c === SPACE || c === TAB; c = s.charCodeAt(i)) i++;
    this.i = i;
  }

  private comment(): void {
    this.comments.push(this.i);
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl === -1 ? this.s.length : nl;
  }

  /** After a header or a pair: spaces, an optional comment, then a newline or the end. */
  private endOfLine(): void {
    this.skipSpaces();
    if (this.s.charCodeAt(this.i) === HASH) this.comment();
    if (this.s.charCodeAt(this.i) === CR) this.i++;
    if (this.i < this.s.length && this.s.charCodeAt(this.i) !== LF) this.fail('a line break');
  }

  private expect(c: number): void {
    if (this.s.charCodeAt(this.i) !== c) this.fail(`"${String.fromCharCode(c)}"`);
    this.i++;
  }

  private fail(what: string): never {
    throw new ScanError(`expected ${what}`, this.i);
  }

  private keyValue(): KeyValueNode {
    const start = this.i;
    const keys = this.key();
    this.skipSpaces();
    this.expect(EQUALS);
    this.skipSpaces();
    const value = this.value();
    return { range: [start, value.range[1]], keys, value };
  }

  /** A dotted key: segments joined by dots, with spaces allowed around the dots. */
  private key(): string[] {
    const keys = [this.keySegment()];
    for (;;) {
      const save = this.i;
      this.skipSpaces();
      if (this.s.charCodeAt(this.i) !== DOT) {
        this.i = save;
        return keys;
      }
      this.i++;
      this.skipSpaces();
      keys.push(this.keySegment());
    }
  }

  private keySegment(): string {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === DQUOTE) return this.basicString();
    if (c === SQUOTE) {
      const end = s.indexOf("'", this.i + 1);
      if (end === -1) this.fail('a closing quote');
      const key = s.slice(this.i + 1, end);
      this.i = end + 1;
      return key;
    }
    const start = this.i;
    let i = start;
    while (i < s.length && isBareKeyChar(s.charCodeAt(i))) i++;
    this.i = i;
    if (i === start) this.fail('a key');
    return s.slice(start, i);
  }

  /** A single-line basic string, decoded (for keys). */
  private basicString(): string {
    const s = this.s;
    let out = '';
    let i = this.i + 1;
    let from = i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === DQUOTE) break;
      if (c === BACKSLASH) {
        out += s.slice(from, i);
        this.i = i;
        out += this.escape();
        i = from = this.i;
        continue;
      }
      if (i >= s.length) {
        this.i = i;
        this.fail('a closing quote');
      }
      i++;
    }
    this.i = i + 1;
    return out + s.slice(from, i);
  }

  private escape(): string {
    const s = this.s;
    const c = s[this.i + 1];
    this.i += 2;
    switch (c) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'f':
        return '\f';
      case 'r':
        return '\r';
      case 'e':
        return '\u001b';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'x':
      case 'u':
      case 'U': {
        const len = c === 'x' ? 2 : c === 'u' ? 4 : 8;
        const hex = s.slice(this.i, this.i + len);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail('an escape sequence');
        this.i += len;
        return String.fromCodePoint(Number.parseInt(hex, 16));
      }
      default:
        return this.fail('an escape sequence');
    }
  }

  private value(): ValueNode {
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) {
      const q = c === DQUOTE ? '"' : "'";
      const triple = c === DQUOTE ? '"""' : "'''";
      const style = c === DQUOTE ? 'basic' : 'literal';
      if (s.startsWith(triple, start)) {
        let at = start + 3;
        for (;;) {
          const end = s.indexOf(triple, at);
          if (end === -1) this.fail('the end of a multi-line string');
          if (style === 'basic' && isEscaped(s, end)) {
            at = end + 1;
            continue;
          }
          // Up to two quotes may directly precede the closing delimiter: """a"""" is `a"`.
          let close = end + 3;
          while (close < s.length && s[close] === q && close < end + 5) close++;
          this.i = close;
          break;
        }
        return { type: 'string', range: [start, this.i], style, multiline: true };
      }
      if (style === 'basic') this.basicString();
      else {
        const end = s.indexOf("'", start + 1);
        if (end === -1) this.fail('a closing quote');
        this.i = end + 1;
      }
      return { type: 'string', range: [start, this.i], style, multiline: false };
    }
    if (c === LBRACKET) {
      this.i++;
      for (;;) {
        this.skipBlankAndComments();
        const d = s.charCodeAt(this.i);
        if (d === RBRACKET) break;
        if (d === COMMA) {
          this.i++;
          continue;
        }
        if (this.i >= s.length) this.fail('"]"');
        this.value();
      }
      this.i++;
      return { type: 'array', range: [start, this.i] };
    }
    if (c === LBRACE) {
      this.i++;
      const body: KeyValueNode[] = [];
      for (;;) {
        this.skipBlankAndComments();
        const d = s.charCodeAt(this.i);
        if (d === RBRACE) break;
        if (d === COMMA) {
          this.i++;
          continue;
        }
        if (this.i >= s.length) this.fail('"}"');
        body.push(this.keyValue());
      }
      this.i++;
      return { type: 'inline-table', range: [start, this.i], body };
    }
    // Numbers, booleans, dates and times end at a space, a comma, a bracket, a comment or a line break.
    let i = start;
    while (i < s.length && !endsScalar(s.charCodeAt(i))) i++;
    this.i = i;
    if (i === start) this.fail('a value');
    // A local date followed by " 07:32:00" is one date-time.
    if (
      this.i - start === 10 &&
      s.charCodeAt(this.i) === SPACE &&
      /^\d{4}-\d{2}-\d{2}$/.test(s.slice(start, this.i)) &&
      /^\d{2}:/.test(s.slice(this.i + 1, this.i + 4))
    ) {
      this.i++;
      while (this.i < s.length && !endsScalar(s.charCodeAt(this.i))) this.i++;
    }
    return { type: 'scalar', range: [start, this.i] };
  }
}

/** Assigns array-of-tables indices, as `[[a]]` / `[a.b]` / `[[a]]` resolve to a[0], a[0].b, a[1]. */
class ArrayIndexResolver {
  /** Resolved path of each array of tables → index of its current (last) entry. */
  private readonly current = new Map<string, number>();

  table(keys: string[]): (string | number)[] {
    return this.resolve(keys);
  }

  arrayTable(keys: string[]): (string | number)[] {
    const parent = this.resolve(keys.slice(0, -1));
    const path = [...parent, keys[keys.length - 1]!];
    const k = JSON.stringify(path);
    const index = (this.current.get(k) ?? -1) + 1;
    this.current.set(k, index);
    return [...path, index];
  }

  private resolve(keys: string[]): (string | number)[] {
    if (this.current.size === 0) return keys.slice(); // no array of tables yet: nothing to resolve
    const out: (string | number)[] = [];
    for (const k of keys) {
      out.push(k);
      const index = this.current.get(JSON.stringify(out));
      if (index !== undefined) out.push(index);
    }
    return out;
  }
}

function isBareKeyChar(c: number): boolean {
  // ASCII letters, digits, "_" and "-"; anything beyond ASCII is accepted too (TOML 1.1 drafts
  // and smol-toml allow more), since smol-toml has already validated the text.
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2d ||
    c > 0x7f
  );
}

function endsScalar(c: number): boolean {
  return (
    c === SPACE ||
    c === TAB ||
    c === LF ||
    c === CR ||
    c === COMMA ||
    c === RBRACKET ||
    c === RBRACE ||
    c === HASH
  );
}

/** Is the character at `at` preceded by an odd number of backslashes? */
function isEscaped(s: string, at: number): boolean {
  let n = 0;
  for (let j = at - 1; j >= 0 && s.charCodeAt(j) === BACKSLASH; j--) n++;
  return n % 2 === 1;
}
