import path from 'node:path';
import { copyIntoTarget, syncDir } from './atomic-write.ts';
import { type FsLayer, realFs } from './fs-layer.ts';
import { type FileLock, isProcessAlive, processStartTime, tryLockSync } from './lock.ts';
import { nodeOs } from './node-os.ts';
import { randomHex } from './random.ts';

/**
 * The redo journal that makes a change of several files (config.toml + an rc file) all or
 * nothing, even under SIGKILL. The commit writes every new content to a synced temp file beside
 * its target first; then this journal, naming each temp file and target, is written and synced
 * (its rename is the point of no return); then the temp files are renamed over their targets; then
 * the journal is removed. A run killed before the journal exists leaves only temp files (removed
 * by the next write): every file is old. A run killed after it leaves a journal that the next run
 * finishes (`recoverJournals`): every file is new. The journal holds paths and hashes, no content.
 */

export interface JournalStep {
  /** The symlink-resolved file to replace. */
  target: string;
  /** The synced temp file beside it, holding the new content. */
  tmp: string;
  /** sha256 of the content the target had when the change was planned (null: it did not exist). */
  before: string | null;
  /** sha256 of the new content. */
  after: string;
  /** Copied into the target (which has other hard links) rather than renamed over it. */
  inPlace?: boolean;
}

interface JournalFile {
  version: 1;
  pid: number;
  /** The process start time (see lock.ts), so a reused pid is not taken for the writer. */
  start: number | null;
  host: string;
  steps: JournalStep[];
}

const PREFIX = '.codexgw-journal-';

export function contentHash(text: string | undefined): string | null {
  return text === undefined ? null : sha256(Buffer.from(text, 'utf8'));
}

/** node:crypto loads the stream stack (~1 ms): only a commit of several files or a recovery needs it. */
function sha256(bytes: Uint8Array): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
}

/** Write and sync the journal in `dir`; returns its path. Its presence commits the change. */
export function writeJournal(dir: string, steps: JournalStep[], fs: FsLayer = realFs): string {
  const journal: JournalFile = {
    version: 1,
    pid: process.pid,
    start: processStartTime(process.pid),
    host: nodeOs().hostname(),
    steps,
  };
  const name = `${PREFIX}${process.pid}-${randomHex(4)}`;
  const file = path.join(dir, `${name}.json`);
  const tmp = path.join(dir, `${name}.tmp`);
  const buf = Buffer.from(`${JSON.stringify(journal)}\n`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(dir, fs);
  return file;
}

export function removeJournal(file: string, fs: FsLayer = realFs): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Already gone: nothing left to finish.
  }
}

export interface Recovered {
  /** Targets whose new content an interrupted run had committed, now in place. */
  finished: string[];
  /** Targets changed by someone else since: their interrupted content was dropped, theirs kept. */
  skipped: string[];
}

/**
 * Finish every change an interrupted run committed to a journal in `dir` (the writer is gone):
 * rename the temp files still waiting, under the targets' locks. A target whose content is now
 * neither what the run started from nor what it wrote was edited since; it is left alone.
 * Journals of live runs, or of runs whose locks are held, are left for later.
 */
export function recoverJournals(dir: string, fs: FsLayer = realFs): Recovered {
  const out: Recovered = { finished: [], skipped: [] };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const file = path.join(dir, name);
    if (name.endsWith('.tmp')) {
      // A journal its writer never committed: the change did not happen.
      const pid = Number(name.slice(PREFIX.length).split('-')[0]);
      if (!isProcessAlive(pid)) removeJournal(file, fs);
      continue;
    }
    if (!name.endsWith('.json')) continue;
    const journal = readJournal(file, fs);
    if (journal === undefined) {
      removeJournal(file, fs);
      continue;
    }
    if (writerMayBeAlive(journal)) continue;
    try {
      finishJournal(file, journal, out, fs);
    } catch {
      // Cannot take a lock here (a read-only folder, another user's files): a run that can will
      // finish it. Recovery never stops the command it runs in.
    }
  }
  return out;
}

function finishJournal(file: string, journal: JournalFile, out: Recovered, fs: FsLayer): void {
  const locks: (FileLock | undefined)[] = [];
  try {
    for (const s of journal.steps) locks.push(tryLockSync(s.target, fs));
    if (locks.some((l) => l === undefined)) return; // another run holds one: it goes first
    // In the order the run renamed them (Codex config files last).
    for (const step of journal.steps) finishStep(step, out, fs);
    removeJournal(file, fs);
  } finally {
    for (const l of locks) l?.release();
  }
}

function finishStep(step: JournalStep, out: Recovered, fs: FsLayer): void {
  if (!exists(step.tmp, fs)) return; // renamed before the interruption
  const now = currentHash(step.target, fs);
  // An in-place copy may have been cut short: its target is then neither old nor new.
  if (now === step.before || (step.inPlace === true && now !== step.after)) {
    try {
      if (step.inPlace) copyIntoTarget(step, fs);
      else fs.renameSync(step.tmp, step.target);
      syncDir(path.dirname(step.target), fs);
      out.finished.push(step.target);
      return;
    } catch {
      // Could not finish it: fall through and drop the temp file, the target stays whole.
    }
  } else if (now !== step.after) {
    out.skipped.push(step.target);
  }
  try {
    fs.unlinkSync(step.tmp);
  } catch {
    // Gone already.
  }
}

function writerMayBeAlive(j: JournalFile): boolean {
  if (j.host !== nodeOs().hostname()) return true; // cannot check another host's processes
  if (!isProcessAlive(j.pid)) return false;
  // The pid is alive: is it still the writer, or a new process that reuses the number?
  const start = processStartTime(j.pid);
  return start === null || j.start === null || start === j.start;
}

function readJournal(file: string, fs: FsLayer): JournalFile | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(file).toString('utf8')) as Partial<JournalFile>;
    if (v.version !== 1 || typeof v.pid !== 'number' || !Array.isArray(v.steps)) return undefined;
    return {
      version: 1,
      pid: v.pid,
      start: typeof v.start === 'number' ? v.start : null,
      host: String(v.host),
      steps: v.steps.filter(
        (s): s is JournalStep =>
          typeof s?.target === 'string' && typeof s.tmp === 'string' && typeof s.after === 'string',
      ),
    };
  } catch {
    return undefined; // unreadable or half-written (its writer died before the rename): not committed
  }
}

function currentHash(target: string, fs: FsLayer): string | null {
  try {
    return sha256(fs.readFileSync(target));
  } catch {
    return null;
  }
}

function exists(file: string, fs: FsLayer): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
