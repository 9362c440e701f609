import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../src/io/backup.ts';
import { editTomlFile } from '../../src/io/toml-file.ts';
import { buildIoChild, runIoChild } from '../helpers/io-child-build.ts';
import { makeTempDir } from '../helpers/tmp.ts';

/**
 * Concurrent codexgw runs on one file take turns through the lock; each run re-reads under the
 * lock, so no edit is lost, and the rest of the file (comments, layout) stays intact.
 */

const HEAD = [
  '# My Codex config — keep this comment',
  'model = "o3"',
  '',
  '# Portkey, the gateway',
  '[model_providers.portkey]',
  'name = "Portkey"',
  'base_url = "https://api.portkey.ai/v1"   # aligned comment',
  '',
].join('\n');

function setup(): { dir: string; file: string; backups: string } {
  const dir = makeTempDir();
  const file = path.join(dir, 'config.toml');
  writeFileSync(file, HEAD);
  return { dir, file, backups: path.join(dir, 'backups') };
}

function check(
  file: string,
  writers: number,
  times: number,
  key: 'writers' | 'planned',
): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  // Everything that was there is untouched (the counter goes after the top-level `model` line).
  expect(text.replace(/^counter = \d+\n/m, '').startsWith(HEAD)).toBe(true);
  const value = parse(text) as Record<string, Record<string, unknown>>;
  expect(value.model_providers).toEqual({
    portkey: { name: 'Portkey', base_url: 'https://api.portkey.ai/v1' },
  });
  const prefix = key === 'writers' ? 'writer_' : 'plan_';
  expect(value[key]).toEqual(
    Object.fromEntries(Array.from({ length: writers }, (_, i) => [`${prefix}${i}`, times])),
  );
  return value;
}

describe('concurrent writers', () => {
  let child = '';
  beforeAll(async () => {
    child = await buildIoChild();
  });

  it('20 concurrent in-process edits: none is lost', async () => {
    const { file, backups } = setup();
    const times = 3;
    await Promise.all(
      Array.from({ length: 20 }, async (_, id) => {
        for (let n = 1; n <= times; n++) {
          await editTomlFile(
            file,
            (doc) => {
              const c = doc.get(['counter']);
              doc.set(['counter'], (typeof c === 'number' ? c : 0) + 1);
              doc.set(['writers', `writer_${id}`], n);
            },
            { backupDir: backups },
          );
        }
      }),
    );
    expect(check(file, 20, times, 'writers').counter).toBe(20 * times);
    expect(listBackups(backups)).toHaveLength(20); // 60 writes, the newest 20 backups kept
  });

  it('20 child processes alternating read-modify-write edits: the counter counts every one', async () => {
    const { dir, file, backups } = setup();
    const times = 3;
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, id) =>
        runIoChild(child, { op: 'count', file, id, times, backupDir: backups }),
      ),
    );
    for (const r of runs) expect(r.result).toEqual({ ok: true });
    expect(check(file, 20, times, 'writers').counter).toBe(20 * times);
    expect(readdirSync(dir).sort()).toEqual(['backups', 'config.toml']); // no temp or lock file left
  });

  it('20 child processes committing planned edits of their own keys: each is replayed onto the others', async () => {
    const { file, backups } = setup();
    const times = 2;
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, id) =>
        runIoChild(child, { op: 'plan', file, id, times, backupDir: backups }),
      ),
    );
    for (const r of runs) expect(r.result).toEqual({ ok: true });
    check(file, 20, times, 'planned');
  });
});
