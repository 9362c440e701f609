import fc from 'fast-check';
import { formatBasicString, formatKey, formatKeyPath } from '../../src/config/toml-format.ts';

/**
 * Random valid TOML documents in the shapes people write Codex configs in (comments, blank
 * lines, alignment, quoting styles, dotted keys, inline tables, arrays of tables, CRLF, BOM, no
 * final newline). Each line is tagged with the key path that owns it, so edit tests know which
 * lines an edit may touch.
 */

export type Scalar = string | number | boolean | number[];
export interface Owner {
  path: string[];
  /** kv lines are touched by edits inside them too (an inline table); table lines only by edits of the table. */
  kind: 'kv' | 'table';
}
export interface GenLine {
  text: string;
  owner: Owner | null;
}
export interface GenDoc {
  text: string;
  lines: GenLine[];
  eol: string;
  value: Record<string, unknown>;
  /** Tables written with their own header, or by dotted keys (not implicit ones). */
  explicitTables: string[][];
}

const KEYS = ['name', 'base_url', 'env_key', 'wire_api', 'k', 'q-1', 'with space', 'dot.ted'];
const CHILDREN = ['a', 'b', 'c', 'x.y', '/abs/p'];
const PARENTS = ['model_providers', 'mcp_servers', 'tui', 'projects'];
const ROOT_KEYS = ['model', 'approval_policy', 'x-1', 'sandbox_mode'];

export const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({
    unit: fc.constantFrom('a', "'", '"', '\\', '\n', '\t', 'é', '\u0001', '#', ' '),
    maxLength: 6,
  }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constantFrom(1.5, -0.25),
  fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
);

const styleArb = fc.record({
  quoteKey: fc.boolean(),
  literal: fc.boolean(),
  padBefore: fc.integer({ min: 0, max: 3 }),
  padAfter: fc.integer({ min: 0, max: 2 }),
  trailing: fc.boolean(),
  commentAbove: fc.boolean(),
});
type Style = typeof styleArb extends fc.Arbitrary<infer T> ? T : never;

