import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { resolveCodexHome } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { fileErrorFrom } from '../errors.ts';
import { backupDirOf } from './backup.ts';
import { commitWrites, type PlannedWrite, type WriteResult } from './safe-write.ts';
import { resolveTarget } from './text-file.ts';

/**
 * Commit planned writes as one change through the safe-write layer (locks, re-read and rebase,
 * backups under $CODEX_HOME/backups, atomic replace, roll back on failure). The directories new
 * files need (CODEX_HOME itself on a first run, fish's conf.d) are created first, CODEX_HOME 0700:
 * the write layer writes files, not directories.
 */
export async function commitPlans(plans: readonly PlannedWrite[], ctx: Context): Promise<WriteResult[]> {
  if (plans.length === 0) return [];
  const codexHome = resolveCodexHome(ctx.env, ctx.cwd).dir;
  for (const p of plans) {
    const dir = path.dirname(resolveTarget(p.file));
    try {
      mkdirSync(dir, { recursive: true, mode: dir === codexHome ? 0o700 : 0o755 });
    } catch (err) {
      throw fileErrorFrom(err, p.file, 'create');
    }
  }
  return commitWrites(plans, { backupDir: backupDirOf(codexHome), now: ctx.now });
}
