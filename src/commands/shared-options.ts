import type * as z from 'zod/mini';
import { UsageError } from '../errors.ts';

/**
 * Parse a command's options with zod; a mismatch is a usage error naming the option. Commands
 * build their schema when they run (`optionsSchema()`), not at module load: a registry loads the
 * module of every command in it, and building zod schemas is not free.
 */
export function parseOptions<T extends z.ZodMiniType>(schema: T, opts: unknown): z.infer<T> {
  const result = schema.safeParse(opts);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.map(String).join('.');
  throw new UsageError(
    `Invalid option --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}.`,
    {
      hint: 'Run the command with --help to see its options.',
    },
  );
}
