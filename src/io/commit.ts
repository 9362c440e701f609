import { statSync } from 'node:fs';
import { resolveCodexHome } from '../config/paths.ts';
import { type Context, tilde } from '../context.ts';
import { CancelledError, FileError } from '../errors.ts';
import { backupDirOf } from './backup.ts';
import { askConfirm } from './prompts.ts';
import { commitWrites, type PlannedWrite, type WriteResult } from './safe-write.ts';

/**
 * Commit a command's planned writes as one change through the safe-write layer (locks, re-read
 * and rebase, backups under $CODEX_HOME/backups, atomic replace, missing folders created, roll
 * back on failure, a redo journal in $CODEX_HOME for a change of several files), with the
 * backup folder and clock every command uses. A read-only file is replaced only when the user
 * says so at a prompt.
 */
export async function commitPlans(plans: readonly PlannedWrite[], ctx: Context): Promise<WriteResult[]> {
  if (plans.length === 0) return [];
  await confirmReadOnly(plans, ctx);
  const home = resolveCodexHome(ctx.env, ctx.cwd).dir;
  return commitWrites(plans, {
    backupDir: backupDirOf(home),
    journalDir: home,
    now: ctx.now,
    hooks: ctx.writeHooks,
  });
}

/**
 * A file without write permission (chmod 444) was made so on purpose: ask before replacing it,
 * and without a terminal to ask on, refuse.
 */
async function confirmReadOnly(plans: readonly PlannedWrite[], ctx: Context): Promise<void> {
  for (const plan of plans) {
    if (plan.before === undefined || plan.before === plan.after) continue;
    let mode: number;
    try {
      mode = statSync(plan.file).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o200) !== 0) continue;
    const shown = tilde(plan.file, ctx);
    const octal = mode.toString(8).padStart(4, '0');
    if (!ctx.interactive) {
      throw new FileError(
        `${shown} is read-only (mode ${octal}); codexgw does not replace it without asking.`,
        {
          file: plan.file,
          hint: `Make it writable first (chmod u+w ${shown}), or run the command in a terminal to be asked. Nothing was written.`,
        },
      );
    }
    const replace = await askConfirm(ctx, {
      message: `${shown} is read-only (mode ${octal}). Replace it anyway (it stays read-only)?`,
      flag: `chmod u+w ${shown}`,
      default: false,
    });
    if (!replace) throw new CancelledError();
  }
}
