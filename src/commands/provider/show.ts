import { loadConfig } from '../../config/layers.ts';
import { knownProviderIds, providerInfo } from '../../config/providers.ts';
import { flatten, toJson } from '../../config/render.ts';
import { didYouMean } from '../../config/schema.ts';
import { formatKeyPath, formatValue } from '../../config/toml-format.ts';
import { type Context, println, tilde } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';
import { isSecretPath, maskConfig } from '../../io/redact.ts';
import { opt, parseOptions } from '../shared-options.ts';
import { toJson as providerJson } from './list.ts';

const optionsSchema = () =>
  opt.object({
    json: opt.optional(opt.boolean()),
    profile: opt.optional(opt.string()),
    positionals: opt.tuple([opt.string()]),
  });

export async function run(rawOptions: unknown, ctx: Context): Promise<number> {
  const options = parseOptions(optionsSchema(), rawOptions);
  const id = options.positionals[0];
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

/** "Unknown provider" with the known ids and a did-you-mean. */
export function unknownProvider(id: string, known: string[]): UserError {
  const guess = didYouMean(id, known);
  return new UserError(`Unknown provider "${id}". Known providers: ${known.join(', ')}.`, {
    hint: guess ? `Did you mean "${guess}"?` : 'Add it with `codexgw provider add <gateway> --id <id>`.',
  });
}
