// Named imports: a namespace import of node:fs is bundled as a copy of all ~100 of its exports,
// made on every start (measured: ~4 M instructions, ~1 ms, of `use`).
import {
  chownSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { FileError } from '../errors.ts';

/**
 * The file-system calls the write layer makes, passed in rather than imported, so tests can
 * inject faults (ENOSPC, EACCES, a crash before the rename) that root or a normal disk cannot
 * produce on demand.
 */
export interface FsLayer {
  openSync: typeof openSync;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  fsyncSync: typeof fsyncSync;
  ftruncateSync: typeof ftruncateSync;
  closeSync: typeof closeSync;
  fchmodSync: typeof fchmodSync;
  fchownSync: typeof fchownSync;
  chownSync: typeof chownSync;
  renameSync: typeof renameSync;
  unlinkSync: typeof unlinkSync;
  linkSync: typeof linkSync;
  readFileSync: (file: string) => Buffer;
  /** The file as UTF-8 text, invalid bytes as U+FFFD (Node's one-call fast path). */
  readTextSync: (file: string) => string;
  statSync: (file: string) => Stats;
  lstatSync: (file: string) => Stats;
  readlinkSync: (file: string) => string;
  readdirSync: (dir: string) => string[];
  /** Returns the first directory it created, if any (like node:fs with recursive). */
  mkdirSync: (dir: string, opts: { recursive: true; mode: number }) => string | undefined;
  rmdirSync: (dir: string) => void;
}

export const realFs: FsLayer = {
  openSync,
  writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  fsyncSync,
  ftruncateSync,
  closeSync,
  fchmodSync,
  fchownSync,
  chownSync,
  renameSync,
  unlinkSync,
  linkSync,
  readFileSync: (file) => readRegularFile(file),
  readTextSync: (file) => readRegularFile(file, 'utf8'),
  statSync: (file) => statSync(file),
  lstatSync: (file) => lstatSync(file),
  readlinkSync: (file) => readlinkSync(file, 'utf8'),
  readdirSync: (dir) => readdirSync(dir),
  mkdirSync: (dir, opts) => mkdirSync(dir, opts),
  rmdirSync: (dir) => rmdirSync(dir),
};

/** The largest file codexgw reads (a Codex config or rc file is a few KB; 8 MiB is far beyond any). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The bytes (or UTF-8 text) of `file`, which must be a regular file (or a symlink to one). It is
 * opened non-blocking, so a FIFO with no writer cannot hang the run, and checked with fstat
 * before a byte is read: a FIFO, a device (/dev/zero, /dev/urandom never end) or a socket is
 * refused, as is a file over MAX_FILE_BYTES. Errors other than those are Node's (ENOENT, …).
 */
export function readRegularFile(file: string): Buffer;
export function readRegularFile(file: string, encoding: 'utf8'): string;
export function readRegularFile(file: string, encoding?: 'utf8'): Buffer | string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    // A Unix socket cannot be opened at all.
    if (errnoCode(err) === 'ENXIO') throw notRegularFile(file, 'a socket');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      throw notRegularFile(file, fileKind(st));
    }
    if (st.size > MAX_FILE_BYTES) throw tooLarge(file, st.size);
    return encoding ? readFileSync(fd, encoding) : readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What a path that is not a regular file is, for messages. */
export function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** The refusal for a path that exists but is not a regular file (codexgw never reads or replaces one). */
export function notRegularFile(file: string, kind: string): FileError {
  let real = file;
  try {
    real = realpathSync(file);
  } catch {
    // A dangling link: say what it is without where it leads.
  }
  const what = real === file ? `it is ${kind}` : `it links to ${real}, ${kind}`;
  return new FileError(`Could not use ${file}: ${what}, not a regular file.`, {
    file,
    hint: 'codexgw reads and writes only regular files (or symlinks to them), and never replaces anything else. Point it at a regular file.',
  });
}

function tooLarge(file: string, size: number): FileError {
  const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;
  return new FileError(
    `Could not read ${file}: it is ${mib(size)}, over codexgw's limit of ${mib(MAX_FILE_BYTES)}.`,
    {
      file,
      hint: 'A Codex config or shell rc file is a few KB; check that this is the file you meant.',
    },
  );
}

/**
 * Refuse to write `target` (a symlink-resolved path) unless it is absent or a regular file: a
 * device, FIFO or socket is never replaced by a regular file (as root, /dev/null would become a
 * world-readable file holding the key).
 */
export function assertReplaceable(target: string, fs: FsLayer): void {
  let st: Stats;
  try {
    st = fs.statSync(target);
  } catch {
    return; // absent (or unreadable: the write itself will say why)
  }
  if (!st.isFile() && !st.isDirectory()) throw notRegularFile(target, fileKind(st));
}

/** The error code of a Node system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether `file` exists (through the layer, so tests can fail the stat). */
export function exists(fs: FsLayer, file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}
