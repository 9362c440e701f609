/**
 * Where the test corpora are: the whole corpora in ../shared/corpus beside the repository when
 * they are there (CI requires them), else the small vendored subset in test/fixtures/corpus, so
 * a clone alone runs every corpus test. Test names carry the source ("shared:…", "fixtures:…").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The whole corpora: ../shared/corpus beside the repository, or wherever CODEXGW_TEST_CORPUS says. */
export const SHARED_CORPUS = path.resolve(REPO, process.env.CODEXGW_TEST_CORPUS ?? '../shared/corpus');
export const FIXTURE_CORPUS = path.join(REPO, 'test', 'fixtures', 'corpus');

export type CorpusSource = 'shared' | 'fixtures';

export interface CorpusFile {
  /** "<source>:<path in the corpus>", e.g. "fixtures:codex-configs/44.toml": the test's name. */
  name: string;
  file: string;
}

export interface Corpus {
  source: CorpusSource;
  root: string;
  /** The real Codex config.toml files, sorted. */
  codexConfigs: CorpusFile[];
  /** The valid toml-test documents of TOML 1.0 and 1.1, sorted. */
  tomlValid: CorpusFile[];
  /** Fewest files each list may have: a shorter one means a broken or partial corpus. */
  min: { codexConfigs: number; tomlValid: number };
  /** One line for a describe block: which corpus, and how many cases of each kind. */
  summary: string;
}

export interface LocateOptions {
  sharedDir?: string;
  fixturesDir?: string;
  env?: NodeJS.ProcessEnv;
}

function isCorpus(dir: string): boolean {
  return existsSync(path.join(dir, 'codex-configs')) && existsSync(path.join(dir, 'toml-test'));
}

/** The corpus to test with; under CI a missing shared corpus is an error, never a fallback. */
export function locateCorpus(opts: LocateOptions = {}): Corpus {
  const sharedDir = opts.sharedDir ?? SHARED_CORPUS;
  const fixturesDir = opts.fixturesDir ?? FIXTURE_CORPUS;
  const env = opts.env ?? process.env;
  let source: CorpusSource;
  if (isCorpus(sharedDir)) source = 'shared';
  else if (env.CI) {
    throw new Error(
      `The full test corpus is required under CI, but ${sharedDir} has no codex-configs/ and toml-test/. ` +
        'Put the corpora there (see test/fixtures/corpus/README.md), or unset CI to test with the vendored subset.',
    );
  } else source = 'fixtures';
  const root = source === 'shared' ? sharedDir : fixturesDir;
  const entry = (file: string): CorpusFile => ({
    name: `${source}:${path.relative(root, file).split(path.sep).join('/')}`,
    file,
  });

  const configsDir = path.join(root, 'codex-configs');
  const codexConfigs = readdirSync(configsDir)
    .filter((n) => n.endsWith('.toml'))
    .sort()
    .map((n) => entry(path.join(configsDir, n)));

  const suite = path.join(root, 'toml-test');
  const valid = new Set<string>();
  for (const list of ['files-toml-1.0.0', 'files-toml-1.1.0']) {
    for (const line of readFileSync(path.join(suite, list), 'utf8').split('\n')) {
      if (line.startsWith('valid/') && line.endsWith('.toml')) valid.add(path.join(suite, line));
    }
  }
  const tomlValid = [...valid].sort().map(entry);

  // The shared corpus: 49 configs and ~270 valid documents. The subset: exactly what its
  // manifest and lists name, so a file lost from test/fixtures fails the count.
  const min =
    source === 'shared'
      ? { codexConfigs: 40, tomlValid: 250 }
      : { codexConfigs: manifestRows(configsDir), tomlValid: tomlFilesUnder(path.join(suite, 'valid')) };
  const where = source === 'shared' ? sharedDir : 'the vendored subset in test/fixtures/corpus';
  return {
    source,
    root,
    codexConfigs,
    tomlValid,
    min,
    summary: `${source} corpus (${where}): ${codexConfigs.length} Codex configs, ${tomlValid.length} toml-test documents`,
  };
}

function manifestRows(configsDir: string): number {
  const text = readFileSync(path.join(configsDir, 'MANIFEST.tsv'), 'utf8');
  return text.split('\n').filter((line) => /^\d+\.toml\t/.test(line)).length;
}

function tomlFilesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.toml')).length;
}

let cached: Corpus | undefined;

/** The corpus for this run (located once per test file). */
export function corpus(): Corpus {
  cached ??= locateCorpus();
  return cached;
}
