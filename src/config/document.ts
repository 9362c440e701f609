import { parse, TomlError } from 'smol-toml';
import { InternalError, UserError } from '../errors.ts';
import type { Lines } from './lines.ts';
import { checkKeyDepth, MAX_NESTING, parseToml, type TomlTable } from './source.ts';
import {
  formatKey,
  formatKeyPath,
  formatValue,
  getIn,
  isTomlTable,
  type TomlKeyPath,
  tomlValueEquals,
  withoutValue,
  withValue,
} from './toml-format.ts';
import {
  hasPrefix,
  type InlineTableNode,
  type KeyValueNode,
  keyNames,
  type PathInfo,
  type Section,
  TomlLayout,
} from './toml-layout.ts';

export type { TomlKeyPath } from './toml-format.ts';
export { formatKey, formatKeyPath, formatValue, parseKeyPath } from './toml-format.ts';

interface Splice {
  start: number;
  end: number;
  text: string;
}

interface LineRange {
  from: number;
  to: number;
  /** A table block: blank lines before it go with it (see removeLines). */
  table: boolean;
}

/**
 * A TOML document that edits itself surgically. Every edit is a splice at ranges located by
 * toml-scan.ts (checked against toml-eslint-parser in the tests); bytes outside the spliced spans never change (comments, blank lines, key
 * order, quoting, alignment, CRLF, BOM, a missing final newline). After every step the result is
 * re-parsed with smol-toml and compared with the intended value: on any difference the edit is
 * refused with an InternalError and the document keeps its previous text. That check has no
 * shortcut: every step re-parses the whole text, whatever the edit.
 *
 * Layout decisions (what a person would do):
 * - a new key goes after the last key of its table (after the last key of the same dotted group
 *   when the table is made by dotted keys, inside the braces when it is an inline table);
 * - a new table goes after the last table under the same parent (a new `[model_providers.x]`
 *   after the last `[model_providers.*]` and its sub-tables), else at the end, after one blank line;
 * - a top-level key in a file that has only tables goes above the first table (and its comments);
 * - deleting a table removes its header, its keys, the comment lines directly above the header
 *   (no blank line between) and the blank lines before it; a comment separated from the header by
 *   a blank line is left alone, as is a comment after the table's last key (commented-out keys);
 * - deleting a key removes its line(s) only.
 * These rules make "add a key or table, then delete it" give back the original bytes.
 */
export class TomlDocument {
  readonly file: string;
  readonly hasBom: boolean;
  /** The line ending new lines get: the file's first one, else "\n". */
  readonly eol: '\n' | '\r\n';
  /** The text as parsed (BOM removed). */
  readonly original: string;
  /** The value as parsed (before any edit). */
  readonly originalValue: TomlTable;
  private current: string;
  private currentValue: TomlTable;
  private cachedLayout: TomlLayout | undefined;

  private constructor(text: string, file: string) {
    this.file = file;
    this.hasBom = text.charCodeAt(0) === 0xfeff;
    const body = this.hasBom ? text.slice(1) : text;
    this.original = body;
    this.current = body;
    this.currentValue = parseDocument(body, file);
    this.originalValue = this.currentValue;
    const nl = body.indexOf('\n');
    this.eol = nl > 0 && body[nl - 1] === '\r' ? '\r\n' : '\n';
  }

  /**
   * Parse `text` (a leading BOM is kept aside). Invalid TOML is a FileError naming file:line:col.
   */
  static parse(text: string, file = 'config.toml'): TomlDocument {
    return new TomlDocument(text, file);
  }

  /** The current text without the BOM. */
  get text(): string {
    return this.current;
  }

  /** The current value (do not mutate it). */
  get value(): TomlTable {
    return this.currentValue;
  }

  get changed(): boolean {
    return this.current !== this.original;
  }

  /** The full text to write: BOM (if the file had one) and body. */
  toString(): string {
    return this.hasBom ? `\uFEFF${this.current}` : this.current;
  }

  get(path: TomlKeyPath): unknown {
    return getIn(this.currentValue, path);
  }

  has(path: TomlKeyPath): boolean {
    return this.get(path) !== undefined;
  }

  /**
   * Set `path` to `value`, creating tables as needed. Setting a table replaces it: keys that are
   * not in `value` are deleted, keys that are get set one by one, so the table keeps its place,
   * its comments and its layout.
   */
  set(path: TomlKeyPath, value: unknown): this {
    checkPath(path);
    formatValue(value, { key: path }); // refuse values TOML cannot hold before touching anything
    this.transaction(() => {
      const before = this.currentValue;
      this.setIn(path, value);
      this.verify(withValue(before, path, value), `set ${formatKeyPath(path)}`);
    });
    return this;
  }

