import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { isTomlTable } from '../../src/config/toml-format.ts';
import { TomlLayout } from '../../src/config/toml-layout.ts';
import { docArb, type Scalar, scalarArb } from '../helpers/toml-doc-arb.ts';

/**
 * Random valid documents (comments, blank lines, alignment, quoting styles, dotted keys, inline
 * tables, arrays of tables, CRLF, BOM, no final newline) and random edit sequences. Each line of
 * a generated document is tagged with the key path that owns it, so the test knows which lines an
 * edit may touch: (a) the result parses, (b) its value is the intended one, (c) every other line
 * is still there, in order, byte for byte.
 */

/** FC_RUNS=5000 for a longer hunt. */
const RUNS = Number(process.env.FC_RUNS ?? 300);

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
          // The value the document keeps (after some edits from re-parsing the root section only)
          // is the whole text's, keys in the same order.
          expect(doc.value).toEqual(reparsed);
          expect(Object.keys(doc.value)).toEqual(Object.keys(reparsed));
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

describe('root-only layout (top-level keys of large files)', () => {
  it('answers every top-level lookup exactly like the full layout, and refuses deeper ones', () => {
    fc.assert(
      fc.property(
        docArb,
        fc.constantFrom('model', 'approval_policy', 'x-1', 'new_key', 'dotted'),
        (doc, key) => {
          const text = doc.text.replace(/^\uFEFF/, '');
          const full = new TomlLayout(text, 'config.toml');
          const partial = new TomlLayout(text, 'config.toml', true);
          expect(partial.lookup([key])).toEqual(full.lookup([key]));
          expect(partial.lookup([])).toEqual(full.lookup([]));
          expect(partial.sections[0]).toEqual(full.sections[0]);
          // What an insertion into the root needs of the rest: where the first table's block starts.
          expect(partial.tables[0]?.leadStart).toBe(full.tables[0]?.leadStart);
          expect(partial.tables.length).toBe(Math.min(full.tables.length, 1));
          expect(() => partial.lookup([key, 'deeper'])).toThrow(/root-only layout/);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
