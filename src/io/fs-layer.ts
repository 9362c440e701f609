import * as nodeFs from 'node:fs';

/**
 * The file-system calls the write layer makes, passed in rather than imported, so tests can
 * inject faults (ENOSPC, EACCES, a crash before the rename) that root or a normal disk cannot
 * produce on demand.
 */
export interface FsLayer {
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  closeSync: typeof nodeFs.closeSync;
  fchmodSync: typeof nodeFs.fchmodSync;
  fchownSync: typeof nodeFs.fchownSync;
  renameSync: typeof nodeFs.renameSync;
  unlinkSync: typeof nodeFs.unlinkSync;
  linkSync: typeof nodeFs.linkSync;
  readFileSync: (file: string) => Buffer;
  statSync: (file: string) => nodeFs.Stats;
  lstatSync: (file: string) => nodeFs.Stats;
  readlinkSync: (file: string) => string;
  readdirSync: (dir: string) => string[];
  /** Returns the first directory it created, if any (like node:fs with recursive). */
  mkdirSync: (dir: string, opts: { recursive: true; mode: number }) => string | undefined;
  rmdirSync: (dir: string) => void;
}

export const realFs: FsLayer = {
  openSync: nodeFs.openSync,
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fsyncSync: nodeFs.fsyncSync,
  closeSync: nodeFs.closeSync,
  fchmodSync: nodeFs.fchmodSync,
  fchownSync: nodeFs.fchownSync,
  renameSync: nodeFs.renameSync,
  unlinkSync: nodeFs.unlinkSync,
  linkSync: nodeFs.linkSync,
  readFileSync: (file) => nodeFs.readFileSync(file),
  statSync: (file) => nodeFs.statSync(file),
  lstatSync: (file) => nodeFs.lstatSync(file),
  readlinkSync: (file) => nodeFs.readlinkSync(file, 'utf8'),
  readdirSync: (dir) => nodeFs.readdirSync(dir),
  mkdirSync: (dir, opts) => nodeFs.mkdirSync(dir, opts),
  rmdirSync: (dir) => nodeFs.rmdirSync(dir),
};

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
