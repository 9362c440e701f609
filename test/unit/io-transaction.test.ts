import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.ts';
import { listBackups } from '../../src/io/backup.ts';
import { makePalette } from '../../src/io/colors.ts';
import { type FsLayer, realFs } from '../../src/io/fs-layer.ts';
import {
  commitWrite,
  commitWrites,
  editTextFile,
  formatPlannedDiff,
  planTextEdit,
} from '../../src/io/safe-write.ts';
import { planTomlEdit } from '../../src/io/toml-file.ts';
import { makeTempDir } from '../helpers/tmp.ts';

function world() {
  const root = makeTempDir();
  const backups = path.join(root, 'codex', 'backups');
  const config = path.join(root, 'config.toml');
  const rc = path.join(root, '.bashrc');
  return { root, backups, config, rc };
}

const now = () => new Date('2026-05-06T07:08:09.000Z');

describe('safe write of one file', () => {
  it('writes, backs up the previous content and reports it', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    const plan = planTomlEdit(w.config, (doc) => doc.set(['model'], 'gpt-5'));
    const r = await commitWrite(plan, { backupDir: w.backups, now });
    expect(r).toMatchObject({ changed: true, created: false, text: 'model = "gpt-5"\n' });
    expect(readFileSync(w.config, 'utf8')).toBe('model = "gpt-5"\n');
    expect(r.backup?.name).toBe('2026-05-06T07-08-09-000Z-config.toml');
    expect(readFileSync(r.backup!.path, 'utf8')).toBe('model = "o3"\n');
    expect(listBackups(w.backups).map((b) => b.file)).toEqual([w.config]);
  });

  it('creates a missing file with the mode asked for, without a backup', async () => {
    const w = world();
    const r = await commitWrite(
      planTextEdit(w.rc, () => 'export K=1\n', { mode: 0o600 }),
      { backupDir: w.backups },
    );
    expect(r.created).toBe(true);
    expect(statSync(w.rc).mode & 0o777).toBe(0o600);
    expect(existsSync(w.backups)).toBe(false);
  });

  it('creates the missing directories of a new file (0700), and removes them again if the change fails', async () => {
    const w = world();
    const deep = path.join(w.root, 'home', '.codex', 'config.toml');
    await commitWrite(planTomlEdit(deep, (doc) => doc.set(['model'], 'o3')));
    expect(readFileSync(deep, 'utf8')).toBe('model = "o3"\n');
    expect(statSync(path.join(w.root, 'home')).mode & 0o777).toBe(0o700);

    const other = path.join(w.root, 'new-home', '.codex', 'config.toml');
    const failing: FsLayer = {
      ...realFs,
      renameSync: () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      },
    };
    await expect(
      commitWrite(
        planTextEdit(other, () => 'x\n'),
        { fs: failing },
      ),
    ).rejects.toThrow(FileError);
    expect(existsSync(path.join(w.root, 'new-home'))).toBe(false);
  });

  it('writes nothing (and backs up nothing) when the content does not change', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    const before = statSync(w.config).mtimeMs;
    const r = await commitWrite(
      planTomlEdit(w.config, (doc) => doc.set(['model'], 'o3')),
      { backupDir: w.backups },
    );
    expect(r.changed).toBe(false);
    expect(statSync(w.config).mtimeMs).toBe(before);
    expect(existsSync(w.backups)).toBe(false);
  });

  it('replays the edit on content that changed since it was read, when they do not conflict', async () => {
    const w = world();
    writeFileSync(w.config, '# mine\nmodel = "o3"\n');
    const plan = planTomlEdit(w.config, (doc) => doc.set(['model_provider'], 'portkey'));
    // Someone else edits another key between the plan (diff shown, question asked) and the commit.
    writeFileSync(w.config, '# mine\nmodel = "gpt-5"\n');
    const r = await commitWrite(plan, { backupDir: w.backups });
    expect(readFileSync(w.config, 'utf8')).toBe('# mine\nmodel = "gpt-5"\nmodel_provider = "portkey"\n');
    expect(readFileSync(r.backup!.path, 'utf8')).toBe('# mine\nmodel = "gpt-5"\n');
  });

  it('runs the edit again on newer content that changed the same key: the value asked for is written', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    const plan = planTomlEdit(w.config, (doc) => doc.set(['model'], 'gpt-5'));
    writeFileSync(w.config, '# added meanwhile\nmodel = "o4-mini"\n');
    const r = await commitWrite(plan, { backupDir: w.backups });
    expect(readFileSync(w.config, 'utf8')).toBe('# added meanwhile\nmodel = "gpt-5"\n');
    // The content it replaced, not the one the plan was made from, is the backup.
    expect(readFileSync(r.backup!.path, 'utf8')).toBe('# added meanwhile\nmodel = "o4-mini"\n');
  });

  it('refuses newer content that the edit itself refuses (the edit runs again, checks and all)', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    const plan = planTomlEdit(w.config, (doc) => {
      if (doc.get(['model_providers', 'p']) !== undefined)
        throw new FileError('p exists now', { file: w.config });
      doc.set(['model_providers', 'p'], { name: 'P' });
    });
    writeFileSync(w.config, 'model = "o3"\n\n[model_providers.p]\nname = "theirs"\n');
    await expect(commitWrite(plan, { backupDir: w.backups })).rejects.toThrow('p exists now');
    expect(readFileSync(w.config, 'utf8')).toBe('model = "o3"\n\n[model_providers.p]\nname = "theirs"\n');
    expect(existsSync(w.backups)).toBe(false);
  });

  it('refuses any change since the plan when the producer cannot rebase', async () => {
    const w = world();
    writeFileSync(w.rc, 'a\n');
    const plan = { ...planTextEdit(w.rc, (t) => `${t}b\n`), rebase: undefined };
    writeFileSync(w.rc, 'a\nz\n');
    await expect(commitWrite(plan)).rejects.toThrow(FileError);
    expect(readFileSync(w.rc, 'utf8')).toBe('a\nz\n');
  });

  it('refuses a file that is not valid TOML, saying where', () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n[broken\n');
    expect(() => planTomlEdit(w.config, (doc) => doc.set(['model'], 'x'))).toThrow(
      new RegExp(`^${w.config}:2:\\d+: invalid TOML`),
    );
  });

  it('editTextFile reads under the lock: plain text producers (rc files) use it too', async () => {
    const w = world();
    writeFileSync(w.rc, '\uFEFFexport A=1\r\n');
    await editTextFile(w.rc, (t) => `${t}export B=2\r\n`);
    expect(readFileSync(w.rc, 'utf8')).toBe('\uFEFFexport A=1\r\nexport B=2\r\n');
  });
});

