import { DRY_RUN, defineSpec, type OptionsOf, PROFILE } from '../../command-spec.ts';
import { loadConfig } from '../../config/layers.ts';
import { activeProviderId, type ProviderInfo, providerInfo } from '../../config/providers.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UsageError } from '../../errors.ts';
import { checkModelName, isGatewayId } from '../../gateways/index.ts';
import { applyPlans, configTarget, planConfigEdit } from '../write-config.ts';

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
  const plan = planConfigEdit(
    target,
    (doc) => {
      if (doc.get(['model']) !== model) doc.set(['model'], model);
    },
    parsed,
  );
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

/**
 * Check a model name against the naming rules of the gateway `provider` points at: an error is a
 * usage error (with the gateway's fix); a warning — such as a `/` in the name, which makes Codex
 * fall back to generic model metadata — is printed with the fix and the command goes on.
 */
export function checkModelForProvider(model: string, provider: ProviderInfo | undefined, ctx: Context): void {
  if (model.trim() === '')
    throw new UsageError('The model name is empty.', { hint: 'Pass a model, e.g. gpt-5.' });
  const gateway = provider?.gateway && isGatewayId(provider.gateway) ? provider.gateway : 'custom';
  const check = checkModelName(gateway, model, provider?.table);
  if (check.level === 'ok') return;
  if (check.level === 'error') throw new UsageError(check.message, { hint: check.hint });
  println(ctx.stderr, `${ctx.errColor.warn('!')} ${check.message}`);
  println(ctx.stderr, `  ${ctx.errColor.info('fix:')} ${check.hint}`);
}
