import path from 'node:path';
import { CancelledError, FileError, fileErrorFrom, InternalError } from '../errors.ts';
import {
  type AtomicWriteHooks,
  atomicWriteFile,
  discardTemp,
  mkdirOwned,
  type PendingFile,
  removeFile,
  renameTemp,
  writeTemp,
} from './atomic-write.ts';
import { type BackupEntry, createBackup, DEFAULT_KEEP, deleteBackup } from './backup.ts';
import type { Palette } from './colors.ts';
import { unifiedDiff } from './diff.ts';
import { assertReplaceable, exists, type FsLayer, realFs } from './fs-layer.ts';
import { contentHash, type JournalStep, recoverJournals, removeJournal, writeJournal } from './journal.ts';
import { type LockOptions, withLocks } from './lock.ts';
import { redactKnown, registerTomlLines } from './redact.ts';
import { readTextFile, resolveTarget } from './text-file.ts';

/**
 * The one way codexgw changes files. A command plans each change as text (before → after) while
 * showing diffs and asking questions, then commits all its changes at once:
 * lock every file → re-read each → rebase onto content that changed since the plan (or refuse) →
 * back up the previous content → write every new content to a synced temp file → (several
 * files, with a journal folder) commit a redo journal → rename the temp files over their targets.
 * A failure before the renames leaves every file old; a rename that fails puts the renamed ones
 * back; a run killed (SIGKILL, power loss) after the journal is finished by the next run, so no
 * half-done change remains. SIGINT/SIGTERM during the commit are held until it is complete, and
 * cancel it (nothing written) while it still waits for a lock.
 */

export interface PlannedWrite {
  /** The file as the user knows it (absolute or relative to the process cwd; a symlink is written through). */
  file: string;
  /** The text the plan was computed from; undefined when the file did not exist. */
  before: string | undefined;
  /** The text to write. */
  after: string;
  /**
   * Recompute `after` from newer content (the file changed since `before` was read). Throw a
   * FileError when the newer content conflicts with this change. Without it, any change since
   * the plan is a conflict.
   */
  rebase?: ((current: string | undefined) => string) | undefined;
  /** Mode of a new file: 0600 for anything holding secrets, else the default 0644. */
  mode?: number | undefined;
}

export interface CommitOptions {
  /** Where backups go (`backupDirOf(codexHome)`); no backups when undefined. */
  backupDir?: string | undefined;
  /** Clock for backup names (ctx.now). */
  now?: () => Date;
  /** Backups kept per file (default 20). */
  keepBackups?: number;
  lock?: LockOptions;
  fs?: FsLayer;
  /**
   * Where the redo journal of a change of several files goes ($CODEX_HOME). Without it, a run
   * killed between two renames can leave the first file new and the second old.
   */
  journalDir?: string | undefined;
  /** Fault injection for tests (a crash or a signal at each step of the commit). */
  hooks?: CommitHooks;
}

export interface CommitHooks extends AtomicWriteHooks {
  /** Before the backup and temp file of each changed file (index in `plans`). */
  beforeWrite?: (index: number) => void;
  /**
   * At each step: `locked`, `backup:<i>`, `temp:<i>`, `journal` (committed), `rename:<i>`,
   * `renamed` (all in place, journal not yet removed).
   */
  step?: (name: string) => void;
}

export interface WriteResult {
  file: string;
  /** The real file written (the symlink target for a link). */
  target: string;
  /** False when the content was already what the plan wanted: nothing was written. */
  changed: boolean;
  created: boolean;
  /** The backup of the previous content, when one was taken. */
  backup?: BackupEntry | undefined;
  /** The text now in the file. */
  text: string;
}

/** Read `file` and plan `update` of its text (undefined when the file does not exist). */
export function planTextEdit(
  file: string,
  update: (current: string | undefined) => string,
  opts: { mode?: number; fs?: FsLayer } = {},
): PlannedWrite {
  const before = readTextFile(file, opts.fs ?? realFs);
  return { file, before, after: update(before), rebase: update, mode: opts.mode };
}

