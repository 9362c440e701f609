import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { resolveCodexHome } from '../config/paths.ts';
import type { Context } from '../context.ts';
import { fileErrorFrom } from '../errors.ts';
import type { Palette } from '../io/colors.ts';
import { unifiedDiff } from '../io/diff.ts';
import type { WriteResult } from '../io/safe-write.ts';
import { resolveTarget } from '../io/text-file.ts';
import { maskAssignments } from './mask.ts';
import type { PlannedEdit } from './plan.ts';

/**
 * Write planned edits through the safe-write layer as one change (locks, re-read and rebase,
 * backups under $CODEX_HOME/backups, atomic replace, roll back on failure). The directories a
 * new file needs (fish's conf.d, CODEX_HOME for the secrets file) are created first: the
 * write layer writes files, not directories. CODEX_HOME is created 0700.
 */
export async function applyEdits(edits: readonly PlannedEdit[], ctx: Context): Promise<WriteResult[]> {
  if (edits.length === 0) return [];
  const { backupDirOf } = await import('../io/backup.ts');
  const { commitWrites } = await import('../io/safe-write.ts');
  const codexHome = resolveCodexHome(ctx.env, ctx.cwd).dir;
  for (const e of edits) {
    const dir = path.dirname(resolveTarget(e.file));
    try {
      mkdirSync(dir, { recursive: true, mode: dir === codexHome ? 0o700 : 0o755 });
    } catch (err) {
      throw fileErrorFrom(err, e.file, 'create');
    }
  }
  return commitWrites(edits, { backupDir: backupDirOf(codexHome), now: ctx.now });
}

/**
 * The --dry-run output: a unified diff per file with every value masked, including the user's
 * own assignments that show up as context lines. When a value changes but both masks look the
 * same, the diff says so rather than showing nothing.
 */
export function formatEditsDiff(edits: readonly PlannedEdit[], color?: Palette): string {
  return edits
    .map((e) => {
      const from = e.before === undefined ? '/dev/null' : e.file;
      const diff = unifiedDiff(
        maskAssignments(e.before ?? '', e.syntax),
        maskAssignments(e.after, e.syntax),
        {
          fromLabel: from,
          toLabel: e.file,
          color,
        },
      );
      return diff !== ''
        ? diff
        : `--- ${from}\n+++ ${e.file}\n(a value changes; its masked form stays the same)\n`;
    })
    .join('');
}
