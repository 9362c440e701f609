import { checkModelBasics, genericSlashWarning, normalizeBaseUrlCommon } from './common.ts';
import type { GatewayPreset, ModelCheck } from './types.ts';

const EXAMPLE = 'https://openrouter.ai/api/v1';

/** Shared by gateways whose ids are always `<vendor>/<model>` (OpenRouter, Vercel). */
export function checkVendorModel(model: string, gateway: string, example: string): ModelCheck {
  const basic = checkModelBasics(model);
  if (basic) return basic;
  const slash = model.indexOf('/');
  if (slash < 0) {
    return {
      level: 'warning',
      code: 'needs-prefix',
      message: `${gateway} model ids carry the vendor (e.g. ${example}); "${model}" has none.`,
      hint: `Use the full id, e.g. openai/${model}; list them with codexgw model list.`,
    };
  }
  if (slash === 0 || slash === model.length - 1) {
    return {
      level: 'error',
      code: 'format',
      message: `"${model}" is not a ${gateway} model id: expected <vendor>/<model>, e.g. ${example}.`,
      hint: 'List valid ids with codexgw model list.',
    };
  }
  return genericSlashWarning(
    model,
    `${gateway} has no plain-name alias, so this is expected: Codex works with generic metadata. To give it real metadata, point model_catalog_json at a catalog that lists "${model}".`,
  );
}

export const openrouter: GatewayPreset = {
  id: 'openrouter',
  displayName: 'OpenRouter',
  summary: 'OpenRouter (hosted, https://openrouter.ai/api/v1)',
  defaultProviderId: 'openrouter',
  defaultBaseUrl: EXAMPLE,
  baseUrlExample: EXAMPLE,
  baseUrlHelp: 'Always https://openrouter.ai/api/v1.',
  envKey: 'OPENROUTER_API_KEY',
  keyHelp: 'Create a key (sk-or-…) at https://openrouter.ai/keys.',
  modelExample: 'openai/gpt-5',
  modelHelp:
    'Ids are <vendor>/<model>, e.g. openai/gpt-5; Codex needs a model that speaks the Responses API.',
  headers: [
    {
      name: 'HTTP-Referer',
      source: 'static',
      description: "Your app or site URL, for attribution in OpenRouter's rankings.",
      example: 'https://example.com',
    },
    {
      name: 'X-Title',
      source: 'static',
      description: "Your app's display name, for attribution.",
      example: 'Codex',
    },
  ],
  models: { path: '/models', shapes: ['openai-list'], note: 'Lists every public OpenRouter model.' },
  docsUrl: 'https://openrouter.ai/docs/guides/coding-agents/codex-cli',
  normalizeBaseUrl: (input) => normalizeBaseUrlCommon(input, EXAMPLE),
  defaultQueryParams: () => ({}),
  checkModel: (model) => checkVendorModel(model, 'OpenRouter', 'openai/gpt-5'),
  detectUrl: (url) =>
    url.hostname === 'openrouter.ai' || url.hostname.endsWith('.openrouter.ai') ? 'host' : undefined,
};
