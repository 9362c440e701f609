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
import { isTable } from '../../config/overrides.ts';
import { activeProviderId, findInProfiles } from '../../config/providers.ts';
import { readConfigSource } from '../../config/source.ts';
import { type Context, println } from '../../context.ts';
import { EXIT, UserError } from '../../errors.ts';

export const spec = defineSpec({
  summary: 'remove [model_providers.<id>] (with its leading comments)',
  args: [{ name: 'id', required: true }],
  options: {
    profile: { ...PROFILE, description: 'remove it from $CODEX_HOME/<name>.config.toml' },
    force: { kind: 'flag', description: 'remove it even if it is the active provider' },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: ['codexgw provider remove tfy', 'codexgw provider remove portkey --force --dry-run'],
});

/** `provider remove --json`. */
export interface ProviderRemoveResult {
  id: string;
  file: string;
  /** model_provider named it and was removed too. */
  wasActive: boolean;
  write: WriteReport;
}

/** Remove `[model_providers.<id>]` (and its own leading comments) from the user config or a profile. */
export async function run(
  options: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<ProviderRemoveResult>> {
  const id = options.id;
  const target = configTarget(ctx, options.profile);
  const onDisk = readConfigSource(target.file).value.model_providers;
  if (!isTable(onDisk) || !isTable(onDisk[id])) {
    const elsewhere = findInProfiles(target.home.dir, id).filter((p) => p !== options.profile);
    throw new UserError(`Provider "${id}" is not defined in ${target.label}.`, {
      hint: elsewhere.length
        ? `It is defined in profile ${elsewhere.map((p) => `"${p}"`).join(', ')}: add --profile ${elsewhere[0]}.`
        : 'Run `codexgw provider list` to see the providers and where each is defined.',
    });
  }
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const active = activeProviderId(loaded) === id;
  if (active && !options.force) {
    throw new UserError(
      `Provider "${id}" is the active provider; removing it would leave model_provider naming a provider that does not exist, which Codex refuses to load.`,
      {
        hint: `Switch first (codexgw use <other-id>), or pass --force to remove it and its model_provider line (Codex then falls back to openai).`,
      },
    );
  }
  const parsed = loaded.layers.map((l) => l.source);
  const plan = planConfigEdit(target, (doc) => {
    doc.delete(['model_providers', id]);
    if (active && doc.get(['model_provider']) === id) doc.delete(['model_provider']);
  });
  const write = await applyPlansReport([plan], ctx, { dryRun: options.dryRun, json: options.json, parsed });
  if (options.json) return outcome({ id, file: target.file, wasActive: active, write });
  const written = !write.dryRun;
  const c = ctx.errColor;
  println(
    ctx.stderr,
    `${c.ok('✓')} ${written ? 'Removed' : 'Would remove'} provider "${id}" from ${target.label}.`,
  );
  if (active)
    println(
      ctx.stderr,
      c.dim('model_provider was removed too: Codex now uses its default provider (openai).'),
    );
  println(
    ctx.stderr,
    c.dim(
      `Sessions filed under "${id}" stay on disk; \`codex resume\` shows them again if you add "${id}" back.`,
    ),
  );
  return EXIT.ok;
}
