import type { LoadedConfig } from '../../config/layers.ts';
import { isTable } from '../../config/overrides.ts';
import { isLoopbackHost } from '../../gateways/common.ts';
import { PRESETS } from '../../gateways/index.ts';
import { type ActiveProvider, activeProvider, customProvider, validateFindings, where } from './active.ts';
import { type Check, check, type DoctorInput } from './types.ts';

/** The provider group: the active provider exists, speaks the Responses API, has a usable base URL. */
export function providerChecks(input: DoctorInput): Check[] {
  const loaded = input.config.loaded;
  if (!loaded) return [check('provider.active', 'skipped', 'The config could not be loaded (see above).')];
  const active = activeProvider(loaded);
  return [
    activeCheck(loaded, active, input),
    wireApiCheck(loaded, active, input),
    baseUrlCheck(loaded, active),
  ];
}

function activeCheck(loaded: LoadedConfig, active: ActiveProvider, input: DoctorInput): Check {
  const defined = isTable(loaded.merged.model_providers) ? Object.keys(loaded.merged.model_providers) : [];
  if (!active.origin) {
    if (typeof loaded.merged.openai_base_url === 'string') {
      return check(
        'provider.active',
        'ok',
        `Active provider: the built-in openai, sent to openai_base_url = ${loaded.merged.openai_base_url}`,
      );
    }
    return check(
      'provider.active',
      'warning',
      'No model_provider is set: Codex uses its built-in OpenAI provider, not a gateway.',
      {
        fix: defined.length
          ? `Choose one of your providers: \`codexgw use ${defined[0]}\`${defined.length > 1 ? ` (defined: ${defined.join(', ')})` : ''}.`
          : 'Run `codexgw init` to add a gateway provider and make it active.',
      },
    );
  }
  const at = { file: active.origin.file, line: active.origin.line };
  if (active.builtin && !active.table) {
    return check('provider.active', 'ok', `Active provider: the built-in \`${active.id}\``, at);
  }
  if (!active.table) {
    const f = validateFindings(loaded, input.rules).find((x) => x.id === 'unknown-model-provider');
    return check(
      'provider.active',
      'error',
      f?.message ?? `model_provider = "${active.id}" names a provider that is not defined.`,
      { ...at, fix: f?.fix ?? `Run \`codexgw provider add <gateway> --id ${active.id}\`.` },
    );
  }
  const gateway = active.gateway ? ` (${PRESETS[active.gateway.gateway].displayName})` : '';
  return check(
    'provider.active',
    'ok',
    `Active provider: \`${active.id}\`${gateway}, selected at ${where(active.origin)}, defined at ${where(active.tableOrigin)}`,
    at,
  );
}

function wireApiCheck(loaded: LoadedConfig, active: ActiveProvider, input: DoctorInput): Check {
  const custom = customProvider(active);
  if (!custom) return check('provider.wire-api', 'skipped', 'No custom provider is active.');
  const value = custom.table.wire_api;
  const origin = loaded.originOf(['model_providers', active.id, 'wire_api']);
  if (value === undefined) {
    return check(
      'provider.wire-api',
      'ok',
      'wire_api is not set: Codex uses "responses", the only API it speaks.',
    );
  }
  if (value === 'responses') {
    return check('provider.wire-api', 'ok', 'wire_api = "responses"', {
      file: origin?.file,
      line: origin?.line,
    });
  }
  const f = validateFindings(loaded, input.rules).find(
    (x) =>
      (x.id === 'wire-api-chat' || x.id === 'wire-api-invalid') &&
      x.file === (origin?.file ?? null) &&
      x.line === (origin?.line ?? null),
  );
  return check(
    'provider.wire-api',
    'error',
    f?.message ?? `\`wire_api = ${JSON.stringify(value)}\` is not valid: Codex accepts only "responses".`,
    {
      file: origin?.file,
      line: origin?.line,
      fix: f?.fix ?? 'Set wire_api = "responses" (or remove the line: it is the default).',
    },
  );
}

const ENDPOINT_SUFFIX = /\/(responses|chat\/completions|completions|models)\/*$/i;

function baseUrlCheck(loaded: LoadedConfig, active: ActiveProvider): Check {
  const custom = customProvider(active);
  if (!custom) return check('provider.base-url', 'skipped', 'No custom provider is active.');
  const preset = PRESETS[active.gateway?.gateway ?? 'custom'];
  const at = loaded.originOf(['model_providers', active.id, 'base_url']) ?? active.tableOrigin;
  const origin = { file: at?.file, line: at?.line };
  const raw = custom.table.base_url;
  const table = `[model_providers.${active.id}]`;
  if (raw === undefined) {
    return check(
      'provider.base-url',
      'warning',
      `${table} has no base_url: Codex sends its requests to https://api.openai.com/v1, not to a gateway.`,
      { ...origin, fix: `Add base_url = "${preset.defaultBaseUrl ?? preset.baseUrlExample}" to ${table}.` },
    );
  }
  if (typeof raw !== 'string') {
    return check('provider.base-url', 'error', `base_url in ${table} is not a string.`, {
      ...origin,
      fix: `Write base_url = "${preset.baseUrlExample}".`,
    });
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const normalized = preset.normalizeBaseUrl(raw);
  const suggestion = normalized.ok
    ? `Set base_url = "${normalized.baseUrl}"${
        Object.keys(normalized.queryParams).length
          ? ` and query_params = { ${Object.entries(normalized.queryParams)
              .map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`)
              .join(', ')} }`
          : ''
      } in ${table}.`
    : normalized.hint;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return check(
      'provider.base-url',
      'error',
      `base_url = "${raw}" is not a valid http(s) URL: every request fails (Codex reports "builder error").`,
      { ...origin, fix: suggestion },
    );
  }
  const errors: string[] = [];
  if (url.search !== '') {
    errors.push(
      `it has a query (${url.search}), so Codex would call ${raw.replace(/\/$/, '')}/responses with the path after the query`,
    );
  }
  const suffix = ENDPOINT_SUFFIX.exec(url.pathname);
  if (suffix) errors.push(`it ends in "/${suffix[1]}", but Codex appends "/responses" itself`);
  if (errors.length > 0) {
    return check('provider.base-url', 'error', `base_url = "${raw}" is wrong: ${errors.join('; ')}.`, {
      ...origin,
      fix: suggestion,
    });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return check(
      'provider.base-url',
      'warning',
      `base_url = "${raw}" uses plain http to ${url.host}: the API key travels unencrypted.`,
      { ...origin, fix: `Use https://${url.host}${url.pathname} if the gateway serves it.` },
    );
  }
  if (normalized.ok && normalized.baseUrl !== raw.replace(/\/+$/, '')) {
    return check(
      'provider.base-url',
      'warning',
      `base_url = "${raw}" does not look like a ${preset.displayName} base URL: ${normalized.notes.join(' ')}`,
      { ...origin, fix: suggestion },
    );
  }
  return check(
    'provider.base-url',
    'ok',
    `base_url = ${raw} (Codex calls ${raw.replace(/\/+$/, '')}/responses)`,
    origin,
  );
}
