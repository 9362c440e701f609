import { chmodSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCodex, rulesInUse } from '../../src/codex/detect.ts';
import { newestRules, rulesFor } from '../../src/codex/rules.ts';
import { UsageError } from '../../src/errors.ts';
import { REPO } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

/** A `codex` that prints `version` and counts its runs in `<dir>/runs`. */
function fakeCodex(version: string): { dir: string; runs: () => number; file: string } {
  const dir = makeTempDir();
  const file = path.join(dir, 'codex');
  writeFileSync(file, `#!/bin/sh\necho x >> "${dir}/runs"\necho "codex-cli ${version}"\n`);
  chmodSync(file, 0o755);
  const runs = () => {
    try {
      return readFileSync(path.join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return { dir, runs, file };
}

describe('findCodex', () => {
  it("skips codexgw's own node_modules/.bin (npx puts it first) and finds the user's codex", () => {
    const fake = fakeCodex('0.169.0');
    const PATH = [path.join(REPO, 'node_modules', '.bin'), fake.dir].join(path.delimiter);
    expect(findCodex({ PATH })).toBe(fake.file);
    expect(findCodex({ PATH: path.join(REPO, 'node_modules', '.bin') })).toBeUndefined();
  });
});

describe('rulesInUse', () => {
  it('follows the codex on PATH, and caches its version by path and mtime', () => {
    const fake = fakeCodex('0.171.0');
    const env = { PATH: `${fake.dir}:/usr/bin:/bin`, HOME: makeTempDir() };
    const first = rulesInUse(undefined, env);
    expect(first).toMatchObject({
      source: 'path',
      codexVersion: '0.171.0',
      match: 'exact',
      codexPath: fake.file,
    });
    expect(first.rules.version).toBe('0.171.0');
    expect(rulesInUse(undefined, env).codexVersion).toBe('0.171.0');
    expect(fake.runs()).toBe(1);
    // An upgrade in place changes the file: the next run asks again.
    writeFileSync(fake.file, readFileSync(fake.file, 'utf8').replace('0.171.0', '0.169.1'));
    utimesSync(fake.file, new Date(), new Date(Date.now() + 5000));
    expect(rulesInUse(undefined, env)).toMatchObject({ codexVersion: '0.169.1', match: 'exact' });
    expect(rulesInUse(undefined, env).rules.version).toBe('0.169.0');
    expect(fake.runs()).toBe(2);
  });

  it('says when Codex is newer than every shipped rule set, and uses the newest', () => {
    const fake = fakeCodex('0.173.2');
    const inUse = rulesInUse(undefined, { PATH: fake.dir, HOME: makeTempDir() });
    expect(inUse).toMatchObject({ match: 'newer-codex', codexVersion: '0.173.2' });
    expect(inUse.rules).toBe(newestRules());
  });

  it('uses the newest rules without a codex or a flag; --codex-version wins over PATH', () => {
    expect(rulesInUse(undefined, { PATH: makeTempDir(), HOME: makeTempDir() })).toMatchObject({
      source: 'default',
      codexVersion: undefined,
    });
    const fake = fakeCodex('0.171.0');
    const flagged = rulesInUse('0.169.0', { PATH: fake.dir, HOME: makeTempDir() });
    expect(flagged).toMatchObject({ source: 'flag', codexVersion: '0.169.0' });
    expect(flagged.rules.version).toBe('0.169.0');
    expect(fake.runs()).toBe(0);
  });

  it('refuses a --codex-version that is not a version', () => {
    expect(() => rulesInUse('latest', {})).toThrow(UsageError);
  });
});

describe('rulesFor', () => {
  it('maps a release to the rules of its minor release, or the nearest older', () => {
    expect(rulesFor('0.169.1')).toMatchObject({ match: 'exact' });
    expect(rulesFor('0.169.1')?.rules.version).toBe('0.169.0');
    expect(rulesFor('0.170.0')).toMatchObject({ match: 'older-rules' });
    expect(rulesFor('0.170.0')?.rules.version).toBe('0.169.0');
    expect(rulesFor('0.171.4')?.rules.version).toBe('0.171.0');
    expect(rulesFor('0.168.0')).toMatchObject({ match: 'older-codex' });
    expect(rulesFor('1.0.0')).toMatchObject({ match: 'newer-codex' });
  });
});
