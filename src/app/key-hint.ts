// The "store your key" advice commands give after writing a provider: only when it helps.
import type { Context } from '../context.ts';
import { findManagedVar, readEnvState, resolveEnvTarget } from '../shell/state.ts';

/** Where a key variable stands here: set in this shell, in codexgw's managed rc block, or nowhere. */
export function keyVarState(
  varName: string,
  ctx: Pick<Context, 'env'> & { cwd?: string },
): 'env' | 'rc-block' | 'missing' {
  const v = ctx.env[varName];
  if (v !== undefined && v.trim() !== '') return 'env';
  try {
    // The default rc file depends on the shell and HOME only (cwd matters for --rc-file alone).
    const state = readEnvState(resolveEnvTarget({}, { env: ctx.env, cwd: ctx.cwd ?? '/' }));
    if (findManagedVar(state, varName)) return 'rc-block';
  } catch {
    // No shell to tell, or a damaged block: doctor reports it; here it only means "not stored".
  }
  return 'missing';
}

/**
 * The one line of advice about a key variable a command just wired up: store it when it is
 * nowhere, load it when the rc block has it but this shell does not; nothing when it is set.
 */
export function keyHint(
  varName: string,
  what: string,
  ctx: Pick<Context, 'env' | 'cwd'>,
): string | undefined {
  const state = keyVarState(varName, ctx);
  if (state === 'env') return undefined;
  if (state === 'rc-block') {
    return `${varName} is in codexgw's block in your shell rc but not in this shell: open a new terminal (or eval "$(codexgw env print)").`;
  }
  return `${varName} is not set. Store your ${what} key with: codexgw env set ${varName}`;
}
