import type { GatewayId } from '../../src/gateways/index.ts';

/** A realistic base URL for the presets that have no default one (the user must supply it). */
export const SAMPLE_BASE_URL: Partial<Record<GatewayId, string>> = {
  truefoundry: 'https://gateway.truefoundry.ai',
  azure: 'https://my-resource.openai.azure.com/openai/v1',
  cloudflare: 'https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/default/openai',
  custom: 'https://llm.example.com/v1',
};
