import { defineSpec, type OptionsOf } from '../../command-spec.ts';
import type { Context } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';
import { unredacted } from '../../io/redact.ts';
import { findStoredKey } from '../../keys/store.ts';

export const spec = defineSpec({
  summary: "print a provider's stored key (what Codex's auth command runs)",
  args: [{ name: 'provider-id', required: true }],
  options: {
    force: { kind: 'flag', description: 'print even when stdout is a terminal' },
  },
  examples: ['codexgw key print portkey | pbcopy'],
  help: 'The one command that prints a key in clear text. It refuses to print to a terminal unless --force.\nExit codes: 0 printed, 1 no key stored (or the store could not be read), 2 bad usage.',
});

/** `codexgw key print <id>`: the key on stdout, with no newline (Codex trims the output anyway). */
export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const id = opts.providerId;
  if (ctx.stdout.isTTY && !opts.force) {
    throw new UserError('codexgw key print writes the key in clear text, and stdout is a terminal.', {
      hint: `It is meant for Codex's auth command or a pipe. To see it anyway: codexgw key print ${id} --force (codexgw key show ${id} shows it masked).`,
    });
  }
  const { location, lookup } = await findStoredKey(id, ctx);
  if (lookup.status === 'found') {
    // The one output that must hold the key: it bypasses the redaction at the output boundary.
    unredacted(ctx.stdout).write(lookup.secret);
    return EXIT.ok;
  }
  if (lookup.status === 'missing') {
    throw new UserError(`No key is stored for provider "${id}".`, {
      hint: `Store it with: codexgw key set ${id}`,
    });
  }
  throw new UserError(
    `Could not read the key of "${id}" from ${location.backend.label}: ${lookup.message}.`,
    {
      hint: lookup.hint,
    },
  );
}
