import {
  type CommandOutcome,
  DRY_RUN,
  defineSpec,
  JSON_OUTPUT,
  type OptionsOf,
  outcome,
} from '../../command-spec.ts';
import type { Context } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { applyEdits, formatEditsDiff } from '../../shell/apply.ts';
import { planStoreKey } from '../../shell/key.ts';
import { printKeyReport } from '../../shell/report.ts';
import { readEnvState } from '../../shell/state.ts';
import { ENV_TARGET, type EnvEditResult, readValue, targetOf, VAR_ARG, varArg } from './shared.ts';

export const spec = defineSpec({
  summary: 'set VAR in the managed block (value from a hidden prompt, or stdin)',
  args: [VAR_ARG],
  options: {
    ...ENV_TARGET,
    valueStdin: { kind: 'flag', description: 'read the value from stdin (for scripts and CI)' },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: [
    'codexgw env set PORTKEY_API_KEY',
    'printf %s "$KEY" | codexgw env set TFY_API_KEY --value-stdin --secrets-file',
  ],
});

/** `codexgw env set VAR [--value-stdin] [--secrets-file] [--dry-run]` */
export async function run(
  opts: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<EnvEditResult>> {
  const name = varArg(opts);
  // A wrong --shell, an unreadable rc file or a hand-edited block fails before the key is asked for.
  readEnvState(targetOf(opts, ctx));
  const value = await readValue(opts, ctx, name);
  const plan = await planStoreKey(
    { varName: name, value, shell: opts.shell, rcFile: opts.rcFile, secretsFile: opts.secretsFile },
    ctx,
  );
  const result: EnvEditResult = {
    vars: [name],
    shell: plan.target.shell,
    rcFile: plan.target.rcFile,
    files: plan.edits.map((e) => e.file),
    dryRun: Boolean(opts.dryRun),
    masked: plan.masked,
  };
  if (opts.dryRun) {
    if (!opts.json) ctx.stdout.write(formatEditsDiff(plan.edits, ctx.color));
    printKeyReport(plan, ctx, 'dry-run');
    return opts.json ? outcome(result) : EXIT.ok;
  }
  await applyEdits(plan.edits, ctx);
  printKeyReport(plan, ctx, 'written');
  return opts.json ? outcome(result) : EXIT.ok;
}
