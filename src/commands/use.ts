import { keyHint } from '../app/key-hint.ts';
import { pinHere } from '../app/pins.ts';
import { checkModelForProvider, unknownProvider } from '../app/providers.ts';
import { applyPlansReport, configTarget, planConfigEdit, type WriteReport } from '../app/write-config.ts';
import {
  type CommandOutcome,
  DRY_RUN,
  defineSpec,
  JSON_OUTPUT,
  type OptionsOf,
  outcome,
  PROFILE,
} from '../command-spec.ts';
import { loadConfig } from '../config/layers.ts';
import { activeProviderId, findInProfiles, knownProviderIds, providerInfo } from '../config/providers.ts';
import { type Context, println, tilde } from '../context.ts';
import { EXIT } from '../errors.ts';

export const spec = defineSpec({
  summary: 'switch the active provider (model_provider); with no id, print the active one',
  args: [{ name: 'provider-id' }],
  options: {
    model: { kind: 'value', value: 'model', description: 'also set model' },
    profile: {
      ...PROFILE,
      description: 'switch in $CODEX_HOME/<name>.config.toml (for codex --profile <name>)',
    },
    dryRun: DRY_RUN,
    json: JSON_OUTPUT,
  },
  examples: ['codexgw use portkey', 'codexgw use tfy --model gpt-5.5 --profile work', 'codexgw use --json'],
});

/** `use --json`: the provider now active there, and what was written. */
export interface UseResult {
  provider: string;
  model: string | null;
  /** The provider active before (the same when nothing changed). */
  previous: string;
  file: string | null;
  write: WriteReport | null;
}

/**
 * Switch the active provider, like `kubectl config use-context`: one key (`model_provider`, and
 * `model` with --model) in the one file that owns it — the user config, or a profile file.
 */
export async function run(
  options: OptionsOf<typeof spec>,
  ctx: Context,
): Promise<number | CommandOutcome<UseResult>> {
  const id = options.providerId;
  const loaded = loadConfig({ cwd: ctx.cwd, env: ctx.env, profile: options.profile });
  const c = ctx.errColor;

  if (id === undefined) {
    const active = activeProviderId(loaded);
    const origin = loaded.originOf(['model_provider']);
    if (options.json) {
      const model = typeof loaded.merged.model === 'string' ? loaded.merged.model : null;
      return outcome({ provider: active, model, previous: active, file: origin?.file ?? null, write: null });
    }
    println(ctx.stdout, active);
    println(
      ctx.stderr,
      c.dim(
        origin?.file
          ? `set in ${tilde(origin.file, ctx)}:${origin.line}`
          : 'Codex default (model_provider is not set)',
      ),
    );
    if (!options.profile) explainPin(loaded.home.dir, ctx, false);
    return EXIT.ok;
  }

  const known = knownProviderIds(loaded);
  if (!known.includes(id)) {
    const profiles = findInProfiles(loaded.home.dir, id);
    if (profiles.length && !options.profile) {
      throw unknownProvider(id, known).withHint(
        `"${id}" is defined only in profile ${profiles.map((p) => `"${p}"`).join(', ')}: run \`codexgw use ${id} --profile ${profiles[0]}\` and start Codex with \`codex --profile ${profiles[0]}\`.`,
      );
    }
    throw unknownProvider(id, known);
  }

  const target = configTarget(ctx, options.profile);
  const currentModel = typeof loaded.merged.model === 'string' ? loaded.merged.model : undefined;
  const alreadyActive =
    activeProviderId(loaded) === id && (options.model === undefined || currentModel === options.model);
  if (alreadyActive) {
    const origin = loaded.originOf(['model_provider']);
    const where = origin?.file ? ` (set in ${tilde(origin.file, ctx)}:${origin.line})` : '';
    if (options.json) {
      return outcome({
        provider: id,
        model: currentModel ?? null,
        previous: id,
        file: origin?.file ?? null,
        write: null,
      });
    }
    println(ctx.stderr, `Provider "${id}" is already active${where}. Nothing to change.`);
    return EXIT.ok;
  }

  const provider = providerInfo(loaded, id, ctx.env);
  if (options.model !== undefined) checkModelForProvider(options.model, provider, ctx);

  const parsed = loaded.layers.map((l) => l.source);
  const plan = planConfigEdit(target, (doc) => {
    if (doc.get(['model_provider']) !== id) doc.set(['model_provider'], id);
    if (options.model !== undefined && doc.get(['model']) !== options.model)
      doc.set(['model'], options.model);
  });
  const write = await applyPlansReport([plan], ctx, { dryRun: options.dryRun, json: options.json, parsed });
  const written = !write.dryRun;

  const previous = activeProviderId(loaded);
  if (options.json) {
    return outcome({
      provider: id,
      model: options.model ?? currentModel ?? null,
      previous,
      file: target.file,
      write,
    });
  }
  const verb = written ? 'Switched' : 'Would switch';
  println(
    ctx.stderr,
    `${c.ok('✓')} ${verb} to provider "${id}"${options.model ? ` with model "${options.model}"` : ''} in ${target.label}.`,
  );
  if (previous !== id) {
    println(
      ctx.stderr,
      c.dim(
        `Codex files sessions under the provider id: \`codex resume\` now lists those of "${id}"; switch back to "${previous}" to see its sessions.`,
      ),
    );
  }
  if (options.profile) println(ctx.stderr, c.dim(`Start Codex with: codex --profile ${options.profile}`));
  else explainPin(loaded.home.dir, ctx, true);
  explainShadowing(loaded, Boolean(options.model), ctx);
  const hint =
    provider?.envKey && !provider.envKeySet ? keyHint(provider.envKey, 'provider', ctx) : undefined;
  if (hint)
    println(
      ctx.stderr,
      `${c.warn('!')} ${hint} (Codex stops with "Missing environment variable" without it.)`,
    );
  return EXIT.ok;
}

/** A `codexgw pin` here means codex (through the wrapper) uses the pinned profile, not the default. */
function explainPin(homeDir: string, ctx: Context, switched: boolean): void {
  const pin = pinHere(homeDir, ctx.cwd).pin;
  if (!pin) return;
  const what = switched ? 'The switch changes the default, but here' : 'Here';
  println(
    ctx.stderr,
    `${ctx.errColor.warn('!')} ${what} codex runs with profile "${pin.profile}": ${tilde(pin.root, ctx)} is pinned (codexgw pin; codexgw unpin to undo). To switch that: codexgw use <id> --profile ${pin.profile}`,
  );
}

/** What in this directory would hide the switch: project files cannot choose a provider, and may set model. */
function explainShadowing(loaded: ReturnType<typeof loadConfig>, settingModel: boolean, ctx: Context): void {
  const c = ctx.errColor;
  const projects = loaded.layers.filter((l) => l.kind === 'project' && l.source?.exists);
  if (projects.length === 0) return;
  println(
    ctx.stderr,
    c.dim(
      'This directory has a project .codex/config.toml. Codex ignores model_provider in project files, so the switch applies to every directory; for a per-project choice use a profile: codexgw use <id> --profile <name>, then codex --profile <name>.',
    ),
  );
  const projectModel = loaded.originOf(['model']);
  if (settingModel && projectModel?.layer === 'project') {
    println(
      ctx.stderr,
      `${c.warn('!')} ${tilde(projectModel.file ?? '', ctx)}:${projectModel.line} sets model for this project, which wins over the user config here.`,
    );
  }
}
