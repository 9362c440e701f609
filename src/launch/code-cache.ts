// Loads the bundled CLI (CommonJS files in dist/) with V8's code cache, so that a warm start
// deserialises bytecode instead of parsing and compiling 150-300 KB of JavaScript.
//
// Why not Node's own `module.enableCompileCache()`: Node 20 does not have it, and where it exists
// it stores code compiled when a module is first parsed, before the command runs, so every lazily
// compiled function is compiled again on each start. Here the cache is taken at exit, after the
// command ran, so it holds the functions the command actually used (measured: `validate` in ~44 ms
// instead of ~53 ms on Node 24, and ~41 ms instead of ~66 ms on Node 20).
//
// The cache is an optimisation only: any problem with it (no usable directory, a rejected or
// unreadable cache file, a failed write) falls back to plain compilation, silently.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';

interface LoadedModule {
  exports: unknown;
}

export interface CodeCacheLoader {
  /** require() an absolute path; relative requires inside it are loaded by this loader too. */
  load(file: string): unknown;
  /**
   * Writes the cache of every file compiled without a usable cache; with `refresh`, of every file
   * loaded (the cache then also holds the functions this run compiled on top of it). Called on
   * process exit.
   */
  flush(opts?: { refresh?: boolean }): void;
  /** What happened to each file loaded, for tests: 'hit', 'miss' or 'rejected'. */
  readonly outcomes: ReadonlyMap<string, 'hit' | 'miss' | 'rejected'>;
}

// The same wrapper Node puts around a CommonJS module.
const wrap = (source: string) =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/**
 * A CommonJS loader for the files of one build. `cacheDir` holds that build's cache files (the
 * build id is part of the directory name, because V8 only checks a cache against the source's
 * length); `undefined` compiles without a cache.
 */
export function createCodeCacheLoader(cacheDir: string | undefined): CodeCacheLoader {
  const modules = new Map<string, LoadedModule>();
  const outcomes = new Map<string, 'hit' | 'miss' | 'rejected'>();
  const scripts: { script: Script; cacheFile: string; hit: boolean }[] = [];

  function load(file: string): unknown {
    const known = modules.get(file);
    if (known) return known.exports;
    const source = readFileSync(file, 'utf8');
    const cacheFile =
      cacheDir === undefined ? undefined : path.join(cacheDir, `${file.split(/[\\/]/).pop()}.cache`);
    const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
    const script = new Script(wrap(source), { filename: file, cachedData });
    const outcome = cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
    outcomes.set(file, outcome);
    if (cacheFile !== undefined) scripts.push({ script, cacheFile, hit: outcome === 'hit' });

    const module: LoadedModule = { exports: {} };
    modules.set(file, module); // before running: a require cycle gets the partial exports, as in Node
    const dir = path.dirname(file);
    // Besides its own files the bundle requires only Node built-ins, which getBuiltinModule gives
    // without building a require function (createRequire cost ~1 M instructions per start).
    const requireFrom = (id: string) =>
      id.startsWith('./') || id.startsWith('../') ? load(path.join(dir, id)) : builtinModule(id);
    const run = script.runInThisContext() as (...args: unknown[]) => void;
    run.call(module.exports, module.exports, requireFrom, module, file, dir);
    return module.exports;
  }

  function flush(opts: { refresh?: boolean } = {}): void {
    const toWrite = scripts.splice(0).filter((s) => opts.refresh || !s.hit);
    if (cacheDir === undefined || toWrite.length === 0) return;
    try {
      const created = mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      // A new build's folder: the time to clear out those of builds no longer in use.
      if (created === cacheDir) pruneStaleCaches(path.dirname(cacheDir), path.basename(cacheDir));
    } catch {
      return;
    }
    for (const { script, cacheFile } of toWrite) {
      // Write aside and rename, so a concurrent start never reads half a file.
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, cacheFile);
      } catch {
        rmSync(temp, { force: true });
      }
    }
  }

  return { load, flush, outcomes };
}

/** A build's cache folder: `<build id>-<V8 version>-<arch>` (see codeCacheDir). */
const BUILD_FOLDER = /^[0-9a-f]{16}-/;
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Remove the cache folders of other builds not written for 30 days, so that upgrades do not pile
 * up caches in the temp dir. A build still in use that loses its folder only compiles once more.
 * Anything else in `root`, or anything that cannot be removed, is left alone.
 */
export function pruneStaleCaches(root: string, keep: string, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === keep || !BUILD_FOLDER.test(name)) continue;
    const dir = path.join(root, name);
    try {
      const st = lstatSync(dir);
      if (st.isDirectory() && now - st.mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another run, or not ours to remove: either way, nothing to do.
    }
  }
}

function builtinModule(id: string): unknown {
  const module = process.getBuiltinModule(id);
  if (module === undefined)
    throw new Error(`codexgw: the bundle requires ${id}, which is not a Node built-in`);
  return module;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * os.tmpdir(), without loading node:os on POSIX (~0.9 M instructions per start), where its rule is
 * short: $TMPDIR, $TMP or $TEMP, else /tmp, without a trailing slash.
 */
export function tempDir(env: NodeJS.ProcessEnv, platform = process.platform): string {
  if (platform === 'win32') return process.getBuiltinModule('node:os').tmpdir();
  const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/**
 * Where this build's cache lives, or undefined when there is no safe place. Honours Node's own
 * switches: NODE_DISABLE_COMPILE_CACHE turns it off, NODE_COMPILE_CACHE chooses the directory.
 * The default is a per-user directory in the temp dir; since cached bytecode is run, a directory
 * owned by another user, writable by others, or a symlink is never used.
 */
export function codeCacheDir(
  buildId: string,
  env: NodeJS.ProcessEnv,
  tmpdir: string,
  uid: number | undefined,
): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const root = env.NODE_COMPILE_CACHE
    ? path.join(env.NODE_COMPILE_CACHE, 'codexgw')
    : path.join(tmpdir, uid === undefined ? 'codexgw-code-cache' : `codexgw-code-cache-${uid}`);
  try {
    // lstat first: the directory is there on every start but the first (mkdir would cost more).
    let st = lstatSync(root, { throwIfNoEntry: false });
    if (st === undefined) {
      mkdirSync(root, { recursive: true, mode: 0o700 });
      st = lstatSync(root);
    }
    if (!st.isDirectory()) return undefined;
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
  } catch {
    return undefined;
  }
  // V8 refuses a cache made by another V8 version; keeping them apart avoids rewriting on each switch.
  return path.join(root, `${buildId}-${process.versions.v8}-${process.arch}`);
}
