import { keyHint } from '../../app/key-hint.ts';
import { parsePairs } from '../../app/pairs.ts';
import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import { DRY_RUN, defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { isTable } from '../../config/overrides.ts';
import { type ProviderChanges, setProviderFields } from '../../config/provider-edit.ts';
import { findInProfiles } from '../../config/providers.ts';
import { readConfigSource } from '../../config/source.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UsageError, UserError } from '../../errors.ts';
import { isEnvVarName, isHeaderValue } from '../../gateways/common.ts';
import { checkHeaders, detectGateway, PRESETS } from '../../gateways/index.ts';

export const spec = defineSpec({
  summary: 'change fields of an existing provider; every other byte of the file stays',
  args: [{ name: 'id', required: true, description: 'the provider id ([model_providers.<id>])' }],
  options: {
    baseUrl: {
      kind: 'value',
      value: 'url',
      description: "the gateway's base URL (Codex appends /responses)",
    },
    envKey: { kind: 'value', value: 'VAR', description: 'environment variable holding the API key' },
    name: { kind: 'value', value: 'text', description: 'display name (Codex requires one)' },
    header: { kind: 'list', value: 'K=V', description: 'set a static HTTP header (repeatable)' },
    unsetHeader: { kind: 'list', value: 'K', description: 'remove a static HTTP header (repeatable)' },
    envHeader: {
      kind: 'list',
      value: 'K=VAR',
      description: 'set a header taken from a variable (repeatable)',
    },
    unsetEnvHeader: { kind: 'list', value: 'K', description: 'remove such a header (repeatable)' },
    query: { kind: 'list', value: 'K=V', description: 'set a query parameter (repeatable)' },
    unsetQuery: { kind: 'list', value: 'K', description: 'remove a query parameter (repeatable)' },
    profile: { ...PROFILE, description: 'change it in $CODEX_HOME/<name>.config.toml' },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: [
    'codexgw provider set portkey --base-url https://portkey.internal.example/v1',
    'codexgw provider set portkey --header x-portkey-provider=@openai-prod --unset-header x-portkey-config',
    'codexgw provider set tfy --env-key TFY_API_KEY -p work --dry-run',
  ],
  help: 'Exit codes: 0 changed (or nothing to change), 1 no such provider in that file, 2 bad value, 3 file error.',
});

export interface ProviderSetResult {
  id: string;
  file: string;
  /** One line per field changed: `field: old → new`. */
  changes: string[];
  write: WriteReport | null;
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const target = configTarget(ctx, o.profile);
  const source = readConfigSource(target.file);
  const providers = source.value.model_providers;
  const existing = isTable(providers) ? providers[o.id] : undefined;
  if (!isTable(existing)) {
    const elsewhere = findInProfiles(target.home.dir, o.id).filter((p) => p !== o.profile);
    throw new UserError(`Provider "${o.id}" is not defined in ${target.label}.`, {
      hint: elsewhere.length
        ? `It is defined in profile ${elsewhere.map((p) => `"${p}"`).join(', ')}: add -p ${elsewhere[0]}.`
        : `Add it with \`codexgw provider add <gateway> --id ${o.id}\`; \`codexgw provider list\` shows the others.`,
    });
  }
  const changes = changesFrom(o, existing, ctx);
  let lines: string[] = [];
  const plan = planConfigEdit(target, (doc) => {
    lines = setProviderFields(doc, o.id, changes);
  });
  const result: ProviderSetResult = { id: o.id, file: target.file, changes: lines, write: null };
  if (lines.length > 0)
    result.write = await applyPlansReport([plan], ctx, { dryRun: o.dryRun, json: o.json, parsed: [source] });
  render(result, o, ctx);
  return EXIT.ok;
}

/** The changes the flags ask for, checked as `provider add` checks them (UsageError otherwise). */
function changesFrom(
  o: OptionsOf<typeof spec>,
  existing: Record<string, unknown>,
  ctx: Context,
): ProviderChanges {
  const given =
    o.baseUrl ??
    o.envKey ??
    o.name ??
    [o.header, o.unsetHeader, o.envHeader, o.unsetEnvHeader, o.query, o.unsetQuery].find((l) => l?.length);
  if (given === undefined) {
    throw new UsageError('Nothing to change: pass the fields to set.', {
      hint: `e.g. codexgw provider set ${o.id} --base-url <url> (see --help for every field).`,
    });
  }
  const changes: ProviderChanges = {
    http_headers: checkHeaders(parsePairs(o.header, '--header'), 'static'),
    env_http_headers: checkHeaders(parsePairs(o.envHeader, '--env-header'), 'env'),
    query_params: parsePairs(o.query, '--query'),
    unset: { http_headers: o.unsetHeader, env_http_headers: o.unsetEnvHeader, query_params: o.unsetQuery },
  };
  for (const [k, v] of Object.entries(changes.query_params!)) {
    if (!isHeaderValue(k) || !isHeaderValue(v)) {
      throw new UsageError(`Query parameter "${k}" has an empty name or control characters.`, {
        hint: 'Pass query parameters as --query name=value.',
      });
    }
  }
  if (o.name !== undefined) {
    if (o.name.trim() === '')
      throw new UsageError('--name is empty; Codex requires a non-empty name.', {
        hint: 'Pass e.g. --name "Portkey".',
      });
    changes.name = o.name.trim();
  }
  if (o.envKey !== undefined) {
    if (!isEnvVarName(o.envKey)) {
      throw new UsageError(`"${o.envKey}" is not an environment variable name.`, {
        hint: 'Use letters, digits and "_" (not starting with a digit), e.g. PORTKEY_API_KEY.',
      });
    }
    changes.env_key = o.envKey;
  }
  if (o.baseUrl !== undefined) {
    // The gateway is told from the table as it will be (a self-hosted Portkey stays Portkey).
    const preset = PRESETS[detectGateway({ ...existing, base_url: o.baseUrl })?.gateway ?? 'custom'];
    const url = preset.normalizeBaseUrl(o.baseUrl);
    if (!url.ok) throw new UsageError(url.message, { hint: url.hint });
    for (const note of url.notes) println(ctx.stderr, ctx.errColor.dim(`note: ${note}`));
    changes.base_url = url.baseUrl;
    changes.query_params = { ...url.queryParams, ...changes.query_params };
  }
  return changes;
}

function render(r: ProviderSetResult, o: OptionsOf<typeof spec>, ctx: Context): void {
  if (o.json) {
    println(ctx.stdout, JSON.stringify(r, null, 2));
    return;
  }
  const c = ctx.errColor;
  if (r.changes.length === 0) {
    println(ctx.stderr, `Provider "${r.id}" already has these values. Nothing to change.`);
    return;
  }
  const verb = r.write?.dryRun ? 'Would change' : 'Changed';
  println(ctx.stderr, `${c.ok('✓')} ${verb} provider "${r.id}":`);
  for (const line of r.changes) println(ctx.stderr, c.dim(`    ${line}`));
  if (o.envKey !== undefined) {
    const hint = keyHint(o.envKey, 'provider', ctx);
    if (hint) println(ctx.stderr, `${c.warn('!')} ${hint}`);
  }
}
