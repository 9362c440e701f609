import { UsageError } from '../errors.ts';
import { checkModelBasics, normalizeBaseUrlCommon, slashMetadataMessage, withPath } from './common.ts';
import type { BaseUrlCheck, GatewayPreset, ModelCheck } from './types.ts';

const EXAMPLE = 'https://gateway.truefoundry.ai';

/**
 * TrueFoundry has two generations of URLs. The current gateway (gateway.truefoundry.ai, or the
 * URL in the Playground's code snippets) is the OpenAI-compatible root itself and must not get
 * `/api/llm`. Older installs serve the gateway under the control plane at `<cp>/api/llm`; that
 * path is kept, and added when a bare `*.truefoundry.cloud` control-plane URL is given.
 */
function normalizeBaseUrl(input: string): BaseUrlCheck {
  const r = normalizeBaseUrlCommon(input, EXAMPLE);
  if (!r.ok) return r;
  const url = new URL(r.baseUrl);
  const path = url.pathname === '/' ? '' : url.pathname;
  if (url.hostname === 'gateway.truefoundry.ai' && /^\/api\/llm$/i.test(path)) {
    return {
      ...r,
      baseUrl: withPath(r.baseUrl, ''),
      notes: [
        ...r.notes,
        'Removed "/api/llm": the current TrueFoundry gateway is served at the root (its docs say not to add /api/llm).',
      ],
    };
  }
  if (url.hostname.endsWith('.truefoundry.cloud') && path === '') {
    return {
      ...r,
      baseUrl: withPath(r.baseUrl, '/api/llm'),
      notes: [
        ...r.notes,
        'Added "/api/llm": on control-plane URLs (*.truefoundry.cloud) the OpenAI-compatible gateway lives there. Confirm with codexgw model list.',
      ],
    };
  }
  if (/\/api\/llm\/api\/inference\/openai$/i.test(path)) {
    return {
      ...r,
      notes: [
        ...r.notes,
        'This is the legacy …/api/llm/api/inference/openai form; current installs use <control-plane>/api/llm or the gateway URL. Keep it only if codexgw model list works.',
      ],
    };
  }
  return r;
}

/** The plain name a routing rule maps to `target` (the part after the last "/"). */
export function plainNameFor(target: string): string {
  return target.slice(target.lastIndexOf('/') + 1);
}

export function routingRuleCommand(plain: string, target: string): string {
  return `codexgw truefoundry routing-rule --model ${plain} --target ${target}`;
}

function checkModel(model: string): ModelCheck {
  const basic = checkModelBasics(model);
  if (basic) return basic;
  const slash = model.indexOf('/');
  if (slash >= 0) {
    const account = model.slice(0, slash);
    const rest = model.slice(slash + 1);
    if (account === '' || rest === '' || rest.endsWith('/')) {
      return {
        level: 'error',
        code: 'format',
        message: `"${model}" is not a TrueFoundry model id: expected <provider-account>/<model>, e.g. openai-main/gpt-5.`,
        hint: 'List the ids your token may use with codexgw model list.',
      };
    }
    const plain = plainNameFor(model);
    const command = routingRuleCommand(plain, model);
    return {
      level: 'warning',
      code: 'slash-metadata',
      message: slashMetadataMessage(model),
      hint: `Let Codex send the plain name "${plain}" and have a TrueFoundry routing rule map it to ${model}: run ${command}, apply the rule, then set model = "${plain}".`,
      fix: { kind: 'truefoundry-routing-rule', model: plain, target: model, command },
    };
  }
  return {
    level: 'warning',
    code: 'needs-routing-rule',
    message: `TrueFoundry knows models as <provider-account>/<model>; the plain name "${model}" works only through a routing rule that maps it.`,
    hint: `If you have no such rule yet, print one with ${routingRuleCommand(model, `<provider-account>/${model}`)} and apply it with tfy apply -f.`,
  };
}

