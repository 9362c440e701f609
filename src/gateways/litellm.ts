import { normalizeBaseUrlCommon, plainNameModelCheck } from './common.ts';
import type { GatewayPreset } from './types.ts';

const EXAMPLE = 'http://localhost:4000/v1';

const checkModel = plainNameModelCheck(
  (model) =>
    `Give the model a plain alias in the proxy's model_list (model_name: ${model.slice(model.lastIndexOf('/') + 1)}, litellm_params.model: ${model}) and use the alias.`,
);

export const litellm: GatewayPreset = {
  id: 'litellm',
  displayName: 'LiteLLM',
  summary: 'LiteLLM proxy (self-hosted, default http://localhost:4000/v1)',
  defaultProviderId: 'litellm',
  defaultBaseUrl: EXAMPLE,
  selfHostedBaseUrl: EXAMPLE,
  baseUrlExample: EXAMPLE,
  baseUrlHelp:
    'Your proxy URL followed by /v1, e.g. http://localhost:4000/v1 or https://litellm.example.com/v1.',
  envKey: 'LITELLM_API_KEY',
  keyHelp: 'A LiteLLM virtual key (or the master key) from the proxy admin UI or /key/generate.',
  modelExample: 'gpt-5.5',
  modelHelp:
    "Use a model_name (alias) defined in the proxy's model_list; plain aliases keep Codex's model metadata.",
  headers: [],
  models: {
    path: '/models',
    shapes: ['openai-list'],
    note: "Lists the proxy's model_list aliases the key may use.",
  },
  docsUrl: 'https://docs.litellm.ai/docs/proxy/client_setup/codex_cli',
  normalizeBaseUrl: (input) => normalizeBaseUrlCommon(input, EXAMPLE),
  defaultQueryParams: () => ({}),
  checkModel,
};
