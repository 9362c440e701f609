import type { Context } from '../../context.ts';
import { UsageError } from '../../errors.ts';
import { trimPastedKey } from '../../io/pasted-key.ts';
import { askSecret } from '../../io/prompts.ts';
import { readStdinSecret } from '../../io/stdin.ts';
import { assertVarName } from '../../shell/quote.ts';
import { type EnvTarget, resolveEnvTarget } from '../../shell/state.ts';
import { keyStoreOptions, type Options, opt, parseOptions } from '../shared-options.ts';

/** The options every `env` subcommand takes (commander's camelCased names). */
export const envOptionsSchema = () =>
  opt.object({
    ...keyStoreOptions(),
    valueStdin: opt.optional(opt.boolean()),
    dryRun: opt.optional(opt.boolean()),
    json: opt.optional(opt.boolean()),
    positionals: opt.optional(opt.array(opt.unknown())),
  });

export type EnvOptions = Options<ReturnType<typeof envOptionsSchema>>;

export function parseEnvOptions(raw: unknown): EnvOptions {
  return parseOptions(envOptionsSchema(), raw);
}

export function targetOf(opts: EnvOptions, ctx: Context): EnvTarget {
  return resolveEnvTarget({ shell: opts.shell, rcFile: opts.rcFile }, ctx);
}

/** The VAR argument, checked before anything is read or asked. */
export function varArg(opts: EnvOptions): string {
  const name = String(opts.positionals?.[0] ?? '');
  assertVarName(name);
  return name;
}

/**
 * The value to store: all of stdin with --value-stdin (one trailing "\n" or "\r\n" stripped,
 * as `echo` and here-strings add it), else a hidden prompt on a terminal. Never from argv,
 * where every user on the machine can read it (ps) and the shell history keeps it.
 */
export async function readValue(opts: EnvOptions, ctx: Context, name: string): Promise<string> {
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
  return askSecret(ctx, { message: `Value for ${name} (input hidden):`, flag: '--value-stdin' });
}
