import { isTable } from '../config/overrides.ts';
import type { Context } from '../context.ts';
import { maskSecret } from '../io/redact.ts';
import { type EnvState, readEnvState, resolveEnvTarget } from '../shell/state.ts';
import type { Lookup, Unavailable } from './keychain.ts';
import { authOf } from './provider-auth.ts';
import { backendOf, classifyAuth, findStoredKey, type KeyLocation } from './store.ts';

/** Where a provider's key comes from, as `key list` and `key show` report it. */
export type SourceKind = 'keychain' | 'file' | 'rc block' | 'env var' | 'command' | 'config' | 'none';

export interface KeySource {
  kind: SourceKind;
  /** Where, for humans: "the Secret Service (…), service codexgw, account portkey", "~/.bashrc", … */
  where: string;
  /** True when a non-blank key is found there now. */
  resolves: boolean;
  /** The key's mask, when it resolves. */
  masked: string | undefined;
  /** Why the store could not be read. */
  problem: Unavailable | undefined;
  /** The store and item, for key stores codexgw manages. */
  location: KeyLocation | undefined;
  /** The variable, for env_key providers. */
  envKey: string | undefined;
}

/** The rc block of the user's shell, or undefined when it cannot be read. */
export function readRcQuietly(ctx: Pick<Context, 'env' | 'cwd'>): EnvState | undefined {
  try {
    return readEnvState(resolveEnvTarget({}, ctx));
  } catch {
    return undefined;
  }
}

function fromLookup(
  kind: SourceKind,
  location: KeyLocation,
  lookup: Lookup,
): Pick<KeySource, 'kind' | 'where' | 'resolves' | 'masked' | 'problem' | 'location'> {
  const found = lookup.status === 'found' && lookup.secret.trim() !== '';
  return {
    kind,
    where: location.backend.where(location.account),
    resolves: found,
    masked: lookup.status === 'found' ? maskSecret(lookup.secret) : undefined,
    problem: lookup.status === 'error' ? lookup : undefined,
    location,
  };
}

/** Find where provider `id` (its merged table) gets its key, and whether it resolves now. */
export async function keySourceOf(
  id: string,
  table: Record<string, unknown>,
  ctx: Pick<Context, 'env' | 'cwd'>,
  rc: EnvState | undefined,
): Promise<KeySource> {
  const base = { problem: undefined, location: undefined, envKey: undefined, masked: undefined };
  const auth = authOf(table);
  if (auth) {
    const source = classifyAuth(auth);
    const backend = backendOf(source, ctx);
    if (backend && source.kind !== 'codexgw' && source.kind !== 'other') {
      const location = { backend, account: source.account, providerId: id };
      return { ...base, ...fromLookup('keychain', location, await backend.get(source.account)) };
    }
    if (source.kind === 'codexgw') {
      const { location, lookup } = await findStoredKey(source.providerId, ctx);
      return {
        ...base,
        ...fromLookup(location.backend.kind === 'file' ? 'file' : 'keychain', location, lookup),
      };
    }
    return { ...base, kind: 'command', where: [auth.command, ...auth.args].join(' '), resolves: false };
  }
  if (typeof table.env_key === 'string') {
    const envKey = table.env_key;
    const inRc = rc?.vars.find((v) => v.name === envKey);
    const value = ctx.env[envKey];
    if (inRc)
      return {
        ...base,
        envKey,
        kind: 'rc block',
        where: `${envKey} in ${inRc.file}:${inRc.line}`,
        resolves: inRc.value.trim() !== '',
        masked: maskSecret(inRc.value),
      };
    const set = value !== undefined && value.trim() !== '';
    return {
      ...base,
      envKey,
      kind: set ? 'env var' : 'none',
      where: set ? `${envKey} in this environment` : `${envKey} (not set here)`,
      resolves: set,
      masked: set ? maskSecret(value) : undefined,
    };
  }
  if (typeof table.experimental_bearer_token === 'string')
    return {
      ...base,
      kind: 'config',
      where: 'experimental_bearer_token in the config file',
      resolves: true,
      masked: maskSecret(table.experimental_bearer_token),
    };
  return { ...base, kind: 'none', where: 'no key configured', resolves: false };
}

/** Every provider table in a merged config, by id. */
export function providerTables(merged: Record<string, unknown>): [string, Record<string, unknown>][] {
  const p = merged.model_providers;
  return isTable(p)
    ? Object.entries(p).filter((e): e is [string, Record<string, unknown>] => isTable(e[1]))
    : [];
}

/** The providers Codex would see here (merged layers), each with its key source. */
export async function providerKeySources(
  ctx: Pick<Context, 'env' | 'cwd'>,
  profile: string | undefined,
): Promise<{ id: string; table: Record<string, unknown>; source: KeySource }[]> {
  const { loadConfig } = await import('../config/layers.ts');
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile });
  const rc = readRcQuietly(ctx);
  return Promise.all(
    providerTables(loaded.merged).map(async ([id, table]) => ({
      id,
      table,
      source: await keySourceOf(id, table, ctx, rc),
    })),
  );
}
