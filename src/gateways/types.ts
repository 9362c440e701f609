/**
 * The shape of a gateway preset. A preset is pure data plus pure functions: it knows a gateway's
 * defaults and naming rules, and never touches files or the network.
 */

export const GATEWAY_IDS = [
  'portkey',
  'truefoundry',
  'litellm',
  'openrouter',
  'azure',
  'vercel',
  'cloudflare',
  'helicone',
  'custom',
] as const;

export type GatewayId = (typeof GATEWAY_IDS)[number];

/** String → string tables as Codex reads them (`http_headers`, `env_http_headers`, `query_params`). */
export type StringTable = Record<string, string>;

/**
 * The `[model_providers.<id>]` table codexgw writes: values only, in the order a person would
 * write them. `wire_api` is always "responses" (Codex 0.169 rejects anything else).
 */
export interface ProviderTable {
  name: string;
  base_url: string;
  /** Omitted for gateways that take no key (a local LiteLLM without a master key). */
  env_key?: string;
  wire_api: 'responses';
  http_headers?: StringTable;
  env_http_headers?: StringTable;
  query_params?: StringTable;
}

/** A provider table as read from a config file: anything may be missing or mistyped. */
export interface ProviderTableLike {
  name?: unknown;
  base_url?: unknown;
  env_key?: unknown;
  wire_api?: unknown;
  http_headers?: unknown;
  env_http_headers?: unknown;
  query_params?: unknown;
  [key: string]: unknown;
}

export interface HeaderSpec {
  /** The header name, as the gateway documents it. */
  name: string;
  /**
   * How codexgw suggests sending it: `static` goes into `http_headers` (non-secret values),
   * `env` into `env_http_headers` (secrets, or values that change per run).
   */
  source: 'static' | 'env';
  /** Suggested environment variable for `env` headers. */
  envVar?: string;
  description: string;
  example?: string;
}

/** The answer of a base-URL check: the URL Codex should get, or why it cannot be used. */
export type BaseUrlCheck =
  | {
      ok: true;
      /** Normalised: no trailing slash, no query, no endpoint suffix. */
      baseUrl: string;
      /** Query parameters moved out of the URL (Codex would append `/responses` after them). */
      queryParams: StringTable;
      /** What was changed, one sentence each, to show the user. */
      notes: string[];
    }
  | { ok: false; message: string; hint: string };

/** A fix codexgw can apply or print for a model name that loses Codex's model metadata. */
export type ModelFix =
  | {
      kind: 'portkey-provider-header';
      /** The plain model to set. */
      model: string;
      /** The header to add to `http_headers`. */
      header: 'x-portkey-provider';
      value: string;
    }
  | {
      kind: 'truefoundry-routing-rule';
      /** The plain model to set. */
      model: string;
      /** The fully qualified TrueFoundry model the rule routes to. */
      target: string;
      /** The codexgw command that prints the rule. */
      command: string;
    };

export type ModelCheckCode =
  | 'empty'
  | 'whitespace'
  | 'slash-metadata'
  | 'needs-provider'
  | 'needs-prefix'
  | 'needs-routing-rule'
  | 'format';

export type ModelCheck =
  | { level: 'ok' }
  | {
      level: 'warning' | 'error';
      code: ModelCheckCode;
      message: string;
      hint: string;
      fix?: ModelFix;
    };

/** The parts of a provider table a model check may look at (e.g. Portkey's provider header). */
export interface ModelCheckContext {
  http_headers?: unknown;
  env_http_headers?: unknown;
}

export type ModelsReplyShape = 'openai-list' | 'codex-models';

export interface ModelsEndpointSpec {
  /** Appended to the base URL: `GET <base_url>/models`. */
  path: '/models';
  /** Reply shapes the gateway is known to use; codexgw's parser accepts both. */
  shapes: readonly ModelsReplyShape[];
  /** What the list contains on this gateway, for the user. */
  note?: string;
}

export type DetectionReason = 'host' | 'path' | 'env_key' | 'header' | 'port' | 'name';

export interface GatewayDetection {
  gateway: GatewayId;
  /** What gave it away; `host` and `path` are certain, the others are hints. */
  by: DetectionReason;
}

export interface GatewayPreset {
  id: GatewayId;
  displayName: string;
  /** One line for the wizard's list. */
  summary: string;
  /** Provider id codexgw suggests (never a reserved one). Keep it stable: sessions are filed under it. */
  defaultProviderId: string;
  /** The hosted base URL; undefined when every user has their own (the wizard must ask). */
  defaultBaseUrl: string | undefined;
  /** The usual URL of a self-hosted / local install, when there is one. */
  selfHostedBaseUrl?: string;
  /** Shown in prompts and errors. */
  baseUrlExample: string;
  baseUrlHelp: string;
  /** Default environment variable for the key (`env_key`). */
  envKey: string;
  /** Where the user gets a key. */
  keyHelp: string;
  modelExample: string;
  modelHelp: string;
  headers: readonly HeaderSpec[];
  models: ModelsEndpointSpec;
  docsUrl: string;
  normalizeBaseUrl(input: string): BaseUrlCheck;
  /** Extra `query_params` the gateway needs for this base URL (Azure's `api-version`). */
  defaultQueryParams(baseUrl: string): StringTable;
  checkModel(model: string, provider?: ModelCheckContext): ModelCheck;
  /** Recognise a provider table as this gateway from its URL (hints are handled by the registry). */
  detectUrl?(url: URL): DetectionReason | undefined;
}
