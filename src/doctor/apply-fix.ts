import { NEW_CONFIG_HEADER } from '../app/write-config.ts';
import type { FixOutcome } from '../checks/doctor/types.ts';
import { TomlDocument } from '../config/document.ts';
import type { Context } from '../context.ts';
import { CodexgwError } from '../errors.ts';
import { commitPlans } from '../io/commit.ts';
import type { PlannedWrite } from '../io/safe-write.ts';
import { readTextFile } from '../io/text-file.ts';
import type { FileFix, FixPlan } from './fixes.ts';

/**
 * `doctor --fix`, the writing half: every file the plan touches becomes one planned write (its
 * new text, then its edits), and all of them are committed as one transaction through the
 * safe-write layer (locks, re-read, rebase, backups, atomic replace, roll back): all or nothing.
 */

/** The planned writes of a fix plan; files it would leave as they are are left out. */
export function planFixWrites(plan: FixPlan): PlannedWrite[] {
  const out: PlannedWrite[] = [];
  for (const f of plan.files) {
    const before = readTextFile(f.file);
    const after = fixedText(f, before);
    if (after === (before ?? '')) continue;
    out.push({
      file: f.file,
      before,
      after,
      // Edits alone replay on newer content; a moved table's text was computed from what doctor read.
      rebase: f.text ? undefined : (current) => fixedText(f, current),
      mode: f.mode,
    });
  }
  return out;
}

function fixedText(f: FileFix, before: string | undefined): string {
  const bom = before?.charCodeAt(0) === 0xfeff ? '\uFEFF' : '';
  const start = f.text ? bom + f.text(stripBom(before) ?? '') : (before ?? '');
  const doc = TomlDocument.parse(start, f.file);
  for (const edit of f.edits) edit(doc);
  const text = doc.toString();
  // A profile file doctor creates starts as every new config file does (the #:schema line).
  return before === undefined && text !== '' ? NEW_CONFIG_HEADER + text : text;
}

function stripBom(text: string | undefined): string | undefined {
  return text?.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Commit the writes; the outcome says what was done, or why nothing was (no file changed then). */
export async function applyFixes(plan: FixPlan, writes: PlannedWrite[], ctx: Context): Promise<FixOutcome> {
  const outcome: FixOutcome = {
    moved: [],
    selectorRemoved: undefined,
    configFile: plan.legacy?.plan.configFile ?? '',
    backups: [],
    error: undefined,
    applied: [],
  };
  try {
    const results = await commitPlans(writes, ctx);
    for (const r of results) if (r.backup) outcome.backups.push(r.backup.name);
    if (plan.legacy) {
      for (const t of plan.legacy.tables) {
        const written = results.find((r) => r.file === t.target);
        outcome.moved.push({
          name: t.name,
          target: t.target!,
          keys: t.moves.length,
          alreadyThere: t.same.length,
          created: written?.created ?? false,
        });
      }
      outcome.selectorRemoved = plan.legacy.plan.selector?.name;
    }
    outcome.applied = plan.actions
      .filter((a) => a.kind !== 'legacy-profile')
      .map((a) => ({ summary: a.summary, file: a.file }));
  } catch (err) {
    if (!(err instanceof CodexgwError)) throw err;
    outcome.error = { message: err.message, hint: err.hint };
  }
  return outcome;
}
