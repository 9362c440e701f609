import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { newestRules, parseVersion, type RulesInUse, rulesFor, SHIPPED } from './rules.ts';

/**
 * Which Codex the checks follow: `--codex-version`, else the `codex` on PATH, else the newest
 * shipped rules. The version of the binary on PATH is cached by its real path, size and mtime, so
 * only the first run after an install or upgrade pays for `codex --version`.
 */
export function rulesInUse(flag: string | undefined, env: NodeJS.ProcessEnv): RulesInUse {
  if (flag !== undefined) {
    const found = rulesFor(flag);
    if (!found) {
      throw new UsageError(`--codex-version ${flag} is not a version number.`, {
        hint: `Give a release like ${SHIPPED.map((r) => r.version).join(' or ')}.`,
      });
    }
    return { ...found, codexVersion: parseVersion(flag)!.join('.'), source: 'flag' };
  }
  const codexPath = findCodex(env);
  const version = codexPath ? cachedVersion(codexPath, env) : undefined;
  const found = version ? rulesFor(version) : undefined;
  if (!found) return { rules: newestRules(), codexVersion: undefined, source: 'default', match: 'exact' };
  return { ...found, codexVersion: version, source: 'path', codexPath };
}

/**
 * The first executable `codex` on PATH (with PATHEXT on Windows), skipping codexgw's own
 * node_modules/.bin: `npx codexgw` in a clone puts it first, and its Codex is the dev dependency,
 * not the user's.
 */
export function findCodex(env: NodeJS.ProcessEnv, name = 'codex'): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    if (isCodexgwBin(dir)) continue;
    for (const ext of exts) {
      const file = path.join(dir, name + ext.toLowerCase());
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** `<root>/node_modules/.bin` where `<root>` is the codexgw package (a clone or an install). */
function isCodexgwBin(dir: string): boolean {
  if (path.basename(dir) !== '.bin' || path.basename(path.dirname(dir)) !== 'node_modules') return false;
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, '..', '..', 'package.json'), 'utf8')) as {
      name?: unknown;
    };
    return pkg.name === 'codexgw';
  } catch {
    return false;
  }
}

/** Where the version cache lives: $XDG_CACHE_HOME/codexgw, else ~/.cache/codexgw. */
function cacheFile(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'codexgw', 'codex-versions.json') : undefined;
}

type Cache = Record<string, { size: number; mtimeMs: number; version: string }>;

function readCache(file: string | undefined): Cache {
  if (!file) return {};
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Cache) : {};
  } catch {
    return {};
  }
}

/** The version `codex --version` prints, from the cache when the binary is unchanged. */
export function cachedVersion(codexPath: string, env: NodeJS.ProcessEnv): string | undefined {
  let real: string;
  let st: { size: number; mtimeMs: number };
  try {
    real = realpathSync(codexPath);
    st = statSync(real);
  } catch {
    return undefined;
  }
  const file = cacheFile(env);
  const cache = readCache(file);
  const hit = cache[real];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.version;
  const version = runVersion(codexPath, env);
  if (version && file) {
    cache[real] = { size: st.size, mtimeMs: st.mtimeMs, version };
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${JSON.stringify(cache, null, 2)}\n`);
    } catch {
      // A cache that cannot be written only costs the next run another `codex --version`.
    }
  }
  return version;
}

function runVersion(codexPath: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    // Loaded here, on a cache miss only: node:child_process pulls in net and the stream stack.
    const { execFileSync } = process.getBuiltinModule(
      'node:child_process',
    ) as typeof import('node:child_process');
    const out = execFileSync(codexPath, ['--version'], {
      env: { ...env, RUST_BACKTRACE: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
      encoding: 'utf8',
    });
    const v = parseVersion(out);
    return v ? v.join('.') : undefined;
  } catch {
    return undefined;
  }
}

/** "Codex 0.171.0 on PATH (/usr/bin/codex)" — what the rules were chosen for, for messages. */
export function describeRulesInUse(inUse: RulesInUse): string {
  const rules = `Codex ${inUse.rules.version}'s rules`;
  if (inUse.source === 'flag') return `${rules} (--codex-version ${inUse.codexVersion})`;
  if (inUse.source === 'path') return `${rules} (codex ${inUse.codexVersion} at ${inUse.codexPath})`;
  return `${rules} (no codex on PATH: the newest codexgw ships)`;
}
