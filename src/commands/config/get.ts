import { stringify } from 'smol-toml';
import { defineSpec, type OptionsOf, OVERRIDES, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { isTable } from '../../config/overrides.ts';
import { parseUserKey, toJson } from '../../config/render.ts';
import { formatKeyPath, getIn } from '../../config/toml-format.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';
import { maskConfig } from '../../io/redact.ts';

export const spec = defineSpec({
  summary: 'print one merged value (exit 1 when unset)',
  args: [{ name: 'key', required: true, description: 'a dotted key, segments quoted as in TOML' }],
  options: {
    json: { kind: 'flag', description: 'print the value as JSON' },
    origin: { kind: 'flag', description: 'also print where the value came from' },
    profile: PROFILE,
    config: OVERRIDES,
  },
  examples: [
    'codexgw config get model_provider',
    'codexgw config get model_providers.portkey.base_url --origin',
  ],
});

export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const key = options.key;
  const keyPath = parseUserKey(key);
  const loaded = loadConfig({
    cwd: ctx.cwd,
    env: ctx.env,
    profile: options.profile,
    overrides: options.config,
  });
  const raw = getIn(loaded.merged, keyPath);
  if (raw === undefined) {
    throw new UserError(`\`${formatKeyPath(keyPath)}\` is not set in any config layer.`, {
      hint: 'Run `codexgw config show --origin` to see every value that is set and where.',
    });
  }
  const value = maskConfig(raw, keyPath);
  const origin = loaded.originOf(keyPath);
  if (options.json) {
    const doc = options.origin
      ? { key: formatKeyPath(keyPath), value: toJson(value), origin }
      : toJson(value);
    println(ctx.stdout, JSON.stringify(doc, null, 2));
    return EXIT.ok;
  }
  if (isTable(value)) ctx.stdout.write(stringify(toJson(value) as Record<string, unknown>).trimEnd() + '\n');
  else if (Array.isArray(value)) println(ctx.stdout, JSON.stringify(toJson(value)));
  else println(ctx.stdout, String(toJson(value)));
  if (options.origin && origin) {
    const where = origin.file
      ? `${origin.file}:${origin.line ?? '?'}:${origin.column ?? '?'}`
      : '-c override';
    println(ctx.stdout, ctx.color.dim(`# from ${origin.layer} ${where}`));
  }
  return EXIT.ok;
}
