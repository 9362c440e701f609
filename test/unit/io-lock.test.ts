import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.ts';
import { type FsLayer, realFs } from '../../src/io/fs-layer.ts';
import { acquireLock, lockPathFor, processStartTime, withLocks } from '../../src/io/lock.ts';
import { makeTempDir } from '../helpers/tmp.ts';

function target(): string {
  return path.join(makeTempDir(), 'config.toml');
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const r = await execa(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout);
}

describe('file lock', () => {
  it('is a file next to the target, created exclusively, and removed on release', async () => {
    const t = target();
    const lock = await acquireLock(t);
    expect(lock.lockPath).toBe(`${t}.codexgw.lock`);
    const info = JSON.parse(readFileSync(lock.lockPath, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(lock.lockPath)).toBe(false);
  });

  it('makes a second taker wait until the first releases', async () => {
    const t = target();
    const first = await acquireLock(t);
    const order: string[] = [];
    const second = acquireLock(t).then((l) => {
      order.push('second acquired');
      return l;
    });
    await new Promise((r) => setTimeout(r, 100));
    order.push('first releases');
    first.release();
    (await second).release();
    expect(order).toEqual(['first releases', 'second acquired']);
  });

  it('gives up after the timeout with a clear error naming the holder and the lock file', async () => {
    const t = target();
    const held = await acquireLock(t);
    try {
      const err = await acquireLock(t, { timeoutMs: 200 }).catch((e: unknown) => e as FileError);
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).message).toBe(
        `Could not lock ${t}: another codexgw run (pid ${process.pid}) is changing it, and it did not finish within 0.2 s.`,
      );
      expect((err as FileError).hint).toContain(`remove ${t}.codexgw.lock`);
    } finally {
      held.release();
    }
  });

  it('breaks a lock whose process is gone', async () => {
    const t = target();
    const pid = await deadPid();
    writeFileSync(lockPathFor(t), JSON.stringify({ pid, host: hostname(), time: Date.now(), nonce: 'dead' }));
    const lock = await acquireLock(t, { timeoutMs: 1000 });
    expect(JSON.parse(readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('never breaks the lock of a live process on this host, however old', async () => {
    const t = target();
    // pid 1 is always alive.
    writeFileSync(lockPathFor(t), JSON.stringify({ pid: 1, host: hostname(), time: 0, nonce: 'init' }));
    utimesSync(lockPathFor(t), new Date(0), new Date(0));
    await expect(acquireLock(t, { timeoutMs: 100, staleMs: 1 })).rejects.toThrow(/pid 1\)/);
    expect(JSON.parse(readFileSync(lockPathFor(t), 'utf8')).nonce).toBe('init');
  });

  it('breaks the lock of a live pid that started at another time (the pid was reused)', async () => {
    const t = target();
    const start = processStartTime(1);
    expect(start).not.toBeNull();
    // pid 1 is alive, but this lock was taken by an earlier process with that pid.
    const info = { pid: 1, start: start! + 1, host: hostname(), time: Date.now(), nonce: 'reused' };
    writeFileSync(lockPathFor(t), JSON.stringify(info));
    const t0 = Date.now();
    const lock = await acquireLock(t, { timeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(JSON.parse(readFileSync(lock.lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      start: processStartTime(process.pid),
    });
    lock.release();
    // The live holder with its own start time is still never overruled.
    writeFileSync(lockPathFor(t), JSON.stringify({ ...info, start, nonce: 'live' }));
    await expect(acquireLock(t, { timeoutMs: 100, staleMs: 1 })).rejects.toThrow(/pid 1\)/);
  });

  it('a full disk while taking the lock is exit 3 and leaves nothing that makes the next run wait', async () => {
    const t = target();
    const full: FsLayer = {
      ...realFs,
      writeSync: () => {
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      },
    };
    const err = await acquireLock(t, { fs: full }).catch((e: unknown) => e as FileError);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).exitCode).toBe(3);
    expect((err as FileError).message).toBe(`Could not lock ${t}: the disk is full.`);
    expect(readdirSync(path.dirname(t))).toEqual([]);
    const t0 = Date.now();
    const lock = await acquireLock(t, { timeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(2500);
    lock.release();
  });

  it('works on a file system without hard links, and a full disk there leaves no lock either', async () => {
    const t = target();
    const noLinks: FsLayer = {
      ...realFs,
      linkSync: () => {
        throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      },
    };
    const lock = await acquireLock(t, { fs: noLinks });
    expect(JSON.parse(readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid);
    await expect(acquireLock(t, { fs: noLinks, timeoutMs: 100 })).rejects.toThrow(/did not finish/);
    lock.release();
    // The temp file fills, the link fails, then the disk is full for the lock written directly.
    let writes = 0;
    const full: FsLayer = {
      ...noLinks,
      writeSync: (fd, buf, off, len) => {
        if (++writes === 2) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        return realFs.writeSync(fd, buf, off, len);
      },
    };
    await expect(acquireLock(t, { fs: full })).rejects.toThrow('the disk is full');
    expect(writes).toBe(2);
    expect(readdirSync(path.dirname(t))).toEqual([]);
  });

  it('stops waiting, with nothing taken, when the signal aborts', async () => {
    const t = target();
    const held = await acquireLock(t);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await acquireLock(t, { signal: controller.signal }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ exitCode: 130, message: 'Cancelled. Nothing was written.' });
    held.release();
  });

  it('breaks an empty lock (its writer died right after creating it) once it is older than staleMs', async () => {
    const t = target();
    writeFileSync(lockPathFor(t), '');
    await expect(acquireLock(t, { timeoutMs: 100, staleMs: 60_000 })).rejects.toThrow(FileError);
    utimesSync(lockPathFor(t), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const lock = await acquireLock(t, { timeoutMs: 1000, staleMs: 60_000 });
    lock.release();
  });

  it('breaks an old lock from another host by age only', async () => {
    const t = target();
    writeFileSync(lockPathFor(t), JSON.stringify({ pid: 1, host: 'elsewhere', time: 0, nonce: 'x' }));
    utimesSync(lockPathFor(t), new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    const lock = await acquireLock(t, { timeoutMs: 1000, staleMs: 5_000 });
    lock.release();
  });

  it('release leaves alone a lock that is no longer ours', async () => {
    const t = target();
    const lock = await acquireLock(t);
    writeFileSync(
      lock.lockPath,
      JSON.stringify({ pid: 1, host: hostname(), time: Date.now(), nonce: 'other' }),
    );
    lock.release();
    expect(JSON.parse(readFileSync(lock.lockPath, 'utf8')).nonce).toBe('other');
  });

  it('withLocks takes several locks in sorted order, once each, and releases them all', async () => {
    const a = target();
    const b = target();
    const seen = await withLocks([b, a, b], () => [existsSync(lockPathFor(a)), existsSync(lockPathFor(b))]);
    expect(seen).toEqual([true, true]);
    expect(existsSync(lockPathFor(a)) || existsSync(lockPathFor(b))).toBe(false);
    await expect(
      withLocks([a], () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(lockPathFor(a))).toBe(false);
  });

  it('serializes many concurrent takers: no two hold the lock at once', async () => {
    const t = target();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withLocks([t], async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });
});
