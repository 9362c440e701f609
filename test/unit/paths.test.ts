import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalDir,
  findProjectRoot,
  findRoots,
  profileConfigPath,
  projectConfigDirs,
  resolveCodexHome,
  userConfigPath,
} from '../../src/config/paths.ts';
import { FileError, UsageError } from '../../src/errors.ts';
import { makeTempDir } from '../helpers/tmp.ts';

describe('resolveCodexHome', () => {
  it('uses CODEX_HOME when set', () => {
    const dir = makeTempDir();
    expect(resolveCodexHome({ CODEX_HOME: dir, HOME: '/nowhere' }, '/')).toEqual({
      dir,
      fromEnv: true,
      exists: true,
    });
  });

  it('treats a set-but-empty CODEX_HOME as unset', () => {
    const home = makeTempDir();
    const got = resolveCodexHome({ CODEX_HOME: '', HOME: home }, '/');
    expect(got).toEqual({ dir: path.join(home, '.codex'), fromEnv: false, exists: false });
  });

  it('resolves a relative CODEX_HOME against cwd', () => {
    const base = makeTempDir();
    mkdirSync(path.join(base, 'ch'));
    expect(resolveCodexHome({ CODEX_HOME: 'ch' }, base).dir).toBe(path.join(base, 'ch'));
  });

  it('refuses a CODEX_HOME that does not exist, naming the path and the fix', () => {
    const missing = path.join(makeTempDir(), 'nope');
    let error: unknown;
    try {
      resolveCodexHome({ CODEX_HOME: missing }, '/');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).toContain(missing);
    expect((error as FileError).message).toContain('does not exist');
    expect((error as FileError).hint).toContain('mkdir -p');
    expect((error as FileError).exitCode).toBe(3);
  });

  it('refuses a CODEX_HOME that is a file', () => {
    const file = path.join(makeTempDir(), 'f');
    writeFileSync(file, '');
    expect(() => resolveCodexHome({ CODEX_HOME: file }, '/')).toThrow(/is not a directory/);
  });
});

describe('profile files', () => {
  it('maps a name to $CODEX_HOME/<name>.config.toml', () => {
    expect(profileConfigPath('/h', 'work_2-x')).toBe('/h/work_2-x.config.toml');
    expect(userConfigPath('/h')).toBe('/h/config.toml');
  });

  it.each(['../x', 'a.b', 'a b', '', 'é'])('rejects the name %j like Codex does', (name) => {
    expect(() => profileConfigPath('/h', name)).toThrow(UsageError);
  });
});

describe('project discovery', () => {
  it('finds the nearest ancestor with .git, else uses cwd', () => {
    const root = makeTempDir();
    const deep = path.join(root, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findProjectRoot(deep)).toBe(deep);
    mkdirSync(path.join(root, '.git'));
    expect(findProjectRoot(deep)).toBe(deep); // an empty .git folder is not a repository (Codex agrees)
    writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    expect(findProjectRoot(deep)).toBe(root);
    writeFileSync(path.join(root, 'a', '.git'), 'gitdir: elsewhere'); // a worktree's .git file counts
    expect(findProjectRoot(deep)).toBe(path.join(root, 'a'));
  });

  it('honours custom markers, and an empty list means cwd', () => {
    const root = makeTempDir();
    const deep = path.join(root, 'x');
    mkdirSync(deep);
    writeFileSync(path.join(root, 'WORKSPACE'), '');
    expect(findProjectRoot(deep, ['WORKSPACE'])).toBe(root);
    expect(findProjectRoot(deep, [])).toBe(deep);
  });

  it('finds the project root and the git root in one walk, wherever each one is', () => {
    const top = canonicalDir(makeTempDir());
    const repo = path.join(top, 'repo');
    const deep = path.join(repo, 'pkg', 'src');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(deep, { recursive: true });
    expect(findRoots(deep, ['.git'])).toEqual({ projectRoot: repo, gitRoot: repo });
    expect(findRoots(deep, [])).toEqual({ projectRoot: deep, gitRoot: repo });
    // A marker below the repo root, and one above it.
    writeFileSync(path.join(repo, 'pkg', 'package.json'), '{}');
    expect(findRoots(deep, ['package.json'])).toEqual({ projectRoot: path.join(repo, 'pkg'), gitRoot: repo });
    writeFileSync(path.join(top, 'WORKSPACE'), '');
    expect(findRoots(deep, ['WORKSPACE'])).toEqual({ projectRoot: top, gitRoot: repo });
    expect(findRoots(deep, ['WORKSPACE', '.git'])).toEqual({ projectRoot: repo, gitRoot: repo });
    // Outside any repository: no git root, and the project root falls back to cwd.
    const plain = path.join(top, 'plain');
    mkdirSync(plain);
    expect(findRoots(plain, ['.git'])).toEqual({ projectRoot: plain, gitRoot: undefined });
  });

  it('lists every .codex dir from the root down to cwd, root first, skipping CODEX_HOME', () => {
    const root = makeTempDir();
    const sub = path.join(root, 'sub');
    const deep = path.join(sub, 'deep');
    for (const d of [root, sub, deep]) mkdirSync(path.join(d, '.codex'), { recursive: true });
    mkdirSync(path.join(root, 'sibling', '.codex'), { recursive: true });
    const dirs = projectConfigDirs(root, deep, '/elsewhere');
    expect(dirs.map((d) => d.dir)).toEqual([root, sub, deep]);
    expect(dirs[0]!.file).toBe(path.join(root, '.codex', 'config.toml'));
    expect(projectConfigDirs(root, deep, path.join(sub, '.codex')).map((d) => d.dir)).toEqual([root, deep]);
  });

  it('follows a symlinked cwd to its real path', () => {
    const root = makeTempDir();
    mkdirSync(path.join(root, 'real', '.codex'), { recursive: true });
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    const dirs = projectConfigDirs(path.join(root, 'real'), path.join(root, 'link'), '/elsewhere');
    expect(dirs.map((d) => d.dir)).toEqual([path.join(root, 'real')]);
  });
});
