import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { reparseRootEdit } from '../../src/config/root-reparse.ts';
import type { TomlTable } from '../../src/config/source.ts';
import { TomlLayout } from '../../src/config/toml-layout.ts';
import { docArb } from '../helpers/toml-doc-arb.ts';

/**
 * reparseRootEdit stands in for a whole parse when an edit stays in the root section. Whenever it
 * answers, its answer must be exactly the whole parse: the same value, keys in the same order.
 * The property below throws arbitrary splices at the root section of random documents (most
 * of them break the TOML or reach past it) and holds every answer to a parse of the whole text.
 */

const RUNS = Number(process.env.FC_RUNS ?? 300);
const parseAll = (text: string) => parse(text, { integersAsBigInt: 'asNeeded' }) as TomlTable;

/** Where the first header line starts (the end of the root section), or -1 without a header. */
function rootEnd(text: string): number {
  const layout = new TomlLayout(text, 'test.toml');
  const first = layout.tables[0];
  return first ? layout.lines.start(first.headerLine) : -1;
}

/** reparseRootEdit for an edit of `oldText` into `newText`, checked against a whole parse when it answers. */
function reparse(oldText: string, newText: string, key: string): TomlTable | undefined {
  const value = reparseRootEdit(oldText, newText, rootEnd(oldText), key, parseAll(oldText));
  if (value !== undefined) {
    const whole = parseAll(newText);
    expect(value).toEqual(whole);
    expect(Object.keys(value)).toEqual(Object.keys(whole));
  }
  return value;
}

const OLD = [
  '# top',
  'model = "gpt-5"',
  'model_provider = "portkey" # active',
  '',
  '[model_providers.portkey]',
  'base_url = "https://api.portkey.ai/v1"',
  '',
].join('\n');

describe('reparseRootEdit', () => {
  it('answers for a changed, a new and a deleted top-level value, like a whole parse', () => {
    const changed = OLD.replace('"portkey" # active', '"tfy" # active');
    expect(reparse(OLD, changed, 'model_provider')?.model_provider).toBe('tfy');
    const added = OLD.replace('# active\n', '# active\nmodel_reasoning_effort = "high"\n');
    expect(reparse(OLD, added, 'model_reasoning_effort')?.model_reasoning_effort).toBe('high');
    const deleted = OLD.replace('model = "gpt-5"\n', '');
    expect(reparse(OLD, deleted, 'model')).toBeDefined();
  });

  it('answers for a file that starts with its first header (an empty root section)', () => {
    const old = '[model_providers.portkey]\nbase_url = "u"\n';
    const value = reparse(old, `model_provider = "portkey"\n\n${old}`, 'model_provider');
    expect(value?.model_provider).toBe('portkey');
  });

  it('keeps the tables the headers define, shared with the old value', () => {
    const oldValue = parseAll(OLD);
    const changed = OLD.replace('"gpt-5"', '"o3"');
    const value = reparseRootEdit(OLD, changed, rootEnd(OLD), 'model', oldValue);
    expect(value?.model_providers).toBe(oldValue.model_providers);
  });

  it('declines when the key is a table of the root section or is defined by a header', () => {
    const dotted = 'features.a = true\n[t]\nx = 1\n';
    expect(reparse(dotted, dotted.replace('true', 'false'), 'features')).toBeUndefined();
    const header = 'model = "a"\n[model_provider]\nx = 1\n';
    expect(reparse(header, `model_provider = "b"\n${header}`, 'model_provider')).toBeUndefined();
  });

  it('declines when a header below extends a table of the root section', () => {
    const old = 'a.b = 1\nk = 1\n[a.c]\nx = 1\n';
    expect(reparse(old, old.replace('k = 1', 'k = 2'), 'k')).toBeUndefined();
  });

  it('declines when the edit changes another key, or reaches past the root section', () => {
    expect(reparse(OLD, OLD.replace('"gpt-5"', '"o3"'), 'model_provider')).toBeUndefined();
    expect(reparse(OLD, OLD.replace('api.portkey.ai', 'example.com'), 'model')).toBeUndefined();
    expect(reparse(OLD, OLD.replace('"gpt-5"', '"o3"\n[x]'), 'model')).toBeUndefined();
  });

  it('declines a new root section that does not parse or does not end its last line', () => {
    expect(reparse(OLD, OLD.replace('"gpt-5"', '"""gpt-5'), 'model')).toBeUndefined();
    const old = 'model = "a"\n[t]\n';
    expect(reparseRootEdit(old, 'model = "b"[t]\n', rootEnd(old), 'model', parseAll(old))).toBeUndefined();
  });

  it('declines a boundary that is not the start of a header line', () => {
    const old = 'a = 1\nb = 2\n[t]\n';
    expect(reparseRootEdit(old, 'a = 3\nb = 2\n[t]\n', 6, 'a', parseAll(old))).toBeUndefined();
  });
});

const FRAGMENTS = [
  'model = "x"\n',
  'model_provider = "tfy"\n',
  'new_key = 1\n',
  'tui.x = 1\n',
  '"',
  '"""',
  "'''",
  '[',
  ']',
  '[t]\n',
  '[[model_providers]]\n',
  '{',
  '}',
  '= ',
  '\n',
  '# c\n',
  ',',
  '1',
  'true',
  ' ',
];

describe('reparseRootEdit property: random splices in the root section of random documents', () => {
  it('answers only with the whole parse of the edited text (and does answer often)', () => {
    let answered = 0;
    fc.assert(
      fc.property(
        docArb,
        fc.nat(),
        fc.nat(),
        fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 3 }),
        fc.constantFrom('model', 'model_provider', 'approval_policy', 'x-1', 'new_key', 'tui', 'projects'),
        (gen, a, b, pieces, key) => {
          const old = gen.text.replace(/^\uFEFF/, '');
          const end = rootEnd(old);
          if (end < 0) return;
          const start = a % (end + 1);
          const stop = start + (b % (end - start + 1));
          const edited = old.slice(0, start) + pieces.join('') + old.slice(stop);
          if (reparse(old, edited, key) !== undefined) answered++;
        },
      ),
      { numRuns: RUNS * 10 },
    );
    expect(answered).toBeGreaterThan(RUNS / 10);
  });
});
