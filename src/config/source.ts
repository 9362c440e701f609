import { isUtf8 } from 'node:buffer';
import { parse, TomlError } from 'smol-toml';
import { FileError, fileErrorFrom } from '../errors.ts';
import { readRegularFile } from '../io/fs-layer.ts';
import { registerConfigSecrets, registerTomlLines } from '../io/redact.ts';
import { type KeyValueNode, scanToml } from './toml-scan.ts';

/** A parsed TOML table as smol-toml returns it (null-prototype objects). */
export type TomlTable = Record<string, unknown>;

/**
 * A new table with no prototype. Every object whose keys come from a file or a flag is one: a
 * table named `[__proto__]` (valid TOML, and Codex loads it) would otherwise set the prototype of
 * a plain `{}`, and `constructor` or `toString` would be found on one that does not hold them.
 */
export function emptyTable(): TomlTable {
  return Object.create(null) as TomlTable;
}

/** A shallow copy of `table`, with no prototype. */
export function copyTable(table: TomlTable): TomlTable {
  return Object.assign(emptyTable(), table);
}

export interface ConfigSource {
  /** Absolute path of the file. */
  file: string;
  /** False when the file does not exist (Codex treats that as an empty table). */
  exists: boolean;
  /** The decoded text, BOM removed. */
  text: string;
  hasBom: boolean;
  value: TomlTable;
}

/** Decode bytes as strict UTF-8 (invalid bytes are an error, not U+FFFD), noting and removing a BOM. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; hasBom: boolean } {
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const { line, column } = lineColumnOfByte(bytes, offset);
    throw new FileError(`${file} is not valid UTF-8 (invalid byte at line ${line}, column ${column}).`, {
      file,
      line,
      column,
      hint: 'TOML files must be UTF-8. Re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).',
    });
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const hasBom = text.charCodeAt(0) === 0xfeff;
  return { text: hasBom ? text.slice(1) : text, hasBom };
}

/** Strict UTF-8 text of `bytes`, a BOM kept as U+FEFF (invalid bytes are a FileError naming line:column). */
export function decodeText(bytes: Uint8Array, file: string): string {
  const { text, hasBom } = decodeUtf8(bytes, file);
  return hasBom ? `\uFEFF${text}` : text;
}

/**
 * Parse TOML text, turning smol-toml's error into one that names file, line and column. With
 * `bigint`, integers come back as bigint and floats as number, so the schema can tell `3` (an
 * integer, as Codex's u64 fields need) from `3.0`.
 */
export function parseToml(text: string, file: string, options: { bigint?: boolean } = {}): TomlTable {
  let value: TomlTable;
  try {
    value = parse(text, { integersAsBigInt: options.bigint === true, maxDepth: MAX_NESTING }) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      if (/excessively nested/.test(err.message)) throw tooDeep(file, err.line, err.column, 'values');
      // A file that does not parse may still hold keys, and its error message quotes it.
      registerTomlLines(text);
      const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new FileError(`${file}:${err.line}:${err.column}: invalid TOML: ${reason}.`, {
        file,
        line: err.line,
        column: err.column,
        hint: 'Fix the syntax at that position (a missing quote, bracket or "=" is typical); codexgw changes nothing until the file parses.',
        cause: err,
      });
    }
    throw err;
  }
  checkKeyDepth(value, text, file);
  // Every config codexgw reads tells the output boundary which of its values are secrets.
  registerConfigSecrets(value);
  return value;
}

/**
 * Codex 0.169 refuses a file with a key of more than 80 dotted segments, or arrays and inline
 * tables nested more than 80 deep ("recursion limit"; measured with `codex features list`).
 * codexgw refuses the same files, with exit 3: every recursive walk of a config (merge, schema,
 * JSON, masking) then stays shallow, where a 50,000-segment key exhausted the stack or the heap.
 */
export const MAX_NESTING = 80;
/** How deep a parsed tree may be: 80 header segments (and as many array-of-tables levels) + 80 key + 80 value. */
const MAX_TREE_DEPTH = 4 * MAX_NESTING;

/**
 * Refuse a key with more than MAX_NESTING segments. Linear, and almost free on a normal file: the
 * tree is walked only when the text has more dots than that, and scanned only when the tree
 * really is that deep.
 */
export function checkKeyDepth(value: TomlTable, text: string, file: string): void {
  let dots = 0;
  for (let i = text.indexOf('.'); i !== -1 && dots < MAX_NESTING; i = text.indexOf('.', i + 1)) dots++;
  // A key has at most dots + 1 segments.
  if (dots < MAX_NESTING || treeDepth(value, MAX_NESTING + 1) <= MAX_NESTING) return;
  const at = firstDeepKey(text);
  if (at) throw tooDeep(file, at.line, at.column, 'keys');
  if (treeDepth(value, MAX_TREE_DEPTH + 1) > MAX_TREE_DEPTH) throw tooDeep(file, 1, 1, 'tree');
}

