import { type Context, println } from '../context.ts';
import { activateHint, type KeyPlan } from './key.ts';
import type { ShellWarning } from './warnings.ts';

/** Warnings on stderr, each with its fix: `warning: …` / `  fix: …`. */
export function printWarnings(warnings: readonly ShellWarning[], ctx: Context): void {
  const c = ctx.errColor;
  for (const w of warnings) {
    println(ctx.stderr, `${c.warn('warning:')} ${w.message}`);
    if (w.hint) println(ctx.stderr, `  ${c.info('fix:')} ${w.hint}`);
  }
}

/**
 * What storing a key did (or would do), on stderr: the file, the masked value, notes, warnings,
 * and how to load it into the open shell. `env set`, `provider add --key-stdin` and `init`
 * share it so the wording is the same everywhere.
 */
export function printKeyReport(plan: KeyPlan, ctx: Context, mode: 'written' | 'dry-run'): void {
  const c = ctx.errColor;
  const what = `${plan.varName} (${plan.masked})`;
  if (plan.unchanged) {
    println(ctx.stderr, `${what} is already set to that value in ${plan.valueFile}; nothing to change.`);
  } else if (mode === 'dry-run') {
    println(ctx.stderr, `Dry run: would set ${what} in ${plan.valueFile}. Nothing was written.`);
  } else {
    println(ctx.stderr, `${c.ok('Set')} ${what} in ${plan.valueFile}.`);
  }
  for (const note of plan.notes) println(ctx.stderr, note);
  printWarnings(plan.warnings, ctx);
  // The differs-from-environment warning already carries this hint.
  const hinted = plan.warnings.some((w) => w.code === 'differs-from-environment');
  if (mode === 'written' && !plan.unchanged && !hinted) println(ctx.stderr, activateHint(plan.target.shell));
}
