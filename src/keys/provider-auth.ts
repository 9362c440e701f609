import type { TomlDocument } from '../config/document.ts';
import { isTable } from '../config/overrides.ts';
import { UserError } from '../errors.ts';
import type { AuthCommand } from './keychain.ts';

/** Provider fields Codex refuses next to an `auth` table (codex-config.md §7). */
export const AUTH_CONFLICTS = ['env_key', 'experimental_bearer_token', 'requires_openai_auth'] as const;

/** The provider's table in `doc`, or a UserError saying how to add it. */
export function providerTable(doc: TomlDocument, id: string): Record<string, unknown> {
  const table = doc.get(['model_providers', id]);
  if (table === undefined) {
    throw new UserError(`There is no provider "${id}" in ${doc.file}.`, {
      hint: `Add it first (codexgw provider add <gateway> --id ${id}); codexgw provider list shows the ids.`,
    });
  }
  if (!isTable(table))
    throw new UserError(`\`model_providers.${id}\` in ${doc.file} is not a table.`, {
      hint: 'Fix the file by hand (codexgw validate shows where), then run the command again.',
    });
  return table;
}

/**
 * Point provider `id` at a key command: `auth = { command, args }` in place of env_key (and the
 * other fields Codex refuses together with it). Returns the env_key it replaced, if any.
 */
export function setProviderAuth(doc: TomlDocument, id: string, auth: AuthCommand): string | undefined {
  const table = providerTable(doc, id);
  const envKey = typeof table.env_key === 'string' ? table.env_key : undefined;
  for (const field of AUTH_CONFLICTS)
    if (table[field] !== undefined) doc.delete(['model_providers', id, field]);
  const current = table.auth;
  const same =
    isTable(current) &&
    current.command === auth.command &&
    JSON.stringify(current.args ?? []) === JSON.stringify(auth.args) &&
    Object.keys(current).every((k) => k === 'command' || k === 'args');
  if (!same) {
    if (current !== undefined) doc.delete(['model_providers', id, 'auth']);
    doc.set(['model_providers', id, 'auth'], { command: auth.command, args: auth.args });
  }
  return envKey;
}

/** Drop provider `id`'s auth table and, when given, read the key from `envKey` again. */
export function clearProviderAuth(doc: TomlDocument, id: string, envKey: string | undefined): void {
  const table = providerTable(doc, id);
  if (table.auth !== undefined) doc.delete(['model_providers', id, 'auth']);
  if (envKey !== undefined && table.env_key !== envKey) doc.set(['model_providers', id, 'env_key'], envKey);
}

/** The `auth` table of a provider as a command, when it is a well-formed one. */
export function authOf(table: Record<string, unknown> | undefined): AuthCommand | undefined {
  const auth = table?.auth;
  if (!isTable(auth) || typeof auth.command !== 'string') return undefined;
  const args = Array.isArray(auth.args) ? auth.args.filter((a): a is string => typeof a === 'string') : [];
  return { command: auth.command, args };
}
