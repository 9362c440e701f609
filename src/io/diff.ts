import type { Palette } from './colors.ts';

/**
 * A small unified diff (the `diff -u` / git format) for `--dry-run`. Lines are compared with
 * their line endings; common head and tail are skipped first (as text, before splitting into
 * lines), so a small edit in a large file costs little. Past MAX_EDITS differences the middle is
 * shown as one replacement (still a correct diff, just not the shortest).
 */

export interface DiffOptions {
  /** Label of the old side, e.g. the file path ("/dev/null" for a new file). */
  fromLabel: string;
  toLabel: string;
  /** Unchanged lines around each change (default 3). */
  context?: number;
  color?: Palette;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

const MAX_EDITS = 1000;

/** The diff of two texts, or '' when they are equal. */
export function unifiedDiff(before: string, after: string, opts: DiffOptions): string {
  if (before === after) return '';
  const context = opts.context ?? 3;
  // Only the changed lines and their context are split into lines: a one-line change in a
  // 6,500-line file no longer makes 13,000 strings.
  const part = changedPart(before, after, context);
  const a = splitLines(before.slice(part.start, part.endBefore));
  const b = splitLines(after.slice(part.start, part.endAfter));
  const inner = diffLines(a, b, context);
  const ops = inner.ops;
  const skipped = part.linesBefore + inner.skipped;
  const c = opts.color;
  const out: string[] = [paint(c?.bold, `--- ${opts.fromLabel}`), paint(c?.bold, `+++ ${opts.toLabel}`)];
  for (const hunk of hunks(ops, context, skipped)) {
    out.push(paint(c?.info, `@@ -${range(hunk.aStart, hunk.aLen)} +${range(hunk.bStart, hunk.bLen)} @@`));
    for (const op of hunk.ops) {
      const text = op.kind + stripEol(op.line);
      out.push(op.kind === '-' ? paint(c?.removed, text) : op.kind === '+' ? paint(c?.added, text) : text);
      if (!op.line.endsWith('\n')) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The part of both texts that holds every changed line plus `context` unchanged lines on each
 * side (line boundaries in both texts), and how many lines come before it. Lines outside it are
 * equal in both, and diffLines on the part finds the same head and tail as on the whole texts.
 */
function changedPart(
  before: string,
  after: string,
  context: number,
): { start: number; endBefore: number; endAfter: number; linesBefore: number } {
  const shorter = Math.min(before.length, after.length);
  // Common prefix and suffix lengths by binary search over native string comparisons (a loop
  // over characters is slow in code that runs once).
  const p = longest(shorter, (k) => before.slice(0, k) === after.slice(0, k));
  // The lines before the one holding the first difference are equal.
  let start = lineStart(before, p);
  const q = longest(
    shorter - start,
    (k) => before.slice(before.length - k) === after.slice(after.length - k),
  );
  // The lines after the first line break inside the common end are equal (one more may be: the
  // line diff finds it).
  const nl = before.indexOf('\n', before.length - q);
  let endBefore = nl === -1 ? before.length : nl + 1;
  for (let i = 0; i < context && start > 0; i++) start = lineStart(before, start - 1);
  for (let i = 0; i < context && endBefore < before.length; i++) {
    const next = before.indexOf('\n', endBefore);
    endBefore = next === -1 ? before.length : next + 1;
  }
  let linesBefore = 0;
  for (let i = before.indexOf('\n'); i !== -1 && i < start; i = before.indexOf('\n', i + 1)) linesBefore++;
  return { start, endBefore, endAfter: after.length - (before.length - endBefore), linesBefore };
}

/** The largest k in [0, max] with same(k), for a `same` that holds up to some k and not after. */
function longest(max: number, same: (k: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (same(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where the line holding `pos` starts (lastIndexOf would clamp a negative position to 0). */
function lineStart(text: string, pos: number): number {
  return pos <= 0 ? 0 : text.lastIndexOf('\n', pos - 1) + 1;
}

/** Lines with their line endings; the last may have none. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let at = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', at)) {
    lines.push(text.slice(at, i + 1));
    at = i + 1;
  }
  if (at < text.length) lines.push(text.slice(at));
  return lines;
}

/**
 * The edit script, with only `context` of the common head and tail lines (the rest can be in no
 * hunk); `skipped` is the number of head lines left out, where line numbers start counting.
 */
function diffLines(a: string[], b: string[], context: number): { ops: Op[]; skipped: number } {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const skipped = Math.max(0, head - context);
  const ops: Op[] = a.slice(skipped, head).map((line) => ({ kind: ' ', line }));
  ops.push(...(myers(midA, midB) ?? replaceAll(midA, midB)));
  for (const line of a.slice(a.length - tail, a.length - tail + context)) ops.push({ kind: ' ', line });
  return { ops, skipped };
}

function replaceAll(a: string[], b: string[]): Op[] {
  return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
}

/** Myers' O(ND) diff; undefined when it needs more than MAX_EDITS edits. */
function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, MAX_EDITS);
  const off = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d] holds v[-(d+1) .. d+1] as it was before step d.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return undefined;
}

function backtrack(a: string[], b: string[], trace: Int32Array[], dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const snap = trace[d]!;
    const at = (k: number) => snap[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[x - 1]! });
      x--;
      y--;
    }
    if (prevK === k + 1) ops.push({ kind: '+', line: b[y - 1]! });
    else ops.push({ kind: '-', line: a[x - 1]! });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[x - 1]! });
    x--;
    y--;
  }
  return ops.reverse();
}

interface Hunk {
  aStart: number;
  aLen: number;
  bStart: number;
  bLen: number;
  ops: Op[];
}

function hunks(ops: Op[], context: number, skipped: number): Hunk[] {
  const out: Hunk[] = [];
  const changes: number[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== ' ') changes.push(i);
  });
  // Line numbers before ops[cursor], advanced hunk by hunk (one pass over ops in total).
  let cursor = 0;
  let aLine = skipped;
  let bLine = skipped;
  let i = 0;
  while (i < changes.length) {
    let end = changes[i]!;
    let j = i;
    while (j + 1 < changes.length && changes[j + 1]! - end <= 2 * context) {
      j++;
      end = changes[j]!;
    }
    const from = Math.max(0, changes[i]! - context);
    const to = Math.min(ops.length, end + context + 1);
    for (; cursor < from; cursor++) {
      if (ops[cursor]!.kind !== '+') aLine++;
      if (ops[cursor]!.kind !== '-') bLine++;
    }
    const slice = ops.slice(from, to);
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    out.push({
      aStart: aLen === 0 ? aLine : aLine + 1,
      aLen,
      bStart: bLen === 0 ? bLine : bLine + 1,
      bLen,
      ops: slice,
    });
    i = j + 1;
  }
  return out;
}

function range(start: number, len: number): string {
  return len === 1 ? `${start}` : `${start},${len}`;
}

function stripEol(line: string): string {
  return line.endsWith('\r\n') ? line.slice(0, -2) : line.endsWith('\n') ? line.slice(0, -1) : line;
}

function paint(fn: ((s: string) => string) | undefined, s: string): string {
  return fn ? fn(s) : s;
}