  /** Delete a key or a whole table (with its sub-tables). Returns false when it did not exist. */
  delete(path: TomlKeyPath): boolean {
    checkPath(path);
    if (!this.has(path)) return false;
    this.transaction(() => {
      const before = this.currentValue;
      this.deleteIn(path);
      this.verify(withoutValue(before, path, this.currentValue), `delete ${formatKeyPath(path)}`);
    });
    return true;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The layout for editing `path`. A top-level key whose value is not a table (or an array that
   * may hold tables) can only be written before the first header, so only that part is scanned:
   * `use` and `model set` on a 5,000-line file then skip scanning the rest.
   */
  private layout(path: TomlKeyPath): TomlLayout {
    const value = path.length === 1 ? this.get(path) : undefined;
    const rootOnly = path.length === 1 && !isTomlTable(value) && !Array.isArray(value);
    if (!this.cachedLayout || (this.cachedLayout.rootOnly && !rootOnly)) {
      try {
        this.cachedLayout = new TomlLayout(this.current, this.file, rootOnly);
      } catch (err) {
        // The original text was checked in parse(); an edited text the locator rejects is our bug.
        if (this.changed)
          throw new InternalError(`An edit of ${this.file} produced text codexgw cannot re-read.`);
        throw err;
      }
    }
    return this.cachedLayout;
  }

  private transaction(fn: () => void): void {
    const text = this.current;
    const value = this.currentValue;
    const layout = this.cachedLayout;
    try {
      fn();
    } catch (err) {
      this.current = text;
      this.currentValue = value;
      this.cachedLayout = layout;
      throw err;
    }
  }

  /** Check the whole edit (one or several commits) against what it meant to do: the re-parsed value. */
  private verify(intended: TomlTable, what: string): void {
    if (!tomlValueEquals(this.currentValue, intended)) {
      throw new InternalError(
        `Refusing to ${what} in ${this.file}: the edited file would not hold the intended value.`,
      );
    }
  }

  /** Apply splices and check the re-parsed result against `intended(actual)`. */
  private commit(splices: Splice[], intended: (actual: TomlTable) => TomlTable, what: string): void {
    const text = applySplices(this.current, splices);
    let actual: TomlTable;
    try {
      actual = parse(text, { integersAsBigInt: 'asNeeded', maxDepth: MAX_NESTING }) as TomlTable;
    } catch (err) {
      throw new InternalError(`Refusing to ${what} in ${this.file}: the result would not be valid TOML.`, {
        cause: err,
      });
    }
    const intendedValue = intended(actual);
    if (!tomlValueEquals(actual, intendedValue)) {
      throw new InternalError(
        `Refusing to ${what} in ${this.file}: the edited file would not hold the intended value.`,
      );
    }
    this.current = text;
    this.currentValue = actual;
    this.cachedLayout = undefined;
  }

  private setIn(path: TomlKeyPath, value: unknown): void {
    const existing = this.get(path);
    if (existing !== undefined && tomlValueEquals(existing, value)) return;
    const layout = this.layout(path);
    const info = layout.lookup(path);
    const what = `set ${formatKeyPath(path)}`;
    const intended = () => withValue(this.currentValue, path, value);

    if (info) {
      if (info.kind === 'value') {
        const node = info.kv.value;
        if (node.type === 'inline-table' && isTomlTable(value)) {
          this.mergeTable(path, value);
          return;
        }
        const preferLiteral = node.type === 'string' && node.style === 'literal' && !node.multiline;
        const text = formatValue(value, { key: path, preferLiteral });
        const splice = { start: node.range[0], end: node.range[1], text };
        this.commit([splice], intended, what);
        return;
      }
      if (info.kind !== 'array-of-tables' && info.kind !== 'root' && isTomlTable(value)) {
        this.mergeTable(path, value);
        return;
      }
      // A table becomes a scalar (or an array of tables changes): remove it, then write anew.
      this.deleteIn(path);
      this.setIn(path, value);
      return;
    }

    let depth = path.length - 1;
    let anc: PathInfo | undefined;
    for (; depth >= 0; depth--) {
      anc = layout.lookup(path.slice(0, depth));
      if (anc) break;
    }
    if (!anc) throw new InternalError(`The root table of ${this.file} was not found.`);
    const parentPath = path.slice(0, depth);

    switch (anc.kind) {
      case 'value': {
        if (anc.kv.value.type !== 'inline-table') {
          throw new UserError(
            `Cannot set ${formatKeyPath(path)} in ${this.file}: ${formatKeyPath(parentPath)} is not a table.`,
            {
              file: this.file,
              line: layout.lines.lineOf(anc.kv.range[0]) + 1,
              hint: `Delete ${formatKeyPath(parentPath)} first, or choose another key.`,
            },
          );
        }
        this.commit([insertInline(anc.kv.value, path.slice(depth), value)], intended, what);
        return;
      }
      case 'dotted': {
        const rel = path.slice(anc.base.length);
        if (anc.inline) {
          this.commit([insertInline(anc.inline, rel, value)], intended, what);
          return;
        }
        const section = anc.section!;
        const group = parentPath.slice(anc.base.length);
        const lines = dottedLines(rel, value);
        this.commit([this.insertInSection(layout, section, lines, group)], intended, what);
        return;
      }
      case 'array-of-tables':
        throw new UserError(
          `Cannot set ${formatKeyPath(path)} in ${this.file}: ${formatKeyPath(parentPath)} is an array of tables.`,
          { file: this.file, hint: 'codexgw edits keys of tables only; edit this array by hand.' },
        );
      default: {
        const rest = path.slice(depth);
        if (anc.kind !== 'implicit' && rest.length === 1 && !isTomlTable(value)) {
          const line = `${formatKey(rest[0]!)} = ${formatValue(value, { key: path })}`;
          const splice = this.insertInSection(layout, anc.section, [line], []);
          this.commit([splice], intended, what);
          return;
        }
        const tablePath = isTomlTable(value) ? path : path.slice(0, -1);
        const entries = isTomlTable(value) ? value : { [path[path.length - 1]!]: value };
        this.commit([this.insertTable(layout, tablePath, entries)], intended, what);
        return;
      }
    }
  }

  /** Make the table at `path` hold exactly `value`, key by key. */
  private mergeTable(path: TomlKeyPath, value: Record<string, unknown>): void {
    for (const k of Object.keys(value)) this.setIn([...path, k], value[k]);
    const now = this.get(path);
    if (isTomlTable(now)) {
      for (const k of Object.keys(now)) if (!Object.hasOwn(value, k)) this.deleteIn([...path, k]);
    }
    // A table made only by dotted keys vanishes with its last key; write it as an empty table.
    if (!isTomlTable(this.get(path))) this.setIn(path, value);
  }

  private deleteIn(path: TomlKeyPath): void {
    if (!this.has(path)) return;
    const layout = this.layout(path);
    const info = layout.lookup(path);
    const what = `delete ${formatKeyPath(path)}`;
    const intended = (actual: TomlTable) => withoutValue(this.currentValue, path, actual);
    if (!info || info.kind === 'root') {
      throw new InternalError(`Cannot find ${formatKeyPath(path)} in ${this.file} to delete it.`);
    }
    if (info.kind === 'value') {
      if (info.inline) {
        this.commit([removeInline(info.inline, info.kv)], intended, what);
        return;
      }
      this.commit(
        removeLines(layout.lines, [this.kvLines(layout, info.kv)], (l) => layout.commentLines.has(l)),
        intended,
        what,
      );
      return;
    }
    if (info.kind === 'dotted' && info.inline) {
      // Remove the inline table's dotted keys under `path` one at a time (commas need re-locating).
      const rel = path.slice(info.base.length);
      const kv = info.inline.body.find((k) => hasPrefix(keyNames(k), rel))!;
      this.commit(
        [removeInline(info.inline, kv)],
        (actual) => withoutChild(this.currentValue, info, kv, actual),
        what,
      );
      this.deleteIn(path);
      return;
    }
    const ranges: LineRange[] = [];
    const removed = new Set<Section>();
    for (const s of layout.tables) {
      if (hasPrefix(s.path, path)) {
        removed.add(s);
        ranges.push({ from: s.leadStart, to: s.ownedEnd, table: true });
      }
    }
    for (const s of layout.sections) {
      if (removed.has(s) || !s.addressable) continue;
      for (const kv of s.kvs) {
        if (hasPrefix([...(s.path as string[]), ...keyNames(kv)], path))
          ranges.push(this.kvLines(layout, kv));
      }
    }
    this.commit(
      removeLines(layout.lines, ranges, (l) => layout.commentLines.has(l)),
      intended,
      what,
    );
  }

  private kvLines(layout: TomlLayout, kv: KeyValueNode): LineRange {
    const [from, to] = layout.lineSpan(kv);
    return { from, to, table: false };
  }

  /**
   * Insert key/value lines into a section: after its last key of the dotted `group` (or its last
   * key), else after the header; a root without keys gets them above the first table.
   */
  private insertInSection(layout: TomlLayout, section: Section, newLines: string[], group: string[]): Splice {
    const lines = layout.lines;
    const eol = this.eol;
    let anchor: KeyValueNode | undefined;
    for (const kv of section.kvs) if (hasPrefix(keyNames(kv), group)) anchor = kv;
    anchor ??= section.kvs[section.kvs.length - 1];
    if (anchor) {
      const [first, last] = layout.lineSpan(anchor);
      return insertAfterLine(lines, last, indent(newLines, lines.indent(first)), eol, false);
    }
    if (section.headerLine >= 0) {
      return insertAfterLine(
        lines,
        section.headerLine,
        indent(newLines, lines.indent(section.headerLine)),
        eol,
        false,
      );
    }
    const first = layout.tables[0];
    if (first) {
      // Above the first table's own comments, with a blank line between.
      return {
        start: lines.start(first.leadStart),
        end: lines.start(first.leadStart),
        text: newLines.join(eol) + eol + eol,
      };
    }
    const last = lines.lastNonBlank(lines.count - 1);
    if (last >= 0) return insertAfterLine(lines, last, newLines, eol, false);
    return { start: 0, end: 0, text: newLines.join(eol) + eol };
  }

  /** Insert a new `[path]` table after the last table under the same parent (else at the end). */
  private insertTable(layout: TomlLayout, path: TomlKeyPath, entries: Record<string, unknown>): Splice {
    const lines = layout.lines;
    const block = tableLines(path, entries);
    let anchor = -1;
    for (let p = path.slice(0, -1); anchor < 0; p = p.slice(0, -1)) {
      for (const s of layout.tables) if (hasPrefix(s.path, p)) anchor = s.ownedEnd;
      if (p.length === 0) break;
    }
    if (anchor < 0) anchor = lines.count > 0 ? lines.lastNonBlank(lines.count - 1) : -1;
    if (anchor < 0) return { start: 0, end: 0, text: block.join(this.eol) + this.eol };
    return insertAfterLine(lines, anchor, block, this.eol, true);
  }
}

// -------------------------------------------------------------------------------------------------

function checkPath(path: TomlKeyPath): void {
  if (path.length === 0 || path.some((s) => typeof s !== 'string')) {
    throw new InternalError(
      `Invalid key path ${JSON.stringify(path)}: it must be a non-empty list of strings.`,
    );
  }
}

/** Parse with smol-toml (64-bit integers as bigint); errors become FileErrors with file:line:col. */
function parseDocument(text: string, file: string): TomlTable {
  let value: TomlTable;
  try {
    value = parse(text, { integersAsBigInt: 'asNeeded', maxDepth: MAX_NESTING }) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) parseToml(text, file);
    throw err;
  }
  checkKeyDepth(value, text, file);
  return value;
}

