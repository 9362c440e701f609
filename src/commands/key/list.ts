import { defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';
import { providerKeySources } from '../../keys/sources.ts';

export const spec = defineSpec({
  summary: 'list every provider with its key source (keychain, file, env var, rc block, none)',
  options: { profile: PROFILE, json: JSON_OUTPUT },
  examples: ['codexgw key list', 'codexgw key list --json'],
  help: 'Keys are shown masked. Exit code 0, also when some keys do not resolve (the list says which).',
});

export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const all = await providerKeySources(ctx, opts.profile);
  if (opts.json) {
    const rows = all.map(({ id, source }) => ({
      provider: id,
      source: source.kind,
      where: source.where,
      resolves: source.resolves,
      masked: source.masked ?? null,
      problem: source.problem?.message ?? null,
    }));
    println(ctx.stdout, JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (all.length === 0) {
    println(ctx.stderr, 'No providers are defined. Add one with: codexgw provider add <gateway>');
    return EXIT.ok;
  }
  const c = ctx.color;
  const width = Math.max(...all.map((p) => p.id.length));
  for (const { id, source } of all) {
    const state = source.resolves
      ? c.ok(`✓ ${source.masked}`)
      : c.danger(`✗ ${source.problem?.message ?? 'does not resolve'}`);
    println(ctx.stdout, `${id.padEnd(width)}  ${source.kind.padEnd(8)}  ${state}  ${c.dim(source.where)}`);
  }
  return EXIT.ok;
}
