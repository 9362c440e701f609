import type { Context } from '../context.ts';
import { println, tilde } from '../context.ts';
import { UsageError, UserError } from '../errors.ts';
import { maskSecret } from '../io/redact.ts';
import { type AuthCommand, keyProblem } from './keychain.ts';
import { type ChosenStore, chooseStore, type StoreChoice } from './store.ts';

/**
 * Storing a provider's key, as `key set`, `key migrate`, `init` and `provider add --key-stdin`
 * do it: choose the store, say where the key goes before anything is written, write it, check
 * it reads back, and give the auth command the provider's table gets.
 */
export interface KeySave extends ChosenStore {
  auth: AuthCommand;
  /** Write the key to the store and read it back. */
  save(secret: string): Promise<void>;
}

export function assertKey(secret: string, providerId: string): void {
  const problem = keyProblem(secret);
  if (problem)
    throw new UsageError(`The key for "${providerId}" cannot be stored: ${problem}.`, {
      hint: 'Pass the key exactly, e.g. printf %s "$KEY" | codexgw key set <id> --value-stdin',
    });
}

export async function prepareKeySave(
  providerId: string,
  choice: StoreChoice | undefined,
  ctx: Context,
): Promise<KeySave> {
  const chosen = await chooseStore(choice, providerId, ctx);
  const { backend, account } = chosen.location;
  return {
    ...chosen,
    auth: backend.authCommand(account, providerId),
    async save(secret) {
      await backend.set(account, secret, providerId);
      const back = await backend.get(account);
      if (back.status !== 'found' || back.secret !== secret) {
        throw new UserError(`The key was written to ${backend.label} but does not read back.`, {
          hint:
            back.status === 'error'
              ? back.hint
              : 'Run the command again; codexgw key show <id> shows what is stored.',
        });
      }
    },
  };
}

/** "The key (sk-…abcd) goes to …", and the fallback note, printed before anything is written. */
export function announceKeySave(plan: KeySave, secret: string, ctx: Context): void {
  const c = ctx.errColor;
  const { backend, account } = plan.location;
  if (plan.fellBack) {
    println(
      ctx.stderr,
      `${c.warn('note:')} no keychain is usable here: ${lowerFirst(plan.fellBack.message)}. The key goes to a 0600 file instead; Codex reads it with \`codexgw key print\`, which needs no keychain.`,
    );
  }
  println(
    ctx.stderr,
    `The key (${maskSecret(secret)}) goes to ${backend.kind === 'file' ? tilde(backend.where(account), ctx) : backend.where(account)}.`,
  );
}

/** The auth command as one line, for messages. */
export function commandLine(auth: AuthCommand): string {
  return [auth.command, ...auth.args]
    .map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
