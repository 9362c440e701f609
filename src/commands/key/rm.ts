import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';
import { detectGateway, PRESETS } from '../../gateways/index.ts';
import { askInput } from '../../io/prompts.ts';
import { authOf, clearProviderAuth, providerTable } from '../../keys/provider-auth.ts';
import { backendOf, classifyAuth, findStoredKey, type KeyLocation } from '../../keys/store.ts';
import { assertVarName } from '../../shell/quote.ts';

export const spec = defineSpec({
  summary: "delete a provider's stored key, and say what the provider reads instead",
  args: [{ name: 'provider-id', required: true }],
  options: {
    envKey: {
      kind: 'value',
      value: 'VAR',
      description: 'the provider reads its key from this environment variable from now on (env_key)',
    },
    profile: {
      kind: 'value',
      short: 'p',
      value: 'name',
      description: 'the provider is in $CODEX_HOME/<name>.config.toml instead of config.toml',
    },
    json: { ...JSON_OUTPUT, description: 'print JSON: {provider, removedFrom, wasStored, envKey, write}' },
  },
  examples: ['codexgw key rm portkey', 'codexgw key rm portkey --env-key PORTKEY_API_KEY'],
  help: 'Without --env-key it asks (on a terminal); otherwise the provider is left with no key (no auth, no env_key).\nExit codes: 0 done, 1 nothing stored or the store refused, 2 bad usage.',
});

export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const id = opts.providerId;
  if (opts.envKey !== undefined) assertVarName(opts.envKey);
  const target = configTarget(ctx, opts.profile);
  let table: Record<string, unknown> = {};
  planConfigEdit(target, (doc) => {
    table = providerTable(doc, id);
  });
  const location = await storedLocation(id, table, ctx);
  const c = ctx.errColor;
  if (!location) {
    throw new UserError(`No key is stored for provider "${id}".`, {
      hint: 'codexgw key show shows where its key comes from.',
    });
  }
  const envKey = opts.envKey ?? (await askReplacement(ctx, id, table));
  const removed = await location.backend.remove(location.account);
  println(
    ctx.stderr,
    removed
      ? `${c.ok('✓')} Deleted the key of "${id}" from ${location.backend.where(location.account)}.`
      : `The key of "${id}" was not in ${location.backend.label} any more.`,
  );
  const plan = planConfigEdit(target, (doc) => clearProviderAuth(doc, id, envKey));
  const write: WriteReport | null =
    plan.after !== plan.before ? await applyPlansReport([plan], ctx, { json: opts.json }) : null;
  if (opts.json) {
    const result = {
      provider: id,
      removedFrom: location.backend.where(location.account),
      wasStored: removed,
      envKey: envKey ?? null,
      write,
    };
    println(ctx.stdout, JSON.stringify(result, null, 2));
  }
  if (envKey)
    println(
      ctx.stderr,
      c.dim(`Provider "${id}" reads its key from ${envKey} now: codexgw env set ${envKey}`),
    );
  else
    println(
      ctx.stderr,
      `${c.warn('!')} Provider "${id}" has no key now (Codex sends no Authorization header). Store one with: codexgw key set ${id}`,
    );
  return EXIT.ok;
}

/** The store and item the provider's auth command reads (or, without one, codexgw's item for it). */
async function storedLocation(
  id: string,
  table: Record<string, unknown>,
  ctx: Context,
): Promise<KeyLocation | undefined> {
  const auth = authOf(table);
  const source = auth ? classifyAuth(auth) : undefined;
  if (source && (source.kind === 'secret-service' || source.kind === 'macos-keychain')) {
    return { backend: backendOf(source, ctx)!, account: source.account, providerId: id };
  }
  const { location, lookup } = await findStoredKey(source?.kind === 'codexgw' ? source.providerId : id, ctx);
  if (lookup.status === 'error') throw new UserError(`${lookup.message}.`, { hint: lookup.hint });
  return lookup.status === 'found' ? location : undefined;
}

/** Ask which variable the provider should read instead (empty: none); no question off a terminal. */
async function askReplacement(
  ctx: Context,
  id: string,
  table: Record<string, unknown>,
): Promise<string | undefined> {
  if (!ctx.interactive) return undefined;
  const gateway = detectGateway(table as never)?.gateway;
  const suggestion = PRESETS[gateway ?? 'custom'].envKey;
  const answer = await askInput(ctx, {
    message: `Environment variable provider "${id}" should read its key from instead (empty: none)`,
    default: suggestion,
    flag: '--env-key',
    validate: (v) =>
      v.trim() === '' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim()) || 'Letters, digits and _ only.',
  });
  return answer.trim() === '' ? undefined : answer.trim();
}
