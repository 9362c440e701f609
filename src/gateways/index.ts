/**
 * The gateway preset registry, and the pure functions commands use to turn answers into a
 * `[model_providers.<id>]` table, check model names and recognise hand-written providers.
 */
import { UsageError } from '../errors.ts';
import { azure } from './azure.ts';
import { cloudflare } from './cloudflare.ts';
import {
  checkProviderId,
  isEnvVarName,
  isHeaderName,
  isHeaderValue,
  isLoopbackHost,
  isSecretHeaderName,
} from './common.ts';
import { custom } from './custom.ts';
import { helicone } from './helicone.ts';
import { litellm } from './litellm.ts';
import { openrouter } from './openrouter.ts';
import { portkey } from './portkey.ts';
import { truefoundry } from './truefoundry.ts';
import {
  GATEWAY_IDS,
  type GatewayDetection,
  type GatewayId,
  type GatewayPreset,
  type ModelCheck,
  type ModelCheckContext,
  type ProviderTable,
  type ProviderTableLike,
  type StringTable,
} from './types.ts';
import { vercel } from './vercel.ts';

export { checkProviderId, isSecretHeaderName, RESERVED_PROVIDER_IDS } from './common.ts';
export { parseModelsReply } from './models-reply.ts';
export { routingRuleCommand, routingRuleYaml } from './truefoundry.ts';
export * from './types.ts';

/** Every preset, in the order the wizard lists them. */
export const PRESETS: Readonly<Record<GatewayId, GatewayPreset>> = {
  portkey,
  truefoundry,
  litellm,
  openrouter,
  azure,
  vercel,
  cloudflare,
  helicone,
  custom,
};

export function isGatewayId(id: string): id is GatewayId {
  return (GATEWAY_IDS as readonly string[]).includes(id);
}

export function getPreset(id: string): GatewayPreset {
  if (!isGatewayId(id)) {
    throw new UsageError(`Unknown gateway "${id}".`, { hint: `Use one of: ${GATEWAY_IDS.join(', ')}.` });
  }
  return PRESETS[id];
}

/** What the wizard or `provider add` flags collected. Everything is optional: presets fill in. */
export interface ProviderAnswers {
  /** The table's `name` (default: the preset's display name). */
  name?: string;
  /** Required when the preset has no default base URL. */
  baseUrl?: string;
  /** Use the preset's self-hosted URL instead of its hosted one (when baseUrl is not given). */
  selfHosted?: boolean;
  /** The env var holding the key; null writes no env_key (a gateway without auth). */
  envKey?: string | null;
  httpHeaders?: StringTable;
  envHttpHeaders?: StringTable;
  queryParams?: StringTable;
}

export interface BuiltProvider {
  table: ProviderTable;
  /** What codexgw changed in the user's input (URL normalisation), one sentence each. */
  notes: string[];
}

/**
 * The provider table for `preset` and `answers`, with notes about what was normalised. Throws a
 * UsageError for input Codex would reject or silently drop (bad URL, header or variable names)
 * and for secrets in static headers.
 */
export function buildProvider(preset: GatewayPreset, answers: ProviderAnswers = {}): BuiltProvider {
  const rawUrl =
    answers.baseUrl ?? (answers.selfHosted ? preset.selfHostedBaseUrl : undefined) ?? preset.defaultBaseUrl;
  if (rawUrl === undefined) {
    throw new UsageError(`${preset.displayName} needs the base URL of your gateway.`, {
      hint: `Pass --base-url, e.g. --base-url ${preset.baseUrlExample}. ${preset.baseUrlHelp}`,
    });
  }
  const url = preset.normalizeBaseUrl(rawUrl);
  if (!url.ok) throw new UsageError(url.message, { hint: url.hint });

  const name = (answers.name ?? preset.displayName).trim();
  if (name === '') {
    throw new UsageError('The provider name is empty; Codex requires a non-empty name.', {
      hint: `Use e.g. "${preset.displayName}".`,
    });
  }

  const envKey = answers.envKey === undefined ? preset.envKey : answers.envKey;
  if (envKey !== null && !isEnvVarName(envKey)) {
    throw new UsageError(`"${envKey}" is not an environment variable name.`, {
      hint: `Use letters, digits and "_" (not starting with a digit), e.g. ${preset.envKey}.`,
    });
  }

  const httpHeaders = checkHeaders(answers.httpHeaders ?? {}, 'static');
  const envHttpHeaders = checkHeaders(answers.envHttpHeaders ?? {}, 'env');
  const lowerStatic = new Set(Object.keys(httpHeaders).map((h) => h.toLowerCase()));
  for (const h of Object.keys(envHttpHeaders)) {
    if (lowerStatic.has(h.toLowerCase())) {
      throw new UsageError(
        `Header "${h}" is given both as a static header and from an environment variable.`,
        {
          hint: 'Keep one of them: --header for fixed, non-secret values, --env-header for secrets.',
        },
      );
    }
  }

  const queryParams: StringTable = {
    ...preset.defaultQueryParams(url.baseUrl),
    ...url.queryParams,
    ...(answers.queryParams ?? {}),
  };
  for (const [k, v] of Object.entries(queryParams)) {
    if (k === '' || !isHeaderValue(k) || !isHeaderValue(v)) {
      throw new UsageError(`Query parameter "${k}" has an empty name or control characters.`, {
        hint: 'Pass query parameters as --query name=value.',
      });
    }
  }

  // Key order is the order a person writes them; the document layer keeps it.
  const table: ProviderTable = {
    name,
    base_url: url.baseUrl,
    ...(envKey === null ? {} : { env_key: envKey }),
    wire_api: 'responses',
  };
  if (Object.keys(httpHeaders).length > 0) table.http_headers = httpHeaders;
  if (Object.keys(envHttpHeaders).length > 0) table.env_http_headers = envHttpHeaders;
  if (Object.keys(queryParams).length > 0) table.query_params = queryParams;
  return { table, notes: url.notes };
}

