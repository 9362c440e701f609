import { FileError } from '../errors.ts';
import { assertStorableEnvName } from './env-names.ts';
import { appendLines, detectEol, joinLines, type Line, splitLines } from './lines.ts';
import {
  assertValue,
  assertVarName,
  exportLine,
  parseExportLine,
  parseSourceLine,
  type Syntax,
  sourceLine,
} from './quote.ts';

export const START_MARKER = '# >>> codexgw >>>';
export const END_MARKER = '# <<< codexgw <<<';
export const MANAGED_COMMENT = '# managed by codexgw; edit with codexgw env';

export interface BlockVar {
  name: string;
  value: string;
  /** 1-based line number in the file. */
  line: number;
}

/**
 * What else the block may load, each as a comment line naming it followed by a line that sources
 * a file codexgw generates: the `codex` wrapper of `codexgw pin`, and `codexgw completion`.
 */
export type Include = 'wrapper' | 'completion';
export const INCLUDE_HEADERS: Readonly<Record<Include, string>> = {
  wrapper: '# codex wrapper (codexgw pin): in a pinned project, codex runs with its profile',
  completion: '# shell completion for codexgw (codexgw completion --install)',
};
const INCLUDES = Object.keys(INCLUDE_HEADERS) as Include[];

export interface ManagedBlock {
  /** 1-based line numbers of the two markers. */
  startLine: number;
  endLine: number;
  vars: BlockVar[];
  /** The secrets file the block sources, if any. */
  source?: { file: string; line: number } | undefined;
  /** The generated files the block loads, by what they are (the line is that of the header). */
  includes: Partial<Record<Include, { file: string; line: number }>>;
}

export interface RcScan {
  lines: Line[];
  eol: '\n' | '\r\n';
  block: ManagedBlock | undefined;
}

/** One line inside the block, classified. Blank lines and comments are inert and kept as they are. */
type InnerLine =
  | { kind: 'include'; include: Include }
  | { kind: 'var'; name: string; value: string }
  | { kind: 'source'; file: string }
  | { kind: 'inert' }
  | { kind: 'unknown' };

function classify(syntax: Syntax, text: string): InnerLine {
  const t = text.trim();
  const include = INCLUDES.find((i) => INCLUDE_HEADERS[i] === t);
  if (include) return { kind: 'include', include };
  if (t === '' || t.startsWith('#')) return { kind: 'inert' };
  const v = parseExportLine(syntax, t);
  if (v) return { kind: 'var', ...v };
  const file = parseSourceLine(syntax, t);
  if (file !== undefined) return { kind: 'source', file };
  return { kind: 'unknown' };
}

const isStart = (l: Line) => l.text.trim() === START_MARKER;
const isEnd = (l: Line) => l.text.trim() === END_MARKER;

/**
 * Find and read the managed block. A block codexgw cannot read exactly (a marker missing or
 * repeated, a line it did not write, a variable set twice) is an error naming every offending
 * line, so that nothing a person edited by hand is overwritten.
 */
