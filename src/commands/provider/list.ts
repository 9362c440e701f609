import { profilesNote } from '../../app/profiles.ts';
import { providerJson } from '../../app/providers.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { activeProviderId, listProviders } from '../../config/providers.ts';
import { type Context, println, tilde } from '../../context.ts';
import { EXIT } from '../../errors.ts';

export const spec = defineSpec({
  summary: 'list providers: id, gateway, base URL, env key (set?), active, where defined',
  options: {
    json: JSON_OUTPUT,
    profile: { ...PROFILE, description: 'include $CODEX_HOME/<name>.config.toml' },
  },
  examples: ['codexgw provider list', 'codexgw provider list --json -p work'],
});

export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const providers = listProviders(loaded, ctx.env);
  const active = activeProviderId(loaded);
  if (options.json) {
    println(ctx.stdout, JSON.stringify({ active, providers: providers.map(providerJson) }, null, 2));
    return EXIT.ok;
  }
  const c = ctx.color;
  if (providers.length === 0) {
    println(
      ctx.stdout,
      'No providers are defined. Add one with `codexgw provider add <gateway>` (or run `codexgw init`).',
    );
  }
  for (const p of providers) {
    const mark = p.active ? c.ok('*') : ' ';
    const key = p.envKey
      ? `${p.envKey} ${p.envKeySet ? c.ok('(set)') : c.warn('(not set)')}`
      : c.dim('no env_key');
    const where = p.origin?.file ? `${tilde(p.origin.file, ctx)}:${p.origin.line ?? '?'}` : '-c override';
    println(
      ctx.stdout,
      `${mark} ${c.bold(p.id)}  ${c.dim(p.gateway ?? 'custom')}  ${p.baseUrl ?? c.warn('(no base_url)')}`,
    );
    println(ctx.stdout, `    key: ${key}   defined in ${c.dim(where)}`);
  }
  if (!providers.some((p) => p.active)) {
    println(ctx.stdout, `${c.ok('*')} ${c.bold(active)}  ${c.dim('built-in')}`);
  }
  const note = profilesNote(loaded, 'codexgw provider list');
  if (note) println(ctx.stderr, `${ctx.errColor.info('note:')} ${note}`);
  return EXIT.ok;
}
