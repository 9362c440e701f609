import path from 'node:path';
import { FileError, fileErrorFrom, UserError } from '../errors.ts';
import { mkdirOwned, ownerForNewFile } from './atomic-write.ts';
import { errnoCode, exists, type FsLayer, realFs } from './fs-layer.ts';

/**
 * Timestamped backups of the previous content of every file codexgw writes, under
 * `$CODEX_HOME/backups/`. Each backup is two files: `<stamp>-<basename>` (the bytes, mode 0600:
 * rc files can hold keys) and `<stamp>-<basename>.json` (where it came from), written in that
 * order so a listed backup is always complete. The newest `keep` (20) are kept per original file.
 */

export const DEFAULT_KEEP = 20;

export interface BackupEntry {
  /** The backup's name, as `codexgw restore <name>` takes it. */
  name: string;
  /** The file it is a backup of (absolute; a symlink stays the link path, restore writes through it). */
  file: string;
  /** When it was taken (ISO 8601, UTC). */
  createdAt: string;
  /** Size in bytes. */
  size: number;
  /** The file's mode at the time. */
  mode: number;
  /** Absolute path of the backup content. */
  path: string;
}

interface BackupMeta {
  version: 1;
  file: string;
  createdAt: string;
  /** 1, 2, ... for backups taken in the same millisecond (newer is higher). */
  seq: number;
  size: number;
  mode: number;
}

export function backupDirOf(codexHome: string): string {
  return path.join(codexHome, 'backups');
}

export interface CreateBackupOptions {
  now?: Date;
  mode?: number;
  keep?: number;
  fs?: FsLayer;
}

