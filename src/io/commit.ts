import { resolveCodexHome } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { backupDirOf } from './backup.ts';
import { commitWrites, type PlannedWrite, type WriteResult } from './safe-write.ts';

/**
 * Commit a command's planned writes as one change through the safe-write layer (locks, re-read
 * and rebase, backups under $CODEX_HOME/backups, atomic replace, missing folders created, roll
 * back on failure), with the backup folder and clock every command uses.
 */
export async function commitPlans(plans: readonly PlannedWrite[], ctx: Context): Promise<WriteResult[]> {
  if (plans.length === 0) return [];
  const home = resolveCodexHome(ctx.env, ctx.cwd).dir;
  return commitWrites(plans, {
    backupDir: backupDirOf(home),
    journalDir: home,
    now: ctx.now,
    hooks: ctx.writeHooks,
  });
}
