import type { OptionsOf } from '../../command-spec.ts';
import { defineSpec, KEY_STORE } from '../../command-spec.ts';
import type { Context } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { trimPastedKey } from '../../io/pasted-key.ts';
import { askSecret } from '../../io/prompts.ts';
import { readStdinSecret } from '../../io/stdin.ts';
import { assertVarName } from '../../shell/quote.ts';
import { type EnvTarget, resolveEnvTarget } from '../../shell/state.ts';

/** What `env set --json`, `env unset --json` and `env remove --json` print: names and files, never a value. */
export interface EnvEditResult {
  vars: string[];
  shell: string;
  rcFile: string;
  /** The files changed (a dry run: that would change). */
  files: string[];
  dryRun: boolean;
  /** The value is masked (`sk-…abcd`); env set only. */
  masked?: string;
}

/** The rc file an `env` subcommand works on: every one of them takes these options. */
export const ENV_TARGET = KEY_STORE;

/** The VAR argument of `env set` and `env unset`. */
export const VAR_ARG = { name: 'VAR', required: true } as const;

const anyEnvSpec = defineSpec({ summary: '', options: ENV_TARGET, examples: [''] });
type EnvTargetOptions = OptionsOf<typeof anyEnvSpec>;

export function targetOf(opts: EnvTargetOptions, ctx: Context): EnvTarget {
  return resolveEnvTarget({ shell: opts.shell, rcFile: opts.rcFile }, ctx);
}

/** The VAR argument, checked before anything is read or asked. */
export function varArg(opts: { VAR: string }): string {
  assertVarName(opts.VAR);
  return opts.VAR;
}

/**
 * The value to store: all of stdin with --value-stdin (one trailing "\n" or "\r\n" stripped,
 * as `echo` and here-strings add it), else a hidden prompt on a terminal. Never from argv,
 * where every user on the machine can read it (ps) and the shell history keeps it.
 */
export async function readValue(opts: { valueStdin?: boolean }, ctx: Context, name: string): Promise<string> {
  if (opts.valueStdin) {
    return trimPastedKey(
      await readStdinSecret(
        ctx,
        `the value for ${name}`,
        `printf %s "$KEY" | codexgw env set ${name} --value-stdin`,
      ),
      ctx,
      `the value for ${name}`,
    );
  }
  if (!ctx.interactive) {
    throw new UsageError(`No value for ${name}: stdin is not a terminal, so codexgw cannot ask for it.`, {
      hint: `Pass it on stdin: printf %s "$KEY" | codexgw env set ${name} --value-stdin`,
    });
  }
  const typed = await askSecret(ctx, { message: `Value for ${name} (input hidden):`, flag: '--value-stdin' });
  return trimPastedKey(typed, ctx, `the value for ${name}`);
}
