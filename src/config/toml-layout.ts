import { FileError, InternalError } from '../errors.ts';
import { Lines } from './lines.ts';
import type { TomlKeyPath } from './toml-format.ts';
import {
  type KeyValueNode,
  type Range,
  ScanError,
  type ScanResult,
  scanToml,
  type TableNode,
  type ValueNode,
} from './toml-scan.ts';

export type { KeyValueNode, ValueNode } from './toml-scan.ts';
export type InlineTableNode = Extract<ValueNode, { type: 'inline-table' }>;

/**
 * Where things are in a TOML text: lines, comment-only lines, sections (the root and every
 * `[table]` / `[[array]]` header with its key/value lines) and, for every addressable key path,
 * how it is defined. Built from toml-scan.ts once per text version; the editor in document.ts
 * turns it into splices.
 */

export type Segment = string | number;

export interface Section {
  /** Resolved key of the header ([] for the root; array-of-tables entries carry their index). */
  path: Segment[];
  kind: 'root' | 'standard' | 'array';
  table: TableNode | null;
  kvs: KeyValueNode[];
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
  | { kind: 'dotted'; section: Section | null; inline: InlineTableNode | null; base: string[] }
  /** A key/value pair; the value may be an inline table or an array. */
  | {
      kind: 'value';
      kv: KeyValueNode;
      section: Section | null;
      inline: InlineTableNode | null;
      base: string[];
    };

export class TomlLayout {
  readonly lines: Lines;
  /** The root section first, then every header in document order. */
  readonly sections: Section[] = [];
  /** Lines whose first non-blank character starts a comment. */
  readonly commentLines = new Set<number>();
  private readonly info = new Map<string, PathInfo>();

  /**
   * With `rootOnly`, only the root section and the first header are scanned (see scanToml): such
   * a layout answers lookups of top-level keys only, and its `tables` hold just the first one.
   */
  constructor(
    readonly text: string,
    file: string,
    readonly rootOnly = false,
  ) {
    this.lines = new Lines(text);
    let scan: ScanResult;
    try {
      scan = scanToml(text, { untilFirstTable: rootOnly });
    } catch (err) {
      if (!(err instanceof ScanError)) throw err;
      const line = this.lines.count > 0 ? this.lines.lineOf(err.offset) : 0;
      const column = err.offset - (this.lines.count > 0 ? this.lines.start(line) : 0) + 1;
      throw new FileError(
        `${file}:${line + 1}:${column}: codexgw cannot edit this file in place: ${err.message}.`,
        {
          file,
          line: line + 1,
          column,
          hint: 'Codex may still accept the file; rewrite that line in plain TOML 1.0 syntax, or make this change by hand.',
          cause: err,
        },
      );
    }
    for (const at of scan.comments) {
      const line = this.lines.lineOf(at);
      if (this.lines.indent(line).length === at - this.lines.start(line)) this.commentLines.add(line);
    }
    this.buildSections(scan);
    this.buildInfo();
  }

  /** How `path` is defined, or undefined when it is not in the text. */
  lookup(path: TomlKeyPath): PathInfo | undefined {
    if (this.rootOnly && path.length > 1) {
      throw new InternalError(`A root-only layout cannot look up ${JSON.stringify(path)}.`);
    }
    const table = this.info.get(keyOf(path));
    if (table) return table;
    // Key/value pairs are searched on demand (indexing every key of a large file up front costs
    // more than the few lookups an edit makes): in the deepest header on the path, then above.
    for (let n = path.length - 1; n >= 0; n--) {
      const holder = n === 0 ? this.info.get(keyOf([])) : this.info.get(keyOf(path.slice(0, n)));
      if (holder?.kind !== 'table' && holder?.kind !== 'root') continue;
      const found = findInPairs(holder.section.kvs, path, n, holder.section, null);
      if (found) return found;
    }
    return undefined;
  }

  /** The header sections (without the root). */
  get tables(): Section[] {
    return this.sections.slice(1);
  }

  /** Line of a node's first and last character. */
  lineSpan(node: { range: Range }): [number, number] {
    return [this.lines.lineOf(node.range[0]), this.lines.lineOf(Math.max(node.range[0], node.range[1] - 1))];
  }

  private buildSections(scan: ScanResult): void {
    const root: Section = {
      path: [],
      kind: 'root',
      table: null,
      kvs: scan.root,
      headerLine: -1,
      leadStart: 0,
      ownedEnd: -1,
      addressable: true,
    };
    this.sections.push(root);
    for (const node of scan.tables) {
      const headerLine = this.lines.lineOf(node.range[0]);
      let leadStart = headerLine;
      while (leadStart > 0 && this.commentLines.has(leadStart - 1)) leadStart--;
      this.sections.push({
        path: node.resolvedKey,
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

  /** Index the paths that headers define (tables, arrays of tables, their implicit parents). */
  private buildInfo(): void {
    const implicit: string[][] = [];
    for (const s of this.sections) {
      if (s.kind === 'root') {
        this.info.set(keyOf([]), { kind: 'root', section: s });
        continue;
      }
      const firstIndex = s.path.findIndex((seg) => typeof seg === 'number');
      const named = (firstIndex === -1 ? s.path : s.path.slice(0, firstIndex)) as string[];
      if (s.kind === 'standard' && s.addressable) this.info.set(keyOf(named), { kind: 'table', section: s });
      if (s.kind === 'array' && firstIndex === s.path.length - 1) {
        this.info.set(keyOf(named), { kind: 'array-of-tables' });
      }
      for (let i = 1; i < named.length; i++) implicit.push(named.slice(0, i));
      if (s.kind === 'array' && firstIndex !== s.path.length - 1) implicit.push(named);
    }
    for (const p of implicit) {
      const k = keyOf(p);
      if (!this.info.has(k)) this.info.set(k, { kind: 'implicit' });
    }
  }
}

/**
 * How the pairs of a section (or an inline table) define `path`, whose first `from` segments are
 * the section's own path: exactly (a value), as the parent of a dotted key, or through an inline
 * table. Undefined when no pair does, or the path runs below a value that is not a table.
 */
function findInPairs(
  kvs: KeyValueNode[],
  path: TomlKeyPath,
  from: number,
  section: Section | null,
  inline: InlineTableNode | null,
): PathInfo | undefined {
  const rest = path.length - from;
  for (const kv of kvs) {
    const keys = kv.keys;
    const m = Math.min(keys.length, rest);
    let i = 0;
    while (i < m && keys[i] === path[from + i]) i++;
    if (i < m) continue;
    const base = path.slice(0, from) as string[];
    if (keys.length === rest) return { kind: 'value', kv, section, inline, base };
    if (keys.length > rest) return { kind: 'dotted', section, inline, base };
    if (kv.value.type !== 'inline-table') return undefined;
    return findInPairs(kv.value.body, path, from + keys.length, null, kv.value);
  }
  return undefined;
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
export function keyNames(kv: KeyValueNode): string[] {
  return kv.keys;
}
