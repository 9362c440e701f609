import { type AST, ParseError, parseTOML } from 'toml-eslint-parser';
import { FileError } from '../errors.ts';
import type { TomlKeyPath } from './toml-format.ts';

/**
 * Where things are in a TOML text: lines, comment-only lines, sections (the root and every
 * `[table]` / `[[array]]` header with its key/value lines) and, for every addressable key path,
 * how it is defined. Built from toml-eslint-parser's AST once per text version; the editor in
 * document.ts turns it into splices.
 */

/** Line table over `\n` (a `\r` before it belongs to the line ending). */
export class Lines {
  readonly starts: number[] = [];

  constructor(readonly text: string) {
    if (text.length > 0) this.starts.push(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (i + 1 < text.length) this.starts.push(i + 1);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  start(line: number): number {
    return this.starts[line]!;
  }

  /** Offset after the line's line ending (or the end of the text for the last line). */
  end(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
  }

  hasEol(line: number): boolean {
    const end = this.end(line);
    return end > 0 && this.text.charCodeAt(end - 1) === 0x0a;
  }

  /** Offset of the line ending (or the end of the text when the line has none). */
  contentEnd(line: number): number {
    let end = this.end(line);
    if (this.hasEol(line)) {
      end--;
      if (end > this.start(line) && this.text.charCodeAt(end - 1) === 0x0d) end--;
    }
    return end;
  }

  /** The line holding `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  isBlank(line: number): boolean {
    const end = this.contentEnd(line);
    for (let i = this.start(line); i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09) return false;
    }
    return true;
  }

  /** The spaces and tabs a line starts with. */
  indent(line: number): string {
    const start = this.start(line);
    let i = start;
    while (i < this.text.length && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
    return this.text.slice(start, i);
  }

  /** The last line at or before `line` that is not blank, or -1. */
  lastNonBlank(line: number, floor = 0): number {
    for (let l = line; l >= floor; l--) if (!this.isBlank(l)) return l;
    return -1;
  }
}

export type Segment = string | number;

export interface Section {
  /** Resolved key of the header ([] for the root; array-of-tables entries carry their index). */
  path: Segment[];
  kind: 'root' | 'standard' | 'array';
  table: AST.TOMLTable | null;
  kvs: AST.TOMLKeyValue[];
  /** Line of the header (-1 for the root). */
  headerLine: number;
  /** First line of the comment lines directly above the header (the header line when none). */
  leadStart: number;
  /** Last non-blank line before the next section's leading comments (-1: an empty root). */
  ownedEnd: number;
  /** The path has no array index: its keys can be edited. */
  addressable: boolean;
}

/** How a key path is defined in the text. */
export type PathInfo =
  | { kind: 'root'; section: Section }
  | { kind: 'table'; section: Section }
  | { kind: 'array-of-tables' }
  /** A table that exists only as the parent of headers (`[a.b]` makes `a` implicit). */
  | { kind: 'implicit' }
  /** A table made by dotted keys (`a.b = 1` makes `a`), in a section or in an inline table. */
  | { kind: 'dotted'; section: Section | null; inline: AST.TOMLInlineTable | null; base: string[] }
  /** A key/value pair; the value may be an inline table or an array. */
  | {
      kind: 'value';
      kv: AST.TOMLKeyValue;
      section: Section | null;
      inline: AST.TOMLInlineTable | null;
      base: string[];
    };

export class TomlLayout {
  readonly lines: Lines;
  /** The root section first, then every header in document order. */
  readonly sections: Section[] = [];
  /** Lines whose first non-blank character starts a comment. */
  readonly commentLines = new Set<number>();
  private readonly info = new Map<string, PathInfo>();

  constructor(
    readonly text: string,
    file: string,
  ) {
    this.lines = new Lines(text);
    let ast: AST.TOMLProgram;
    try {
      ast = parseTOML(text, { tomlVersion: 'latest' });
    } catch (err) {
      const line = err instanceof ParseError ? err.lineNumber : undefined;
      const column = err instanceof ParseError ? err.column + 1 : undefined;
      throw new FileError(
        `${file}${line ? `:${line}:${column}` : ''}: codexgw cannot edit this file in place: ${(err as Error).message}.`,
        {
          file,
          line,
          column,
          hint: 'Codex may still accept the file; rewrite that line in plain TOML 1.0 syntax, or make this change by hand.',
          cause: err,
        },
      );
    }
    for (const c of ast.comments) {
      const line = this.lines.lineOf(c.range[0]);
      if (text.slice(this.lines.start(line), c.range[0]).trim() === '') this.commentLines.add(line);
    }
    this.buildSections(ast.body[0]);
    this.buildInfo();
  }

  /** How `path` is defined, or undefined when it is not in the text. */
  lookup(path: TomlKeyPath): PathInfo | undefined {
    return this.info.get(keyOf(path));
  }

  /** The header sections (without the root). */
  get tables(): Section[] {
    return this.sections.slice(1);
  }

  /** Line of a node's first and last character. */
  lineSpan(node: AST.HasLocs): [number, number] {
    return [this.lines.lineOf(node.range[0]), this.lines.lineOf(Math.max(node.range[0], node.range[1] - 1))];
  }

  private buildSections(top: AST.TOMLTopLevelTable | undefined): void {
    const root: Section = {
      path: [],
      kind: 'root',
      table: null,
      kvs: [],
      headerLine: -1,
      leadStart: 0,
      ownedEnd: -1,
      addressable: true,
    };
    this.sections.push(root);
    for (const node of top?.body ?? []) {
      if (node.type === 'TOMLKeyValue') {
        root.kvs.push(node);
        continue;
      }
      const headerLine = this.lines.lineOf(node.range[0]);
      let leadStart = headerLine;
      while (leadStart > 0 && this.commentLines.has(leadStart - 1)) leadStart--;
      this.sections.push({
        path: [...node.resolvedKey],
        kind: node.kind,
        table: node,
        kvs: node.body,
        headerLine,
        leadStart,
        ownedEnd: headerLine,
        addressable: node.resolvedKey.every((s) => typeof s === 'string'),
      });
    }
    const count = this.lines.count;
    for (let i = 0; i < this.sections.length; i++) {
      const s = this.sections[i]!;
      const next = this.sections[i + 1];
      const limit = (next ? next.leadStart : count) - 1;
      s.ownedEnd = Math.max(this.lines.lastNonBlank(limit, Math.max(0, s.headerLine)), s.headerLine);
    }
  }

  private buildInfo(): void {
    const implicit: string[][] = [];
    for (const s of this.sections) {
      if (s.kind === 'root') {
        this.info.set(keyOf([]), { kind: 'root', section: s });
      } else {
        const firstIndex = s.path.findIndex((seg) => typeof seg === 'number');
        const named = (firstIndex === -1 ? s.path : s.path.slice(0, firstIndex)) as string[];
        if (s.kind === 'standard' && s.addressable)
          this.info.set(keyOf(named), { kind: 'table', section: s });
        if (s.kind === 'array' && firstIndex === s.path.length - 1) {
          this.info.set(keyOf(named), { kind: 'array-of-tables' });
        }
        for (let i = 1; i < named.length; i++) implicit.push(named.slice(0, i));
        if (s.kind === 'array' && firstIndex !== s.path.length - 1) implicit.push(named);
      }
      if (!s.addressable) continue;
      for (const kv of s.kvs) this.visitKeyValue(s.path as string[], kv, s, null);
    }
    for (const p of implicit) {
      const k = keyOf(p);
      if (!this.info.has(k)) this.info.set(k, { kind: 'implicit' });
    }
  }

  private visitKeyValue(
    base: string[],
    kv: AST.TOMLKeyValue,
    section: Section | null,
    inline: AST.TOMLInlineTable | null,
  ): void {
    const names = kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    for (let i = 1; i < names.length; i++) {
      const k = keyOf([...base, ...names.slice(0, i)]);
      if (!this.info.has(k)) this.info.set(k, { kind: 'dotted', section, inline, base });
    }
    const full = [...base, ...names];
    this.info.set(keyOf(full), { kind: 'value', kv, section, inline, base });
    if (kv.value.type === 'TOMLInlineTable') {
      for (const child of kv.value.body) this.visitKeyValue(full, child, null, kv.value);
    }
  }
}

function keyOf(path: readonly Segment[]): string {
  return JSON.stringify(path);
}

/** True when `path` starts with every segment of `prefix`. */
export function hasPrefix(path: readonly Segment[], prefix: readonly Segment[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** The names of a key/value pair's (possibly dotted) key. */
export function keyNames(kv: AST.TOMLKeyValue): string[] {
  return kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}
