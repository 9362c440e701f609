import type { LegacyPlan, LegacyTablePlan } from '../checks/doctor/migrate.ts';
import type { FixOutcome } from '../checks/doctor/types.ts';
import { isTable } from '../config/overrides.ts';
import { tomlValueEquals } from '../config/toml-format.ts';
import type { Context } from '../context.ts';
import { CodexgwError, FileError } from '../errors.ts';
import { backupDirOf } from '../io/backup.ts';
import { commitWrites } from '../io/safe-write.ts';
import { planTomlEdit } from '../io/toml-file.ts';

/** A table `--fix` touches: it has something to move or something already in the profile file. */
const migratable = (t: LegacyTablePlan) => !t.blocked && (t.moves.length > 0 || t.same.length > 0);

/**
 * `doctor --fix`: carry out the legacy-profile plan in one transaction through the safe-write
 * layer (locks, re-read, atomic replace, backups): write the moved keys into each profile file,
 * then remove the selector and the moved keys (the whole table when nothing conflicts) from
 * config.toml. A conflicting key stays where it is. If anything fails, no file changes.
 */
export async function applyLegacyFix(plan: LegacyPlan, homeDir: string, ctx: Context): Promise<FixOutcome> {
  const tables = plan.tables.filter(migratable);
  const outcome: FixOutcome = {
    moved: [],
    selectorRemoved: undefined,
    configFile: plan.configFile,
    backups: [],
    error: undefined,
  };
  try {
    const writes = tables
      .filter((t) => t.moves.length > 0)
      .map((t) =>
        planTomlEdit(
          t.target!,
          (doc) => {
            for (const m of t.moves) {
              const now = doc.get(m.path);
              // The file may have changed since doctor read it: never overwrite what is there now.
              if (now !== undefined && !tomlValueEquals(now, m.value)) {
                throw new FileError(`${t.target} changed while doctor was running (${m.path.join('.')}).`, {
                  file: t.target,
                  hint: 'Nothing was written. Run `codexgw doctor --fix` again.',
                });
              }
              if (now === undefined) doc.set(m.path, m.value);
            }
          },
          { mode: 0o600 },
        ),
      );
    writes.push(
      planTomlEdit(plan.configFile, (doc) => {
        if (plan.selector) doc.delete(['profile']);
        for (const t of tables) removeMoved(doc, t);
        const profiles = doc.get(['profiles']);
        if (isTable(profiles) && Object.keys(profiles).length === 0) doc.delete(['profiles']);
      }),
    );
    const results = await commitWrites(writes, { backupDir: backupDirOf(homeDir), now: ctx.now });
    for (const r of results) if (r.backup) outcome.backups.push(r.backup.name);
    for (const t of tables) {
      const written = results.find((r) => r.file === t.target);
      outcome.moved.push({
        name: t.name,
        target: t.target!,
        keys: t.moves.length,
        alreadyThere: t.same.length,
        created: written?.created ?? false,
      });
    }
    outcome.selectorRemoved = plan.selector?.name;
  } catch (err) {
    if (!(err instanceof CodexgwError)) throw err;
    outcome.error = { message: err.message, hint: err.hint };
  }
  return outcome;
}

type Doc = { get(path: readonly string[]): unknown; delete(path: readonly string[]): boolean };

/** Remove what was moved: the whole table, or (with conflicts left) the moved leaves and the tables they empty. */
function removeMoved(doc: Doc, t: LegacyTablePlan): void {
  const base = ['profiles', t.name];
  if (t.conflicts.length === 0) {
    doc.delete(base);
    return;
  }
  for (const p of [...t.moves.map((m) => m.path), ...t.same]) {
    doc.delete([...base, ...p]);
    for (let n = p.length - 1; n > 0; n--) {
      const parent = [...base, ...p.slice(0, n)];
      const v = doc.get(parent);
      if (!isTable(v) || Object.keys(v).length > 0) break;
      doc.delete(parent);
    }
  }
}
