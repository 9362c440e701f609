/**
 * Rules every gateway preset shares: base-URL normalisation, the basic model-name checks, header
 * and env-var name checks, provider-id rules. Pure functions only.
 */
import { isCredentialName } from '../io/redact.ts';
import type { BaseUrlCheck, ModelCheck, StringTable } from './types.ts';

/**
 * A model name for examples and hints that is in the bundled catalog of every Codex release
 * codexgw has rules for, so Codex keeps its metadata (test/unit/codex-rules.test.ts holds it there).
 */
export const CATALOG_MODEL_EXAMPLE = 'gpt-5.5';

/** Provider ids Codex refuses in `[model_providers.<id>]` (fatal at load; the same in every shipped rule set). */
export const RESERVED_PROVIDER_IDS = ['openai', 'ollama', 'lmstudio'] as const;

/**
 * Built-in ids that are not usable for a gateway either: Codex accepts a table for them but only
 * with `base_url`, `auth`, `http_headers` and `aws.*` (a `name` or `env_key` is fatal).
 */
const RESTRICTED_PROVIDER_IDS = ['amazon-bedrock', 'amazon-bedrock-runtime'] as const;

/** Ids codexgw writes: a bare TOML key that also works unquoted in `codex -c model_provider=<id>`. */
const PROVIDER_ID = /^[A-Za-z0-9_-]+$/;

export type IdCheck = { ok: true } | { ok: false; message: string; hint: string };

export function checkProviderId(id: string): IdCheck {
  if (id === '') {
    return {
      ok: false,
      message: 'The provider id is empty.',
      hint: 'Use a short stable id such as "portkey".',
    };
  }
  if (id.startsWith('-')) {
    return {
      ok: false,
      message: `Provider id "${id}" starts with "-": \`codexgw use ${id}\` and \`codex -c model_provider=…\` would read it as an option.`,
      hint: `Use an id that starts with a letter or digit, e.g. "${id.replace(/^-+/, '') || 'gateway'}".`,
    };
  }
  if ((RESERVED_PROVIDER_IDS as readonly string[]).includes(id)) {
    return {
      ok: false,
      message: `"${id}" is a built-in Codex provider id; Codex refuses to start when config.toml redefines it.`,
      hint: `Pick another id, e.g. "${id}-gateway" (--id ${id}-gateway).`,
    };
  }
  if ((RESTRICTED_PROVIDER_IDS as readonly string[]).includes(id)) {
    return {
      ok: false,
      message: `"${id}" is a built-in Codex provider id that cannot be used for a gateway.`,
      hint: `Pick another id, e.g. "${id.replace(/^amazon-/, '')}-gateway".`,
    };
  }
  if (!PROVIDER_ID.test(id)) {
    return {
      ok: false,
      message: `Provider id "${id}" has characters codexgw does not write (only letters, digits, "_" and "-").`,
      hint: `Use e.g. "${id.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'gateway'}".`,
    };
  }
  return { ok: true };
}

const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isEnvVarName(name: string): boolean {
  return ENV_VAR.test(name);
}

/** RFC 9110 token: what an HTTP header name may contain. Codex silently drops invalid names. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/** Codex silently drops header values it cannot send; control characters are what breaks them. */
export function isHeaderValue(value: string): boolean {
  return !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
}

/**
 * Header names that carry credentials. Their values must come from the environment
 * (`env_http_headers`), never be written into config.toml. The same rule as the output
 * redaction's: `Helicone-Auth`, `Ocp-Apim-Subscription-Key`, `x-portkey-virtual-key` too.
 */
export function isSecretHeaderName(name: string): boolean {
  return isCredentialName(name);
}

/** Endpoint paths users paste by mistake; Codex appends `/responses` itself. */
const ENDPOINT_SUFFIXES = ['/responses', '/chat/completions', '/completions', '/models', '/embeddings'];

