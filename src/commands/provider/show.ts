import { providerJson, unknownProvider } from '../../app/providers.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { knownProviderIds, providerInfo } from '../../config/providers.ts';
import { flatten, toJson } from '../../config/render.ts';
import { formatKeyPath, formatValue } from '../../config/toml-format.ts';
import { type Context, println, tilde } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { isSecretPath, maskConfig } from '../../io/redact.ts';

export const spec = defineSpec({
  summary: 'show one provider with the origin of each field',
  args: [{ name: 'id', required: true }],
  options: {
    json: JSON_OUTPUT,
    profile: { ...PROFILE, description: 'include $CODEX_HOME/<name>.config.toml' },
  },
  examples: ['codexgw provider show portkey', 'codexgw provider show tfy --json -p work'],
});

export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const id = options.id;
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const info = providerInfo(loaded, id, ctx.env);
  if (!info) throw unknownProvider(id, knownProviderIds(loaded));
  const fields = flatten(info.table).map(([p, v]) => {
    const full = ['model_providers', id, ...p];
    const value = isSecretPath(full, v) ? maskConfig(v, full) : v;
    return { key: formatKeyPath(p), value, origin: loaded.originOf(full) ?? null };
  });
  if (options.json) {
    const doc = {
      ...providerJson(info),
      envKeyValue: info.envKeyMasked,
      table: toJson(maskConfig(info.table, ['model_providers', id])),
      origins: Object.fromEntries(fields.map((f) => [f.key, f.origin])),
    };
    println(ctx.stdout, JSON.stringify(doc, null, 2));
    return EXIT.ok;
  }
  const c = ctx.color;
  println(ctx.stdout, `${c.bold(`[model_providers.${id}]`)}${info.active ? c.ok('  (active)') : ''}`);
  for (const f of fields) {
    const where = f.origin?.file ? `${tilde(f.origin.file, ctx)}:${f.origin.line ?? '?'}` : '-c override';
    println(ctx.stdout, `  ${f.key} = ${formatValue(f.value)}  ${c.dim(`# ${where}`)}`);
  }
  println(ctx.stdout, `  ${c.dim('gateway:')} ${info.gateway ?? 'custom'}`);
  if (info.envKey) {
    println(
      ctx.stdout,
      `  ${c.dim('key:')} ${info.envKey} ${info.envKeySet ? c.ok(`is set (${info.envKeyMasked})`) : c.warn('is not set in this environment')}`,
    );
  }
  return EXIT.ok;
}
