import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileError, UsageError } from '../errors.ts';
import { nodeOs } from '../io/node-os.ts';

/** Profile names Codex accepts for `--profile` (anything else fails at argument parsing). */
export const PROFILE_NAME = /^[A-Za-z0-9_-]+$/;

export interface CodexHome {
  dir: string;
  /** True when it came from CODEX_HOME rather than the ~/.codex default. */
  fromEnv: boolean;
  exists: boolean;
}

/**
 * CODEX_HOME, else ~/.codex. Like Codex, a set-but-empty CODEX_HOME counts as unset, and a set one
 * must already exist (Codex refuses to start otherwise); the default need not exist.
 */
export function resolveCodexHome(env: NodeJS.ProcessEnv, cwd: string): CodexHome {
  const fromEnv = env.CODEX_HOME;
  if (fromEnv !== undefined && fromEnv !== '') {
    const dir = path.resolve(cwd, fromEnv);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      const what = existsSync(dir) ? 'is not a directory' : 'does not exist';
      throw new FileError(`CODEX_HOME points to "${dir}", but that path ${what}.`, {
        file: dir,
        hint: `Create it (mkdir -p "${dir}"), or unset CODEX_HOME to use ~/.codex. Codex itself refuses to start in this state.`,
      });
    }
    return { dir, fromEnv: true, exists: true };
  }
  const home = env.HOME && env.HOME !== '' ? env.HOME : nodeOs().homedir();
  const dir = path.join(home, '.codex');
  return { dir, fromEnv: false, exists: existsSync(dir) };
}

export function userConfigPath(home: CodexHome | string): string {
  return path.join(typeof home === 'string' ? home : home.dir, 'config.toml');
}

export function assertProfileName(name: string): void {
  if (name === '') {
    throw new UsageError('The profile name is empty (-p "").', {
      hint: 'Name the profile, e.g. --profile work, or leave out --profile for the user config.',
    });
  }
  if (!PROFILE_NAME.test(name) || name.startsWith('-')) {
    throw new UsageError(`Invalid profile name "${name}".`, {
      hint: 'A profile name may use only letters, digits, "_" and "-" (Codex rejects anything else), e.g. --profile work.',
    });
  }
}

/** `$CODEX_HOME/<name>.config.toml`, the file `codex --profile <name>` layers over the user config. */
export function profileConfigPath(home: CodexHome | string, name: string): string {
  assertProfileName(name);
  return path.join(typeof home === 'string' ? home : home.dir, `${name}.config.toml`);
}

/** The system layer Codex reads below the user config. */
export function systemConfigPath(env: NodeJS.ProcessEnv): string {
  // CODEXGW_SYSTEM_CONFIG exists for tests; Codex itself always reads the fixed path.
  if (env.CODEXGW_SYSTEM_CONFIG) return env.CODEXGW_SYSTEM_CONFIG;
  if (process.platform === 'win32') {
    return path.join(env.ProgramData ?? 'C:\\ProgramData', 'OpenAI', 'Codex', 'config.toml');
  }
  return '/etc/codex/config.toml';
}

/** Canonical absolute path, as Codex keys `[projects."<path>"]` (symlinks resolved when possible). */
export function canonicalDir(dir: string): string {
  const abs = path.resolve(dir);
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

/**
 * Whether `dir` holds the project-root marker `name`. Codex 0.169 counts `.git` only when it is a
 * file (a worktree or submodule) or a directory with a HEAD in it, as git itself does: an empty
 * `.git` folder is not a repository. Other markers count when they exist at all.
 */
export function hasMarker(dir: string, name: string): boolean {
  const marker = path.join(dir, name);
  if (name !== '.git') return existsSync(marker);
  try {
    return statSync(marker).isFile() || existsSync(path.join(marker, 'HEAD'));
  } catch {
    return false;
  }
}

/**
 * The project root: the nearest ancestor of cwd (inclusive) that holds one of the markers
 * (default `.git`); with none found, or with an empty marker list, the root is cwd itself.
 */
export function findProjectRoot(cwd: string, markers: readonly string[] = ['.git']): string {
  return findRoots(canonicalDir(cwd), markers).projectRoot;
}

/**
 * The project root (see findProjectRoot) and the git repo root (the nearest ancestor with a
 * `.git`, undefined outside a repository) of `cwd`, already canonical (canonicalDir), in one walk
 * up the tree.
 */
export function findRoots(
  cwd: string,
  markers: readonly string[],
): { projectRoot: string; gitRoot: string | undefined } {
  let projectRoot = markers.length === 0 ? cwd : undefined;
  let gitRoot: string | undefined;
  for (let dir = cwd; ; ) {
    // Once the git root is known below, a `.git` marker has found the project root there too.
    const isRepo = gitRoot === undefined && hasMarker(dir, '.git');
    if (isRepo) gitRoot = dir;
    if (projectRoot === undefined && markers.some((m) => (m === '.git' ? isRepo : hasMarker(dir, m)))) {
      projectRoot = dir;
    }
    const parent = path.dirname(dir);
    if ((projectRoot !== undefined && gitRoot !== undefined) || parent === dir) break;
    dir = parent;
  }
  return { projectRoot: projectRoot ?? cwd, gitRoot };
}

export interface ProjectDir {
  /** The directory that holds `.codex/`. */
  dir: string;
  /** `<dir>/.codex/config.toml` (it may not exist: the layer is then empty). */
  file: string;
}

/**
 * Every directory from the project root down to cwd (inclusive) that has a `.codex/` directory,
 * root first (lowest precedence first). A `.codex` that is CODEX_HOME itself is skipped.
 */
export function projectConfigDirs(root: string, cwd: string, codexHomeDir: string): ProjectDir[] {
  const end = canonicalDir(cwd);
  const rel = path.relative(root, end);
  const chain = [root];
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    let cur = root;
    for (const part of rel.split(path.sep)) {
      cur = path.join(cur, part);
      chain.push(cur);
    }
  }
  const home = canonicalDir(codexHomeDir);
  const out: ProjectDir[] = [];
  for (const dir of chain) {
    const dotCodex = path.join(dir, '.codex');
    let isDir = false;
    try {
      isDir = statSync(dotCodex).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir || canonicalDir(dotCodex) === home) continue;
    out.push({ dir, file: path.join(dotCodex, 'config.toml') });
  }
  return out;
}

/** Every profile file `$CODEX_HOME/<name>.config.toml` with a valid name, sorted. */
export function listProfileFiles(homeDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(homeDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.config.toml') && PROFILE_NAME.test(n.slice(0, -'.config.toml'.length)))
    .sort()
    .map((n) => path.join(homeDir, n));
}
