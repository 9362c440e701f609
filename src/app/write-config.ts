import { checkConfigFile } from '../checks/validate.ts';
import type { TomlDocument } from '../config/document.ts';
import { type CodexHome, profileConfigPath, resolveCodexHome, userConfigPath } from '../config/paths.ts';
import { type ConfigSource, parsedSourceOf, parseToml } from '../config/source.ts';
import { type Context, println, tilde } from '../context.ts';
import { commitPlans } from '../io/commit.ts';
import { formatPlannedDiff, type PlannedWrite, type WriteResult } from '../io/safe-write.ts';
import { type PlannedTomlWrite, planTomlEdit } from '../io/toml-file.ts';

/**
 * How a config or profile file codexgw creates begins: Codex's docs recommend this line, which
 * lets editors (Even Better TOML, …) validate and complete the file against Codex's published
 * schema. An existing file is never given one.
 */
export const NEW_CONFIG_HEADER = '#:schema https://developers.openai.com/codex/config-schema.json\n';

/** The one config file a switch or an edit goes to: the user config, or a profile file. */
export interface ConfigTarget {
  home: CodexHome;
  file: string;
  profile: string | undefined;
  /** "~/.codex/config.toml" or "profile work (~/.codex/work.config.toml)", for messages. */
  label: string;
}

export function configTarget(ctx: Context, profile: string | undefined): ConfigTarget {
  const home = resolveCodexHome(ctx.env, ctx.cwd);
  const file = profile !== undefined ? profileConfigPath(home, profile) : userConfigPath(home);
  const short = tilde(file, ctx);
  return { home, file, profile, label: profile ? `profile "${profile}" (${short})` : short };
}

/**
 * Plan an edit of the target file; invalid TOML is refused with file:line:col (FileError). If the
 * file changes before the commit, the edit runs again on the new content (planTomlEdit's policy).
 * A file that does not exist yet starts with NEW_CONFIG_HEADER.
 */
export function planConfigEdit(target: ConfigTarget, edit: (doc: TomlDocument) => void): PlannedTomlWrite {
  return planTomlEdit(target.file, edit, { newFile: NEW_CONFIG_HEADER });
}

/**
 * Show (dry run) or commit planned writes. A file that Codex would reject for a reason codexgw did
 * not cause is still edited, with a note naming the problem. Returns undefined for a dry run.
 */
export async function applyPlans(
  plans: readonly PlannedWrite[],
  ctx: Context,
  dryRun: boolean | undefined,
  /** Files the command already parsed (its loaded layers), so they are not parsed again. */
  parsed: readonly (ConfigSource | undefined)[] = [],
): Promise<WriteResult[] | undefined> {
  for (const plan of plans) warnAboutExistingProblems(plan, ctx, parsed);
  if (dryRun) {
    ctx.stdout.write(formatPlannedDiff(plans, ctx.color));
    println(ctx.stderr, ctx.errColor.dim('Dry run: nothing was written.'));
    return undefined;
  }
  const results = await commitPlans(plans, ctx);
  for (const r of results) {
    if (!r.changed) continue;
    const backup = r.backup
      ? ctx.errColor.dim(` (previous version saved; undo with \`codexgw restore ${r.backup.name}\`)`)
      : '';
    println(ctx.stderr, `${r.created ? 'Created' : 'Updated'} ${tilde(r.file, ctx)}${backup}`);
  }
  return results;
}

function warnAboutExistingProblems(
  plan: PlannedWrite,
  ctx: Context,
  parsed: readonly (ConfigSource | undefined)[],
): void {
  if (!plan.file.endsWith('.toml') || plan.before === undefined) return;
  let value = parsedSourceOf(parsed, plan.file, plan.before)?.value;
  try {
    value ??= parseToml(plan.before, plan.file, { bigint: true });
  } catch {
    return;
  }
  const errors = checkConfigFile({
    kind: 'user',
    file: plan.file,
    source: { file: plan.file, exists: true, text: plan.before, hasBom: false, value },
  }).filter((f) => f.severity === 'error' && f.id !== 'unknown-model-provider');
  for (const f of errors) {
    println(
      ctx.stderr,
      `${ctx.errColor.warn('note:')} ${tilde(plan.file, ctx)}:${f.line ?? '?'} already has a problem Codex rejects: ${f.message} ${ctx.errColor.dim(`(fix: ${f.fix ?? 'see codexgw validate'})`)}`,
    );
  }
}

/** What a write command did to its files, as its JSON result carries it. */
export interface WriteReport {
  dryRun: boolean;
  /** Every file the change touches (a dry run: would touch). */
  files: { file: string; changed: boolean; created: boolean; backup: string | null }[];
  /** The unified diff (no colour) of the change. */
  diff: string;
}

/**
 * applyPlans for a command that may print JSON: with `json`, nothing is printed (the diff and the
 * backups are in the report, which the command prints); else as applyPlans.
 */
export async function applyPlansReport(
  plans: readonly PlannedWrite[],
  ctx: Context,
  opts: {
    dryRun?: boolean | undefined;
    json?: boolean | undefined;
    parsed?: readonly (ConfigSource | undefined)[];
  },
): Promise<WriteReport> {
  const diff = formatPlannedDiff(plans);
  const dryRun = Boolean(opts.dryRun);
  const planned = plans.map((p) => ({
    file: p.file,
    changed: p.after !== (p.before ?? ''),
    created: p.before === undefined,
    backup: null as string | null,
  }));
  if (!opts.json) {
    const results = await applyPlans(plans, ctx, dryRun, opts.parsed);
    return { dryRun, files: results ? results.map(fromResult) : planned, diff };
  }
  if (dryRun) return { dryRun, files: planned, diff };
  const results = await commitPlans(plans, ctx);
  return { dryRun, files: results.map(fromResult), diff };
}

function fromResult(r: WriteResult): WriteReport['files'][number] {
  return { file: r.file, changed: r.changed, created: r.created, backup: r.backup?.name ?? null };
}