export function scanRc(text: string, syntax: Syntax, file: string): RcScan {
  const lines = splitLines(text);
  const eol = detectEol(lines);
  const starts: number[] = [];
  const ends: number[] = [];
  lines.forEach((l, i) => {
    if (isStart(l)) starts.push(i + 1);
    else if (isEnd(l)) ends.push(i + 1);
  });
  if (starts.length === 0 && ends.length === 0) return { lines, eol, block: undefined };

  const problems: { line: number; message: string }[] = [];
  if (starts.length > 1) {
    problems.push({
      line: starts[1]!,
      message: `"${START_MARKER}" appears ${starts.length} times (lines ${starts.join(', ')})`,
    });
  }
  if (ends.length > 1) {
    problems.push({
      line: ends[1]!,
      message: `"${END_MARKER}" appears ${ends.length} times (lines ${ends.join(', ')})`,
    });
  }
  if (starts.length === 0) {
    problems.push({
      line: ends[0]!,
      message: `line ${ends[0]} ends a block that never starts ("${START_MARKER}" is missing)`,
    });
  }
  if (ends.length === 0) {
    problems.push({
      line: starts[0]!,
      message: `the block started at line ${starts[0]} never ends ("${END_MARKER}" is missing)`,
    });
  }
  if (problems.length === 0 && ends[0]! < starts[0]!) {
    problems.push({
      line: ends[0]!,
      message: `the end marker (line ${ends[0]}) comes before the start marker (line ${starts[0]})`,
    });
  }
  if (problems.length > 0) throw damaged(file, problems);

  const startLine = starts[0]!;
  const endLine = ends[0]!;
  const vars: BlockVar[] = [];
  let source: ManagedBlock['source'];
  const includes: ManagedBlock['includes'] = {};
  for (let n = startLine + 1; n < endLine; n++) {
    const c = classify(syntax, lines[n - 1]!.text);
    if (c.kind === 'include') {
      // The header's next line must be the one that loads the file.
      const file = n + 1 < endLine ? parseSourceLine(syntax, lines[n]!.text.trim()) : undefined;
      if (file === undefined)
        problems.push({ line: n + 1, message: `line ${n + 1} should load the ${c.include} file` });
      else if (includes[c.include]) problems.push({ line: n, message: `the ${c.include} is loaded twice` });
      else includes[c.include] = { file, line: n };
      n++;
    } else if (c.kind === 'var') {
      const prev = vars.find((v) => v.name === c.name);
      if (prev) problems.push({ line: n, message: `${c.name} is set twice (lines ${prev.line} and ${n})` });
      else vars.push({ name: c.name, value: c.value, line: n });
    } else if (c.kind === 'source') {
      if (source)
        problems.push({ line: n, message: `a second "source" line (lines ${source.line} and ${n})` });
      else source = { file: c.file, line: n };
    } else if (c.kind === 'unknown') {
      problems.push({ line: n, message: `line ${n} is not a line codexgw writes` });
    }
  }
  if (problems.length > 0) throw damaged(file, problems);
  return { lines, eol, block: { startLine, endLine, vars, source, includes } };
}

function damaged(file: string, problems: { line: number; message: string }[]): FileError {
  const list = problems.map((p) => `${file}:${p.line}: ${p.message}`).join('; ');
  return new FileError(
    `The codexgw block in ${file} was edited by hand and cannot be read safely: ${list}.`,
    {
      file,
      line: problems[0]!.line,
      hint: `Fix those lines by hand (or delete everything from "${START_MARKER}" to "${END_MARKER}") and run the command again. codexgw did not change the file.`,
    },
  );
}

export interface BlockChange {
  /** Variables to set, in order; an existing line is rewritten in place, a new one is appended. */
  set?: ReadonlyArray<readonly [name: string, value: string]>;
  /** Variables to drop from the block. */
  unset?: readonly string[];
  /** A file for the block to source; null removes the source line; undefined leaves it. */
  source?: string | null;
  /** Generated files to load (a path) or to stop loading (null); others are left as they are. */
  include?: Partial<Record<Include, string | null>>;
}

/**
 * The managed-block merge, a pure function of the old text: only lines of the block that change
 * are rewritten (each keeping its own line ending), new lines use the file's line ending, and
 * every byte outside the block stays as it was. A change that changes nothing returns the very
 * same string. A block left with no variable and no source line is removed whole.
 */
