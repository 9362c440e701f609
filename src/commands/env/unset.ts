import {
  type CommandOutcome,
  DRY_RUN,
  defineSpec,
  JSON_OUTPUT,
  type OptionsOf,
  outcome,
} from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { applyEdits, formatEditsDiff } from '../../shell/apply.ts';
import { planUnset } from '../../shell/plan.ts';
import { findConflicts, readEnvState } from '../../shell/state.ts';
import { ENV_TARGET, type EnvEditResult, targetOf, VAR_ARG, varArg } from './shared.ts';

export const spec = defineSpec({
  summary: 'remove VAR from the managed block',
  args: [VAR_ARG],
  options: { ...ENV_TARGET, dryRun: DRY_RUN, json: JSON_OUTPUT },
  examples: ['codexgw env unset PORTKEY_API_KEY', 'codexgw env unset TFY_API_KEY --shell fish --dry-run'],
});

/** `codexgw env unset VAR [--dry-run]`: exit 1 when VAR is not in the block. */
export async function run(
  opts: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<EnvEditResult>> {
  const name = varArg(opts);
  const state = readEnvState(targetOf(opts, ctx));
  const plan = planUnset(state, name);
  const files = plan.edits.map((e) => e.file).join(' and ');
  if (opts.dryRun) {
    if (!opts.json) ctx.stdout.write(formatEditsDiff(plan.edits, ctx.color));
    println(ctx.stderr, `Dry run: would remove ${name} from ${files}. Nothing was written.`);
  } else {
    await applyEdits(plan.edits, ctx);
    println(ctx.stderr, `${ctx.errColor.ok('Removed')} ${name} from ${files}.`);
  }
  const c = ctx.errColor;
  for (const other of findConflicts(state, [name])) {
    println(
      ctx.stderr,
      `${c.warn('note:')} ${name} is still set at ${other.file}:${other.line}, outside the codexgw block.`,
    );
  }
  if (ctx.env[name] !== undefined && !opts.dryRun) {
    println(
      ctx.stderr,
      `This shell still has ${name}; new terminals will not. To drop it here: unset ${name}`,
    );
  }
  if (opts.json) {
    const { shell, rcFile } = state.target;
    return outcome({
      vars: [name],
      shell,
      rcFile,
      files: plan.edits.map((e) => e.file),
      dryRun: Boolean(opts.dryRun),
    });
  }
  return EXIT.ok;
}
