import { normalizeBaseUrlCommon } from './common.ts';
import { checkVendorModel } from './openrouter.ts';
import type { GatewayPreset } from './types.ts';

const EXAMPLE = 'https://ai-gateway.vercel.sh/v1';

export const vercel: GatewayPreset = {
  id: 'vercel',
  displayName: 'Vercel AI Gateway',
  summary: 'Vercel AI Gateway (hosted, https://ai-gateway.vercel.sh/v1)',
  defaultProviderId: 'vercel',
  defaultBaseUrl: EXAMPLE,
  baseUrlExample: EXAMPLE,
  baseUrlHelp: 'Always https://ai-gateway.vercel.sh/v1.',
  envKey: 'AI_GATEWAY_API_KEY',
  keyHelp: 'Create an AI Gateway API key in the Vercel dashboard (AI Gateway → API Keys).',
  modelExample: 'openai/gpt-5.2-codex',
  modelHelp: 'Ids are <creator>/<model>, e.g. openai/gpt-5.2-codex.',
  headers: [],
  models: { path: '/models', shapes: ['openai-list'], note: 'Lists every model the gateway offers.' },
  docsUrl: 'https://vercel.com/docs/ai-gateway/coding-agents/codex',
  normalizeBaseUrl: (input) => normalizeBaseUrlCommon(input, EXAMPLE),
  defaultQueryParams: () => ({}),
  checkModel: (model) => checkVendorModel(model, 'Vercel AI Gateway', 'openai/gpt-5.2-codex'),
  detectUrl: (url) => (url.hostname === 'ai-gateway.vercel.sh' ? 'host' : undefined),
};