export function updateBlock(text: string, syntax: Syntax, change: BlockChange, file: string): string {
  const sets = new Map<string, string>();
  for (const [name, value] of change.set ?? []) {
    assertVarName(name);
    assertStorableEnvName(name);
    assertValue(value, name);
    sets.set(name, value);
  }
  const unsets = new Set(change.unset ?? []);
  for (const name of unsets) assertVarName(name);
  if (typeof change.source === 'string') assertValue(change.source, 'the secrets file path');
  const includeChange = change.include ?? {};
  const added = INCLUDES.filter((i) => typeof includeChange[i] === 'string');
  for (const i of added) assertValue(includeChange[i]!, `the ${i} file path`);

  const scan = scanRc(text, syntax, file);
  const { lines, eol, block } = scan;

  if (!block) {
    const vars = [...sets].filter(([name]) => !unsets.has(name));
    const source = typeof change.source === 'string' ? change.source : undefined;
    if (vars.length === 0 && source === undefined && added.length === 0) return text;
    const includes = added.map((i) => [i, includeChange[i]!] as const);
    return joinLines(appendLines(lines, renderBlock(syntax, vars, source, includes), eol));
  }

  const inner: Line[] = [];
  let keptEntries = 0;
  let sourceSeen = false;
  const written = new Set<string>();
  // Source lines go right after the leading comments, where a reader looks first.
  let insertSourceAt = 0;
  let leading = true;
  for (let n = block.startLine + 1; n < block.endLine; n++) {
    const line = lines[n - 1]!;
    const c = classify(syntax, line.text);
    if (leading && c.kind === 'inert' && line.text.trim() !== '') insertSourceAt = inner.length + 1;
    else leading = false;
    if (c.kind === 'include') {
      const next = includeChange[c.include];
      const current = block.includes[c.include]!;
      const loadLine = lines[n]!;
      n++;
      if (next === null) continue;
      keptEntries++;
      written.add(`include:${c.include}`);
      inner.push(
        line,
        next === undefined || next === current.file
          ? loadLine
          : { text: sourceLine(syntax, next), eol: loadLine.eol },
      );
    } else if (c.kind === 'var') {
      if (unsets.has(c.name) && !sets.has(c.name)) continue;
      const next = sets.get(c.name);
      written.add(c.name);
      keptEntries++;
      // An unchanged value keeps its line byte for byte, even if it is quoted differently.
      inner.push(
        next === undefined || next === c.value
          ? line
          : { text: exportLine(syntax, c.name, next), eol: line.eol },
      );
    } else if (c.kind === 'source') {
      sourceSeen = true;
      if (change.source === null) continue;
      keptEntries++;
      const keep = change.source === undefined || change.source === c.file;
      inner.push(keep ? line : { text: sourceLine(syntax, change.source!), eol: line.eol });
    } else {
      inner.push(line);
    }
  }
  if (typeof change.source === 'string' && !sourceSeen) {
    inner.splice(insertSourceAt, 0, { text: sourceLine(syntax, change.source), eol });
    keptEntries++;
  }
  for (const [name, value] of sets) {
    if (written.has(name)) continue;
    inner.push({ text: exportLine(syntax, name, value), eol });
    keptEntries++;
  }
  for (const i of added) {
    if (written.has(`include:${i}`)) continue;
    inner.push({ text: INCLUDE_HEADERS[i], eol }, { text: sourceLine(syntax, includeChange[i]!), eol });
    keptEntries++;
  }

  const before = lines.slice(0, block.startLine - 1);
  const after = lines.slice(block.endLine);
  // An already-empty block (hand-emptied) is left alone by a change that adds nothing.
  const hadIncludes = Object.keys(block.includes).length > 0;
  if (keptEntries === 0 && block.vars.length === 0 && !block.source && !hadIncludes) return text;
  if (keptEntries === 0) return joinLines([...before, ...after]);
  return joinLines([...before, lines[block.startLine - 1]!, ...inner, lines[block.endLine - 1]!, ...after]);
}

/** The text without the managed block (the same string when there is none). */
export function removeBlock(text: string, syntax: Syntax, file: string): string {
  const { lines, block } = scanRc(text, syntax, file);
  if (!block) return text;
  return joinLines([...lines.slice(0, block.startLine - 1), ...lines.slice(block.endLine)]);
}

/** The lines of a fresh block (without line endings). */
export function renderBlock(
  syntax: Syntax,
  vars: ReadonlyArray<readonly [string, string]>,
  source?: string,
  includes: ReadonlyArray<readonly [Include, string]> = [],
): string[] {
  const out = [START_MARKER, MANAGED_COMMENT];
  if (source !== undefined) out.push(sourceLine(syntax, source));
  for (const [name, value] of vars) out.push(exportLine(syntax, name, value));
  for (const [include, file] of includes) out.push(INCLUDE_HEADERS[include], sourceLine(syntax, file));
  out.push(END_MARKER);
  return out;
}