const LOOPBACK = /^(localhost|127(?:\.\d+){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * The checks every gateway's base URL goes through. Returns the URL as Codex should get it: no
 * trailing slash (Codex adds `/responses`), no endpoint suffix, query moved to `query_params`
 * (inside base_url it would land before `/responses` and break the path).
 */
export function normalizeBaseUrlCommon(input: string, example: string): BaseUrlCheck {
  const raw = input.trim();
  if (raw === '') {
    return { ok: false, message: 'The base URL is empty.', hint: `Give the gateway's URL, e.g. ${example}.` };
  }
  if (/[<>{}]/.test(raw)) {
    return {
      ok: false,
      message: `The base URL "${raw}" still contains a placeholder.`,
      hint: `Replace the <…> part with your value, e.g. ${example}.`,
    };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    return {
      ok: false,
      message: `The base URL "${raw}" has no scheme.`,
      hint: `Start it with https:// (or http:// for a local gateway), e.g. https://${raw.replace(/^\/+/, '')}.`,
    };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: `"${raw}" is not a valid URL.`, hint: `Use a URL such as ${example}.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      ok: false,
      message: `The base URL must use http or https, not ${url.protocol.replace(/:$/, '')}.`,
      hint: `Use a URL such as ${example}.`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message: 'The base URL contains a user name or password.',
      hint: 'Credentials do not belong in config.toml: remove them from the URL and keep the key in the env_key variable.',
    };
  }
  if (url.hash !== '') {
    return {
      ok: false,
      message: `The base URL "${raw}" has a #fragment.`,
      hint: 'Remove the part from "#" on.',
    };
  }
  const notes: string[] = [];
  const queryParams: StringTable = Object.create(null); // a `__proto__` name stays a name
  if (url.search !== '') {
    for (const [k, v] of url.searchParams) queryParams[k] = v;
    notes.push(
      `Moved the query (${url.search}) into query_params: Codex appends "/responses" to base_url, so a query there breaks the path.`,
    );
  }
  let pathname = url.pathname.replace(/\/+$/, '');
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const suffix of ENDPOINT_SUFFIXES) {
      if (pathname.toLowerCase().endsWith(suffix)) {
        pathname = pathname.slice(0, -suffix.length).replace(/\/+$/, '');
        notes.push(`Removed "${suffix}" from the end: Codex adds "/responses" to the base URL itself.`);
        stripped = true;
      }
    }
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    notes.push(
      `"${url.host}" is reached over plain http: the API key would travel unencrypted. Use https if it serves it.`,
    );
  }
  return { ok: true, baseUrl: `${url.origin}${pathname}`, queryParams, notes };
}

/** Replace the path of an already normalised base URL. */
export function withPath(baseUrl: string, pathname: string): string {
  return `${new URL(baseUrl).origin}${pathname}`;
}

/** The basic checks every model name goes through; undefined when it passes. */
export function checkModelBasics(model: string): ModelCheck | undefined {
  if (model.trim() === '') {
    return {
      level: 'error',
      code: 'empty',
      message: 'The model name is empty.',
      hint: `Give the model id the gateway expects, e.g. ${CATALOG_MODEL_EXAMPLE} (a model in Codex's bundled catalog).`,
    };
  }
  if (/\s/.test(model) || /\p{Cc}/u.test(model)) {
    return {
      level: 'error',
      code: 'whitespace',
      message: `The model name "${model}" contains spaces or control characters.`,
      hint: 'Model ids have no spaces; copy the id exactly as `codexgw model list` prints it.',
    };
  }
  return undefined;
}

/**
 * Why a `/` in a model name matters: Codex looks model metadata up by name in its bundled catalog
 * (`codex debug models --bundled`), and no catalog name has a `/`; it falls back to generic
 * metadata. (A plain name is no promise either: doctor checks it against the catalog.)
 */
export function slashMetadataMessage(model: string): string {
  return (
    `Model "${model}" contains "/", so it is not in Codex's bundled model catalog and Codex falls back to ` +
    'generic metadata ("Model metadata for … not found"): context window, reasoning and tool settings may be wrong.'
  );
}

/** A generic warning for gateways with no plain-name alias mechanism of their own. */
export function genericSlashWarning(model: string, hint: string): ModelCheck {
  return { level: 'warning', code: 'slash-metadata', message: slashMetadataMessage(model), hint };
}

/**
 * The model check of a gateway that takes plain names: the basic rules, then the `/`-metadata
 * warning with that gateway's advice (`advice` may depend on the model).
 */
export function plainNameModelCheck(advice: string | ((model: string) => string)) {
  return (model: string): ModelCheck => {
    const basic = checkModelBasics(model);
    if (basic) return basic;
    if (model.includes('/'))
      return genericSlashWarning(model, typeof advice === 'string' ? advice : advice(model));
    return { level: 'ok' };
  };
}

/** Header names in a provider table's `http_headers` / `env_http_headers`, lower-cased. */
export function headerNamesOf(...tables: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const t of tables) {
    if (t && typeof t === 'object' && !Array.isArray(t)) {
      for (const k of Object.keys(t)) out.add(k.toLowerCase());
    }
  }
  return out;
}
