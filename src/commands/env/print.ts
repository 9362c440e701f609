import { type CommandOutcome, defineSpec, type OptionsOf, outcome } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { maskSecret, unredacted } from '../../io/redact.ts';
import { exportLine } from '../../shell/quote.ts';
import { readEnvState } from '../../shell/state.ts';
import { ENV_TARGET, targetOf } from './shared.ts';

export const spec = defineSpec({
  summary: 'print the export lines, for eval "$(codexgw env print)"',
  options: {
    ...ENV_TARGET,
    json: { kind: 'flag', description: 'print the names and masked values as JSON (no export lines)' },
  },
  examples: ['eval "$(codexgw env print)"', 'codexgw env print --shell fish | source'],
});

/**
 * `codexgw env print [--shell …]`: the export lines of the block, for `eval "$(codexgw env print)"`
 * (fish: `| source`). The one command that prints values, so it warns when stdout is a terminal.
 */
/** `env print --json`: what the block exports, values masked (the text form is for eval). */
export interface EnvPrintResult {
  shell: string;
  rcFile: string;
  vars: { name: string; masked: string; file: string; line: number }[];
}

export async function run(
  opts: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<EnvPrintResult>> {
  const target = targetOf(opts, ctx);
  const state = readEnvState(target);
  if (opts.json) {
    return outcome({
      shell: target.shell,
      rcFile: target.rcFile,
      vars: state.vars.map((v) => ({
        name: v.name,
        masked: maskSecret(v.value),
        file: v.file,
        line: v.line,
      })),
    });
  }
  if (state.vars.length === 0) {
    println(ctx.stderr, `No variables in the codexgw block of ${state.rc.file}.`);
    return EXIT.ok;
  }
  if (ctx.stdout.isTTY) {
    println(
      ctx.stderr,
      `${ctx.errColor.warn('warning:')} this prints your keys in clear text; it is meant for eval "$(codexgw env print)".`,
    );
  }
  // The one output that must hold the values: it bypasses the redaction at the output boundary.
  const out = unredacted(ctx.stdout);
  for (const v of state.vars) println(out, exportLine(target.syntax, v.name, v.value));
  return EXIT.ok;
}
