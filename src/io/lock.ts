import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CancelledError, FileError, fileErrorFrom } from '../errors.ts';
import { errnoCode, type FsLayer, realFs } from './fs-layer.ts';
import { nodeOs } from './node-os.ts';
import { randomHex } from './random.ts';

/**
 * An advisory lock per file, so concurrent codexgw runs on one file take turns. Protocol:
 * - the lock is `<target>.codexgw.lock` next to the (symlink-resolved) target, holding
 *   {pid, start, host, time, nonce}, created exclusively: a filled temp file hard-linked into
 *   place (O_CREAT|O_EXCL where the file system has no hard links);
 * - a waiter polls with a growing delay, up to `timeoutMs`, then fails with the holder's pid;
 * - so a lock is never seen empty, and a full disk leaves nothing behind;
 * - a lock is stale when its pid is dead on this host, or alive but started at another time than
 *   the holder did (the pid was reused), or when it is older than `staleMs` and cannot be checked
 *   (another host, or an empty lock of an older version). The live holder is never overruled;
 * - breaking a stale lock renames it aside first and re-reads it, so two waiters cannot both
 *   break it, and a fresh lock moved by mistake is linked back;
 * - release removes the lock only if it still holds our nonce.
 * Locks are held only around re-read, backup and write, never during prompts.
 */

export interface LockOptions {
  /** How long to wait for another run (default 10 s). */
  timeoutMs?: number;
  /** Age after which a lock that cannot be checked by pid is stale (default 5 s). */
  staleMs?: number;
  fs?: FsLayer;
  /** Stop waiting when this is aborted (Ctrl-C while another run holds the lock). */
  signal?: AbortSignal;
}

export interface FileLock {
  readonly target: string;
  readonly lockPath: string;
  release(): void;
}

interface LockInfo {
  pid: number;
  /** When the holder process started (processStartTime), null where that is unknown. */
  start?: number | null;
  host: string;
  time: number;
  nonce: string;
}

export function lockPathFor(target: string): string {
  return `${target}.codexgw.lock`;
}

/**
 * When process `pid` started, in clock ticks since boot (Linux /proc/<pid>/stat, field 22): with
 * the pid, an identity no later process shares. Null where it cannot be read (other systems).
 */
export function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return errnoCode(err) === 'EPERM';
  }
}

/** Take the lock of `target` (an absolute, symlink-resolved path), waiting for other runs. */
export async function acquireLock(target: string, opts: LockOptions = {}): Promise<FileLock> {
  const fs = opts.fs ?? realFs;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const staleMs = opts.staleMs ?? 5_000;
  const lockPath = lockPathFor(target);
  const me = myLockInfo();
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (opts.signal?.aborted) throw new CancelledError();
    if (tryCreate(lockPath, me, fs)) {
      return {
        target,
        lockPath,
        release: () => release(lockPath, me.nonce, fs),
      };
    }
    const seen = readLock(lockPath, fs);
    if (seen === null) continue; // it vanished: try again at once
    if (isStale(seen, staleMs)) {
      breakLock(lockPath, seen.raw, fs);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = seen.info ? `another codexgw run (pid ${seen.info.pid})` : 'another codexgw run';
      throw new FileError(
        `Could not lock ${target}: ${who} is changing it, and it did not finish within ${Math.round(timeoutMs / 100) / 10} s.`,
        {
          file: target,
          hint: `Wait for that run to finish and try again. If no codexgw is running, remove ${lockPath}.`,
        },
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(100, delay * 1.5);
  }
}

function myLockInfo(): LockInfo {
  return {
    pid: process.pid,
    start: processStartTime(process.pid),
    host: nodeOs().hostname(),
    time: Date.now(),
    nonce: randomHex(8),
  };
}

/**
 * Take the lock of `target` now, or return undefined when a live run holds it (a stale lock is
 * broken first). For recovery work that must not wait.
 */
export function tryLockSync(target: string, fs: FsLayer = realFs, staleMs = 5_000): FileLock | undefined {
  const lockPath = lockPathFor(target);
  const me = myLockInfo();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(lockPath, me, fs))
      return { target, lockPath, release: () => release(lockPath, me.nonce, fs) };
    const seen = readLock(lockPath, fs);
    if (seen === null) continue;
    if (!isStale(seen, staleMs)) return undefined;
    breakLock(lockPath, seen.raw, fs);
  }
  return undefined;
}

