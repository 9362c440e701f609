import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.ts';
import { atomicWriteFile } from '../../src/io/atomic-write.ts';
import { type FsLayer, realFs } from '../../src/io/fs-layer.ts';
import { commitWrite, planTextEdit } from '../../src/io/safe-write.ts';
import { readTextFile } from '../../src/io/text-file.ts';
import { buildIoChild, runIoChild } from '../helpers/io-child-build.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const OLD = '# my config\nmodel = "o3"\n';
const NEW = '# my config\nmodel = "gpt-5"\n';

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall}`), { code, syscall });
}

/** A directory holding config.toml with OLD content. */
function setup(): { dir: string; file: string } {
  const dir = makeTempDir();
  const file = path.join(dir, 'config.toml');
  writeFileSync(file, OLD);
  return { dir, file };
}

/** Only the config file is left: no temp files, no lock files. */
function onlyConfig(dir: string): void {
  expect(readdirSync(dir).filter((n) => n !== 'backups')).toEqual(['config.toml']);
}

describe('atomic write: modes and symlinks', () => {
  it('creates new files 0644 by default and 0600 when asked, whatever the umask', () => {
    const dir = makeTempDir();
    const old = process.umask(0o077);
    try {
      atomicWriteFile(path.join(dir, 'a.toml'), 'a = 1\n');
      atomicWriteFile(path.join(dir, 'b.env'), 'K=v\n', { mode: 0o600 });
    } finally {
      process.umask(old);
    }
    expect(statSync(path.join(dir, 'a.toml')).mode & 0o777).toBe(0o644);
    expect(statSync(path.join(dir, 'b.env')).mode & 0o777).toBe(0o600);
  });

  it('keeps the mode of an existing file', () => {
    const { dir, file } = setup();
    chmodSync(file, 0o640);
    const r = atomicWriteFile(file, NEW, { mode: 0o600 });
    expect(r.created).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toBe(NEW);
    onlyConfig(dir);
  });

  it('writes through a symlink to its target and leaves the link in place (also a chain of links)', () => {
    const dir = makeTempDir();
    mkdirSync(path.join(dir, 'dotfiles'));
    const target = path.join(dir, 'dotfiles', 'codex.toml');
    writeFileSync(target, OLD);
    chmodSync(target, 0o600);
    const middle = path.join(dir, 'middle.toml');
    symlinkSync('dotfiles/codex.toml', middle);
    const link = path.join(dir, 'config.toml');
    symlinkSync(middle, link);

    const r = atomicWriteFile(link, NEW);
    expect(r.target).toBe(target);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(middle);
    expect(lstatSync(middle).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(NEW);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dir, 'dotfiles'))).toEqual(['codex.toml']);
  });

  it('creates the target of a dangling symlink', () => {
    const dir = makeTempDir();
    const link = path.join(dir, 'config.toml');
    symlinkSync('real.toml', link);
    expect(readTextFile(link)).toBeUndefined();
    atomicWriteFile(link, NEW);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'real.toml'), 'utf8')).toBe(NEW);
  });

  it('refuses a directory where the file should be', () => {
    const dir = makeTempDir();
    mkdirSync(path.join(dir, 'config.toml'));
    expect(() => atomicWriteFile(path.join(dir, 'config.toml'), NEW)).toThrow(/is a directory/);
  });

  it('refuses a symlink loop with a clear error', () => {
    const dir = makeTempDir();
    symlinkSync('b', path.join(dir, 'a'));
    symlinkSync('a', path.join(dir, 'b'));
    expect(() => atomicWriteFile(path.join(dir, 'a'), NEW)).toThrow(/too many levels of symbolic links/);
  });
});

describe('atomic write: faults leave the old file whole', () => {
  it('a crash between the temp write and the rename (injected hook) leaves the old file and no temp file', () => {
    const { dir, file } = setup();
    expect(() =>
      atomicWriteFile(file, NEW, {
        hooks: {
          beforeRename: () => {
            throw new Error('simulated crash');
          },
        },
      }),
    ).toThrow();
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    onlyConfig(dir);
  });

  it('a full disk (ENOSPC) is a clear FileError and changes nothing', () => {
    const { dir, file } = setup();
    const full: FsLayer = {
      ...realFs,
      writeSync: () => {
        throw errno('ENOSPC', 'write');
      },
    };
    const err = catchError(() => atomicWriteFile(file, NEW, { fs: full }));
    expect(err).toBeInstanceOf(FileError);
    expect(err.message).toBe(`Could not write ${file}: the disk is full.`);
    expect(err.hint).toMatch(/Free some space/);
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    onlyConfig(dir);
  });

  it('a failing fsync or rename changes nothing either', () => {
    for (const fault of ['fsyncSync', 'renameSync'] as const) {
      const { dir, file } = setup();
      const broken: FsLayer = {
        ...realFs,
        [fault]: () => {
          throw errno('EIO', fault);
        },
      };
      expect(() => atomicWriteFile(file, NEW, { fs: broken })).toThrow(FileError);
      expect(readFileSync(file, 'utf8')).toBe(OLD);
      onlyConfig(dir);
    }
  });

  it('a read-only directory (injected EACCES) is a clear FileError and changes nothing', async () => {
    const { dir, file } = setup();
    const readOnly: FsLayer = {
      ...realFs,
      openSync: ((p: string, flags: string, mode?: number) => {
        if (flags === 'wx') throw errno('EACCES', 'open');
        return realFs.openSync(p, flags, mode);
      }) as FsLayer['openSync'],
    };
    const err = await catchAsync(() =>
      commitWrite(
        planTextEdit(file, () => NEW),
        { fs: readOnly },
      ),
    );
    expect(err).toBeInstanceOf(FileError);
    expect(err.message).toBe(`Could not lock ${file}: permission denied.`);
    expect(err.hint).toContain(`${file}.codexgw.lock`);
    // The temp file of the atomic write meets the same refusal.
    const direct = catchError(() => atomicWriteFile(file, NEW, { fs: readOnly }));
    expect(direct.message).toBe(`Could not write ${file}: permission denied.`);
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    onlyConfig(dir);
  });

  it('an unreadable file (injected EACCES) is a clear FileError and nothing is written', async () => {
    const { dir, file } = setup();
    const unreadable: FsLayer = {
      ...realFs,
      readTextSync: (p) => {
        if (p === file) throw errno('EACCES', 'open');
        return realFs.readTextSync(p);
      },
    };
    const err = catchError(() => planTextEdit(file, () => NEW, { fs: unreadable }));
    expect(err).toBeInstanceOf(FileError);
    expect(err.message).toBe(`Could not read ${file}: permission denied.`);
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    onlyConfig(dir);
  });

  it('invalid UTF-8 is refused with line and column, before anything is written', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.toml');
    writeFileSync(file, Buffer.from([0x61, 0x3d, 0x31, 0x0a, 0x62, 0x3d, 0x22, 0xff, 0x22, 0x0a]));
    const err = catchError(() => readTextFile(file));
    expect(err).toBeInstanceOf(FileError);
    expect(err.message).toMatch(/not valid UTF-8 \(invalid byte at line 2, column 4\)/);
  });

  it('a U+FFFD the file really holds is text, not an invalid byte; a BOM stays', () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'config.toml');
    const text = '\uFEFFa = "\uFFFD"\n';
    writeFileSync(file, text);
    expect(readTextFile(file)).toBe(text);
  });
});

// Real processes and a real non-root user: the faults above, without injection.
describe('atomic write: faults in real child processes', () => {
  let child = '';
  beforeAll(async () => {
    child = await buildIoChild();
  });

  it('a process killed between the temp write and the rename leaves the old file whole; the next write clears its temp file', async () => {
    const { dir, file } = setup();
    const r = await runIoChild(child, { op: 'crash', file, text: NEW });
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    const leftovers = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toHaveLength(1); // the dead run's temp file, complete but never renamed
    expect(readFileSync(path.join(dir, leftovers[0]!), 'utf8')).toBe(NEW);
    // Its lock file was left behind too; the dead pid makes it stale.
    expect(existsSync(`${file}.codexgw.lock`)).toBe(true);

    await commitWrite(planTextEdit(file, () => '# later\n'));
    expect(readFileSync(file, 'utf8')).toBe('# later\n');
    onlyConfig(dir);
  });

  it('as a non-root user: a read-only directory and a chmod 000 file give clear FileErrors and change nothing', async () => {
    const dir = makeTempDir();
    chmodSync(dir, 0o755); // readable, not writable, by others
    const file = path.join(dir, 'config.toml');
    writeFileSync(file, OLD);
    chmodSync(file, 0o666);
    const write = await runIoChild(child, { op: 'write', file, text: NEW }, { uid: 65534 });
    expect(write.result).toMatchObject({
      ok: false,
      name: 'FileError',
      message: `Could not lock ${file}: permission denied.`,
    });
    expect(readFileSync(file, 'utf8')).toBe(OLD);

    chmodSync(file, 0o000);
    const read = await runIoChild(child, { op: 'read', file }, { uid: 65534 });
    expect(read.result).toMatchObject({
      ok: false,
      name: 'FileError',
      message: `Could not read ${file}: permission denied.`,
    });
    chmodSync(file, 0o644);
    expect(readFileSync(file, 'utf8')).toBe(OLD);
    onlyConfig(dir);
  });
});

function catchError(fn: () => unknown): FileError {
  try {
    fn();
  } catch (err) {
    return err as FileError;
  }
  throw new Error('expected an error');
}

async function catchAsync(fn: () => Promise<unknown>): Promise<FileError> {
  try {
    await fn();
  } catch (err) {
    return err as FileError;
  }
  throw new Error('expected an error');
}
