import { type CodexRules, inCatalog } from '../../codex/rules.ts';
import { checkModelName, type ModelCheck, type ModelFix, PRESETS } from '../../gateways/index.ts';
import { activeProvider, customProvider } from './active.ts';
import { type Check, check, type DoctorInput } from './types.ts';

/**
 * The model group: a model is set for the gateway, its name follows the gateway's rules
 * (Portkey `@slug/model`, TrueFoundry `account/model`, …), and Codex has metadata for it: the
 * name is in the bundled catalog of the Codex in use (`codex debug models --bundled`) or in the
 * file model_catalog_json names; otherwise each gateway's own way to a catalog name.
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
    metadataCheck(model, result, at, input),
  ];
}

type At = { file: string | null | undefined; line: number | null | undefined };

function nameCheck(model: string, gateway: string, result: ModelCheck, at: At): Check {
  if (result.level === 'ok' || result.code === 'slash-metadata') {
    return check('model.name', 'ok', `"${model}" follows ${gateway}'s model naming`, at);
  }
  return check('model.name', result.level, result.message, { ...at, fix: result.hint });
}

function metadataCheck(model: string, result: ModelCheck, at: At, input: DoctorInput): Check {
  const rules = input.rules.rules;
  const codex = `Codex ${rules.version}`;
  if (inCatalog(rules, model)) {
    return check('model.metadata', 'ok', `"${model}" is in ${codex}'s bundled model catalog`, at);
  }
  const catalog = input.modelCatalog;
  if (catalog?.slugs?.includes(model)) {
    return check('model.metadata', 'ok', `model_catalog_json (${catalog.file}) describes "${model}"`, at);
  }
  const plain = result.level !== 'ok' && result.fix ? result.fix.model : undefined;
  const message = `${codex} has no metadata for "${model}": it is not in the bundled catalog${catalog ? ` nor in ${catalog.file}${catalog.error ? ` (unreadable: ${catalog.error})` : ''}` : ''}, so Codex warns "Model metadata for \`${model}\` not found" and falls back to generic defaults (context window, reasoning and tool settings may be wrong).`;
  let fix: string;
  if (plain && result.level !== 'ok' && result.fix) {
    fix = fixText(result.fix);
    if (!inCatalog(rules, plain))
      fix += ` "${plain}" is not in ${codex}'s catalog either: ${catalogAdvice(rules, plain)}`;
  } else {
    fix = `Use a model from ${codex}'s catalog if the gateway serves one (e.g. ${catalogExamples(rules)}; Portkey: name the provider in an x-portkey-provider header; TrueFoundry: a routing rule from the catalog name), or ${catalogAdvice(rules, model)}`;
  }
  return check('model.metadata', 'warning', message, { ...at, fix });
}

function catalogExamples(rules: CodexRules): string {
  return rules.models
    .slice(0, 3)
    .map((m) => m.slug)
    .join(', ');
}

function catalogAdvice(rules: CodexRules, model: string): string {
  return `describe "${model}" in a JSON file ({"models":[{"slug":"${model}", …}]}, the shape \`codex debug models --bundled\` prints for Codex ${rules.version}) and set model_catalog_json to it.`;
}

function fixText(fix: ModelFix): string {
  if (fix.kind === 'portkey-provider-header') {
    return `Name the provider in a header and keep the model plain: add http_headers = { "${fix.header}" = "${fix.value}" } to the provider, then run \`codexgw model set ${fix.model}\`.`;
  }
  return `Route a plain name on TrueFoundry: run \`${fix.command}\`, apply the rule (tfy apply -f <file>), then run \`codexgw model set ${fix.model}\`.`;
}
