import path from 'node:path';
import { detectGateway } from '../gateways/index.ts';
import { maskSecret } from '../io/redact.ts';
import type { LoadedConfig, Origin } from './layers.ts';
import { isTable } from './overrides.ts';
import { listProfileFiles } from './paths.ts';
import { readConfigSource } from './source.ts';

/** Codex's default provider when `model_provider` is unset. */
export const DEFAULT_PROVIDER_ID = 'openai';

export interface ProviderInfo {
  id: string;
  /** The gateway it points at (from base_url, headers, env_key), or null if nothing gives it away. */
  gateway: string | null;
  baseUrl: string | null;
  envKey: string | null;
  /** Whether the env_key variable is set (non-blank) in this environment. */
  envKeySet: boolean;
  /** The variable's value, masked (`sk-…abcd`), when set. */
  envKeyMasked: string | null;
  active: boolean;
  /** Where the table is defined (the highest layer that writes to it). */
  readonly origin: Origin | null;
  table: Record<string, unknown>;
}

/** The active provider id of a merged config. */
export function activeProviderId(loaded: LoadedConfig): string {
  const id = loaded.merged.model_provider;
  return typeof id === 'string' ? id : DEFAULT_PROVIDER_ID;
}

/** Every `[model_providers.*]` table of the merged config, with what a user wants to know about it. */
export function listProviders(loaded: LoadedConfig, env: NodeJS.ProcessEnv): ProviderInfo[] {
  const tables = providerTables(loaded);
  const active = activeProviderId(loaded);
  return Object.keys(tables).flatMap((id) => {
    const info = describeProvider(loaded, tables, id, active, env);
    return info ? [info] : [];
  });
}

/** One provider's entry of listProviders, without describing the others (500 of them, maybe). */
export function providerInfo(
  loaded: LoadedConfig,
  id: string,
  env: NodeJS.ProcessEnv,
): ProviderInfo | undefined {
  const tables = providerTables(loaded);
  return Object.hasOwn(tables, id)
    ? describeProvider(loaded, tables, id, activeProviderId(loaded), env)
    : undefined;
}

function providerTables(loaded: LoadedConfig): Record<string, unknown> {
  return isTable(loaded.merged.model_providers) ? loaded.merged.model_providers : {};
}

function describeProvider(
  loaded: LoadedConfig,
  tables: Record<string, unknown>,
  id: string,
  active: string,
  env: NodeJS.ProcessEnv,
): ProviderInfo | undefined {
  const table = tables[id];
  if (!isTable(table)) return undefined;
  const envKey = typeof table.env_key === 'string' ? table.env_key : null;
  const value = envKey ? env[envKey] : undefined;
  const set = value !== undefined && value.trim() !== '';
  return {
    id,
    gateway: detectGateway(table)?.gateway ?? null,
    baseUrl: typeof table.base_url === 'string' ? table.base_url : null,
    envKey,
    envKeySet: set,
    envKeyMasked: set ? maskSecret(value!) : null,
    active: id === active,
    // Looked up on first use: positions need the locator, which list and show want but use does not.
    get origin() {
      return loaded.originOf(['model_providers', id]) ?? null;
    },
    table,
  };
}

/** The ids `model_provider` may name here: defined tables plus Codex's built-ins. */
export function knownProviderIds(loaded: LoadedConfig): string[] {
  const defined = isTable(loaded.merged.model_providers) ? Object.keys(loaded.merged.model_providers) : [];
  return [...defined, ...['openai', 'ollama', 'lmstudio'].filter((b) => !defined.includes(b))];
}

/** The profiles (by name) whose file defines `[model_providers.<id>]`. */
export function findInProfiles(homeDir: string, id: string): string[] {
  const out: string[] = [];
  for (const file of listProfileFiles(homeDir)) {
    try {
      const providers = readConfigSource(file).value.model_providers;
      if (isTable(providers) && isTable(providers[id])) out.push(path.basename(file, '.config.toml'));
    } catch {
      // An unreadable profile cannot define it; validate reports the file.
    }
  }
  return out;
}