/** The depth of tables and arrays in `value`, counted up to `cap` (iterative: no stack to exhaust). */
function treeDepth(value: unknown, cap: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max >= cap) return max;
    if (Array.isArray(node)) for (const v of node) stack.push([v, depth + 1]);
    else if (node !== null && typeof node === 'object' && !(node instanceof Date))
      for (const k of Object.keys(node)) stack.push([(node as TomlTable)[k], depth + 1]);
  }
  return max;
}

/** Where the first header or key with more than MAX_NESTING segments starts (1-based line and column). */
function firstDeepKey(text: string): { line: number; column: number } | undefined {
  let found: number | undefined;
  try {
    const scan = scanToml(text);
    const visit = (pairs: readonly KeyValueNode[]): void => {
      for (const kv of pairs) {
        if (found !== undefined) return;
        if (kv.keys.length > MAX_NESTING) found = kv.range[0];
        else if (kv.value.type === 'inline-table') visit(kv.value.body);
      }
    };
    visit(scan.root);
    for (const t of scan.tables) {
      if (found !== undefined) break;
      if (t.keys.length > MAX_NESTING) found = t.range[0];
      else visit(t.body);
    }
  } catch {
    return undefined; // the scanner does not know this text: report the file without a line
  }
  if (found === undefined) return undefined;
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < found; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: found - lineStart + 1 };
}

function tooDeep(file: string, line: number, column: number, what: 'keys' | 'values' | 'tree'): FileError {
  const why =
    what === 'keys'
      ? `a key has more than ${MAX_NESTING} dotted parts`
      : what === 'values'
        ? `arrays or inline tables are nested more than ${MAX_NESTING} deep`
        : `tables are nested more than ${MAX_TREE_DEPTH} deep`;
  return new FileError(
    `${file}:${line}:${column}: ${why}; Codex refuses such a file (recursion limit), and so does codexgw.`,
    {
      file,
      line,
      column,
      hint: `Flatten the structure at that position to at most ${MAX_NESTING} levels; codexgw changes nothing until then.`,
    },
  );
}

/**
 * The source among `parsed` (a command's loaded layers) that holds exactly `text` of `file`, BOM
 * included: its value can stand for parsing that text again.
 */
export function parsedSourceOf(
  parsed: readonly (ConfigSource | undefined)[],
  file: string,
  text: string | undefined,
): ConfigSource | undefined {
  return parsed.find((p) => p?.file === file && p.exists && (p.hasBom ? `\uFEFF${p.text}` : p.text) === text);
}

/** How readUtf8File reads a file: as text (invalid bytes become U+FFFD) and as bytes. */
export interface FileReader {
  readTextSync(file: string): string;
  readFileSync(file: string): Uint8Array;
}

const nodeReader: FileReader = {
  readTextSync: (file) => readRegularFile(file, 'utf8'),
  readFileSync: (file) => readRegularFile(file),
};

/**
 * The text of `file` as strict UTF-8, a BOM kept as U+FEFF. Read through Node's UTF-8 fast path,
 * one native call (measured: ~0.8 M instructions fewer per start than reading bytes and
 * decoding them). Invalid bytes decode to U+FFFD, so only a text that holds one is read again as
 * bytes: to refuse invalid UTF-8 with its line and column, or keep a U+FFFD the file really has.
 * Undefined when the file does not exist (a dangling symlink counts as missing); any other failure
 * is a FileError.
 */
export function readUtf8File(file: string, reader: FileReader = nodeReader): string | undefined {
  try {
    const text = reader.readTextSync(file);
    return text.includes('\uFFFD') ? decodeText(reader.readFileSync(file), file) : text;
  } catch (err) {
    if (err instanceof FileError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileErrorFrom(err, file, 'read');
  }
}

/** Read and parse a config file (integers as bigint). A missing file is an empty table, as in Codex. */
export function readConfigSource(file: string): ConfigSource {
  const raw = readUtf8File(file);
  if (raw === undefined) return { file, exists: false, text: '', hasBom: false, value: emptyTable() };
  const hasBom = raw.charCodeAt(0) === 0xfeff;
  const text = hasBom ? raw.slice(1) : raw;
  return { file, exists: true, text, hasBom, value: parseToml(text, file, { bigint: true }) };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Reject the narrow cases the lead byte alone does not exclude (overlongs, surrogates, > U+10FFFF).
    if (need === 0) {
      i++;
      continue;
    }
    if (!isUtf8(bytes.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return bytes.length;
}

function lineColumnOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
