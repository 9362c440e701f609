import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { createBackup, findBackup, listBackups, pruneBackups, readBackup } from '../../src/io/backup.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const T0 = Date.parse('2026-03-04T05:06:07.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('backups', () => {
  it('saves the bytes (0600, in a 0700 directory) with where they came from', () => {
    const home = makeTempDir();
    const dir = path.join(home, 'backups');
    const b = createBackup(dir, '/home/me/.codex/config.toml', Buffer.from('model = "o3"\n'), {
      now: at(0),
      mode: 0o644,
    });
    expect(b.name).toBe('2026-03-04T05-06-07-000Z-config.toml');
    expect(readFileSync(b.path, 'utf8')).toBe('model = "o3"\n');
    expect(statSync(b.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(listBackups(dir)).toEqual([
      {
        name: b.name,
        file: '/home/me/.codex/config.toml',
        createdAt: '2026-03-04T05:06:07.000Z',
        size: 13,
        mode: 0o644,
        path: b.path,
      },
    ]);
    expect(readBackup(b).toString()).toBe('model = "o3"\n');
  });

  it('lists newest first, and names two backups of the same instant apart', () => {
    const dir = path.join(makeTempDir(), 'backups');
    createBackup(dir, '/a/config.toml', Buffer.from('1'), { now: at(0) });
    createBackup(dir, '/a/config.toml', Buffer.from('2'), { now: at(5) });
    createBackup(dir, '/a/.bashrc', Buffer.from('3'), { now: at(5) });
    createBackup(dir, '/a/config.toml', Buffer.from('4'), { now: at(5) });
    const names = listBackups(dir).map((b) => b.name);
    expect(names).toEqual([
      '2026-03-04T05-06-12-000Z-2-config.toml',
      '2026-03-04T05-06-12-000Z-config.toml',
      '2026-03-04T05-06-12-000Z-.bashrc',
      '2026-03-04T05-06-07-000Z-config.toml',
    ]);
    // Same instant: the one taken later comes first.
    expect(listBackups(dir).map((b) => readBackup(b).toString())).toEqual(['4', '2', '3', '1']);
  });

  it('keeps the newest 20 of each file and leaves other files alone', () => {
    const dir = path.join(makeTempDir(), 'backups');
    createBackup(dir, '/a/.zshrc', Buffer.from('rc'), { now: at(0) });
    for (let i = 1; i <= 25; i++) createBackup(dir, '/a/config.toml', Buffer.from(`v${i}`), { now: at(i) });
    const config = listBackups(dir).filter((b) => b.file === '/a/config.toml');
    expect(config).toHaveLength(20);
    expect(config.map((b) => readBackup(b).toString())).toEqual(
      Array.from({ length: 20 }, (_, i) => `v${25 - i}`),
    );
    expect(listBackups(dir).filter((b) => b.file === '/a/.zshrc')).toHaveLength(1);
    expect(readdirSync(dir)).toHaveLength(2 * 21); // content + sidecar each
    pruneBackups(dir, '/a/config.toml', 3);
    expect(listBackups(dir).filter((b) => b.file === '/a/config.toml')).toHaveLength(3);
  });

  it('ignores files that are not complete backups', () => {
    const dir = path.join(makeTempDir(), 'backups');
    createBackup(dir, '/a/config.toml', Buffer.from('1'), { now: at(0) });
    writeFileSync(path.join(dir, 'orphan-config.toml'), 'no sidecar');
    writeFileSync(path.join(dir, 'broken.toml'), 'x');
    writeFileSync(path.join(dir, 'broken.toml.json'), '{not json');
    expect(listBackups(dir)).toHaveLength(1);
    expect(listBackups(path.join(dir, 'missing'))).toEqual([]);
  });

  it('finds a backup by name or by a unique prefix, and explains the misses', () => {
    const dir = path.join(makeTempDir(), 'backups');
    const a = createBackup(dir, '/a/config.toml', Buffer.from('1'), { now: at(0) });
    createBackup(dir, '/a/config.toml', Buffer.from('2'), { now: at(60) });
    expect(findBackup(dir, a.name).name).toBe(a.name);
    expect(findBackup(dir, '2026-03-04T05-06-07').name).toBe(a.name);
    expect(() => findBackup(dir, '2026-03-04')).toThrow(/matches 2 backups/);
    expect(() => findBackup(dir, 'nope')).toThrow(UserError);
  });
});
