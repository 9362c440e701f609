import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { formatBasicString, formatKey, formatKeyPath, isTomlTable } from '../../src/config/toml-format.ts';

/**
 * Random valid documents (comments, blank lines, alignment, quoting styles, dotted keys, inline
 * tables, arrays of tables, CRLF, BOM, no final newline) and random edit sequences. Each line of
 * a generated document is tagged with the key path that owns it, so the test knows which lines an
 * edit may touch: (a) the result parses, (b) its value is the intended one, (c) every other line
 * is still there, in order, byte for byte.
 */

/** FC_RUNS=5000 for a longer hunt. */
const RUNS = Number(process.env.FC_RUNS ?? 300);

type Scalar = string | number | boolean | number[];
interface Owner {
  path: string[];
  /** kv lines are touched by edits inside them too (an inline table); table lines only by edits of the table. */
  kind: 'kv' | 'table';
}
interface GenLine {
  text: string;
  owner: Owner | null;
}
interface GenDoc {
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

const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
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

type GenTable = typeof tableArb extends fc.Arbitrary<infer T> ? T : never;

const docArb = fc
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

type EditIntent =
  | { kind: 'setLeaf'; i: number; value: Scalar }
  | { kind: 'addKey'; i: number; key: string; value: Scalar }
  | { kind: 'addTable'; parent: string; child: string; name: Scalar }
  | { kind: 'deleteLeaf'; i: number }
  | { kind: 'deleteTable'; i: number };

const intentArb: fc.Arbitrary<EditIntent> = fc.oneof(
  fc.record({ kind: fc.constant('setLeaf' as const), i: fc.nat(), value: scalarArb }),
  fc.record({
    kind: fc.constant('addKey' as const),
    i: fc.nat(),
    key: fc.constantFrom('new_key', 'n.k', 'model'),
    value: scalarArb,
  }),
  fc.record({
    kind: fc.constant('addTable' as const),
    parent: fc.constantFrom('model_providers', 'projects', 'fresh'),
    child: fc.constantFrom('codexgw-test', 'a', '/abs/q'),
    name: scalarArb,
  }),
  fc.record({ kind: fc.constant('deleteLeaf' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('deleteTable' as const), i: fc.nat() }),
);

/** Leaf key paths (values that are not tables) and table paths of a parsed value. */
function walk(
  value: Record<string, unknown>,
  base: string[] = [],
  leaves: string[][] = [],
  tables: string[][] = [],
) {
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (isTomlTable(v)) {
      tables.push([...base, k]);
      walk(v, [...base, k], leaves, tables);
    } else {
      leaves.push([...base, k]);
    }
  }
  return { leaves, tables };
}

/** Drop empty tables (an implicit table vanishes with its last key; the editor allows that). */
function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneEmpty);
  if (!isTomlTable(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const c = pruneEmpty(v[k]);
    if (isTomlTable(c) && Object.keys(c).length === 0) continue;
    out[k] = c;
  }
  return out;
}

