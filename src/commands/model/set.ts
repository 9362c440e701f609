import { checkModelForProvider } from '../../app/providers.ts';
import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../../app/write-config.ts';
import {
  type CommandOutcome,
  DRY_RUN,
  defineSpec,
  JSON_OUTPUT,
  type OptionsOf,
  outcome,
  PROFILE,
} from '../../command-spec.ts';
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
    json: JSON_OUTPUT,
  },
  examples: ['codexgw model set gpt-5.5', 'codexgw model set gpt-5.5 --profile work --dry-run'],
});

/** `model set --json`. */
export interface ModelSetResult {
  model: string;
  file: string | null;
  write: WriteReport | null;
}

/** Set `model` in the user config or a profile file, checked against the active gateway's rules. */
export async function run(
  options: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<ModelSetResult>> {
  const model = options.model;
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const active = activeProviderId(loaded);
  const provider = providerInfo(loaded, active, ctx.env);
  checkModelForProvider(model, provider, ctx);
  if (loaded.merged.model === model) {
    if (options.json) return outcome({ model, file: loaded.originOf(['model'])?.file ?? null, write: null });
    println(ctx.stderr, `model is already "${model}". Nothing to change.`);
    return EXIT.ok;
  }
  const target = configTarget(ctx, options.profile);
  const parsed = loaded.layers.map((l) => l.source);
  const plan = planConfigEdit(target, (doc) => {
    if (doc.get(['model']) !== model) doc.set(['model'], model);
  });
  const write = await applyPlansReport([plan], ctx, { dryRun: options.dryRun, json: options.json, parsed });
  if (options.json) return outcome({ model, file: target.file, write });
  const written = !write.dryRun;
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
