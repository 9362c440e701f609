import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheDir, createCodeCacheLoader, tempDir } from '../../src/launch/code-cache.ts';
import { makeTempDir } from '../helpers/tmp.ts';

/**
 * A small CommonJS graph like the bundle's: an entry, a chunk folder, a cycle, a Node built-in.
 * Each call writes a fresh copy: V8 keeps scripts it compiled, by source and file name, for the
 * life of the process, and would answer a second load of the same path without reading the cache.
 */
function writeBundle(): { entry: string; dir: string } {
  const dir = makeTempDir('codexgw-bundle-');
  mkdirSync(path.join(dir, 'chunks'));
  writeFileSync(
    path.join(dir, 'cli.js'),
    [
      'const a = require("./chunks/a.js");',
      'const { basename } = require("node:path");',
      'exports.main = (x) => a.twice(x) + " from " + basename(__filename) + " in " + basename(__dirname);',
      'exports.cycle = () => a.fromB();',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'chunks', 'a.js'),
    [
      'exports.twice = (x) => x * 2;',
      'const b = require("./b.js");',
      'exports.fromB = () => b.name + ":" + b.seenTwice;',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'chunks', 'b.js'),
    // b requires a while a is still loading: it gets a's exports so far, as with Node's require.
    ['const a = require("./a.js");', 'exports.name = "b";', 'exports.seenTwice = typeof a.twice;'].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'chunks', 'boom.js'),
    'function explode() { throw new Error("boom"); }\nexplode();\n',
  );
  return { entry: path.join(dir, 'cli.js'), dir };
}

type Main = { main(x: number): string; cycle(): string };

