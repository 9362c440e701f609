import type { Context } from '../context.ts';

type Run = (options: unknown, ctx: Context) => Promise<number>;

/**
 * A registry entry whose command module is imported when the command runs, so that a command
 * does not run the module code (schema tables, gateway presets) of the others in its bundle.
 */
export const lazyCommand =
  (load: () => Promise<{ run: Run }>): Run =>
  async (options, ctx) =>
    (await load()).run(options, ctx);
