import { normalizeBaseUrlCommon, plainNameModelCheck } from './common.ts';
import type { GatewayPreset } from './types.ts';

const EXAMPLE = 'https://ai-gateway.helicone.ai/v1';

const checkModel = plainNameModelCheck(
  "Helicone's gateway takes plain model ids (e.g. gpt-5.5); use the plain id if it serves one.",
);

export const helicone: GatewayPreset = {
  id: 'helicone',
  displayName: 'Helicone AI Gateway',
  summary: 'Helicone AI Gateway (hosted, https://ai-gateway.helicone.ai/v1)',
  defaultProviderId: 'helicone',
  defaultBaseUrl: EXAMPLE,
  baseUrlExample: EXAMPLE,
  baseUrlHelp: 'Hosted: https://ai-gateway.helicone.ai/v1.',
  envKey: 'HELICONE_API_KEY',
  keyHelp: 'Create an API key in the Helicone dashboard (Settings → API Keys).',
  modelExample: 'gpt-5.5',
  modelHelp: 'Plain model ids, e.g. gpt-5.',
  headers: [
    {
      name: 'Helicone-User-Id',
      source: 'static',
      description: "Attribute requests to a user in Helicone's analytics.",
      example: 'alice@example.com',
    },
    {
      name: 'Helicone-Cache-Enabled',
      source: 'static',
      description: 'Turn on Helicone\'s response cache ("true").',
      example: 'true',
    },
  ],
  models: { path: '/models', shapes: ['openai-list'] },
  docsUrl: 'https://docs.helicone.ai/gateway/integrations/codex',
  normalizeBaseUrl: (input) => normalizeBaseUrlCommon(input, EXAMPLE),
  defaultQueryParams: () => ({}),
  checkModel,
  detectUrl: (url) =>
    url.hostname === 'helicone.ai' || url.hostname.endsWith('.helicone.ai') ? 'host' : undefined,
};