describe('multi-file transaction', () => {
  it('writes every file, each with its backup', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    writeFileSync(w.rc, '# rc\n');
    const results = await commitWrites(
      [
        planTomlEdit(w.config, (doc) => doc.set(['model_provider'], 'p')),
        planTextEdit(w.rc, (t) => `${t}export P_KEY=x\n`, { mode: 0o600 }),
      ],
      { backupDir: w.backups, now },
    );
    expect(results.map((r) => r.changed)).toEqual([true, true]);
    expect(readFileSync(w.rc, 'utf8')).toBe('# rc\nexport P_KEY=x\n');
    expect(listBackups(w.backups)).toHaveLength(2);
  });

  it('replaces no file when a later new content cannot be written, and leaves no backups behind', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    const newFile = path.join(w.root, 'profile.config.toml');
    const failing: FsLayer = {
      ...realFs,
      writeSync: (fd, buf, off, len) => {
        if (Buffer.from(buf).toString('utf8').includes('export P_KEY')) {
          throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
        }
        return realFs.writeSync(fd, buf, off, len);
      },
    };
    writeFileSync(w.rc, '# rc\n');
    const err = await commitWrites(
      [
        planTomlEdit(w.config, (doc) => doc.set(['model_provider'], 'p')),
        planTomlEdit(newFile, (doc) => doc.set(['model'], 'x')),
        planTextEdit(w.rc, (t) => `${t}export P_KEY=x\n`),
      ],
      { backupDir: w.backups, fs: failing },
    ).catch((e: unknown) => e as FileError);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).message).toBe(`Could not write ${w.rc}: the disk is full.`);
    // Every new content is in a temp file before the first rename: nothing had to be put back.
    expect((err as FileError).hint).not.toContain('put back');
    expect(readFileSync(w.config, 'utf8')).toBe('model = "o3"\n');
    expect(existsSync(newFile)).toBe(false);
    expect(readFileSync(w.rc, 'utf8')).toBe('# rc\n');
    expect(listBackups(w.backups)).toEqual([]);
    expect(readdirSync(w.root).sort()).toEqual(['.bashrc', 'codex', 'config.toml']);
  });

  it('puts the renamed files back when a later rename fails', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    writeFileSync(w.rc, '# rc\n');
    const failing: FsLayer = {
      ...realFs,
      renameSync: (from, to) => {
        // config.toml is renamed last (after the rc file that holds the key).
        if (String(to) === w.config) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        realFs.renameSync(from, to);
      },
    };
    const err = await commitWrites(
      [
        planTomlEdit(w.config, (doc) => doc.set(['model_provider'], 'p')),
        planTextEdit(w.rc, (t) => `${t}export P_KEY=x\n`),
      ],
      { backupDir: w.backups, journalDir: w.root, fs: failing },
    ).catch((e: unknown) => e as FileError);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).hint).toContain(`put back the files it had already changed: ${w.rc}`);
    expect(readFileSync(w.config, 'utf8')).toBe('model = "o3"\n');
    expect(readFileSync(w.rc, 'utf8')).toBe('# rc\n');
    expect(listBackups(w.backups)).toEqual([]);
    expect(readdirSync(w.root).sort()).toEqual(['.bashrc', 'codex', 'config.toml']);
  });

  it('commits through a journal folder that does not exist yet, creating it', async () => {
    const w = world();
    const journalDir = path.join(w.root, 'not-yet', '.codex');
    const results = await commitWrites(
      [planTextEdit(w.config, () => 'model = "o3"\n'), planTextEdit(w.rc, () => 'export P_KEY=x\n')],
      { journalDir },
    );
    expect(results.map((r) => r.changed)).toEqual([true, true]);
    expect(readdirSync(journalDir)).toEqual([]); // the journal is gone once the change is whole
    expect(statSync(journalDir).mode & 0o777).toBe(0o700);
  });

  it('checks every file for conflicts before writing any', async () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    writeFileSync(w.rc, '# rc\n');
    const plans = [
      planTomlEdit(w.config, (doc) => doc.set(['model'], 'gpt-5')),
      { ...planTextEdit(w.rc, (t) => `${t}x\n`), rebase: undefined },
    ];
    writeFileSync(w.rc, '# rc changed\n');
    await expect(commitWrites(plans)).rejects.toThrow(`${w.rc} changed while codexgw was working on it.`);
    expect(readFileSync(w.config, 'utf8')).toBe('model = "o3"\n');
  });

  it('refuses to write one file twice in one change', async () => {
    const w = world();
    await expect(
      commitWrites([
        planTextEdit(w.rc, () => 'a'),
        planTextEdit(path.join(w.root, '.', '.bashrc'), () => 'b'),
      ]),
    ).rejects.toThrow(/writes .* twice/);
  });
});

describe('dry run', () => {
  it('shows a unified diff per file and writes nothing', () => {
    const w = world();
    writeFileSync(w.config, 'model = "o3"\n');
    const plans = [
      planTomlEdit(w.config, (doc) => doc.set(['model'], 'gpt-5')),
      planTextEdit(w.rc, () => 'export K=1\n'),
    ];
    expect(formatPlannedDiff(plans)).toBe(
      [
        `--- ${w.config}`,
        `+++ ${w.config}`,
        '@@ -1 +1 @@',
        '-model = "o3"',
        '+model = "gpt-5"',
        '--- /dev/null',
        `+++ ${w.rc}`,
        '@@ -0,0 +1 @@',
        '+export K=1',
        '',
      ].join('\n'),
    );
    expect(readFileSync(w.config, 'utf8')).toBe('model = "o3"\n');
    expect(existsSync(w.rc)).toBe(false);
    const coloured = formatPlannedDiff(plans, makePalette(1));
    expect(coloured).toContain('\u001b[31m-model = "o3"\u001b[39m');
    expect(coloured).toContain('\u001b[32m+model = "gpt-5"\u001b[39m');
  });
});