/** The value after removing one dotted kv from an inline table (for the step-wise delete above). */
function withoutChild(
  current: TomlTable,
  info: Extract<PathInfo, { kind: 'dotted' }>,
  kv: KeyValueNode,
  actual: TomlTable,
): TomlTable {
  return withoutValue(current, [...info.base, ...keyNames(kv)], actual);
}

function indent(lines: string[], prefix: string): string[] {
  return prefix ? lines.map((l) => (l ? prefix + l : l)) : lines;
}

/** Lines inserted after `line`; `blankBefore` separates a new table from what precedes it. */
function insertAfterLine(
  lines: Lines,
  line: number,
  newLines: string[],
  eol: string,
  blankBefore: boolean,
): Splice {
  const body = newLines.join(eol);
  if (lines.hasEol(line)) {
    const at = lines.end(line);
    return { start: at, end: at, text: (blankBefore ? eol : '') + body + eol };
  }
  // The last line has no line ending: keep it that way.
  const at = lines.text.length;
  return { start: at, end: at, text: eol + (blankBefore ? eol : '') + body };
}

/** `key = value` inside an inline table, after its last pair. */
function insertInline(table: InlineTableNode, rel: TomlKeyPath, value: unknown): Splice {
  const pair = `${formatKeyPath(rel)} = ${formatValue(value, { key: rel })}`;
  const last = table.body[table.body.length - 1];
  if (!last) return { start: table.range[0], end: table.range[1], text: `{ ${pair} }` };
  return { start: last.range[1], end: last.range[1], text: `, ${pair}` };
}

