import { checkModelBasics, normalizeBaseUrlCommon, withPath } from './common.ts';
import type { BaseUrlCheck, GatewayPreset, ModelCheck } from './types.ts';

const EXAMPLE = 'https://<resource>.openai.azure.com/openai/v1';

/** The api-version Codex's own Azure example uses for the pre-v1 `/openai` root. */
export const AZURE_LEGACY_API_VERSION = '2025-04-01-preview';

const AZURE_HOST = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/i;

/**
 * Azure OpenAI serves the Responses API at `<resource>/openai/v1/responses` (the v1 API, no
 * api-version) and, older, at `<resource>/openai/responses?api-version=…`. A bare resource URL
 * gets `/openai/v1`; deployment URLs are refused, Codex names the deployment in `model`.
 */
function normalizeBaseUrl(input: string): BaseUrlCheck {
  const r = normalizeBaseUrlCommon(input, EXAMPLE);
  if (!r.ok) return r;
  const url = new URL(r.baseUrl);
  const path = url.pathname === '/' ? '' : url.pathname;
  const deployment = /^(.*\/openai)\/deployments\/([^/]+)/i.exec(path);
  if (deployment) {
    return {
      ok: false,
      message: `"${r.baseUrl}" is a deployment URL; Codex needs the resource's API root and takes the deployment name as the model.`,
      hint: `Use base URL ${withPath(r.baseUrl, '/openai/v1')} and model "${deployment[2]}".`,
    };
  }
  if (AZURE_HOST.test(url.hostname) && path === '') {
    return {
      ...r,
      baseUrl: withPath(r.baseUrl, '/openai/v1'),
      notes: [...r.notes, 'Added "/openai/v1": Azure serves the Responses API (v1) there.'],
    };
  }
  return r;
}

function defaultQueryParams(baseUrl: string): Record<string, string> {
  // The v1 API needs no api-version; the older /openai root does.
  return /\/openai$/i.test(baseUrl) ? { 'api-version': AZURE_LEGACY_API_VERSION } : {};
}

function checkModel(model: string): ModelCheck {
  const basic = checkModelBasics(model);
  if (basic) return basic;
  if (model.includes('/')) {
    return {
      level: 'error',
      code: 'format',
      message: `"${model}" cannot be an Azure deployment name (deployment names have no "/").`,
      hint: 'Set model to the deployment name shown in Azure AI Foundry (Deployments), e.g. my-gpt-5.',
    };
  }
  return { level: 'ok' };
}

export const azure: GatewayPreset = {
  id: 'azure',
  displayName: 'Azure OpenAI',
  summary: 'Azure OpenAI / Azure AI Foundry (https://<resource>.openai.azure.com/openai/v1)',
  defaultProviderId: 'azure',
  defaultBaseUrl: undefined,
  baseUrlExample: EXAMPLE,
  baseUrlHelp:
    'Your resource endpoint followed by /openai/v1, e.g. https://my-resource.openai.azure.com/openai/v1. The older …/openai root also works, with an api-version query parameter.',
  envKey: 'AZURE_OPENAI_API_KEY',
  keyHelp: 'Key 1 or Key 2 from the resource\'s "Keys and Endpoint" page.',
  modelExample: 'my-gpt-5-deployment',
  modelHelp: 'The deployment name, not the base model name.',
  headers: [
    {
      name: 'api-key',
      source: 'env',
      envVar: 'AZURE_OPENAI_API_KEY',
      description: "Azure's own key header; add it if the resource rejects the key as Authorization: Bearer.",
    },
  ],
  models: {
    path: '/models',
    shapes: ['openai-list'],
    note: 'Lists the models available to the resource, not your deployment names.',
  },
  docsUrl: 'https://learn.microsoft.com/en-us/azure/ai-foundry/openai/api-version-lifecycle',
  normalizeBaseUrl,
  defaultQueryParams,
  checkModel,
  detectUrl: (url) => (AZURE_HOST.test(url.hostname) ? 'host' : undefined),
};
