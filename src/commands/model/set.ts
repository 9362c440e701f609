import { checkModelForProvider } from '../../app/providers.ts';
import { applyPlans, configTarget, planConfigEdit } from '../../app/write-config.ts';
import { DRY_RUN, defineSpec, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { activeProviderId, providerInfo } from '../../config/providers.ts';
import { type Context, println } from '../../context.ts';
import { EXIT } from '../../errors.ts';

export const spec = defineSpec({
  summary: "set model, checked against the active provider's gateway naming rules",
  args: [{ name: 'model', required: true }],
  options: {
    profile: { ...PROFILE, description: 'set it in $CODEX_HOME/<name>.config.toml' },
    dryRun: DRY_RUN,
  },
  examples: ['codexgw model set gpt-5.5', 'codexgw model set gpt-5.5 --profile work --dry-run'],
});

/** Set `model` in the user config or a profile file, checked against the active gateway's rules. */
export async function run(options: OptionsOf<typeof spec>, ctx: Context): Promise<number> {
  const model = options.model;
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const active = activeProviderId(loaded);
  const provider = providerInfo(loaded, active, ctx.env);
  checkModelForProvider(model, provider, ctx);
  if (loaded.merged.model === model) {
    println(ctx.stderr, `model is already "${model}". Nothing to change.`);
    return EXIT.ok;
  }
  const target = configTarget(ctx, options.profile);
  const parsed = loaded.layers.map((l) => l.source);
  const plan = planConfigEdit(target, (doc) => {
    if (doc.get(['model']) !== model) doc.set(['model'], model);
  });
  const written = await applyPlans([plan], ctx, options.dryRun, parsed);
  println(
    ctx.stderr,
    `${ctx.errColor.ok('✓')} ${written ? 'Set' : 'Would set'} model = "${model}" in ${target.label}.`,
  );
  const projectModel = loaded.originOf(['model']);
  if (projectModel?.layer === 'project') {
    println(
      ctx.stderr,
      `${ctx.errColor.warn('!')} ${projectModel.file}:${projectModel.line} sets model for this project, which wins over ${target.label} here.`,
    );
  }
  return EXIT.ok;
}
