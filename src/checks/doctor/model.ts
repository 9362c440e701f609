import { checkModelName, type ModelCheck, type ModelFix, PRESETS } from '../../gateways/index.ts';
import { activeProvider, customProvider } from './active.ts';
import { type Check, check, type DoctorInput } from './types.ts';

/**
 * The model group: a model is set for the gateway, its name follows the gateway's rules
 * (Portkey `@slug/model`, TrueFoundry `account/model`, …), and it keeps Codex's model metadata
 * (no `/`), with each gateway's own way around that.
 */
export function modelChecks(input: DoctorInput): Check[] {
  const loaded = input.config.loaded;
  if (!loaded) return [check('model.set', 'skipped', 'The config could not be loaded (see above).')];
  const active = activeProvider(loaded);
  const custom = customProvider(active);
  const model = loaded.merged.model;
  const origin = loaded.originOf(['model']);
  const at = { file: origin?.file, line: origin?.line };
  if (!custom) {
    const set =
      typeof model === 'string'
        ? check('model.set', 'ok', `model = "${model}"`, at)
        : check('model.set', 'ok', 'No model is set: Codex uses its own default model.');
    const why = 'Model names are checked against a gateway provider; none is active.';
    return [set, check('model.name', 'skipped', why), check('model.metadata', 'skipped', why)];
  }
  const preset = PRESETS[active.gateway?.gateway ?? 'custom'];
  if (typeof model !== 'string') {
    const why = 'No model is set.';
    return [
      check(
        'model.set',
        'warning',
        `No model is set: Codex sends its own default model name to ${preset.id === 'custom' ? `provider \`${active.id}\`` : preset.displayName}, which the gateway probably does not serve.`,
        {
          fix: `Run \`codexgw model set <model>\` (e.g. ${preset.modelExample}); \`codexgw model list\` shows what the gateway serves.`,
        },
      ),
      check('model.name', 'skipped', why),
      check('model.metadata', 'skipped', why),
    ];
  }
  const result = checkModelName(preset.id, model, custom.table);
  return [
    check('model.set', 'ok', `model = "${model}"`, at),
    nameCheck(model, preset.displayName, result, at),
    metadataCheck(model, result, at),
  ];
}

type At = { file: string | null | undefined; line: number | null | undefined };

function nameCheck(model: string, gateway: string, result: ModelCheck, at: At): Check {
  if (result.level === 'ok' || result.code === 'slash-metadata') {
    return check('model.name', 'ok', `"${model}" follows ${gateway}'s model naming`, at);
  }
  return check('model.name', result.level, result.message, { ...at, fix: result.hint });
}

function metadataCheck(model: string, result: ModelCheck, at: At): Check {
  if (!model.includes('/')) {
    return check(
      'model.metadata',
      'ok',
      `"${model}" has no "/", so Codex looks up its own metadata for it`,
      at,
    );
  }
  const fix =
    result.level !== 'ok' && result.fix ? fixText(result.fix) : result.level !== 'ok' ? result.hint : null;
  const message =
    result.level !== 'ok' && result.code === 'slash-metadata'
      ? result.message
      : `Model "${model}" contains "/", so Codex falls back to generic model metadata (context window, reasoning and tool settings may be wrong).`;
  return check('model.metadata', 'warning', message, {
    ...at,
    fix:
      fix ??
      'Use a plain model name if the gateway can alias one to this model, or supply metadata with model_catalog_json.',
  });
}

function fixText(fix: ModelFix): string {
  if (fix.kind === 'portkey-provider-header') {
    return `Name the provider in a header and keep the model plain: add http_headers = { "${fix.header}" = "${fix.value}" } to the provider, then run \`codexgw model set ${fix.model}\`.`;
  }
  return `Route a plain name on TrueFoundry: run \`${fix.command}\`, apply the rule (tfy apply -f <file>), then run \`codexgw model set ${fix.model}\`.`;
}