/** Commit several planned writes as one change: all of them happen, or none. */
export async function commitWrites(
  plans: readonly PlannedWrite[],
  opts: CommitOptions = {},
): Promise<WriteResult[]> {
  const fs = opts.fs ?? realFs;
  const targets = plans.map((p) => resolveTarget(p.file, fs));
  const seen = new Map<string, string>();
  targets.forEach((t, i) => {
    const other = seen.get(t);
    if (other !== undefined) {
      throw new InternalError(`One change writes ${plans[i]!.file} twice (also as ${other}).`);
    }
    seen.set(t, plans[i]!.file);
    // Before anything is created next to it (a lock in /dev, for a link to /dev/null).
    assertReplaceable(t, fs);
  });
  // A change an interrupted run committed goes first: this one then starts from its result.
  if (opts.journalDir !== undefined) recoverJournals(opts.journalDir, fs);
  // A new file may need its directory (a first `init` before ~/.codex exists). It is made before
  // locking, since the lock file lives there too, and removed again if the change fails.
  const madeDirs = makeParentDirs(targets, fs);
  const signals = holdSignals();
  try {
    // The backup directory is written inside the locks, but is not itself a locked target.
    return await withLocks(targets, () => commitLocked(plans, targets, opts, fs, signals.aborted), {
      ...opts.lock,
      fs,
      signal: signals.aborted,
    });
  } catch (err) {
    removeDirs(madeDirs, fs);
    throw err;
  } finally {
    signals.release();
  }
}

/**
 * While a change is being committed, SIGINT, SIGTERM and SIGHUP do not kill the process half
 * way: they abort it while it waits for a lock (nothing written), and wait for the renames,
 * which are synchronous and take milliseconds, once they have begun.
 */
function holdSignals(): { aborted: AbortSignal; release(): void } {
  const controller = new AbortController();
  // One listener per signal for all the commits in flight (a process may run many at once).
  if (inFlight.size === 0) {
    for (const sig of HELD_SIGNALS) process.on(sig, abortAll);
  }
  inFlight.add(controller);
  return {
    aborted: controller.signal,
    release() {
      inFlight.delete(controller);
      if (inFlight.size === 0) for (const sig of HELD_SIGNALS) process.off(sig, abortAll);
    },
  };
}

const inFlight = new Set<AbortController>();
/** Ctrl-C, kill, and the terminal closing. */
const HELD_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function abortAll(): void {
  for (const c of inFlight) c.abort();
}

/** Create missing parent directories (mode 0700: CODEX_HOME holds credentials); returns the ones made. */
function makeParentDirs(targets: string[], fs: FsLayer): string[] {
  const made: string[] = [];
  for (const t of targets) {
    const dir = path.dirname(t);
    if (exists(fs, dir)) continue;
    let first: string | undefined;
    try {
      first = mkdirOwned(dir, fs);
    } catch (err) {
      throw fileErrorFrom(err, t, 'create');
    }
    if (first) {
      // Every directory from `first` down to `dir` is new.
      for (let d = dir; ; d = path.dirname(d)) {
        made.push(d);
        if (d === first || path.dirname(d) === d) break;
      }
    }
  }
  return made;
}

function removeDirs(dirs: string[], fs: FsLayer): void {
  for (const d of dirs) {
    try {
      fs.rmdirSync(d); // only succeeds when empty: nothing of anyone else's is removed
    } catch {
      // Not empty or already gone.
    }
  }
}

export async function commitWrite(plan: PlannedWrite, opts: CommitOptions = {}): Promise<WriteResult> {
  return (await commitWrites([plan], opts))[0]!;
}

/** Plan and commit an edit of one file in one go (the re-read happens under the lock). */
export async function editTextFile(
  file: string,
  update: (current: string | undefined) => string,
  opts: CommitOptions & { mode?: number } = {},
): Promise<WriteResult> {
  return commitWrite(planTextEdit(file, update, { mode: opts.mode, fs: opts.fs }), opts);
}

