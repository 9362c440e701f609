import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { type AST, parseTOML } from 'toml-eslint-parser';
import { describe, expect, it } from 'vitest';
import { type KeyValueNode, ScanError, scanToml, type ValueNode } from '../../src/config/toml-scan.ts';
import { docArb } from '../helpers/toml-doc-arb.ts';

/** The editor's scanner against toml-eslint-parser (the oracle) on random documents. */

function eslintKv(kv: AST.TOMLKeyValue): unknown {
  return {
    range: kv.range,
    keys: kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value)),
    value: eslintValue(kv.value),
  };
}

function eslintValue(v: AST.TOMLContentNode): unknown {
  if (v.type === 'TOMLInlineTable')
    return { type: 'inline-table', range: v.range, body: v.body.map(eslintKv) };
  if (v.type === 'TOMLArray') return { type: 'array', range: v.range };
  if (v.kind === 'string') return { type: 'string', range: v.range, style: v.style, multiline: v.multiline };
  return { type: 'scalar', range: v.range };
}

function scanKv(kv: KeyValueNode): unknown {
  return { range: kv.range, keys: kv.keys, value: scanValue(kv.value) };
}

function scanValue(v: ValueNode): unknown {
  return v.type === 'inline-table' ? { type: 'inline-table', range: v.range, body: v.body.map(scanKv) } : v;
}

function agree(text: string): void {
  const ast = parseTOML(text, { tomlVersion: 'latest' });
  const scan = scanToml(text);
  const top = ast.body[0].body;
  expect(scan.root.map(scanKv)).toEqual(top.filter((n) => n.type === 'TOMLKeyValue').map(eslintKv));
  const tables = top.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable');
  expect(scan.tables.map((t) => [t.range[0], t.kind, t.resolvedKey, t.body.map(scanKv)])).toEqual(
    tables.map((t) => [t.range[0], t.kind, t.resolvedKey, t.body.map(eslintKv)]),
  );
  expect(scan.comments).toEqual(ast.comments.map((c) => c.range[0]));
}

const RUNS = Number(process.env.FC_RUNS ?? 300);

describe('toml-scan', () => {
  it('agrees with toml-eslint-parser on generated Codex-like documents', () => {
    fc.assert(
      fc.property(docArb, (doc) => agree(doc.text.replace(/^\uFEFF/, ''))),
      { numRuns: RUNS },
    );
  });

  it('agrees with toml-eslint-parser on whatever smol-toml writes for random tables', () => {
    const key = fc.string({
      unit: fc.constantFrom('a', 'b', '.', ' ', '"', "'", '\\', '\n', 'é', '-', '#'),
      minLength: 1,
      maxLength: 4,
    });
    const leaf = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), tie('t')),
      t: fc.dictionary(key, tie('v'), { maxKeys: 3 }),
    })).t;
    fc.assert(
      fc.property(value, (table) => agree(stringify(table))),
      { numRuns: RUNS },
    );
  });

  it('reports where it stops on text it does not understand', () => {
    expect(() => scanToml('a = 1\nb = \n')).toThrow(ScanError);
    try {
      scanToml('[a\n');
    } catch (err) {
      expect((err as ScanError).offset).toBe(2);
    }
  });
});
