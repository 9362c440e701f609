import path from 'node:path';
import { CodexgwError, fileErrorFrom } from '../errors.ts';
import { errnoCode, type FsLayer, fileKind, notRegularFile, realFs } from './fs-layer.ts';
import { isProcessAlive } from './lock.ts';
import { randomHex } from './random.ts';
import { resolveTarget } from './text-file.ts';

export interface AtomicWriteHooks {
  /** Called after the temp file is complete and synced, before it replaces the target (tests crash here). */
  beforeRename?: (tmp: string, target: string) => void;
}

export interface AtomicWriteOptions {
  /** Mode of a new file (default 0644; pass 0600 for anything holding secrets). An existing file keeps its mode. */
  mode?: number;
  fs?: FsLayer;
  hooks?: AtomicWriteHooks;
}

export interface AtomicWriteResult {
  /** Where the content went (the symlink's target when `file` is a link). */
  target: string;
  mode: number;
  created: boolean;
}

/** A complete, synced temp file beside its target, waiting to be renamed over it. */
export interface PendingFile extends AtomicWriteResult {
  tmp: string;
  /**
   * The target has other hard links (a dotfiles manager's): a rename would cut them, leaving the
   * other names on the old content. The content is then copied into the file itself instead.
   */
  inPlace: boolean;
}

/**
 * Replace `file` atomically: write a temp file in the same directory, fsync it, rename it over the
 * target, fsync the directory. Readers see the old or the new content, never a mix; a crash at
 * any point leaves the old file whole. Symlinks are written through (the link stays a link).
 */
export function atomicWriteFile(
  file: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): AtomicWriteResult {
  const fs = opts.fs ?? realFs;
  const pending = writeTemp(file, data, opts);
  try {
    opts.hooks?.beforeRename?.(pending.tmp, pending.target);
  } catch (err) {
    discardTemp(pending, fs);
    throw err;
  }
  return renameTemp(pending, fs);
}

/** The first half of atomicWriteFile: the temp file, complete and synced, with the target's mode and owner. */
export function writeTemp(
  file: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): PendingFile {
  const fs = opts.fs ?? realFs;
  const target = resolveTarget(file, fs);
  const dir = path.dirname(target);
  let mode = opts.mode ?? 0o644;
  let owner: { uid: number; gid: number } | undefined;
  let created = true;
  let inPlace = false;
  try {
    const st = fs.statSync(target);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    // A device, FIFO or socket is never replaced by a regular file.
    if (!st.isFile()) throw notRegularFile(target, fileKind(st));
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
    created = false;
    inPlace = st.nlink > 1;
  } catch (err) {
    if (err instanceof CodexgwError) throw err;
    if (errnoCode(err) !== 'ENOENT') throw fileErrorFrom(err, target, 'write');
  }
  // A new file under a user's home, written by root (sudo -E), belongs to the folder's owner.
  owner ??= ownerForNewFile(dir, fs);

  removeStaleTemps(dir, path.basename(target), fs);
  const tmp = path.join(dir, `.${path.basename(target)}.codexgw-${process.pid}-${randomHex(4)}.tmp`);
  let fd: number | undefined;
  let tmpCreated = false;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    tmpCreated = true;
    // The umask may have removed bits from the creation mode; set it exactly.
    fs.fchmodSync(fd, mode);
    // Running as root on a user's file must not hand the file to root.
    if (owner && process.getuid?.() === 0 && (owner.uid !== 0 || owner.gid !== 0)) {
      fs.fchownSync(fd, owner.uid, owner.gid);
    }
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
  } catch (err) {
    if (fd !== undefined) quietly(() => fs.closeSync(fd!));
    if (tmpCreated) quietly(() => fs.unlinkSync(tmp));
    if (err instanceof CodexgwError) throw err;
    throw fileErrorFrom(err, target, created ? 'create' : 'write');
  }
  return { tmp, target, mode, created, inPlace };
}

/** The second half: rename the temp file over its target (or copy it in, see inPlace) and make that durable. */
export function renameTemp(pending: PendingFile, fs: FsLayer = realFs): AtomicWriteResult {
  if (pending.inPlace) return copyIntoTarget(pending, fs);
  try {
    fs.renameSync(pending.tmp, pending.target);
  } catch (err) {
    discardTemp(pending, fs);
    throw fileErrorFrom(err, pending.target, pending.created ? 'create' : 'write');
  }
  syncDir(path.dirname(pending.target), fs);
  return { target: pending.target, mode: pending.mode, created: pending.created };
}

/**
 * Write the temp file's content into the target itself, keeping its inode and so its other hard
 * links. Not atomic for readers, but under the lock, after the backup, and (for a change of
 * several files) with the temp file named in the journal, so an interrupted copy is redone.
 */
export function copyIntoTarget(
  pending: { tmp: string; target: string },
  fs: FsLayer = realFs,
): AtomicWriteResult {
  let fd: number | undefined;
  try {
    const buf = fs.readFileSync(pending.tmp);
    fd = fs.openSync(pending.target, 'r+');
    fs.ftruncateSync(fd, 0);
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
  } catch (err) {
    throw fileErrorFrom(err, pending.target, 'write');
  } finally {
    if (fd !== undefined) quietly(() => fs.closeSync(fd!));
  }
  quietly(() => fs.unlinkSync(pending.tmp));
  const st = fs.statSync(pending.target);
  return { target: pending.target, mode: st.mode & 0o7777, created: false };
}

/** Remove a temp file that will not be used. */
export function discardTemp(pending: PendingFile, fs: FsLayer = realFs): void {
  quietly(() => fs.unlinkSync(pending.tmp));
}

/**
 * Who should own a file or folder codexgw creates in `dir`: when root writes into a folder that
 * belongs to someone else (a user's home under sudo -E), that user; otherwise undefined (the
 * creator owns it, as usual).
 */
export function ownerForNewFile(dir: string, fs: FsLayer = realFs): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const st = fs.statSync(dir);
    return st.uid !== 0 ? { uid: st.uid, gid: st.gid } : undefined;
  } catch {
    return undefined;
  }
}

/** mkdir -p, each new folder owned like its parent when root writes into a user's home. */
export function mkdirOwned(dir: string, fs: FsLayer = realFs): string | undefined {
  const first = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return undefined;
  const owner = ownerForNewFile(path.dirname(first), fs);
  if (owner)
    for (let d = dir; ; d = path.dirname(d)) {
      fs.chownSync(d, owner.uid, owner.gid);
      if (d === first || path.dirname(d) === d) break;
    }
  return first;
}

/** Remove a file we created (used to undo a creation); a missing file is fine. */
export function removeFile(file: string, fs: FsLayer = realFs): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw fileErrorFrom(err, file, 'write');
  }
  syncDir(path.dirname(file), fs);
}

/** Make the rename durable. Some systems cannot fsync a directory; the rename is still atomic. */
export function syncDir(dir: string, fs: FsLayer): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on some platforms and file systems: nothing more we can do.
  } finally {
    if (fd !== undefined) quietly(() => fs.closeSync(fd!));
  }
}

/** Temp files left by a run that crashed before its rename (its pid is gone). */
function removeStaleTemps(dir: string, base: string, fs: FsLayer): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.codexgw-`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid))
      quietly(() => fs.unlinkSync(path.join(dir, name)));
  }
}

function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // Cleanup after a failure: the original error is what matters.
  }
}
