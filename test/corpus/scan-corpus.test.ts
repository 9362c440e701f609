import { readFileSync } from 'node:fs';
import { type AST, parseTOML } from 'toml-eslint-parser';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/config/source.ts';
import { type KeyValueNode, scanToml, type ValueNode } from '../../src/config/toml-scan.ts';
import { corpus } from '../helpers/corpus.ts';

/**
 * The editor locates keys with its own scanner (toml-scan.ts) because toml-eslint-parser was too
 * slow on large files. Here toml-eslint-parser is the oracle: on every valid document of the
 * corpus, both must agree on every header, key, value range and comment.
 */

const CORPUS = corpus();

type Shape = unknown;

function eslintKv(kv: AST.TOMLKeyValue): Shape {
  return {
    range: kv.range,
    keys: kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value)),
    value: eslintValue(kv.value),
  };
}

function eslintValue(v: AST.TOMLContentNode): Shape {
  if (v.type === 'TOMLInlineTable')
    return { type: 'inline-table', range: v.range, body: v.body.map(eslintKv) };
  if (v.type === 'TOMLArray') return { type: 'array', range: v.range };
  if (v.kind === 'string') return { type: 'string', range: v.range, style: v.style, multiline: v.multiline };
  return { type: 'scalar', range: v.range };
}

function scanKv(kv: KeyValueNode): Shape {
  return { range: kv.range, keys: kv.keys, value: scanValue(kv.value) };
}

function scanValue(v: ValueNode): Shape {
  if (v.type === 'inline-table') return { type: 'inline-table', range: v.range, body: v.body.map(scanKv) };
  return v;
}

function compare(file: string): void {
  const text = decodeText(readFileSync(file), file).replace(/^\uFEFF/, '');
  const ast = parseTOML(text, { tomlVersion: 'latest' });
  const scan = scanToml(text);
  const top = ast.body[0].body;
  expect(scan.root.map(scanKv)).toEqual(top.filter((n) => n.type === 'TOMLKeyValue').map(eslintKv));
  const tables = top.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable');
  expect(
    scan.tables.map((t) => ({
      start: t.range[0],
      kind: t.kind,
      resolvedKey: t.resolvedKey,
      body: t.body.map(scanKv),
    })),
  ).toEqual(
    tables.map((t) => ({
      start: t.range[0],
      kind: t.kind,
      resolvedKey: t.resolvedKey,
      body: t.body.map(eslintKv),
    })),
  );
  expect(scan.comments).toEqual(ast.comments.map((c) => c.range[0]));
}

describe(`toml-scan agrees with toml-eslint-parser on the ${CORPUS.summary}`, () => {
  const all = [...CORPUS.tomlValid, ...CORPUS.codexConfigs];
  it('covers the whole corpus', () => {
    expect(CORPUS.tomlValid.length).toBeGreaterThanOrEqual(CORPUS.min.tomlValid);
    expect(CORPUS.codexConfigs.length).toBeGreaterThanOrEqual(CORPUS.min.codexConfigs);
  });
  it.each(all.map((f) => [f.name, f.file]))('%s', (_name, file) => {
    compare(file);
  });
});

describe('toml-scan edge cases', () => {
  it('handles quotes next to closing delimiters, escaped quotes and date-times with a space', () => {
    const text = [
      'a = """x""""',
      "b = '''y'''''",
      'c = """\\""""',
      'd = 1979-05-27 07:32:00Z # c',
      'e = [ 1, # one',
      '  2, ]',
      '"k.\\u00e9" = { x = "}", y = [ "]" ] }',
      '',
    ].join('\n');
    const scan = scanToml(text);
    expect(scan.root.map((kv) => text.slice(kv.value.range[0], kv.value.range[1]))).toEqual([
      '"""x""""',
      "'''y'''''",
      '"""\\""""',
      '1979-05-27 07:32:00Z',
      '[ 1, # one\n  2, ]',
      '{ x = "}", y = [ "]" ] }',
    ]);
    expect(scan.root[5]!.keys).toEqual(['k.é']);
  });
});