/** The `--dry-run` output: a unified diff per planned file ('' when nothing would change). */
export function formatPlannedDiff(plans: readonly PlannedWrite[], color?: Palette): string {
  return plans
    .map((p) => {
      // Both sides' secrets (an old key in a backup, a new one in the edit) are masked on output.
      const diff = unifiedDiff(p.before ?? '', p.after, {
        fromLabel: p.before === undefined ? '/dev/null' : p.file,
        toLabel: p.file,
        color,
      });
      if (diff === '') return diff;
      // The secrets on the lines it shows (an old key in a backup, a new one in the edit) are
      // masked on output; only those lines are read, so a large file is not parsed again.
      registerTomlLines(diff);
      // Two keys can share a mask (same first and last characters): say that one changes.
      return maskedSame(diff) ? `${diff}(a secret changes; its masked form looks the same)\n` : diff;
    })
    .join('');
}

/** True when the removed and added lines of a diff look the same once secrets are masked. */
function maskedSame(diff: string): boolean {
  const removed: string[] = [];
  const added: string[] = [];
  for (const raw of diff.split('\n')) {
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '');
    if (line.startsWith('-') && !line.startsWith('--- ')) removed.push(line.slice(1));
    else if (line.startsWith('+') && !line.startsWith('+++ ')) added.push(line.slice(1));
  }
  return removed.length > 0 && redactKnown(removed.join('\n')) === redactKnown(added.join('\n'));
}

interface Prepared {
  plan: PlannedWrite;
  target: string;
  previous: string | undefined;
  next: string;
}

function commitLocked(
  plans: readonly PlannedWrite[],
  targets: string[],
  opts: CommitOptions,
  fs: FsLayer,
  aborted: AbortSignal,
): WriteResult[] {
  const hooks = opts.hooks;
  hooks?.step?.('locked');
  const prepared: Prepared[] = plans.map((plan, i) => {
    const previous = readTextFile(plan.file, fs);
    return { plan, target: targets[i]!, previous, next: rebased(plan, previous) };
  });
  // Everything up to the journal (or the first rename) can be undone by deleting what it made.
  const backups: BackupEntry[] = [];
  const pending: { index: number; prep: Prepared; temp: PendingFile; backup: BackupEntry | undefined }[] = [];
  const undoPrepared = () => {
    for (const p of pending) discardTemp(p.temp, fs);
    for (const b of backups) deleteBackup(b, fs);
  };
  try {
    prepared.forEach((prep, i) => {
      const { plan, previous, next } = prep;
      const changed = previous === undefined ? next !== '' : next !== previous;
      if (!changed) return;
      hooks?.beforeWrite?.(i);
      let backup: BackupEntry | undefined;
      if (previous !== undefined && opts.backupDir !== undefined) {
        backup = createBackup(opts.backupDir, path.resolve(plan.file), Buffer.from(previous, 'utf8'), {
          now: opts.now?.() ?? new Date(),
          mode: modeOf(prep.target, fs),
          keep: opts.keepBackups ?? DEFAULT_KEEP,
          fs,
        });
        backups.push(backup);
        hooks?.step?.(`backup:${i}`);
      }
      const temp = writeTemp(plan.file, next, { mode: plan.mode, fs });
      pending.push({ index: i, prep, temp, backup });
      hooks?.step?.(`temp:${i}`);
    });
    // The last moment a signal can still cancel the change whole.
    if (aborted.aborted) throw new CancelledError();
  } catch (err) {
    undoPrepared();
    throw err;
  }

  // Codex config files last: a run killed between two renames (before the next run finishes the
  // journal) then leaves a key stored for a provider not yet switched to, never config.toml
  // switched to a provider whose key is not stored yet.
  const order = [...pending].sort(
    (a, b) => Number(isTomlFile(a.temp.target)) - Number(isTomlFile(b.temp.target)),
  );
  let journal: string | undefined;
  if (pending.length > 1 && opts.journalDir !== undefined) {
    const steps: JournalStep[] = order.map((p) => ({
      target: p.temp.target,
      tmp: p.temp.tmp,
      before: contentHash(p.prep.previous),
      after: contentHash(p.prep.next) ?? '',
      inPlace: p.temp.inPlace,
    }));
    try {
      // ~/.codex may not exist yet (a first `env set`); its backups folder would create it too.
      if (!exists(fs, opts.journalDir)) mkdirOwned(opts.journalDir, fs);
      journal = writeJournal(opts.journalDir, steps, fs);
    } catch (err) {
      undoPrepared();
      throw fileErrorFrom(err, opts.journalDir, 'write');
    }
    hooks?.step?.('journal');
  }

  const done: { prep: Prepared; result: WriteResult }[] = [];
  const byIndex = new Map<number, WriteResult>();
  try {
    for (const p of order) {
      hooks?.beforeRename?.(p.temp.tmp, p.temp.target);
      const w = renameTemp(p.temp, fs);
      const result: WriteResult = {
        file: p.prep.plan.file,
        target: w.target,
        changed: true,
        created: w.created,
        backup: p.backup,
        text: p.prep.next,
      };
      done.push({ prep: p.prep, result });
      byIndex.set(p.index, result);
      hooks?.step?.(`rename:${p.index}`);
    }
    hooks?.step?.('renamed');
  } catch (err) {
    for (const p of pending) if (!done.some((d) => d.prep === p.prep)) discardTemp(p.temp, fs);
    const unrestored = rollBack(done, fs);
    if (journal !== undefined) removeJournal(journal, fs);
    // A backup of a file that was put back (or never written) describes nothing that happened.
    for (const b of backups) if (!unrestored.some((f) => path.resolve(f) === b.file)) deleteBackup(b, fs);
    throw explain(err, done, unrestored);
  }
  if (journal !== undefined) removeJournal(journal, fs);

  return prepared.map(
    (prep, i) =>
      byIndex.get(i) ?? {
        file: prep.plan.file,
        target: prep.target,
        changed: false,
        created: false,
        text: prep.previous ?? '',
      },
  );
}

