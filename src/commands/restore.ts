import {
  type CommandOutcome,
  DRY_RUN,
  defineSpec,
  JSON_OUTPUT,
  type OptionsOf,
  outcome,
} from '../command-spec.ts';
import { resolveCodexHome } from '../config/paths.ts';
import { decodeText } from '../config/source.ts';
import { type Context, println, tilde } from '../context.ts';
import { EXIT, UsageError, UserError } from '../errors.ts';
import { type BackupEntry, backupDirOf, findBackup, listBackups, readBackup } from '../io/backup.ts';
import { commitWrite, formatPlannedDiff, type PlannedWrite } from '../io/safe-write.ts';
import { readTextFile } from '../io/text-file.ts';

export const spec = defineSpec({
  summary: 'restore a config file from a codexgw backup ($CODEX_HOME/backups)',
  args: [{ name: 'backup' }],
  options: {
    list: { kind: 'flag', description: 'list the backups, newest first' },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: [
    'codexgw restore --list',
    'codexgw restore            # the newest backup',
    'codexgw restore <name> --dry-run',
  ],
});

/**
 * `codexgw restore [--list] [<backup>] [--dry-run]`: put a file back as a backup has it. The
 * restore is itself a safe write, so the content it replaces becomes the newest backup, and
 * running `codexgw restore` again undoes it.
 */
/** `restore --json`: the backups (--list), or the file put back and the backup of what it replaced. */
export type RestoreResult =
  | { backups: { name: string; file: string; createdAt: string; size: number }[] }
  | {
      file: string;
      backup: string;
      changed: boolean;
      dryRun: boolean;
      replacedBackup: string | null;
      diff: string;
    };

export async function run(
  options: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<RestoreResult>> {
  const dir = backupDirOf(resolveCodexHome(ctx.env, ctx.cwd).dir);
  const name = options.backup;
  if (options.list) {
    if (name !== undefined) {
      throw new UsageError('restore --list takes no backup name.', {
        hint: 'Run codexgw restore --list to see the backups, then codexgw restore <name>.',
      });
    }
    const all = listBackups(dir);
    if (options.json) {
      return outcome({
        backups: all.map((b) => ({ name: b.name, file: b.file, createdAt: b.createdAt, size: b.size })),
      });
    }
    printList(all, dir, ctx);
    return EXIT.ok;
  }

  const backups = listBackups(dir);
  if (backups.length === 0) {
    throw new UserError(`There are no backups in ${dir}.`, {
      hint: 'codexgw takes a backup each time it changes a file; it has not changed any file yet.',
    });
  }
  const entry = name === undefined ? backups[0]! : findBackup(dir, name);
  const text = decodeText(readBackup(entry), entry.path);
  const plan: PlannedWrite = {
    file: entry.file,
    before: readTextFile(entry.file),
    after: text,
    // Restoring means "make it this content", whatever happened to the file meanwhile.
    rebase: () => text,
    mode: entry.mode,
  };
  const c = ctx.color;
  const json = (changed: boolean, replacedBackup: string | null) =>
    outcome({
      file: entry.file,
      backup: entry.name,
      changed,
      dryRun: Boolean(options.dryRun),
      replacedBackup,
      diff: formatPlannedDiff([plan]),
    });
  if (plan.before === text) {
    if (options.json) return json(false, null);
    println(ctx.stderr, `${entry.file} already has the content of backup ${entry.name}; nothing to do.`);
    return EXIT.ok;
  }
  if (options.dryRun) {
    if (options.json) return json(true, null);
    ctx.stdout.write(formatPlannedDiff([plan], c));
    println(ctx.stderr, c.dim(`Dry run: ${entry.file} was not changed.`));
    return EXIT.ok;
  }
  const result = await commitWrite(plan, { backupDir: dir, now: ctx.now });
  if (options.json) return json(true, result.backup?.name ?? null);
  // Status goes to stderr, like every command that writes; stdout stays for data (lists, diffs).
  const e = ctx.errColor;
  println(
    ctx.stderr,
    `${e.ok('Restored')} ${entry.file} from backup ${e.bold(entry.name)} (taken ${entry.createdAt}).`,
  );
  if (result.backup) {
    println(
      ctx.stderr,
      `The content it replaced is backup ${e.bold(result.backup.name)}; undo with: codexgw restore ${result.backup.name}`,
    );
  }
  return EXIT.ok;
}

function printList(backups: BackupEntry[], dir: string, ctx: Context): void {
  if (backups.length === 0) {
    println(ctx.stdout, `No backups in ${dir}.`);
    return;
  }
  const rows = backups.map((b) => [b.name, tilde(b.file, ctx), b.createdAt, `${b.size} B`]);
  const head = ['NAME', 'FILE', 'TIME', 'SIZE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  println(ctx.stdout, ctx.color.bold(line(head)));
  for (const r of rows) println(ctx.stdout, line(r));
}
