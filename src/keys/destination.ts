import type { Context } from '../context.ts';
import { println } from '../context.ts';
import { type KeySave, prepareKeySave } from './save.ts';
import { osBackend } from './store.ts';
import type { KeyDestinationChoice } from './store-option.ts';

/** Where `init` and `provider add --key-stdin` put a key: a store (through auth), or the rc file. */
export type KeyDestination = { kind: 'rc' } | { kind: 'store'; save: KeySave };

/**
 * `--store rc` (or any rc flag: --shell, --rc-file, --secrets-file) keeps the export in the shell
 * rc file; `--store keychain|file` uses that store; by default the keychain where one is usable,
 * else the rc file as before, with a note saying why and how to keep the key out of it.
 */
export async function chooseKeyDestination(
  choice: KeyDestinationChoice | undefined,
  rcFlagsGiven: boolean,
  providerId: string,
  ctx: Context,
): Promise<KeyDestination> {
  if (choice === 'rc' || (choice === undefined && rcFlagsGiven)) return { kind: 'rc' };
  if (choice === 'keychain' || choice === 'file')
    return { kind: 'store', save: await prepareKeySave(providerId, choice, ctx) };
  const os = osBackend(ctx.env);
  const usable = await os.probe();
  if (usable.ok) return { kind: 'store', save: await prepareKeySave(providerId, 'keychain', ctx) };
  println(
    ctx.stderr,
    `${ctx.errColor.warn('note:')} ${os.label} is not usable here (${usable.message.charAt(0).toLowerCase()}${usable.message.slice(1)}), so the key goes to your shell rc file as an export. A Codex started from a desktop app or an IDE does not read it: --store file keeps the key in a 0600 file that works there too.`,
  );
  return { kind: 'rc' };
}
