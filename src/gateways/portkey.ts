import {
  checkModelBasics,
  headerNamesOf,
  normalizeBaseUrlCommon,
  slashMetadataMessage,
  withPath,
} from './common.ts';
import type { BaseUrlCheck, GatewayPreset, ModelCheck, ModelCheckContext } from './types.ts';

const EXAMPLE = 'https://api.portkey.ai/v1';

/** Headers that tell Portkey which provider serves a plain model name. */
const ROUTING_HEADERS = ['x-portkey-provider', 'x-portkey-config', 'x-portkey-virtual-key'];

function normalizeBaseUrl(input: string): BaseUrlCheck {
  const r = normalizeBaseUrlCommon(input, EXAMPLE);
  if (!r.ok) return r;
  const path = new URL(r.baseUrl).pathname;
  // Portkey's API (SaaS, self-hosted and enterprise URLs alike) lives under /v1.
  if (path === '' || path === '/') {
    return {
      ...r,
      baseUrl: withPath(r.baseUrl, '/v1'),
      notes: [...r.notes, 'Added "/v1": Portkey serves its API, /v1/responses included, under /v1.'],
    };
  }
  if (!/\/v1$/.test(path)) {
    return {
      ...r,
      notes: [
        ...r.notes,
        `Portkey base URLs normally end in "/v1" (Codex will call ${r.baseUrl}/responses); check it with codexgw model list.`,
      ],
    };
  }
  return r;
}

function checkModel(model: string, provider?: ModelCheckContext): ModelCheck {
  const basic = checkModelBasics(model);
  if (basic) return basic;
  const catalog = /^@([^/]*)\/(.*)$/.exec(model);
  if (catalog) {
    const [, slug = '', plain = ''] = catalog;
    if (slug === '' || plain === '') {
      return {
        level: 'error',
        code: 'format',
        message: `"${model}" is not a Portkey model id: expected @<provider-slug>/<model>, e.g. @openai-prod/gpt-5.`,
        hint: "The slug is the provider integration name from Portkey's Model Catalog; list valid ids with codexgw model list.",
      };
    }
    return {
      level: 'warning',
      code: 'slash-metadata',
      message: slashMetadataMessage(model),
      hint: `Use the plain model and name the provider in a header instead: model = "${plain}" and http_headers = { "x-portkey-provider" = "@${slug}" }.`,
      fix: { kind: 'portkey-provider-header', model: plain, header: 'x-portkey-provider', value: `@${slug}` },
    };
  }
  if (model.includes('/')) {
    const [head = '', ...rest] = model.split('/');
    return {
      level: 'warning',
      code: 'needs-prefix',
      message: `"${model}" is not in Portkey's Model Catalog form (@<provider-slug>/<model>), and its "/" also makes Codex fall back to generic model metadata.`,
      hint: `If "${head}" is your provider slug, set model = "${rest.join('/')}" and http_headers = { "x-portkey-provider" = "@${head}" }.`,
      fix: {
        kind: 'portkey-provider-header',
        model: rest.join('/'),
        header: 'x-portkey-provider',
        value: `@${head}`,
      },
    };
  }
  if (provider) {
    const names = headerNamesOf(provider.http_headers, provider.env_http_headers);
    if (!ROUTING_HEADERS.some((h) => names.has(h))) {
      return {
        level: 'warning',
        code: 'needs-provider',
        message: `Portkey cannot tell which provider serves "${model}": the provider sends no x-portkey-provider or x-portkey-config header.`,
        hint: `Add http_headers = { "x-portkey-provider" = "@<provider-slug>" } (keeps "${model}" plain, so Codex keeps its model metadata), or attach a default config to the Portkey API key.`,
      };
    }
  }
  return { level: 'ok' };
}

export const portkey: GatewayPreset = {
  id: 'portkey',
  displayName: 'Portkey',
  summary: 'Portkey AI Gateway (hosted at api.portkey.ai, or self-hosted)',
  defaultProviderId: 'portkey',
  defaultBaseUrl: EXAMPLE,
  selfHostedBaseUrl: 'http://localhost:8787/v1',
  baseUrlExample: EXAMPLE,
  baseUrlHelp:
    'Hosted: https://api.portkey.ai/v1. Open-source gateway (npx @portkey-ai/gateway): http://localhost:8787/v1. Enterprise: your gateway URL ending in /v1.',
  envKey: 'PORTKEY_API_KEY',
  keyHelp: 'Create an API key in the Portkey dashboard (API Keys); it is sent as Authorization: Bearer.',
  modelExample: 'gpt-5.5 (with x-portkey-provider: @openai-prod) or @openai-prod/gpt-5.5',
  modelHelp:
    'Model Catalog ids are @<provider-slug>/<model>. Prefer the plain model plus an x-portkey-provider header: Codex then keeps its model metadata.',
  headers: [
    {
      name: 'x-portkey-provider',
      source: 'static',
      description:
        'Provider slug from the Model Catalog (e.g. @openai-prod); lets the model name stay plain.',
      example: '@openai-prod',
    },
    {
      name: 'x-portkey-config',
      source: 'env',
      envVar: 'PORTKEY_CONFIG',
      description:
        'Saved config id (pc-…) or inline JSON for routing, fallback, load balancing, caching, retries.',
      example: 'pc-codex-fallback',
    },
    {
      name: 'x-portkey-metadata',
      source: 'env',
      envVar: 'PORTKEY_METADATA',
      description: 'JSON metadata (e.g. {"_user":"alice"}) for filtering logs and analytics.',
      example: '{"_user":"alice","_environment":"dev"}',
    },
  ],
  models: {
    path: '/models',
    shapes: ['openai-list'],
    note: "Without a provider header it lists the workspace Model Catalog (@slug/model ids); with x-portkey-provider, that provider's models.",
  },
  docsUrl: 'https://portkey.ai/docs/integrations/libraries/codex',
  normalizeBaseUrl,
  defaultQueryParams: () => ({}),
  checkModel,
  detectUrl: (url) =>
    url.hostname === 'portkey.ai' || url.hostname.endsWith('.portkey.ai') ? 'host' : undefined,
};