export const truefoundry: GatewayPreset = {
  id: 'truefoundry',
  displayName: 'TrueFoundry',
  summary: 'TrueFoundry AI Gateway (gateway.truefoundry.ai, or your control plane)',
  defaultProviderId: 'truefoundry',
  defaultBaseUrl: undefined,
  baseUrlExample: EXAMPLE,
  baseUrlHelp:
    "Current gateway: https://gateway.truefoundry.ai (self-hosted: the URL in the Playground's code snippets). Older installs: https://<org>.truefoundry.cloud/api/llm.",
  envKey: 'TFY_API_KEY',
  keyHelp:
    'Use a Personal Access Token or a Virtual Account Token (Settings → API Keys); it is sent as Authorization: Bearer.',
  modelExample: 'openai-main/gpt-5.5 (or gpt-5.5 with a routing rule)',
  modelHelp:
    'Models are <provider-account>/<model>. Codex loses its model metadata on names with "/", so route a plain name to it: codexgw truefoundry routing-rule.',
  headers: [
    {
      name: 'X-TFY-METADATA',
      source: 'static',
      description: 'JSON metadata for logs and for routing rules that match on `when.metadata`.',
      example: '{"client":"codex"}',
    },
    {
      name: 'X-TFY-LOGGING-CONFIG',
      source: 'static',
      description: 'JSON logging options for requests from this provider.',
    },
  ],
  models: {
    path: '/models',
    shapes: ['openai-list'],
    note: 'Lists the <provider-account>/<model> ids the token is allowed to use.',
  },
  docsUrl: 'https://docs.truefoundry.com/gateway/openai-codex-cli',
  normalizeBaseUrl,
  defaultQueryParams: () => ({}),
  checkModel,
  detectUrl: (url) => {
    const h = url.hostname;
    if (
      h === 'truefoundry.ai' ||
      h.endsWith('.truefoundry.ai') ||
      h.endsWith('.truefoundry.cloud') ||
      h.endsWith('.truefoundry.com')
    ) {
      return 'host';
    }
    return /\/api\/llm(\/|$)/.test(url.pathname) ? 'path' : undefined;
  },
};

export interface RoutingRuleInput {
  /** The plain model name Codex sends. */
  model: string;
  /** The `<provider-account>/<model>` it is routed to. */
  target: string;
  /** The config's `name` (free text, shown in TrueFoundry's logs). */
  name?: string;
}

/** Validate routing-rule inputs; throws a UsageError naming the flag at fault. */
export function checkRoutingRuleInput(input: RoutingRuleInput): void {
  const { model, target } = input;
  if (model.trim() === '' || /\s/.test(model)) {
    throw new UsageError(`--model "${model}" is not a model name.`, {
      hint: 'Give the plain name Codex should send, e.g. --model gpt-5.',
    });
  }
  if (model.includes('/')) {
    throw new UsageError(`--model "${model}" contains "/"; it must be the plain name Codex sends.`, {
      hint: `The point of the rule is a name without "/": use --model ${plainNameFor(model) || 'gpt-5.5'} --target ${model}.`,
    });
  }
  const slash = target.indexOf('/');
  if (/\s/.test(target) || slash <= 0 || slash === target.length - 1 || target.endsWith('/')) {
    throw new UsageError(`--target "${target}" is not a TrueFoundry model id.`, {
      hint: `Give <provider-account>/<model> as listed by codexgw model list, e.g. --target openai-main/${model}.`,
    });
  }
}

/** A YAML double-quoted scalar. JSON string syntax is valid YAML, so any text is safe this way. */
function yamlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * The `gateway-load-balancing-config` that routes the plain `model` to `target` (§5 of the
 * gateway notes): one weight-based rule, 100% to the target.
 */
export function routingRuleYaml(input: RoutingRuleInput): string {
  checkRoutingRuleInput(input);
  const name = input.name ?? 'codex-routing';
  const slug = input.model
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const id = `codex-${slug || 'model'}`;
  return [
    `name: ${yamlString(name)}`,
    'type: gateway-load-balancing-config',
    'rules:',
    `  - id: ${yamlString(id)}`,
    '    type: weight-based-routing',
    '    when:',
    `      models: [${yamlString(input.model)}]`,
    '    load_balance_targets:',
    `      - target: ${yamlString(input.target)}`,
    '        weight: 100',
    '',
  ].join('\n');
}
