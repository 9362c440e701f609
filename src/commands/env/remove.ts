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
import { planRemove } from '../../shell/plan.ts';
import { readEnvState } from '../../shell/state.ts';
import { ENV_TARGET, type EnvEditResult, targetOf } from './shared.ts';

export const spec = defineSpec({
  summary: 'remove the whole managed block',
  options: { ...ENV_TARGET, dryRun: DRY_RUN, json: JSON_OUTPUT },
  examples: ['codexgw env remove --dry-run', 'codexgw env remove --rc-file ~/.bashrc'],
});

/** `codexgw env remove [--dry-run]`: the whole block, and the secrets file's block it sources. */
export async function run(
  opts: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<EnvEditResult>> {
  const state = readEnvState(targetOf(opts, ctx));
  const plan = planRemove(state);
  const names = state.vars.map((v) => v.name);
  const result: EnvEditResult = {
    vars: names,
    shell: state.target.shell,
    rcFile: state.target.rcFile,
    files: plan.edits.map((e) => e.file),
    dryRun: Boolean(opts.dryRun),
  };
  if (plan.edits.length === 0) {
    if (opts.json) return outcome(result);
    println(ctx.stderr, `No codexgw block in ${state.rc.file}; nothing to remove.`);
    return EXIT.ok;
  }
  const what = names.length > 0 ? ` (${names.join(', ')})` : '';
  const files = plan.edits.map((e) => e.file).join(' and ');
  if (opts.dryRun) {
    if (!opts.json) ctx.stdout.write(formatEditsDiff(plan.edits, ctx.color));
    println(ctx.stderr, `Dry run: would remove the codexgw block${what} from ${files}. Nothing was written.`);
    return opts.json ? outcome(result) : EXIT.ok;
  }
  await applyEdits(plan.edits, ctx);
  println(ctx.stderr, `${ctx.errColor.ok('Removed')} the codexgw block${what} from ${files}.`);
  const still = names.filter((n) => ctx.env[n] !== undefined);
  if (still.length > 0) {
    println(ctx.stderr, `This shell still has ${still.join(', ')}; new terminals will not.`);
  }
  return opts.json ? outcome(result) : EXIT.ok;
}
