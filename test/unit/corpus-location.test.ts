import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_CORPUS, locateCorpus } from '../helpers/corpus.ts';
import { makeTempDir } from '../helpers/tmp.ts';

describe('the test corpus location', () => {
  it('uses the shared corpus when it is there, naming each case by its source', () => {
    const shared = path.join(makeTempDir(), 'corpus');
    cpSync(FIXTURE_CORPUS, shared, { recursive: true });
    const c = locateCorpus({ sharedDir: shared, env: { CI: 'true' } });
    expect(c.source).toBe('shared');
    expect(c.root).toBe(shared);
    expect(c.codexConfigs[0]).toEqual({
      name: 'shared:codex-configs/04.toml',
      file: path.join(shared, 'codex-configs', '04.toml'),
    });
    expect(c.min).toEqual({ codexConfigs: 40, tomlValid: 250 });
    expect(c.summary).toMatch(/^shared corpus \(.*\): 10 Codex configs, 76 toml-test documents$/);
  });

  it('falls back to the vendored subset outside CI, every file of it', () => {
    const c = locateCorpus({ sharedDir: path.join(makeTempDir(), 'absent'), env: {} });
    expect(c.source).toBe('fixtures');
    expect(c.codexConfigs.map((f) => f.name)).toEqual(
      ['04', '08', '11', '19', '27', '28', '38', '40', '41', '44'].map(
        (n) => `fixtures:codex-configs/${n}.toml`,
      ),
    );
    expect(c.tomlValid).toHaveLength(76);
    expect(c.tomlValid.map((f) => f.name)).toContain('fixtures:toml-test/valid/inline-table/newline.toml');
    expect(c.min).toEqual({ codexConfigs: 10, tomlValid: 76 });
  });

  it('fails under CI when the shared corpus is missing, saying where it should be', () => {
    const absent = path.join(makeTempDir(), 'absent');
    expect(() => locateCorpus({ sharedDir: absent, env: { CI: 'true' } })).toThrow(
      `The full test corpus is required under CI, but ${absent} has no codex-configs/ and toml-test/.`,
    );
  });

  it('has a manifest row with a licence for every vendored config', () => {
    const rows = readFileSync(path.join(FIXTURE_CORPUS, 'codex-configs', 'MANIFEST.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'));
    const c = locateCorpus({ sharedDir: path.join(makeTempDir(), 'absent'), env: {} });
    expect(rows.map((r) => `fixtures:codex-configs/${r[0]}`)).toEqual(c.codexConfigs.map((f) => f.name));
    for (const [file, repo, , , licence] of rows) {
      expect(licence, file).toMatch(/^(MIT|Apache-2\.0|CC0-1\.0)$/);
      const text = readFileSync(
        path.join(FIXTURE_CORPUS, 'codex-configs', 'licenses', `${repo!.replace('/', '+')}.LICENSE`),
        'utf8',
      );
      expect(text.length, `${file}: licence text of ${repo}`).toBeGreaterThan(100);
    }
  });
});
