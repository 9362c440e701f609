import { newestRules, type RulesInUse } from '../../codex/rules.ts';
import type { LoadedConfig, Origin } from '../../config/layers.ts';
import { isTable } from '../../config/overrides.ts';
import type { TomlTable } from '../../config/source.ts';
import { detectGateway, type GatewayDetection } from '../../gateways/index.ts';
import type { Finding } from '../finding.ts';
import { checkLoadedConfig } from '../validate.ts';

/** The provider Codex would use here, as every provider-dependent check sees it. */
export interface ActiveProvider {
  id: string;
  /** Where `model_provider` is set; undefined when unset (Codex then uses the built-in openai). */
  origin: Origin | undefined;
  builtin: boolean;
  /** The merged `[model_providers.<id>]` table, when some layer defines it. */
  table: TomlTable | undefined;
  /** Where the table is defined (the highest layer that writes into it). */
  tableOrigin: Origin | undefined;
  /** Which gateway the table points at, when its URL, headers or env_key give it away. */
  gateway: GatewayDetection | undefined;
}

export function activeProvider(loaded: LoadedConfig, rules = newestRules()): ActiveProvider {
  const set = loaded.merged.model_provider;
  const id = typeof set === 'string' ? set : 'openai';
  const providers = loaded.merged.model_providers;
  const table = isTable(providers) && isTable(providers[id]) ? (providers[id] as TomlTable) : undefined;
  return {
    id,
    origin: typeof set === 'string' ? loaded.originOf(['model_provider']) : undefined,
    builtin: rules.providers.builtin.includes(id),
    table,
    tableOrigin: table ? loaded.originOf(['model_providers', id]) : undefined,
    gateway: table ? detectGateway(table) : undefined,
  };
}

/** A custom (gateway) provider that is defined: the case most provider checks are about. */
export function customProvider(active: ActiveProvider): (ActiveProvider & { table: TomlTable }) | undefined {
  return !active.builtin && active.table ? (active as ActiveProvider & { table: TomlTable }) : undefined;
}

/** `file:line` for messages, or the file alone. */
export function where(origin: { file: string | null; line: number | null } | undefined): string {
  if (!origin?.file) return 'a -c override';
  return origin.line === null ? origin.file : `${origin.file}:${origin.line}`;
}

const findingsCache = new WeakMap<LoadedConfig, { inUse: RulesInUse; findings: Finding[] }>();

/** validate's findings for this load under these rules, computed once for every group that reads them. */
export function validateFindings(loaded: LoadedConfig, inUse: RulesInUse): Finding[] {
  let cached = findingsCache.get(loaded);
  if (cached?.inUse !== inUse) {
    cached = { inUse, findings: checkLoadedConfig(loaded, inUse) };
    findingsCache.set(loaded, cached);
  }
  return cached.findings;
}
