import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './tmp.ts';

/** A temp world: HOME with ~/.codex, an empty system config path, and a workspace folder. */
export interface TempWorld {
  root: string;
  home: string;
  codexHome: string;
  work: string;
  env: NodeJS.ProcessEnv;
  /** Write a file (parents created); returns its absolute path. */
  write(rel: string, text: string | Buffer): string;
}

/** Make `dir` a git repository as Codex recognises one (`.git/HEAD`), without running git. */
export function makeGitRepo(dir: string): string {
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

export function makeWorld(): TempWorld {
  const root = makeTempDir();
  const home = path.join(root, 'home');
  const codexHome = path.join(home, '.codex');
  const work = path.join(root, 'work');
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(work, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    PATH: process.env.PATH,
    CODEXGW_SYSTEM_CONFIG: path.join(root, 'etc-codex-config.toml'),
  };
  return {
    root,
    home,
    codexHome,
    work,
    env,
    write(rel, text) {
      const file = path.isAbsolute(rel) ? rel : path.join(root, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}
