import { normalizeBaseUrlCommon, plainNameModelCheck } from './common.ts';
import type { GatewayPreset } from './types.ts';

const EXAMPLE = 'https://llm.example.com/v1';

const checkModel = plainNameModelCheck(
  'If the gateway can alias a plain name to this model, use the plain name; otherwise Codex works with generic metadata (model_catalog_json can supply real metadata).',
);

export const custom: GatewayPreset = {
  id: 'custom',
  displayName: 'Other gateway',
  summary: 'Any gateway that serves the OpenAI Responses API (POST <base>/responses)',
  defaultProviderId: 'gateway',
  defaultBaseUrl: undefined,
  baseUrlExample: EXAMPLE,
  baseUrlHelp: "The gateway's OpenAI-compatible root, usually ending in /v1; Codex appends /responses.",
  envKey: 'LLM_GATEWAY_API_KEY',
  keyHelp: "The gateway's API key; it is sent as Authorization: Bearer.",
  modelExample: 'gpt-5.5',
  modelHelp: "The model id the gateway expects; plain names keep Codex's model metadata.",
  headers: [],
  models: { path: '/models', shapes: ['openai-list', 'codex-models'] },
  docsUrl: 'https://developers.openai.com/codex/config-advanced#custom-model-providers',
  normalizeBaseUrl: (input) => normalizeBaseUrlCommon(input, EXAMPLE),
  defaultQueryParams: () => ({}),
  checkModel,
};