describe('the code-cache loader', () => {
  it('loads a CommonJS graph: relative requires from each file, built-ins, cycles, one instance each', () => {
    const { entry, dir } = writeBundle();
    const loader = createCodeCacheLoader(undefined);
    const m = loader.load(entry) as Main;
    expect(m.main(21)).toBe(`42 from cli.js in ${path.basename(dir)}`);
    expect(m.cycle()).toBe('b:function');
    expect(loader.load(path.join(dir, 'chunks', 'a.js'))).toBe(loader.load(path.join(dir, 'chunks', 'a.js')));
    expect([...loader.outcomes.values()]).toEqual(['miss', 'miss', 'miss']);
  });

  it('refuses a bare require that is not a Node built-in: the bundles have no node_modules', () => {
    const dir = makeTempDir('codexgw-bundle-');
    writeFileSync(path.join(dir, 'cli.js'), 'require("left-pad");');
    expect(() => createCodeCacheLoader(undefined).load(path.join(dir, 'cli.js'))).toThrow(
      'codexgw: the bundle requires left-pad, which is not a Node built-in',
    );
  });

  it('writes a cache at flush that the next start uses, private to the user', () => {
    const { entry } = writeBundle();
    const cacheDir = path.join(makeTempDir(), 'build-1');
    const first = createCodeCacheLoader(cacheDir);
    expect((first.load(entry) as Main).main(1)).toMatch(/^2 from/);
    expect([...first.outcomes.values()]).toEqual(['miss', 'miss', 'miss']);
    first.flush();
    expect(readdirSync(cacheDir).sort()).toEqual(['a.js.cache', 'b.js.cache', 'cli.js.cache']);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(cacheDir, 'cli.js.cache')).mode & 0o777).toBe(0o600);

    const second = createCodeCacheLoader(cacheDir);
    expect((second.load(writeBundle().entry) as Main).main(5)).toMatch(/^10 from/);
    expect([...second.outcomes.values()]).toEqual(['hit', 'hit', 'hit']);
    // Nothing to write when every file came from the cache.
    const before = statSync(path.join(cacheDir, 'cli.js.cache')).mtimeMs;
    second.flush();
    expect(statSync(path.join(cacheDir, 'cli.js.cache')).mtimeMs).toBe(before);
  });

  it('with refresh, rewrites a cache it used, adding what this run compiled on top of it', () => {
    const cacheDir = path.join(makeTempDir(), 'build-1');
    const first = createCodeCacheLoader(cacheDir);
    (first.load(writeBundle().entry) as Main).main(1); // cycle() never runs
    first.flush();
    const cache = path.join(cacheDir, 'a.js.cache');
    const before = statSync(cache);

    const second = createCodeCacheLoader(cacheDir);
    const m = second.load(writeBundle().entry) as Main;
    expect([...second.outcomes.values()]).toEqual(['hit', 'hit', 'hit']);
    expect(m.cycle()).toBe('b:function'); // compiles a.fromB, which the first run never called
    second.flush({ refresh: true });
    const after = statSync(cache);
    expect(after.ino).not.toBe(before.ino);
    expect(after.size).toBeGreaterThan(before.size);
  });

  it("a new build's folder clears out the folders of builds not written for 30 days", () => {
    const root = makeTempDir();
    const old = Date.now() / 1000 - 40 * 24 * 3600;
    const folder = (name: string, age?: number) => {
      const dir = path.join(root, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'read.js.cache'), 'x');
      if (age !== undefined) utimesSync(dir, age, age);
      return dir;
    };
    const stale = folder('aaaaaaaaaaaaaaaa-11.3.244.8-node.38-x64', old);
    folder('bbbbbbbbbbbbbbbb-11.3.244.8-node.38-x64'); // in use lately
    folder('not-a-build-folder', old); // not ours to judge
    const loader = createCodeCacheLoader(path.join(root, 'cccccccccccccccc-11.3.244.8-node.38-x64'));
    loader.load(writeBundle().entry);
    loader.flush();
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(root).sort()).toEqual([
      'bbbbbbbbbbbbbbbb-11.3.244.8-node.38-x64',
      'cccccccccccccccc-11.3.244.8-node.38-x64',
      'not-a-build-folder',
    ]);
    // An existing folder (a later run of the same build) prunes nothing.
    const again = folder('dddddddddddddddd-11.3.244.8-node.38-x64', old);
    const next = createCodeCacheLoader(path.join(root, 'cccccccccccccccc-11.3.244.8-node.38-x64'));
    next.load(writeBundle().entry);
    next.flush({ refresh: true });
    expect(existsSync(again)).toBe(true);
  });

  it('falls back to compiling when a cache file is damaged, and replaces it', () => {
    const { entry } = writeBundle();
    const cacheDir = path.join(makeTempDir(), 'build-1');
    const first = createCodeCacheLoader(cacheDir);
    first.load(entry);
    first.flush();
    writeFileSync(path.join(cacheDir, 'cli.js.cache'), Buffer.from('not a V8 code cache at all'));

    const damaged = createCodeCacheLoader(cacheDir);
    const again = writeBundle().entry;
    expect((damaged.load(again) as Main).main(3)).toMatch(/^6 from/);
    expect([...damaged.outcomes.values()]).toEqual(['rejected', 'hit', 'hit']);
    damaged.flush();
    const mended = createCodeCacheLoader(cacheDir);
    mended.load(writeBundle().entry);
    expect([...mended.outcomes.values()]).toEqual(['hit', 'hit', 'hit']);
  });

  it('still runs when the cache cannot be written, and leaves no temp files behind', () => {
    const { entry } = writeBundle();
    const blocker = path.join(makeTempDir(), 'a-file');
    writeFileSync(blocker, '');
    const loader = createCodeCacheLoader(path.join(blocker, 'cache'));
    expect((loader.load(entry) as Main).main(2)).toMatch(/^4 from/);
    loader.flush();
    expect(readFileSync(blocker, 'utf8')).toBe('');

    const dir = path.join(makeTempDir(), 'cache');
    const loader2 = createCodeCacheLoader(dir);
    loader2.load(entry);
    // A write that fails at the rename (the target name is a directory) cleans up its temp file.
    mkdirSync(path.join(dir, 'cli.js.cache'), { recursive: true });
    loader2.flush();
    expect(readdirSync(dir).sort()).toEqual(['a.js.cache', 'b.js.cache', 'cli.js.cache']);
    expect(statSync(path.join(dir, 'cli.js.cache')).isDirectory()).toBe(true);
  });

  it('reports an error thrown while loading with the file it came from', () => {
    const { dir } = writeBundle();
    const loader = createCodeCacheLoader(undefined);
    let caught: unknown;
    try {
      loader.load(path.join(dir, 'chunks', 'boom.js'));
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).message).toBe('boom');
    expect((caught as Error).stack).toContain(`${path.join(dir, 'chunks', 'boom.js')}:1`);
  });
});