function renderScalar(v: Scalar, literal: boolean): string {
  if (typeof v === 'string')
    return literal && !/['\u0000-\u001f\u007f]/.test(v) ? `'${v}'` : formatBasicString(v);
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

function renderKv(key: string, value: Scalar, s: Style, indent = ''): string {
  const k = s.quoteKey ? formatBasicString(key) : formatKey(key);
  const trailing = s.trailing ? '   # note' : '';
  return `${indent}${k}${' '.repeat(1 + s.padBefore)}=${' '.repeat(1 + s.padAfter)}${renderScalar(value, s.literal)}${trailing}`;
}

const kvArb = fc.tuple(fc.constantFrom(...KEYS), scalarArb, styleArb);

const tableArb = fc.record({
  path: fc.oneof(
    fc.tuple(fc.constantFrom(...PARENTS), fc.constantFrom(...CHILDREN)).map(([p, c]) => [p, c]),
    fc.constantFrom(...PARENTS).map((p) => [p]),
  ),
  kvs: fc.uniqueArray(kvArb, { selector: (kv) => kv[0], maxLength: 4 }),
  inline: fc.option(
    fc.uniqueArray(fc.tuple(fc.constantFrom('A', 'B-b', 'c.d'), scalarArb), {
      selector: (e) => e[0],
      maxLength: 3,
    }),
  ),
  blanksBefore: fc.integer({ min: 0, max: 2 }),
  leadComments: fc.integer({ min: 0, max: 2 }),
  trailingComment: fc.boolean(),
  indent: fc.constantFrom('', '', '  '),
});

export type GenTable = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

export const docArb = fc
  .record({
    topComment: fc.boolean(),
    rootKvs: fc.uniqueArray(fc.tuple(fc.constantFrom(...ROOT_KEYS), scalarArb, styleArb), {
      selector: (kv) => kv[0],
      maxLength: 3,
    }),
    dotted: fc.uniqueArray(fc.tuple(fc.constantFrom('p', 'q'), scalarArb), {
      selector: (kv) => kv[0],
      maxLength: 2,
    }),
    tables: fc.uniqueArray(tableArb, { selector: (t) => t.path.join('\u0000'), maxLength: 5 }),
    aot: fc.boolean(),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(buildDoc);

function buildDoc(g: {
  topComment: boolean;
  rootKvs: [string, Scalar, Style][];
  dotted: [string, Scalar][];
  tables: GenTable[];
  aot: boolean;
  crlf: boolean;
  bom: boolean;
  finalNewline: boolean;
}): GenDoc {
  const lines: GenLine[] = [];
  const value: Record<string, unknown> = {};
  const add = (text: string, owner: Owner | null) => lines.push({ text, owner });
  if (g.topComment) {
    add('# generated config', null);
    add('', null);
  }
  for (const [k, v, s] of g.rootKvs) {
    // Once its key is gone, a comment may end up right above a header and go with that table.
    if (s.commentAbove) add(`# about ${k}`, { path: [k], kind: 'kv' });
    add(renderKv(k, v, s), { path: [k], kind: 'kv' });
    value[k] = v;
  }
  if (g.dotted.length > 0) value.dotted = {};
  for (const [k, v] of g.dotted) {
    add(`dotted.${k} = ${renderScalar(v, false)}`, { path: ['dotted', k], kind: 'kv' });
    (value.dotted as Record<string, unknown>)[k] = v;
  }
  // Parents that have their own [parent] header cannot also be a child's parent via a kv; the
  // key sets are disjoint, so any mix of [p] and [p.c] is valid.
  let afterTrailingComment = false;
  for (const t of g.tables) {
    // A comment right above a header belongs to that header: keep a previous table's trailing
    // comment apart from the next table with a blank line, so the owner tags stay true.
    const blanks = Math.max(t.blanksBefore, afterTrailingComment ? 1 : 0);
    for (let i = 0; i < blanks; i++) add('', null);
    for (let i = 0; i < t.leadComments; i++)
      add(`# lead ${i} of ${t.path.join('.')}`, { path: t.path, kind: 'table' });
    add(`[${formatKeyPath(t.path)}]`, { path: t.path, kind: 'table' });
    let table = value;
    for (const seg of t.path) {
      table[seg] ??= {};
      table = table[seg] as Record<string, unknown>;
    }
    for (const [k, v, s] of t.kvs) {
      add(renderKv(k, v, s, t.indent), { path: [...t.path, k], kind: 'kv' });
      table[k] = v;
    }
    if (t.inline) {
      const inner = t.inline.map(([k, v]) => `${formatKey(k)} = ${renderScalar(v, false)}`).join(', ');
      add(`${t.indent}http_headers = {${inner ? ` ${inner} ` : ''}}`, {
        path: [...t.path, 'http_headers'],
        kind: 'kv',
      });
      table.http_headers = Object.fromEntries(t.inline);
    }
    if (t.trailingComment) add('# old_key = 1', { path: t.path, kind: 'table' });
    afterTrailingComment = t.trailingComment;
  }
  if (g.aot) {
    add('', null);
    add('[[hooks]]', { path: ['hooks'], kind: 'table' });
    add('cmd = "a"', { path: ['hooks'], kind: 'table' });
    add('[[hooks]]', { path: ['hooks'], kind: 'table' });
    add('cmd = "b"', { path: ['hooks'], kind: 'table' });
    value.hooks = [{ cmd: 'a' }, { cmd: 'b' }];
  }
  const eol = g.crlf ? '\r\n' : '\n';
  const body = lines.map((l) => l.text).join(eol) + (g.finalNewline && lines.length > 0 ? eol : '');
  const explicitTables = g.tables.map((t) => t.path);
  if (g.dotted.length > 0) explicitTables.push(['dotted']);
  return { text: (g.bom ? '\uFEFF' : '') + body, lines, eol, value, explicitTables };
}