/** The `[model_providers.<id>]` table (values only, no TOML text) for `preset` and `answers`. */
export function buildProviderTable(preset: GatewayPreset, answers: ProviderAnswers = {}): ProviderTable {
  return buildProvider(preset, answers).table;
}

/** Refuse header names Codex would drop, and secrets in static headers (UsageError). */
export function checkHeaders(headers: StringTable, kind: 'static' | 'env'): StringTable {
  const out: StringTable = Object.create(null); // a `__proto__` name stays a name
  for (const [name, value] of Object.entries(headers)) {
    if (!isHeaderName(name)) {
      throw new UsageError(`"${name}" is not a valid HTTP header name (Codex would silently drop it).`, {
        hint: 'Header names use letters, digits and "-", e.g. x-portkey-provider.',
      });
    }
    if (kind === 'env') {
      if (!isEnvVarName(value)) {
        throw new UsageError(
          `Header "${name}" should come from an environment variable, but "${value}" is not one.`,
          {
            hint: `Pass --env-header ${name}=VAR_NAME; the value itself goes into the variable (codexgw env set VAR_NAME).`,
          },
        );
      }
    } else {
      if (isSecretHeaderName(name)) {
        throw new UsageError(
          `Header "${name}" carries a credential; codexgw does not write secrets into config.toml.`,
          {
            hint: `Send it from an environment variable instead: --env-header ${name}=VAR_NAME, then codexgw env set VAR_NAME.`,
          },
        );
      }
      if (!isHeaderValue(value)) {
        throw new UsageError(
          `The value of header "${name}" contains control characters (Codex would drop it).`,
          {
            hint: 'Header values are one line of text.',
          },
        );
      }
    }
    out[name] = value;
  }
  return out;
}

export function resolveProviderId(preset: GatewayPreset, id?: string): string {
  const chosen = id ?? preset.defaultProviderId;
  const check = checkProviderId(chosen);
  if (!check.ok) throw new UsageError(check.message, { hint: check.hint });
  return chosen;
}

/**
 * Check a model name against a gateway's naming rules, including the `/`-in-the-name metadata
 * fallback and the fix the gateway supports. `provider` (the provider table) lets Portkey see
 * whether a plain name has a provider header.
 */
export function checkModelName(gateway: GatewayId, model: string, provider?: ModelCheckContext): ModelCheck {
  return PRESETS[gateway].checkModel(model, provider);
}

const ENV_KEY_HINTS: Record<string, GatewayId> = {
  PORTKEY_API_KEY: 'portkey',
  TFY_API_KEY: 'truefoundry',
  TRUEFOUNDRY_API_KEY: 'truefoundry',
  LITELLM_API_KEY: 'litellm',
  LITELLM_MASTER_KEY: 'litellm',
  OPENROUTER_API_KEY: 'openrouter',
  AZURE_OPENAI_API_KEY: 'azure',
  AI_GATEWAY_API_KEY: 'vercel',
  CLOUDFLARE_API_KEY: 'cloudflare',
  HELICONE_API_KEY: 'helicone',
};

const HEADER_PREFIX_HINTS: [string, GatewayId][] = [
  ['x-portkey-', 'portkey'],
  ['x-tfy-', 'truefoundry'],
  ['cf-aig-', 'cloudflare'],
  ['helicone-', 'helicone'],
  ['x-litellm-', 'litellm'],
];

/** Default ports of self-hosted gateways on a local address. */
const LOCAL_PORT_HINTS: Record<string, GatewayId> = { '8787': 'portkey', '4000': 'litellm' };

/**
 * Which gateway a (possibly hand-written) provider table points at: by base_url host or path
 * first, then by header names, env_key and local port. Undefined when nothing gives it away.
 */
export function detectGateway(table: ProviderTableLike): GatewayDetection | undefined {
  let url: URL | undefined;
  if (typeof table.base_url === 'string') {
    try {
      url = new URL(table.base_url);
    } catch {
      url = undefined;
    }
  }
  if (url) {
    for (const preset of Object.values(PRESETS)) {
      const by = preset.detectUrl?.(url);
      if (by) return { gateway: preset.id, by };
    }
  }
  for (const table_ of [table.http_headers, table.env_http_headers]) {
    if (!table_ || typeof table_ !== 'object') continue;
    for (const name of Object.keys(table_)) {
      const hit = HEADER_PREFIX_HINTS.find(([prefix]) => name.toLowerCase().startsWith(prefix));
      if (hit) return { gateway: hit[1], by: 'header' };
    }
  }
  if (typeof table.env_key === 'string') {
    // A second account's key is often the preset's variable with a suffix: PORTKEY_API_KEY_DEV.
    const key = table.env_key;
    const hint = Object.entries(ENV_KEY_HINTS).find(([v]) => key === v || key.startsWith(`${v}_`));
    if (hint) return { gateway: hint[1], by: 'env_key' };
  }
  if (url && isLoopbackHost(url.hostname)) {
    const gateway = LOCAL_PORT_HINTS[url.port];
    if (gateway) return { gateway, by: 'port' };
  }
  // The display name codexgw (and the gateways' guides) write: name = "Portkey (self-hosted)".
  if (typeof table.name === 'string') {
    const name = table.name.toLowerCase();
    for (const preset of Object.values(PRESETS)) {
      if (preset.id !== 'custom' && new RegExp(`(^|\\W)${preset.id}(\\W|$)`).test(name)) {
        return { gateway: preset.id, by: 'name' };
      }
    }
  }
  return undefined;
}