describe('tempDir', () => {
  it('gives what os.tmpdir() gives for the same environment, on POSIX', () => {
    const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
    const cases: NodeJS.ProcessEnv[] = [
      {},
      { TMPDIR: '/var/tmp/' },
      { TMPDIR: '/' },
      { TMPDIR: '', TMP: '/tmp/t' },
      { TEMP: '/x/y//' },
      { TMPDIR: '/a', TMP: '/b', TEMP: '/c' },
    ];
    try {
      for (const env of cases) {
        for (const k of ['TMPDIR', 'TMP', 'TEMP'] as const) {
          if (env[k] === undefined) delete process.env[k];
          else process.env[k] = env[k];
        }
        expect(tempDir(env, 'linux')).toBe(os.tmpdir());
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('codeCacheDir', () => {
  const uid = process.getuid?.() ?? 0;

  it('is a per-user directory in the temp dir, one per build and V8 version', () => {
    const tmp = makeTempDir();
    const dir = codeCacheDir('abc123', {}, tmp, uid);
    expect(dir).toBe(
      path.join(tmp, `codexgw-code-cache-${uid}`, `abc123-${process.versions.v8}-${process.arch}`),
    );
    expect(statSync(path.join(tmp, `codexgw-code-cache-${uid}`)).mode & 0o777).toBe(0o700);
    expect(codeCacheDir('def456', {}, tmp, uid)).not.toBe(dir);
  });

  it("follows Node's switches: NODE_COMPILE_CACHE chooses the place, NODE_DISABLE_COMPILE_CACHE turns it off", () => {
    const tmp = makeTempDir();
    const chosen = makeTempDir();
    expect(codeCacheDir('abc', { NODE_COMPILE_CACHE: chosen }, tmp, uid)).toMatch(
      new RegExp(`^${chosen}/codexgw/abc-`),
    );
    expect(codeCacheDir('abc', { NODE_DISABLE_COMPILE_CACHE: '1' }, tmp, uid)).toBeUndefined();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('refuses a directory it cannot trust: another owner, writable by others, a symlink, a file', () => {
    const tmp = makeTempDir();
    const root = path.join(tmp, `codexgw-code-cache-${uid}`);
    mkdirSync(root, { mode: 0o700 });
    expect(codeCacheDir('abc', {}, tmp, uid)).toBeDefined();
    // Same directory, but it belongs to someone else as far as this uid is concerned.
    expect(codeCacheDir('abc', {}, tmp, uid + 1)).toBeUndefined();
    chmodSync(root, 0o777);
    expect(codeCacheDir('abc', {}, tmp, uid)).toBeUndefined();

    const linked = makeTempDir();
    const elsewhere = makeTempDir();
    symlinkSync(elsewhere, path.join(linked, `codexgw-code-cache-${uid}`));
    expect(codeCacheDir('abc', {}, linked, uid)).toBeUndefined();

    const plain = makeTempDir();
    writeFileSync(path.join(plain, `codexgw-code-cache-${uid}`), '');
    expect(codeCacheDir('abc', {}, plain, uid)).toBeUndefined();
  });

  it('without user ids (Windows) uses one directory and skips the owner check', () => {
    const tmp = makeTempDir();
    expect(codeCacheDir('abc', {}, tmp, undefined)).toBe(
      path.join(tmp, 'codexgw-code-cache', `abc-${process.versions.v8}-${process.arch}`),
    );
  });
});
