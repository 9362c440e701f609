import * as z from 'zod/mini';
import { UsageError } from '../errors.ts';

/** Options most read commands share: --profile and repeatable -c overrides. */
export const readOptionsSchema = z.object({
  profile: z.optional(z.string()),
  config: z.optional(z.array(z.string())),
  json: z.optional(z.boolean()),
});

/** Parse a command's options with zod; a mismatch is a usage error naming the option. */
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