/** Save `content` as the newest backup of `file` and drop that file's backups beyond `keep`. */
export function createBackup(
  dir: string,
  file: string,
  content: Uint8Array,
  opts: CreateBackupOptions = {},
): BackupEntry {
  const fs = opts.fs ?? realFs;
  const now = opts.now ?? new Date();
  const abs = path.resolve(file);
  try {
    mkdirOwned(dir, fs);
  } catch (err) {
    throw backupError(err, dir);
  }
  // Root (sudo -E) backing up a user's file: the backup is the user's too.
  const owner = ownerForNewFile(dir, fs);
  const own = (fd: number) => owner && fs.fchownSync(fd, owner.uid, owner.gid);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const base = path.basename(abs);
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${stamp}-${base}` : `${stamp}-${n}-${base}`;
    const contentPath = path.join(dir, name);
    if (exists(fs, `${contentPath}.json`)) continue;
    let fd: number;
    try {
      fd = fs.openSync(contentPath, 'wx', 0o600);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') continue;
      throw backupError(err, dir);
    }
    try {
      own(fd);
      for (let off = 0; off < content.length; ) off += fs.writeSync(fd, content, off, content.length - off);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    } catch (err) {
      quietly(() => fs.closeSync(fd));
      quietly(() => fs.unlinkSync(contentPath));
      throw backupError(err, dir);
    }
    const meta: BackupMeta = {
      version: 1,
      file: abs,
      createdAt: now.toISOString(),
      seq: n,
      size: content.length,
      mode: opts.mode ?? 0o600,
    };
    try {
      const json = Buffer.from(`${JSON.stringify(meta, null, 2)}\n`);
      const mfd = fs.openSync(`${contentPath}.json`, 'wx', 0o600);
      try {
        own(mfd);
        fs.writeSync(mfd, json, 0, json.length);
        fs.fsyncSync(mfd);
      } finally {
        fs.closeSync(mfd);
      }
    } catch (err) {
      quietly(() => fs.unlinkSync(contentPath));
      throw backupError(err, dir);
    }
    pruneBackups(dir, abs, opts.keep ?? DEFAULT_KEEP, fs);
    return {
      name,
      file: abs,
      createdAt: meta.createdAt,
      size: meta.size,
      mode: meta.mode,
      path: contentPath,
    };
  }
}

/** Every complete backup in `dir`, newest first (an absent directory has none). */
export function listBackups(dir: string, fs: FsLayer = realFs): BackupEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw fileErrorFrom(err, dir, 'read');
  }
  const present = new Set(names);
  const out: (BackupEntry & { seq: number })[] = [];
  for (const metaName of names) {
    if (!metaName.endsWith('.json')) continue;
    const name = metaName.slice(0, -'.json'.length);
    if (!present.has(name)) continue;
    const meta = readMeta(path.join(dir, metaName), fs);
    if (!meta) continue;
    const { file, createdAt, seq, size, mode } = meta;
    out.push({ name, file, createdAt, seq, size, mode, path: path.join(dir, name) });
  }
  out.sort((a, b) => cmp(b.createdAt, a.createdAt) || b.seq - a.seq || cmp(b.name, a.name));
  return out.map(({ seq: _, ...entry }) => entry);
}

/** The backup named `name` (or the only one whose name starts with it). */
export function findBackup(dir: string, name: string, fs: FsLayer = realFs): BackupEntry {
  const all = listBackups(dir, fs);
  const exact = all.find((b) => b.name === name);
  if (exact) return exact;
  const matches = all.filter((b) => b.name.startsWith(name));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UserError(`"${name}" matches ${matches.length} backups.`, {
      hint: `Give more of the name; codexgw restore --list shows them all (e.g. ${matches[0]!.name}).`,
    });
  }
  throw new UserError(`There is no backup named "${name}" in ${dir}.`, {
    hint: 'Run codexgw restore --list to see the backups.',
  });
}

/** The bytes of a backup. */
export function readBackup(entry: BackupEntry, fs: FsLayer = realFs): Buffer {
  try {
    return fs.readFileSync(entry.path);
  } catch (err) {
    throw fileErrorFrom(err, entry.path, 'read');
  }
}

/** Remove a backup (used when a transaction rolls back: its backups describe nothing that happened). */
export function deleteBackup(entry: BackupEntry, fs: FsLayer = realFs): void {
  quietly(() => fs.unlinkSync(`${entry.path}.json`));
  quietly(() => fs.unlinkSync(entry.path));
}

/** Keep the newest `keep` backups of `file`, and drop the orphans of interrupted runs. */
export function pruneBackups(dir: string, file: string, keep: number, fs: FsLayer = realFs): void {
  const mine = listBackups(dir, fs).filter((b) => b.file === file);
  for (const old of mine.slice(keep)) deleteBackup(old, fs);
  pruneOrphans(dir, fs);
}

/** A backup's name: `<stamp>-[<n>-]<basename>`, the stamp an ISO time with ":" and "." as "-". */
const BACKUP_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-/;
/** Younger halves may belong to a backup being written right now (content first, then meta). */
const ORPHAN_AGE_MS = 60_000;

/**
 * Remove half-backups: content whose metadata was never written (the run died in between), and
 * metadata whose content is gone. listBackups never shows them, so no count-based pruning would.
 */
export function pruneOrphans(dir: string, fs: FsLayer = realFs, now = Date.now()): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const present = new Set(names);
  for (const name of names) {
    if (!BACKUP_NAME.test(name)) continue;
    // Paired when it is the content of a meta file, or the meta file of a content file.
    if (present.has(`${name}.json`)) continue;
    if (name.endsWith('.json') && present.has(name.slice(0, -'.json'.length))) continue;
    const p = path.join(dir, name);
    try {
      if (now - fs.statSync(p).mtimeMs > ORPHAN_AGE_MS) fs.unlinkSync(p);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

function readMeta(metaPath: string, fs: FsLayer): BackupMeta | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(metaPath).toString('utf8')) as Partial<BackupMeta>;
    if (typeof v.file !== 'string' || typeof v.createdAt !== 'string') return undefined;
    return {
      version: 1,
      file: v.file,
      createdAt: v.createdAt,
      seq: typeof v.seq === 'number' ? v.seq : 1,
      size: typeof v.size === 'number' ? v.size : 0,
      mode: typeof v.mode === 'number' ? v.mode : 0o600,
    };
  } catch {
    return undefined; // not one of ours, or half-written by a run that crashed
  }
}

function backupError(err: unknown, dir: string): FileError {
  const e = fileErrorFrom(err, dir, 'write');
  return new FileError(
    `Could not back up the previous content to ${dir}: ${e.message.replace(/^Could not write [^:]*: /, '')}`,
    {
      file: dir,
      hint: `${e.hint ?? ''} codexgw keeps a backup before every change and writes nothing without one.`.trim(),
      cause: err,
    },
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // Best-effort cleanup.
  }
}
