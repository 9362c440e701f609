import type { Context } from '../context.ts';
import type { Palette } from '../io/colors.ts';
import { commitPlans } from '../io/commit.ts';
import { unifiedDiff } from '../io/diff.ts';
import type { WriteResult } from '../io/safe-write.ts';
import { maskAssignments } from './mask.ts';
import type { PlannedEdit } from './plan.ts';

/** Write planned rc/secrets edits as one change (see commitPlans: dirs created, backups, rollback). */
export async function applyEdits(edits: readonly PlannedEdit[], ctx: Context): Promise<WriteResult[]> {
  return commitPlans(edits, ctx);
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
