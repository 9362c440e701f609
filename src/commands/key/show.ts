import { defineSpec, JSON_OUTPUT, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';
import { authOf } from '../../keys/provider-auth.ts';
import { commandLine } from '../../keys/save.ts';
import { providerKeySources } from '../../keys/sources.ts';

export const spec = defineSpec({
  summary: "show where a provider's key is stored, masked, and whether it resolves",
  args: [{ name: 'provider-id', required: true }],
  options: { profile: PROFILE, json: JSON_OUTPUT },
  examples: ['codexgw key show portkey'],
  help: 'Exit codes: 0 the key resolves, 1 it does not (or no such provider).',
});

export async function run(opts: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const all = await providerKeySources(ctx, opts.profile);
  const entry = all.find((p) => p.id === opts.providerId);
  if (!entry) {
    throw new UserError(`There is no provider "${opts.providerId}" in the config Codex loads here.`, {
      hint: `codexgw key list shows the providers${all.length ? ` (${all.map((p) => p.id).join(', ')})` : ''}.`,
    });
  }
  const { source } = entry;
  const auth = authOf(entry.table);
  if (opts.json) {
    const json = {
      provider: entry.id,
      source: source.kind,
      where: source.where,
      resolves: source.resolves,
      masked: source.masked ?? null,
      authCommand: auth ? commandLine(auth) : null,
      problem: source.problem
        ? { reason: source.problem.reason, message: source.problem.message, hint: source.problem.hint }
        : null,
    };
    println(ctx.stdout, JSON.stringify(json, null, 2));
    return source.resolves ? EXIT.ok : EXIT.failure;
  }
  const c = ctx.color;
  println(ctx.stdout, `provider:  ${entry.id}`);
  println(ctx.stdout, `source:    ${source.kind}`);
  println(ctx.stdout, `where:     ${source.where}`);
  if (auth) println(ctx.stdout, `command:   ${commandLine(auth)}`);
  println(
    ctx.stdout,
    `key:       ${source.resolves ? `${source.masked} ${c.ok('(resolves)')}` : c.danger('does not resolve')}`,
  );
  if (source.problem) {
    println(ctx.stdout, `problem:   ${source.problem.message}`);
    println(ctx.stdout, `fix:       ${source.problem.hint}`);
  } else if (!source.resolves) {
    println(ctx.stdout, `fix:       codexgw key set ${entry.id}`);
  }
  return source.resolves ? EXIT.ok : EXIT.failure;
}