function setModel(model: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = model;
  for (const seg of path.slice(0, -1)) {
    if (!isTomlTable(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

function deleteModel(model: Record<string, unknown>, path: string[]): void {
  let cur = model;
  for (const seg of path.slice(0, -1)) {
    if (!isTomlTable(cur[seg])) return;
    cur = cur[seg] as Record<string, unknown>;
  }
  delete cur[path[path.length - 1]!];
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

/** Is `needle` a subsequence of `hay`? */
function isSubsequence(needle: string[], hay: string[]): boolean {
  let j = 0;
  for (const line of hay) if (j < needle.length && line === needle[j]) j++;
  return j === needle.length;
}

describe('TomlDocument property: random documents and edit sequences', () => {
  it('every generated document is valid TOML with the modelled value', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        expect(pruneEmpty(parse(doc.text.replace(/^\uFEFF/, '')))).toEqual(pruneEmpty(doc.value));
      }),
      { numRuns: RUNS },
    );
  });

  it('edits parse, hold the intended value, and leave every other line alone', () => {
    fc.assert(
      fc.property(docArb, fc.array(intentArb, { minLength: 1, maxLength: 6 }), (gen, intents) => {
        const doc = TomlDocument.parse(gen.text, 'gen.toml');
        const model = structuredClone(gen.value);
        const touched: string[][] = [];
        for (const intent of intents) {
          // Targets come from the document (an implicit table may be gone already); the expected
          // value comes from the independent model.
          const { leaves, tables } = walk(doc.value);
          let path: string[];
          switch (intent.kind) {
            case 'setLeaf': {
              if (leaves.length === 0) continue;
              path = leaves[intent.i % leaves.length]!;
              doc.set(path, intent.value);
              setModel(model, path, intent.value);
              break;
            }
            case 'addKey': {
              const targets = [[], ...tables.filter((t) => t[0] !== 'hooks')];
              path = [...targets[intent.i % targets.length]!, intent.key];
              const existing = doc.get(path);
              if (isTomlTable(existing)) continue;
              doc.set(path, intent.value);
              setModel(model, path, intent.value);
              break;
            }
            case 'addTable': {
              path = [intent.parent, intent.child];
              if (leaves.some((l) => isPrefix(l, path))) continue; // below a scalar: refused by design
              const table = { name: intent.name, base_url: 'http://localhost:1/v1', wire_api: 'responses' };
              doc.set(path, table);
              setModel(model, path, table);
              break;
            }
            case 'deleteLeaf': {
              if (leaves.length === 0) continue;
              path = leaves[intent.i % leaves.length]!;
              expect(doc.delete(path)).toBe(true);
              deleteModel(model, path);
              break;
            }
            case 'deleteTable': {
              if (tables.length === 0) continue;
              path = tables[intent.i % tables.length]!;
              expect(doc.delete(path)).toBe(true);
              deleteModel(model, path);
              break;
            }
          }
          touched.push(path);

          // (a) parses; (b) holds the intended value.
          const text = doc.toString();
          expect(text.startsWith('\uFEFF')).toBe(gen.text.startsWith('\uFEFF'));
          const reparsed = parse(text.replace(/^\uFEFF/, ''));
          expect(pruneEmpty(reparsed)).toEqual(pruneEmpty(model));
        }

        // (c) every line no edit touched is still there, in order, unchanged.
        const untouched = gen.lines
          .filter((l) => l.text.trim() !== '')
          .filter((l) => {
            if (!l.owner) return true;
            const o = l.owner.path;
            return !touched.some((t) => isPrefix(t, o) || (l.owner!.kind === 'kv' && isPrefix(o, t)));
          })
          .map((l) => l.text);
        const body = doc.text;
        const resultLines = body.split(doc.eol);
        expect(isSubsequence(untouched, resultLines)).toBe(true);
        // Line endings are never mixed: no bare LF in a CRLF file.
        if (gen.text.includes('\r\n')) expect(body.replace(/\r\n/g, '')).not.toContain('\n');
      }),
      { numRuns: RUNS },
    );
  });

  it('adding then removing keys and tables gives back the original bytes', () => {
    fc.assert(
      fc.property(docArb, (gen) => {
        const doc = TomlDocument.parse(gen.text);
        const hadRootKey = doc.has(['codexgw_probe']);
        expect(hadRootKey).toBe(false);
        doc.set(['codexgw_probe'], 'x');
        doc.set(['model_providers', 'codexgw-test'], {
          name: 'T',
          base_url: 'http://x',
          wire_api: 'responses',
        });
        const target = gen.explicitTables[0];
        if (target) doc.set([...target, 'codexgw_new'], 1);
        if (target) doc.delete([...target, 'codexgw_new']);
        doc.delete(['model_providers', 'codexgw-test']);
        doc.delete(['codexgw_probe']);
        expect(doc.toString()).toBe(gen.text);
      }),
      { numRuns: RUNS },
    );
  });
});
