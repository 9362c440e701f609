import { listProfiles, type ProfileInfo } from '../../app/profiles.ts';
import { defineSpec, JSON_OUTPUT, type OptionsOf } from '../../command-spec.ts';
import { resolveCodexHome } from '../../config/paths.ts';
import { type Context, println, tilde } from '../../context.ts';
import { EXIT } from '../../errors.ts';

export const spec = defineSpec({
  summary: 'list the profile files ($CODEX_HOME/<name>.config.toml): provider, model, how to run each',
  options: { json: JSON_OUTPUT },
  examples: ['codexgw profile list', 'codexgw profile list --json'],
  help: 'Exit codes: 0 (also when there are none), 3 CODEX_HOME is missing.',
});

export interface ProfileListResult {
  home: string;
  profiles: ProfileInfo[];
}

export async function run(o: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const home = resolveCodexHome(ctx.env, ctx.cwd);
  const result: ProfileListResult = { home: home.dir, profiles: listProfiles(home.dir) };
  if (o.json) {
    println(ctx.stdout, JSON.stringify(result, null, 2));
    return EXIT.ok;
  }
  const c = ctx.color;
  if (result.profiles.length === 0) {
    println(
      ctx.stdout,
      `No profile files in ${tilde(home.dir, ctx)}. Make one with \`codexgw init --profile <name>\` or \`codexgw use <provider> -p <name>\`.`,
    );
    return EXIT.ok;
  }
  for (const p of result.profiles) {
    println(ctx.stdout, `${c.bold(p.name)}  ${c.dim(tilde(p.file, ctx))}`);
    if (p.error) {
      println(ctx.stdout, `    ${c.danger('cannot be read:')} ${p.error}`);
      continue;
    }
    const provider = p.provider ?? c.dim('(not set: the user config decides)');
    const defines = p.defines.length ? c.dim(`  defines: ${p.defines.join(', ')}`) : '';
    println(ctx.stdout, `    provider: ${provider}   model: ${p.model ?? c.dim('(not set)')}${defines}`);
    println(ctx.stdout, `    run: ${p.command}`);
  }
  return EXIT.ok;
}
