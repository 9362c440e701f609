import { type Context, println } from '../context.ts';

/**
 * A key as pasted or piped, without the whitespace around it (a terminal paste or `echo` adds
 * some; no API key contains any, and a gateway refuses `sk-… ` with a confusing 401). Says so on
 * stderr when it removed anything, naming only how much, never the key.
 */
export function trimPastedKey(value: string, ctx: Pick<Context, 'stderr'>, what = 'the key'): string {
  const trimmed = value.trim();
  if (trimmed !== value && trimmed !== '') {
    const before = value.length - value.trimStart().length;
    const after = value.length - value.trimEnd().length;
    const parts = [before && `${before} before it`, after && `${after} after it`].filter(Boolean);
    println(
      ctx.stderr,
      `note: removed the whitespace around ${what} (${parts.join(', ')}); keys never contain any.`,
    );
  }
  return trimmed;
}
