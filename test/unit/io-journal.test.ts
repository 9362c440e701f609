import { existsSync, linkSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FsLayer, realFs } from '../../src/io/fs-layer.ts';
import { contentHash, type JournalStep, recoverJournals, writeJournal } from '../../src/io/journal.ts';
import { processStartTime } from '../../src/io/lock.ts';
import { makeTempDir } from '../helpers/tmp.ts';

/** Two targets with their temp files, as a commit leaves them just before the renames. */
function interrupted(dir: string): { a: string; b: string; steps: JournalStep[] } {
  const a = path.join(dir, 'config.toml');
  const b = path.join(dir, '.bashrc');
  writeFileSync(a, 'old a\n');
  writeFileSync(b, 'old b\n');
  const steps = [a, b].map((target) => {
    const tmp = path.join(dir, `.${path.basename(target)}.codexgw-1-abcd.tmp`);
    writeFileSync(tmp, `new ${path.basename(target)}\n`);
    return {
      target,
      tmp,
      before: contentHash(readFileSync(target, 'utf8')),
      after: contentHash(`new ${path.basename(target)}\n`)!,
    };
  });
  return { a, b, steps };
}

/** Rewrite the journal as if a process `pid` (started at `start`) had written it. */
function ownedBy(file: string, pid: number, start: number | null): void {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(file, JSON.stringify({ ...j, pid, start }));
}

const journals = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.codexgw-journal-'));

describe('the redo journal', () => {
  it('is finished by recovery once its writer is gone, and removed', () => {
    const dir = makeTempDir();
    const { a, b, steps } = interrupted(dir);
    const file = writeJournal(dir, steps);
    ownedBy(file, 999_999_999, null); // no such pid
    expect(recoverJournals(dir)).toEqual({ finished: [a, b], skipped: [] });
    expect(readFileSync(a, 'utf8')).toBe('new config.toml\n');
    expect(readFileSync(b, 'utf8')).toBe('new .bashrc\n');
    expect(journals(dir)).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['.bashrc', 'config.toml']);
  });

  it('leaves the journal of a live writer alone, and recovers one whose pid was reused', () => {
    const dir = makeTempDir();
    const { a, steps } = interrupted(dir);
    const file = writeJournal(dir, steps); // this very process: alive
    expect(recoverJournals(dir)).toEqual({ finished: [], skipped: [] });
    expect(readFileSync(a, 'utf8')).toBe('old a\n');
    ownedBy(file, 1, processStartTime(1)! + 1); // pid 1 is alive, but started at another time
    expect(recoverJournals(dir).finished).toHaveLength(2);
  });

  it('never overwrites a target edited since the interruption: that temp file is dropped', () => {
    const dir = makeTempDir();
    const { a, b, steps } = interrupted(dir);
    ownedBy(writeJournal(dir, steps), 999_999_999, null);
    writeFileSync(a, 'edited by hand\n');
    expect(recoverJournals(dir)).toEqual({ finished: [b], skipped: [a] });
    expect(readFileSync(a, 'utf8')).toBe('edited by hand\n');
    expect(existsSync(steps[0]!.tmp)).toBe(false);
    expect(journals(dir)).toEqual([]);
  });

  it('redoes an in-place copy (a hard-linked target) cut short, keeping the link', () => {
    const dir = makeTempDir();
    const { a, steps } = interrupted(dir);
    const other = path.join(dir, 'dotfiles-config.toml');
    linkSync(a, other);
    ownedBy(writeJournal(dir, [{ ...steps[0]!, inPlace: true }]), 999_999_999, null);
    writeFileSync(a, 'new con'); // the copy was cut short: neither old nor new
    expect(recoverJournals(dir).finished).toEqual([a]);
    expect(readFileSync(other, 'utf8')).toBe('new config.toml\n');
    expect(statSync(other).ino).toBe(statSync(a).ino);
  });

  it('never fails the command it runs in: a lock it cannot take leaves the journal for later', () => {
    const dir = makeTempDir();
    const { a, steps } = interrupted(dir);
    const file = writeJournal(dir, steps);
    ownedBy(file, 999_999_999, null);
    const noLocks: FsLayer = {
      ...realFs,
      openSync: ((p: string, ...rest: never[]) => {
        if (String(p).includes('.lock')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return (realFs.openSync as (...a: unknown[]) => number)(p, ...rest);
      }) as FsLayer['openSync'],
    };
    expect(recoverJournals(dir, noLocks)).toEqual({ finished: [], skipped: [] });
    expect(readFileSync(a, 'utf8')).toBe('old a\n');
    expect(existsSync(file)).toBe(true);
    expect(recoverJournals(dir).finished).toHaveLength(2);
  });

  it('drops a journal its writer never committed (still a .tmp)', () => {
    const dir = makeTempDir();
    const stray = path.join(dir, '.codexgw-journal-999999999-abcd.tmp');
    writeFileSync(stray, '{"vers');
    recoverJournals(dir);
    expect(existsSync(stray)).toBe(false);
  });
});
