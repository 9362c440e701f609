import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { decodeText } from '../../src/config/source.ts';
import { isTomlTable, tomlValueEquals } from '../../src/config/toml-format.ts';
import { TomlLayout } from '../../src/config/toml-layout.ts';
import { corpus } from '../helpers/corpus.ts';

/**
 * Every valid document of the toml-test suite (TOML 1.0 and 1.1: smol-toml parses all of them) and every real Codex config of
 * the shared corpus: set a key, add a key to an existing table, add a provider table, remove them
 * all again → the final bytes equal the original bytes, and every step parses to the intended
 * value. The corpus is ../shared/corpus when present (required in CI), else test/fixtures/corpus.
 */

const CORPUS = corpus();

const PROVIDER = { name: 'codexgw test', base_url: 'http://127.0.0.1:9/v1', wire_api: 'responses' };

function parsedValue(text: string): Record<string, unknown> {
  return parse(text.replace(/^\uFEFF/, ''), { integersAsBigInt: 'asNeeded' }) as Record<string, unknown>;
}

function expectValue(doc: TomlDocument, expected: Record<string, unknown>, file: string, step: string): void {
  const actual = parsedValue(doc.toString());
  expect(tomlValueEquals(actual, expected), `${file}: ${step}`).toBe(true);
}

/** A table with its own header or made by dotted keys, whose keys we can add to and remove again. */
function explicitTable(doc: TomlDocument): string | undefined {
  const layout = new TomlLayout(doc.text, doc.file);
  for (const k of Object.keys(doc.value)) {
    const kind = layout.lookup([k])?.kind;
    if (isTomlTable(doc.value[k]) && (kind === 'table' || kind === 'dotted')) return k;
    if (kind === 'value' && isTomlTable(doc.value[k])) return k; // an inline table
  }
  return undefined;
}

function roundTrip(rel: string, file: string): void {
  const original = decodeText(readFileSync(file), file);
  const doc = TomlDocument.parse(original, file);
  const base = parsedValue(original);

  doc.set(['codexgw_probe'], 'set by the corpus test');
  const withProbe = { ...base, codexgw_probe: 'set by the corpus test' };
  expectValue(doc, withProbe, rel, 'set a key');

  let step: Record<string, unknown> = withProbe;
  const table = explicitTable(doc);
  if (table !== undefined) {
    doc.set([table, 'codexgw_added'], 42);
    step = { ...step, [table]: { ...(step[table] as object), codexgw_added: 42 } };
    expectValue(doc, step, rel, `add a key to [${table}]`);
  }

  const providers = base.model_providers;
  const canAddProvider = providers === undefined || isTomlTable(providers);
  if (canAddProvider) {
    doc.set(['model_providers', 'codexgw-test'], PROVIDER);
    expectValue(
      doc,
      { ...step, model_providers: { ...(providers as object | undefined), 'codexgw-test': PROVIDER } },
      rel,
      'add a provider table',
    );
    expect(doc.delete(['model_providers', 'codexgw-test'])).toBe(true);
    expectValue(doc, step, rel, 'remove the provider table');
  }
  if (table !== undefined) {
    doc.delete([table, 'codexgw_added']);
    expectValue(doc, withProbe, rel, `remove the key from [${table}]`);
  }
  doc.delete(['codexgw_probe']);
  expect(doc.toString(), `${rel}: the bytes after undoing every edit`).toBe(original);
}

describe(`round trips on the ${CORPUS.summary}`, () => {
  const files = [...CORPUS.tomlValid, ...CORPUS.codexConfigs];

  it('covers the whole corpus', () => {
    // The shared corpus: ~270 valid toml-test documents (1.0 and 1.1) and ~50 Codex configs;
    // the vendored subset: every file it holds. Fewer means a broken list.
    expect(CORPUS.tomlValid.length).toBeGreaterThanOrEqual(CORPUS.min.tomlValid);
    expect(CORPUS.codexConfigs.length).toBeGreaterThanOrEqual(CORPUS.min.codexConfigs);
  });

  it.each(files.map((f) => [f.name, f.file]))('%s', (name, file) => {
    roundTrip(name, file);
  });
});