/** Run `fn` holding the locks of all `targets` (taken in sorted order, so two runs cannot deadlock). */
export async function withLocks<T>(
  targets: readonly string[],
  fn: () => T | Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const locks: FileLock[] = [];
  try {
    for (const t of [...new Set(targets)].sort()) locks.push(await acquireLock(t, opts));
    return await fn();
  } finally {
    for (const l of locks.reverse()) l.release();
  }
}

function tryCreate(lockPath: string, me: LockInfo, fs: FsLayer): boolean {
  // Filled first, then linked into place: no one ever reads an empty lock, and a failure (a full
  // disk) leaves no lock behind to make the next run wait.
  // Named like atomic-write's temp files, so a run killed right here leaves one the next write of
  // the target removes (its pid is gone).
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath, '.codexgw.lock');
  const tmp = path.join(dir, `.${base}.codexgw-${process.pid}-${randomHex(4)}.lock.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      const buf = Buffer.from(JSON.stringify(me));
      for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(tmp, lockPath);
    } catch (err) {
      if (!NO_HARD_LINKS.has(errnoCode(err) ?? '')) throw err;
      return tryCreateDirectly(lockPath, me, fs);
    }
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw lockError(err, lockPath);
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // Never created.
    }
  }
}

/** What link() fails with on a file system without hard links (FAT, some network and FUSE mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** O_CREAT|O_EXCL then fill: for file systems without hard links. A failed fill removes the lock. */
function tryCreateDirectly(lockPath: string, me: LockInfo, fs: FsLayer): boolean {
  const fd = fs.openSync(lockPath, 'wx', 0o600);
  try {
    const buf = Buffer.from(JSON.stringify(me));
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
  } catch (err) {
    fs.closeSync(fd);
    fs.unlinkSync(lockPath);
    throw err;
  }
  fs.closeSync(fd);
  return true;
}

function lockError(err: unknown, lockPath: string): FileError {
  const target = lockPath.slice(0, -'.codexgw.lock'.length);
  const e = fileErrorFrom(err, target, 'lock');
  return new FileError(e.message, {
    file: target,
    hint: `codexgw needs to create ${lockPath} next to the file. ${e.hint ?? ''}`.trim(),
    cause: err,
  });
}

interface SeenLock {
  raw: string;
  info: LockInfo | undefined;
  mtimeMs: number;
}

function readLock(lockPath: string, fs: FsLayer): SeenLock | null {
  try {
    const mtimeMs = fs.statSync(lockPath).mtimeMs;
    const raw = fs.readFileSync(lockPath).toString('utf8');
    return { raw, info: parseInfo(raw), mtimeMs };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw fileErrorFrom(err, lockPath, 'read');
  }
}

function parseInfo(raw: string): LockInfo | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.nonce === 'string') {
      const start = typeof v.start === 'number' ? v.start : null;
      return { pid: v.pid, start, host: v.host, time: Number(v.time), nonce: v.nonce };
    }
  } catch {
    // An empty or partial lock: its writer died between creating and filling it, or is doing so now.
  }
  return undefined;
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  const info = seen.info;
  if (info && info.host === nodeOs().hostname()) {
    if (!isProcessAlive(info.pid)) return true;
    // Alive, but is it the holder? A pid reused by a later process started at another time.
    const start = info.start == null ? null : processStartTime(info.pid);
    return start !== null && start !== info.start;
  }
  return Date.now() - seen.mtimeMs > staleMs;
}

function breakLock(lockPath: string, raw: string, fs: FsLayer): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomHex(4)}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return; // another waiter broke it first
    throw fileErrorFrom(err, lockPath, 'lock');
  }
  let movedRaw = '';
  try {
    movedRaw = fs.readFileSync(aside).toString('utf8');
  } catch {
    // unreadable: treat as the stale one
    movedRaw = raw;
  }
  if (movedRaw !== raw) {
    // Between our read and the rename, the stale lock was replaced by a live one: put it back.
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Someone took the free slot meanwhile; the moved holder's release will find no lock.
    }
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    // Already gone.
  }
}

function release(lockPath: string, nonce: string, fs: FsLayer): void {
  try {
    const info = parseInfo(fs.readFileSync(lockPath).toString('utf8'));
    if (info?.nonce === nonce) fs.unlinkSync(lockPath);
  } catch {
    // Gone already (broken as stale by another run): nothing to release.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
