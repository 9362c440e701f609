import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { run } from '../../src/commands/restore.ts';
import { FileError, UsageError, UserError } from '../../src/errors.ts';
import { backupDirOf, listBackups } from '../../src/io/backup.ts';
import { editTomlFile } from '../../src/io/toml-file.ts';
import { captureContext, makeTempDir } from '../helpers/tmp.ts';

/** A temp CODEX_HOME with a config that codexgw changed twice (so there are two backups). */
async function world() {
  const root = makeTempDir();
  const codexHome = path.join(root, 'codex-home');
  mkdirSync(codexHome);
  const config = path.join(codexHome, 'config.toml');
  writeFileSync(config, '# mine\nmodel = "o3"\n');
  const backupDir = backupDirOf(codexHome);
  const clock = (s: number) => () => new Date(Date.UTC(2026, 0, 2, 3, 4, s));
  await editTomlFile(config, (d) => d.set(['model'], 'gpt-5'), { backupDir, now: clock(1) });
  await editTomlFile(config, (d) => d.set(['model_provider'], 'portkey'), { backupDir, now: clock(2) });
  const env = { HOME: root, CODEX_HOME: codexHome };
  const ctx = (s = 10) => captureContext({ env, cwd: root, now: clock(s) });
  return { root, codexHome, config, backupDir, ctx };
}

describe('codexgw restore', () => {
  it('--list shows the backups newest first: name, original file, time, size', async () => {
    const w = await world();
    const c = w.ctx();
    expect(await run({ list: true }, c.ctx)).toBe(0);
    expect(c.out()).toBe(
      [
        'NAME                                  FILE                      TIME                      SIZE',
        '2026-01-02T03-04-02-000Z-config.toml  ~/codex-home/config.toml  2026-01-02T03:04:02.000Z  23 B',
        '2026-01-02T03-04-01-000Z-config.toml  ~/codex-home/config.toml  2026-01-02T03:04:01.000Z  20 B',
        '',
      ].join('\n'),
    );
  });

  it('--list says so when there are none', async () => {
    const root = makeTempDir();
    const c = captureContext({ env: { HOME: root, CODEX_HOME: root }, cwd: root });
    expect(await run({ list: true }, c.ctx)).toBe(0);
    expect(c.out()).toBe(`No backups in ${path.join(root, 'backups')}.\n`);
  });

  it('restores the newest backup through a safe write, which is itself backed up (and undoable)', async () => {
    const w = await world();
    const c = w.ctx();
    expect(await run({}, c.ctx)).toBe(0);
    expect(readFileSync(w.config, 'utf8')).toBe('# mine\nmodel = "gpt-5"\n');
    expect(c.out()).toBe('');
    expect(c.err()).toBe(
      [
        `Restored ${w.config} from backup 2026-01-02T03-04-02-000Z-config.toml (taken 2026-01-02T03:04:02.000Z).`,
        'The content it replaced is backup 2026-01-02T03-04-10-000Z-config.toml; undo with: codexgw restore 2026-01-02T03-04-10-000Z-config.toml',
        '',
      ].join('\n'),
    );
    const undo = w.ctx(11);
    expect(await run({ backup: '2026-01-02T03-04-10' }, undo.ctx)).toBe(0);
    expect(readFileSync(w.config, 'utf8')).toBe('# mine\nmodel = "gpt-5"\nmodel_provider = "portkey"\n');
    expect(listBackups(w.backupDir)).toHaveLength(4);
  });

  it('restores a named backup', async () => {
    const w = await world();
    const c = w.ctx();
    expect(await run({ backup: '2026-01-02T03-04-01-000Z-config.toml' }, c.ctx)).toBe(0);
    expect(readFileSync(w.config, 'utf8')).toBe('# mine\nmodel = "o3"\n');
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const w = await world();
    const c = w.ctx();
    expect(await run({ dryRun: true, backup: '2026-01-02T03-04-01' }, c.ctx)).toBe(0);
    expect(c.out()).toBe(
      [
        `--- ${w.config}`,
        `+++ ${w.config}`,
        '@@ -1,3 +1,2 @@',
        ' # mine',
        '-model = "gpt-5"',
        '-model_provider = "portkey"',
        '+model = "o3"',
        '',
      ].join('\n'),
    );
    expect(c.err()).toContain('Dry run');
    expect(readFileSync(w.config, 'utf8')).toBe('# mine\nmodel = "gpt-5"\nmodel_provider = "portkey"\n');
    expect(listBackups(w.backupDir)).toHaveLength(2);
  });

  it('says so when the file already has that content', async () => {
    const w = await world();
    await run({ backup: '2026-01-02T03-04-02' }, w.ctx().ctx);
    const c = w.ctx(20);
    expect(await run({ backup: '2026-01-02T03-04-02' }, c.ctx)).toBe(0);
    expect(c.err()).toContain('already has the content of backup');
  });

  it('recreates a deleted file with its mode, and writes through a symlink', async () => {
    const w = await world();
    const dotfiles = path.join(w.root, 'dotfiles');
    mkdirSync(dotfiles);
    const real = path.join(dotfiles, 'codex.toml');
    writeFileSync(real, 'a = 1\n');
    const link = path.join(w.codexHome, 'work.config.toml');
    symlinkSync(real, link);
    await editTomlFile(link, (d) => d.set(['a'], 2), {
      backupDir: w.backupDir,
      now: () => new Date(Date.UTC(2026, 0, 3)),
    });
    expect(await run({}, w.ctx().ctx)).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('a = 1\n');

    const configMode = statSync(w.config).mode & 0o777;
    rmSync(w.config);
    expect(await run({ backup: '2026-01-02T03-04-02' }, w.ctx(30).ctx)).toBe(0);
    expect(readFileSync(w.config, 'utf8')).toBe('# mine\nmodel = "gpt-5"\n');
    expect(statSync(w.config).mode & 0o777).toBe(configMode);
  });

  it('explains the errors: no backups, unknown name, a name with --list, a missing CODEX_HOME', async () => {
    const root = makeTempDir();
    const empty = captureContext({ env: { HOME: root, CODEX_HOME: root }, cwd: root });
    await expect(run({}, empty.ctx)).rejects.toThrow(UserError);
    await expect(run({}, empty.ctx)).rejects.toThrow(/There are no backups/);
    const w = await world();
    await expect(run({ backup: 'nope' }, w.ctx().ctx)).rejects.toThrow(/no backup named "nope"/);
    await expect(run({ list: true, backup: 'x' }, w.ctx().ctx)).rejects.toThrow(UsageError);
    const gone = captureContext({ env: { CODEX_HOME: path.join(root, 'missing') }, cwd: root });
    await expect(run({ list: true }, gone.ctx)).rejects.toThrow(FileError);
  });

  it('is wired into the CLI: flags and the backup name reach the command, errors reach the sink', async () => {
    const w = await world();
    const list = w.ctx();
    expect(await main(['restore', '--list'], list.ctx)).toBe(0);
    expect(list.out()).toContain('2026-01-02T03-04-01-000Z-config.toml');
    const dry = w.ctx();
    expect(await main(['restore', '2026-01-02T03-04-01', '--dry-run'], dry.ctx)).toBe(0);
    expect(dry.out()).toContain('+model = "o3"');
    const missing = w.ctx();
    expect(await main(['restore', 'nope'], missing.ctx)).toBe(1);
    expect(missing.err()).toContain('no backup named "nope"');
    expect(missing.err()).toContain('codexgw restore --list');
  });
});
