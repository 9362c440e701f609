import { stringify } from 'smol-toml';
import { loadConfig } from '../../config/layers.ts';
import { isTable } from '../../config/overrides.ts';
import { parseUserKey, toJson } from '../../config/render.ts';
import { formatKeyPath, getIn } from '../../config/toml-format.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';
import { maskConfig } from '../../io/redact.ts';
import { opt, parseOptions } from '../shared-options.ts';
import { showOptions } from './show.ts';

const optionsSchema = () => opt.object({ ...showOptions(), positionals: opt.tuple([opt.string()]) });

export async function run(rawOptions: unknown, ctx: Context): Promise<number> {
  const options = parseOptions(optionsSchema(), rawOptions);
  const key = options.positionals[0];
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
