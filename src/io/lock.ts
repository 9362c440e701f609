import { FileError, fileErrorFrom } from '../errors.ts';
import { errnoCode, type FsLayer, realFs } from './fs-layer.ts';
import { nodeOs } from './node-os.ts';
import { randomHex } from './random.ts';

/**
 * An advisory lock per file, so concurrent codexgw runs on one file take turns. Protocol:
 * - the lock is `<target>.codexgw.lock` next to the (symlink-resolved) target, created with
 *   O_CREAT|O_EXCL and holding {pid, host, time, nonce};
 * - a waiter polls with a growing delay, up to `timeoutMs`, then fails with the holder's pid;
 * - a lock is stale when its pid is dead on this host, or when it is older than `staleMs` and
 *   cannot be checked (another host, or still empty because its writer died right after
 *   creating it). A live pid on this host is never overruled;
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
}

export interface FileLock {
  readonly target: string;
  readonly lockPath: string;
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  time: number;
  nonce: string;
}

export function lockPathFor(target: string): string {
  return `${target}.codexgw.lock`;
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
  const me: LockInfo = {
    pid: process.pid,
    host: nodeOs().hostname(),
    time: Date.now(),
    nonce: randomHex(8),
  };
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
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
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx', 0o600);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    const target = lockPath.slice(0, -'.codexgw.lock'.length);
    const e = fileErrorFrom(err, target, 'lock');
    throw new FileError(e.message, {
      file: target,
      hint: `codexgw needs to create ${lockPath} next to the file. ${e.hint ?? ''}`.trim(),
      cause: err,
    });
  }
  try {
    const buf = Buffer.from(JSON.stringify(me));
    fs.writeSync(fd, buf, 0, buf.length);
  } finally {
    fs.closeSync(fd);
  }
  return true;
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
      return { pid: v.pid, host: v.host, time: Number(v.time), nonce: v.nonce };
    }
  } catch {
    // An empty or partial lock: its writer died between creating and filling it, or is doing so now.
  }
  return undefined;
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  const info = seen.info;
  if (info && info.host === nodeOs().hostname()) return !isProcessAlive(info.pid);
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
