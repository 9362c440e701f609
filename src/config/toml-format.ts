import { parse, TomlDate } from 'smol-toml';
import { UserError } from '../errors.ts';

/**
 * Pure helpers of the TOML editor: writing keys and values in TOML 1.0 syntax, and comparing
 * parsed values. No I/O, no AST.
 */

export type TomlKeyPath = readonly string[];

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** One key segment: bare when TOML 1.0 allows it, else a basic string (`"/abs/path"`, `"a.b"`). */
export function formatKey(segment: string): string {
  return BARE_KEY.test(segment) ? segment : formatBasicString(segment);
}

/** A dotted key as it is written in a header or a key/value line: `projects."/abs/path"`. */
export function formatKeyPath(path: TomlKeyPath): string {
  return path.map(formatKey).join('.');
}

/**
 * The segments of a dotted key written in TOML syntax (`model_providers."a.b".name`). Parsed by
 * smol-toml itself, so quoting and escapes follow the spec exactly.
 */
export function parseKeyPath(dotted: string): string[] {
  let value: Record<string, unknown>;
  try {
    value = parse(`${dotted} = 0`) as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`"${dotted}" is not a valid TOML key.`, {
      hint: 'Write keys as in TOML: segments joined by dots, quoting any segment with other characters than A-Z a-z 0-9 _ - (e.g. projects."/abs/path").',
      cause: err,
    });
  }
  const path: string[] = [];
  let cur: unknown = value;
  while (isTomlTable(cur)) {
    const keys = Object.keys(cur);
    if (keys.length !== 1) break;
    path.push(keys[0]!);
    cur = cur[keys[0]!];
  }
  return path;
}

/** A plain table: an object that is not an array or a date (smol-toml gives null-prototype objects). */
export function isTomlTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** Basic string with every character TOML 1.0 forbids raw escaped (controls and DEL). */
export function formatBasicString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) continue;
    out += s.slice(from, i) + escapeChar(c);
    from = i + 1;
  }
  return `${out}${s.slice(from)}"`;
}

function escapeChar(c: number): string {
  switch (c) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    default:
      return `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
}

/** A literal string can hold it unchanged: no `'`, no newline, no control character but tab. */
function fitsLiteral(s: string): boolean {
  return !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(s);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface FormatOptions {
  /** Write a string as a literal string ('...') when it can be one: keeps a user's quoting style. */
  preferLiteral?: boolean;
  /** The key being written, only for error messages. */
  key?: TomlKeyPath;
}

/** A value in TOML 1.0 syntax, on one line (tables become inline tables). */
export function formatValue(value: unknown, opts: FormatOptions = {}): string {
  const where = opts.key ? ` for ${formatKeyPath(opts.key)}` : '';
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) {
        throw new UserError(`The value${where} is not valid Unicode (it has a lone surrogate).`, {
          hint: 'Pass the value as valid UTF-8 text.',
        });
      }
      return opts.preferLiteral && fitsLiteral(value) ? `'${value}'` : formatBasicString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) {
        throw new UserError(`The integer ${value}${where} does not fit in 64 bits, which TOML requires.`, {
          hint: 'Use a smaller number, or a string.',
        });
      }
      return value.toString();
    case 'number':
      return formatNumber(value);
    case 'object': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new UserError(`The date${where} is invalid.`, { hint: 'Pass a valid date.' });
        }
        // TomlDate keeps its kind (local date, local time, ...); a plain Date is an offset date-time.
        return (value instanceof TomlDate ? value : new TomlDate(value)).toISOString();
      }
      if (Array.isArray(value)) {
        return `[${value.map((v) => formatValue(v, { key: opts.key ?? [] })).join(', ')}]`;
      }
      if (isTomlTable(value)) return formatInlineTable(value, opts.key ?? []);
      break;
    }
    default:
      break;
  }
  throw new UserError(`TOML cannot hold the value ${describe(value)}${where}.`, {
    hint: 'TOML has strings, numbers, booleans, dates, arrays and tables, but no null: delete the key instead of setting it to null.',
  });
}

function formatInlineTable(table: Record<string, unknown>, key: TomlKeyPath): string {
  const entries = Object.keys(table);
  if (entries.length === 0) return '{}';
  const parts = entries.map((k) => `${formatKey(k)} = ${formatValue(table[k], { key: [...key, k] })}`);
  return `{ ${parts.join(', ')} }`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Number.POSITIVE_INFINITY) return 'inf';
  if (n === Number.NEGATIVE_INFINITY) return '-inf';
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isSafeInteger(n)) return String(n);
  // Other numbers are floats; String() gives "1e+21" or "0.5", and an unsafe integer like 1e20
  // must not be written as an integer (TOML integers stop at 2^63).
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return `of type ${value.constructor?.name ?? 'object'}`;
  return `of type ${typeof value}`;
}

/**
 * Deep equality of parsed TOML values: tables by key set (order and prototype ignored), numbers
 * by Object.is (NaN equals NaN, -0 differs from 0), dates by their TOML text.
 */
export function tomlValueEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  // The same table or array (edits copy only the tables along their path and share the rest).
  if (a === b && typeof a === 'object') return true;
  // An integer read with bigints (loadConfig, for the schema) equals the same integer read as a
  // number (documents parse small integers as numbers).
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) && a === BigInt(b);
  if (typeof a === 'number' && typeof b === 'bigint') return Number.isInteger(a) && BigInt(a) === b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.toISOString() === b.toISOString();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!tomlValueEquals(a[i], b[i])) return false;
    return true;
  }
  const ta = a as Record<string, unknown>;
  const tb = b as Record<string, unknown>;
  const ka = Object.keys(ta);
  if (ka.length !== Object.keys(tb).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(tb, k) || !tomlValueEquals(ta[k], tb[k])) return false;
  }
  return true;
}

/** The value at `path`, or undefined (also when the path runs through a non-table). */
export function getIn(root: unknown, path: TomlKeyPath): unknown {
  let cur = root;
  for (const seg of path) {
    if (!isTomlTable(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** A copy of `root` with `path` set to `value`, copying only the tables along the path. */
export function withValue(root: Record<string, unknown>, path: TomlKeyPath, value: unknown) {
  const out = copyTable(root);
  let cur = out;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = cur[seg];
    const copy = isTomlTable(next) ? copyTable(next) : Object.create(null);
    cur[seg] = copy;
    cur = copy;
  }
  cur[path[path.length - 1]!] = value;
  return out;
}

/**
 * A copy of `root` without `path`. Tables along the path that end up empty are dropped too when
 * `actual` (the re-parsed result) no longer has them: an implicit table disappears with its last
 * key, and that loses nothing.
 */
export function withoutValue(root: Record<string, unknown>, path: TomlKeyPath, actual?: unknown) {
  const out = copyTable(root);
  const chain: Record<string, unknown>[] = [out];
  let cur = out;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]!];
    if (!isTomlTable(next)) return out;
    const copy = copyTable(next);
    cur[path[i]!] = copy;
    cur = copy;
    chain.push(copy);
  }
  delete cur[path[path.length - 1]!];
  for (let i = path.length - 2; i >= 0; i--) {
    const table = chain[i + 1]!;
    if (Object.keys(table).length > 0) break;
    if (getIn(actual, path.slice(0, i + 1)) !== undefined) break;
    delete chain[i]![path[i]!];
  }
  return out;
}

function copyTable(t: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(t)) out[k] = t[k];
  return out;
}
