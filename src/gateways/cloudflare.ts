import { normalizeBaseUrlCommon, plainNameModelCheck, withPath } from './common.ts';
import type { BaseUrlCheck, GatewayPreset } from './types.ts';

const EXAMPLE = 'https://gateway.ai.cloudflare.com/v1/<ACCOUNT_ID>/default/openai';
const HOST = 'gateway.ai.cloudflare.com';

/**
 * Cloudflare URLs are `/v1/<account>/<gateway>/<provider>`. Codex speaks only the OpenAI
 * Responses API, so the provider segment must be `openai` (added when missing).
 */
function normalizeBaseUrl(input: string): BaseUrlCheck {
  const r = normalizeBaseUrlCommon(input, EXAMPLE);
  if (!r.ok) return r;
  const url = new URL(r.baseUrl);
  if (url.hostname !== HOST) return r;
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (parts[0] !== 'v1' || parts.length < 3) {
    return {
      ok: false,
      message: `"${r.baseUrl}" is not a Cloudflare AI Gateway URL: expected https://${HOST}/v1/<account-id>/<gateway-id>/openai.`,
      hint: `Find the account id with wrangler whoami; use "default" as the gateway id for your default gateway, e.g. ${EXAMPLE}.`,
    };
  }
  const [, account, gatewayId, provider, ...rest] = parts;
  if (provider === undefined) {
    return {
      ...r,
      baseUrl: withPath(r.baseUrl, `/v1/${account}/${gatewayId}/openai`),
      notes: [...r.notes, 'Added "/openai": Codex talks to the gateway\'s OpenAI endpoint (Responses API).'],
    };
  }
  if (provider !== 'openai' || rest.length > 0) {
    return {
      ok: false,
      message: `Codex can only use Cloudflare's OpenAI endpoint (…/openai), not "/${[provider, ...rest].join('/')}": it speaks only the OpenAI Responses API.`,
      hint: `Use ${withPath(r.baseUrl, `/v1/${account}/${gatewayId}/openai`)}.`,
    };
  }
  return r;
}

const checkModel = plainNameModelCheck(
  "Cloudflare's OpenAI endpoint takes plain OpenAI model names (e.g. gpt-5.5); drop the vendor prefix.",
);

export const cloudflare: GatewayPreset = {
  id: 'cloudflare',
  displayName: 'Cloudflare AI Gateway',
  summary:
    'Cloudflare AI Gateway, OpenAI endpoint (https://gateway.ai.cloudflare.com/v1/<account>/<gateway>/openai)',
  defaultProviderId: 'cloudflare-ai-gateway',
  defaultBaseUrl: undefined,
  baseUrlExample: EXAMPLE,
  baseUrlHelp:
    'https://gateway.ai.cloudflare.com/v1/<account-id>/<gateway-id>/openai; the account id is in wrangler whoami, and "default" is your default gateway.',
  envKey: 'CLOUDFLARE_API_KEY',
  keyHelp:
    'A Cloudflare API token with the AI Gateway permission (Unified Billing), or your OpenAI key with BYOK.',
  modelExample: 'gpt-5.5',
  modelHelp: 'Plain OpenAI model names that support the Responses API, e.g. gpt-5.5.',
  headers: [
    {
      name: 'cf-aig-authorization',
      source: 'env',
      envVar: 'CF_AIG_AUTHORIZATION',
      description:
        'For authenticated gateways when the key is a provider key: the variable must hold "Bearer <Cloudflare token>".',
    },
  ],
  models: { path: '/models', shapes: ['openai-list'], note: "Proxied to OpenAI's model list." },
  docsUrl: 'https://developers.cloudflare.com/ai-gateway/integrations/coding-agents/openai-codex/',
  normalizeBaseUrl,
  defaultQueryParams: () => ({}),
  checkModel,
  detectUrl: (url) => (url.hostname === HOST ? 'host' : undefined),
};
