import { DRY_RUN, defineSpec, type OptionsOf } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { applyEdits, formatEditsDiff } from '../../shell/apply.ts';
import { planRemove } from '../../shell/plan.ts';
import { readEnvState } from '../../shell/state.ts';
import { ENV_TARGET, targetOf } from './shared.ts';

export const spec = defineSpec({
  summary: 'remove the whole managed block',
  options: { ...ENV_TARGET, dryRun: DRY_RUN },
  examples: ['codexgw env remove --dry-run', 'codexgw env remove --rc-file ~/.bashrc'],
});

/** `codexgw env remove [--dry-run]`: the whole block, and the secrets file's block it sources. */
export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const state = readEnvState(targetOf(opts, ctx));
  const plan = planRemove(state);
  if (plan.edits.length === 0) {
    println(ctx.stderr, `No codexgw block in ${state.rc.file}; nothing to remove.`);
    return EXIT.ok;
  }
  const names = state.vars.map((v) => v.name);
  const what = names.length > 0 ? ` (${names.join(', ')})` : '';
  const files = plan.edits.map((e) => e.file).join(' and ');
  if (opts.dryRun) {
    ctx.stdout.write(formatEditsDiff(plan.edits, ctx.color));
    println(ctx.stderr, `Dry run: would remove the codexgw block${what} from ${files}. Nothing was written.`);
    return EXIT.ok;
  }
  await applyEdits(plan.edits, ctx);
  println(ctx.stderr, `${ctx.errColor.ok('Removed')} the codexgw block${what} from ${files}.`);
  const still = names.filter((n) => ctx.env[n] !== undefined);
  if (still.length > 0) {
    println(ctx.stderr, `This shell still has ${still.join(', ')}; new terminals will not.`);
  }
  return EXIT.ok;
}
