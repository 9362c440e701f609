import { keyVarState } from '../../app/key-hint.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { isTable } from '../../config/overrides.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UsageError, UserError } from '../../errors.ts';
import { RESERVED_PROVIDER_IDS } from '../../gateways/index.ts';
import { fetchModels } from '../../io/http.ts';
import { withSpinner } from '../../io/prompts.ts';

export const spec = defineSpec({
  summary: "list models from the provider's models endpoint (GET <base>/models)",
  options: {
    provider: { kind: 'value', value: 'id', description: 'provider to ask (default: the active one)' },
    json: JSON_OUTPUT,
    timeout: { kind: 'value', value: 'seconds', description: 'network timeout in seconds (default: 10)' },
    profile: { ...PROFILE, description: 'include $CODEX_HOME/<name>.config.toml' },
  },
  examples: ['codexgw model list', 'codexgw model list --provider tfy --json'],
});

/** What a request to the provider needs, resolved from its table and the environment. */
export interface ProviderRequest {
  id: string;
  baseUrl: string;
  apiKey: string | undefined;
  keyEnvVar: string | undefined;
  headers: Record<string, string>;
  queryParams: Record<string, string>;
}

/**
 * Resolve a provider table into a request the way Codex builds one: the key from `env_key`
 * (required when set: Codex refuses to send a request without it), static `http_headers`,
 * `env_http_headers` whose variable is set and not blank, and `query_params`.
 */
export function resolveProviderRequest(
  id: string,
  providers: unknown,
  env: NodeJS.ProcessEnv,
): ProviderRequest {
  const all = isTable(providers) ? providers : {};
  const table = all[id];
  if (!isTable(table)) {
    const builtIn = (RESERVED_PROVIDER_IDS as readonly string[]).includes(id);
    const defined = Object.keys(all);
    throw new UserError(
      builtIn
        ? `"${id}" is Codex's built-in provider; codexgw lists models of gateway providers ([model_providers.<id>]).`
        : `Provider "${id}" is not defined in any loaded config file.`,
      {
        hint:
          defined.length > 0
            ? `Pick one with --provider (${defined.join(', ')}); see codexgw provider list.`
            : 'Add one with codexgw provider add <gateway> (or codexgw init).',
      },
    );
  }
  const baseUrl = table.base_url;
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw new UserError(`Provider "${id}" has no base_url.`, {
      hint: `Set model_providers.${id}.base_url to the gateway's API root (codexgw provider show ${id}).`,
    });
  }
  let apiKey: string | undefined;
  let keyEnvVar: string | undefined;
  if (typeof table.env_key === 'string' && table.env_key !== '') {
    keyEnvVar = table.env_key;
    const value = env[keyEnvVar];
    // Codex treats unset, empty and whitespace-only alike: it refuses to send the request.
    if (value === undefined || value.trim() === '') {
      throw new UserError(
        `Provider "${id}" reads its API key from $${keyEnvVar}, which is not set in this shell.`,
        {
          hint:
            keyVarState(keyEnvVar, { env }) === 'rc-block'
              ? `It is in codexgw's block in your shell rc: open a new terminal (or eval "$(codexgw env print)").`
              : `Store it with codexgw env set ${keyEnvVar}, then open a new shell (or eval "$(codexgw env print)").`,
        },
      );
    }
    apiKey = value;
  } else if (typeof table.experimental_bearer_token === 'string' && table.experimental_bearer_token !== '') {
    apiKey = table.experimental_bearer_token;
  } else if (isTable(table.auth)) {
    throw new UserError(
      `Provider "${id}" gets its token from a command (auth.command); codexgw does not run it.`,
      {
        hint: 'Ask the gateway directly, or give the provider an env_key for listing models.',
      },
    );
  }
  const headers: Record<string, string> = Object.create(null); // names come from the file
  if (isTable(table.http_headers)) {
    for (const [k, v] of Object.entries(table.http_headers)) if (typeof v === 'string') headers[k] = v;
  }
  if (isTable(table.env_http_headers)) {
    for (const [k, v] of Object.entries(table.env_http_headers)) {
      const value = typeof v === 'string' ? env[v] : undefined;
      if (value !== undefined && value.trim() !== '') headers[k] = value;
    }
  }
  const queryParams: Record<string, string> = Object.create(null);
  if (isTable(table.query_params)) {
    for (const [k, v] of Object.entries(table.query_params)) if (typeof v === 'string') queryParams[k] = v;
  }
  return { id, baseUrl: baseUrl.trim(), apiKey, keyEnvVar, headers, queryParams };
}

export function parseTimeout(raw: string | undefined, fallbackSeconds: number): number {
  if (raw === undefined) return fallbackSeconds * 1000;
  const secs = Number(raw);
  if (!Number.isFinite(secs) || secs <= 0 || secs > 600) {
    throw new UsageError(`--timeout "${raw}" is not a number of seconds between 0 and 600.`, {
      hint: 'e.g. --timeout 10 (or 2.5).',
    });
  }
  return Math.round(secs * 1000);
}

/** `codexgw model list`: the models the active (or given) provider's gateway offers. */
export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const timeoutMs = parseTimeout(options.timeout, 10);
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const active = typeof loaded.merged.model_provider === 'string' ? loaded.merged.model_provider : 'openai';
  const id = options.provider ?? active;
  const req = resolveProviderRequest(id, loaded.merged.model_providers, ctx.env);

  const request = fetchModels({
    baseUrl: req.baseUrl,
    apiKey: req.apiKey,
    headers: req.headers,
    queryParams: req.queryParams,
    keyEnvVar: req.keyEnvVar,
    timeoutMs,
    env: ctx.env,
  });
  const result = await withSpinner(ctx, `Asking ${req.baseUrl} for its models…`, request, {
    quiet: options.json,
  });
  if (!result.ok) throw new UserError(result.message, { hint: result.hint });

  const models = [...result.models].sort((a, b) => a.localeCompare(b));
  if (options.json) {
    println(ctx.stdout, JSON.stringify({ provider: id, baseUrl: req.baseUrl, models }, null, 2));
    return EXIT.ok;
  }
  for (const m of models) println(ctx.stdout, m);
  const c = ctx.errColor;
  const count = models.length === 1 ? '1 model' : `${models.length} models`;
  println(ctx.stderr, c.dim(`${count} from provider "${id}" (${result.url}, ${result.latencyMs} ms)`));
  if (models.length === 0) {
    println(
      ctx.stderr,
      c.warn('The gateway listed no models for this key: check its permissions in the gateway.'),
    );
  }
  return EXIT.ok;
}
