import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { FileError, fileErrorFrom } from '../errors.ts';

/** A parsed TOML table as smol-toml returns it (null-prototype objects). */
export type TomlTable = Record<string, unknown>;

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

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode bytes as strict UTF-8 (invalid bytes are an error, not U+FFFD), noting and removing a BOM. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; hasBom: boolean } {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch (err) {
    const offset = firstInvalidUtf8(bytes);
    const { line, column } = lineColumnOfByte(bytes, offset);
    throw new FileError(`${file} is not valid UTF-8 (invalid byte at line ${line}, column ${column}).`, {
      file,
      line,
      column,
      hint: 'TOML files must be UTF-8. Re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).',
      cause: err,
    });
  }
  const hasBom = text.charCodeAt(0) === 0xfeff;
  return { text: hasBom ? text.slice(1) : text, hasBom };
}

/**
 * Parse TOML text, turning smol-toml's error into one that names file, line and column. With
 * `bigint`, integers come back as bigint and floats as number, so the schema can tell `3` (an
 * integer, as Codex's u64 fields need) from `3.0`.
 */
export function parseToml(text: string, file: string, options: { bigint?: boolean } = {}): TomlTable {
  try {
    return (options.bigint ? parse(text, { integersAsBigInt: true }) : parse(text)) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
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

/** Read and parse a config file (integers as bigint). A missing file is an empty table, as in Codex. */
export function readConfigSource(file: string): ConfigSource {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file, exists: false, text: '', hasBom: false, value: {} };
    throw fileErrorFrom(err, file, 'read');
  }
  const { text, hasBom } = decodeUtf8(bytes, file);
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
    const next = new Uint8Array(bytes.subarray(i, i + need + 1));
    try {
      UTF8.decode(next);
    } catch {
      return i;
    }
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
