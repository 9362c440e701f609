import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { decodeText } from '../../src/config/source.ts';
import { isTomlTable, tomlValueEquals } from '../../src/config/toml-format.ts';
import { TomlLayout } from '../../src/config/toml-layout.ts';

/**
 * Every valid document of the toml-test suite (TOML 1.0 and 1.1: smol-toml parses all of them) and every real Codex config of
 * the shared corpus: set a key, add a key to an existing table, add a provider table, remove them
 * all again → the final bytes equal the original bytes, and every step parses to the intended
 * value. The corpus is at ../shared/corpus next to the repository (always there in CI).
 */

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const present = existsSync(CORPUS);

const PROVIDER = { name: 'codexgw test', base_url: 'http://127.0.0.1:9/v1', wire_api: 'responses' };

function corpusFiles(): string[] {
  const out = new Set<string>();
  const suite = path.join(CORPUS, 'toml-test');
  for (const list of ['files-toml-1.0.0', 'files-toml-1.1.0']) {
    for (const line of readFileSync(path.join(suite, list), 'utf8').split('\n')) {
      if (line.startsWith('valid/') && line.endsWith('.toml')) out.add(path.join(suite, line));
    }
  }
  const codex = path.join(CORPUS, 'codex-configs');
  for (const name of readdirSync(codex)) if (name.endsWith('.toml')) out.add(path.join(codex, name));
  return [...out].sort();
}

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

function roundTrip(file: string): void {
  const original = decodeText(readFileSync(file), file);
  const doc = TomlDocument.parse(original, file);
  const base = parsedValue(original);
  const rel = path.relative(CORPUS, file);

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

describe('corpus', () => {
  it('is present in CI (elsewhere a missing corpus skips the round trips below, loudly)', () => {
    if (process.env.CI) {
      expect(present, `${CORPUS} is missing: the corpus tests cannot run`).toBe(true);
    } else if (!present) {
      console.warn(`SKIPPED: the corpus round trips, because ${CORPUS} does not exist.`);
    }
  });

  describe.runIf(present)('round trips', () => {
    const files = present ? corpusFiles() : [];

    it('covers the whole corpus', () => {
      // ~270 valid toml-test documents (1.0 and 1.1) and ~50 Codex configs; far fewer means a broken list.
      expect(files.length).toBeGreaterThan(250);
      expect(files.filter((f) => f.includes('codex-configs')).length).toBeGreaterThan(40);
    });

    it.each(files.map((f) => [path.relative(CORPUS, f), f]))('%s', (_rel, file) => {
      roundTrip(file);
    });
  });
});