/** Remove one pair from an inline table with the comma that separates it. */
function removeInline(table: InlineTableNode, kv: KeyValueNode): Splice {
  const i = table.body.indexOf(kv);
  const next = table.body[i + 1];
  if (next) return { start: kv.range[0], end: next.range[0], text: '' };
  const prev = table.body[i - 1];
  if (prev) return { start: prev.range[1], end: kv.range[1], text: '' };
  return { start: table.range[0], end: table.range[1], text: '{}' };
}

/** The lines of a new table `[path]` (and of its sub-tables). */
function tableLines(path: TomlKeyPath, entries: Record<string, unknown>): string[] {
  const direct: string[] = [];
  const subtables: string[] = [];
  const keys = Object.keys(entries);
  // A table of tables (like model_providers) is only a container: each entry gets its own header.
  // A flat map next to plain keys (like http_headers) stays inline, as people write it.
  const container = keys.length > 0 && keys.every((k) => isTomlTable(entries[k]));
  for (const k of keys) {
    const v = entries[k];
    if (isTomlTable(v) && (container || Object.values(v).some(isTomlTable))) subtables.push(k);
    else direct.push(`${formatKey(k)} = ${formatValue(v, { key: [...path, k] })}`);
  }
  const out = direct.length > 0 || subtables.length === 0 ? [`[${formatKeyPath(path)}]`, ...direct] : [];
  for (const k of subtables) {
    if (out.length > 0) out.push('');
    out.push(...tableLines([...path, k], entries[k] as Record<string, unknown>));
  }
  return out;
}