function isTomlFile(file: string): boolean {
  return file.endsWith('.toml');
}

function rebased(plan: PlannedWrite, current: string | undefined): string {
  if (current === plan.before) return plan.after;
  if (plan.rebase) return plan.rebase(current);
  throw new FileError(`${plan.file} changed while codexgw was working on it.`, {
    file: plan.file,
    hint: 'Nothing was written. Run the command again to apply it to the new content.',
  });
}

/** Put back the files already written; returns the ones that could not be restored. */
function rollBack(done: { prep: Prepared; result: WriteResult }[], fs: FsLayer): string[] {
  const failed: string[] = [];
  for (const { prep, result } of [...done].reverse()) {
    try {
      if (prep.previous === undefined) removeFile(result.target, fs);
      else atomicWriteFile(prep.plan.file, prep.previous, { fs });
    } catch {
      failed.push(prep.plan.file);
    }
  }
  return failed;
}

function explain(err: unknown, done: { prep: Prepared }[], unrestored: string[]): unknown {
  if (done.length === 0 || !(err instanceof FileError)) return err;
  const restored = done.map((d) => d.prep.plan.file).filter((f) => !unrestored.includes(f));
  const notes: string[] = [];
  if (restored.length > 0)
    notes.push(`codexgw put back the files it had already changed: ${restored.join(', ')}.`);
  if (unrestored.length > 0) {
    notes.push(`It could not put back ${unrestored.join(', ')}; compare with codexgw restore --list.`);
  }
  return new FileError(err.message, {
    file: err.file,
    line: err.line,
    column: err.column,
    hint: [err.hint, ...notes].filter(Boolean).join(' '),
    cause: err,
  });
}

function modeOf(target: string, fs: FsLayer): number {
  try {
    return fs.statSync(target).mode & 0o7777;
  } catch {
    return 0o600;
  }
}
