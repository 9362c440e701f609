import type { Context } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { applyEdits, formatEditsDiff } from '../../shell/apply.ts';
import { planStoreKey } from '../../shell/key.ts';
import { printKeyReport } from '../../shell/report.ts';
import { readEnvState } from '../../shell/state.ts';
import { parseEnvOptions, readValue, targetOf, varArg } from './shared.ts';

/** `codexgw env set VAR [--value-stdin] [--secrets-file] [--dry-run]` */
export async function run(raw: unknown, ctx: Context): Promise<number> {
  const opts = parseEnvOptions(raw);
  const name = varArg(opts);
  // A wrong --shell, an unreadable rc file or a hand-edited block fails before the key is asked for.
  readEnvState(targetOf(opts, ctx));
  const value = await readValue(opts, ctx, name);
  const plan = await planStoreKey(
    { varName: name, value, shell: opts.shell, rcFile: opts.rcFile, secretsFile: opts.secretsFile },
    ctx,
  );
  if (opts.dryRun) {
    ctx.stdout.write(formatEditsDiff(plan.edits, ctx.color));
    printKeyReport(plan, ctx, 'dry-run');
    return EXIT.ok;
  }
  await applyEdits(plan.edits, ctx);
  printKeyReport(plan, ctx, 'written');
  return EXIT.ok;
}