/** `a.b.c = v` lines for a table made by dotted keys; nested tables are flattened. */
function dottedLines(rel: TomlKeyPath, value: unknown): string[] {
  if (!isTomlTable(value) || Object.keys(value).length === 0) {
    return [`${formatKeyPath(rel)} = ${formatValue(value, { key: rel })}`];
  }
  return Object.keys(value).flatMap((k) => dottedLines([...rel, k], value[k]));
}

/**
 * Splices that remove whole lines. Runs of removed lines that only blank lines separate merge.
 * A run holding a table takes the blank lines before it (so adding a table after a blank line and
 * deleting it gives back the original), but one of them stays between a comment and a header; at the top of the file it takes one blank line after it
 * instead. A run of key lines between blank lines (or the file start) takes one blank line after it.
 * A run that ends the file without a final newline takes the previous line's ending instead.
 */
function removeLines(lines: Lines, ranges: LineRange[], isComment: (line: number) => boolean): Splice[] {
  if (ranges.length === 0) return [];
  const count = lines.count;
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const runs: LineRange[] = [];
  for (const r of sorted) {
    const prev = runs[runs.length - 1];
    if (prev && r.from <= prev.to + 1 + blankCount(lines, prev.to + 1, r.from)) {
      prev.to = Math.max(prev.to, r.to);
      prev.table ||= r.table;
    } else {
      runs.push({ ...r });
    }
  }
  const widened: LineRange[] = [];
  for (const run of runs) {
    let { from, to } = run;
    const before = lines.lastNonBlank(from - 1);
    const followedByContent = () => {
      let r = to + 1;
      while (r < count && lines.isBlank(r)) r++;
      return to + 1 < count && lines.isBlank(to + 1) && r < count;
    };
    if (run.table) {
      // Keep one blank line when removing them all would glue a comment onto the next header
      // (a comment directly above a header belongs to it).
      const glues = to + 1 < count && !lines.isBlank(to + 1) && before >= 0 && isComment(before);
      if (before >= 0) from = glues ? before + 2 : before + 1;
      else if (followedByContent()) to++;
    } else if ((from === 0 || lines.isBlank(from - 1)) && followedByContent()) {
      to++;
    }
    const prev = widened[widened.length - 1];
    if (prev && from <= prev.to + 1) prev.to = Math.max(prev.to, to);
    else widened.push({ from, to, table: run.table });
  }
  return widened.map(({ from, to }) => {
    if (to === count - 1 && !lines.hasEol(to) && from > 0) {
      return { start: lines.contentEnd(from - 1), end: lines.text.length, text: '' };
    }
    return { start: lines.start(from), end: lines.end(to), text: '' };
  });
}

/** How many lines from `from` (exclusive end `to`) are blank, if all are; else -1 (no merge). */
function blankCount(lines: Lines, from: number, to: number): number {
  for (let l = from; l < to; l++) if (!lines.isBlank(l)) return -Number.MAX_SAFE_INTEGER;
  return Math.max(0, to - from);
}

/** Apply non-overlapping splices in one pass (no quadratic string building). */
function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const s of sorted) {
    parts.push(text.slice(at, s.start), s.text);
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
