import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.ts';
import { UsageError } from '../../src/errors.ts';
import {
  buildProvider,
  buildProviderTable,
  checkModelName,
  checkProviderId,
  detectGateway,
  GATEWAY_IDS,
  getPreset,
  PRESETS,
  parseModelsReply,
  RESERVED_PROVIDER_IDS,
  resolveProviderId,
} from '../../src/gateways/index.ts';
import { SAMPLE_BASE_URL } from '../helpers/gateway-samples.ts';
import { captureContext } from '../helpers/tmp.ts';

describe('registry', () => {
  it('has one preset per gateway the CLI offers, keyed by its id', async () => {
    const program = await buildProgram(captureContext().ctx, () => {});
    const init = program.commands.find((c) => c.name() === 'init')!;
    const choices = init.options.find((o) => o.long === '--gateway')!.argChoices;
    expect(choices).toEqual([...GATEWAY_IDS]);
    for (const id of GATEWAY_IDS) expect(PRESETS[id].id).toBe(id);
  });

  it('never suggests a reserved provider id, and every default id is valid', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(RESERVED_PROVIDER_IDS).not.toContain(preset.defaultProviderId);
      expect(checkProviderId(preset.defaultProviderId)).toEqual({ ok: true });
    }
  });

  it('gives every preset a docs link, an env var, a models endpoint and an example', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(preset.docsUrl).toMatch(/^https:\/\//);
      expect(preset.envKey).toMatch(/^[A-Z_][A-Z0-9_]*$/);
      expect(preset.models.path).toBe('/models');
      expect(preset.baseUrlExample).toMatch(/^https?:\/\//);
      if (preset.defaultBaseUrl)
        expect(preset.normalizeBaseUrl(preset.defaultBaseUrl)).toMatchObject({ ok: true });
      for (const h of preset.headers) {
        if (h.source === 'env') expect(h.envVar).toMatch(/^[A-Z_][A-Z0-9_]*$/);
      }
    }
  });

  it('rejects unknown gateways with the list of known ones', () => {
    expect(() => getPreset('nope')).toThrow(UsageError);
    expect(() => getPreset('nope')).toThrow(/Unknown gateway "nope"/);
  });
});

describe('buildProviderTable', () => {
  it('builds a Portkey table with headers, always wire_api = "responses"', () => {
    const table = buildProviderTable(PRESETS.portkey, {
      httpHeaders: { 'x-portkey-provider': '@openai-prod' },
      envHttpHeaders: { 'x-portkey-config': 'PORTKEY_CONFIG' },
    });
    expect(table).toEqual({
      name: 'Portkey',
      base_url: 'https://api.portkey.ai/v1',
      env_key: 'PORTKEY_API_KEY',
      wire_api: 'responses',
      http_headers: { 'x-portkey-provider': '@openai-prod' },
      env_http_headers: { 'x-portkey-config': 'PORTKEY_CONFIG' },
    });
    expect(Object.keys(table)).toEqual([
      'name',
      'base_url',
      'env_key',
      'wire_api',
      'http_headers',
      'env_http_headers',
    ]);
  });

  it('uses the self-hosted URL on request', () => {
    expect(buildProviderTable(PRESETS.portkey, { selfHosted: true }).base_url).toBe(
      'http://localhost:8787/v1',
    );
    expect(buildProviderTable(PRESETS.litellm).base_url).toBe('http://localhost:4000/v1');
  });

  it('builds a table for every preset (with a sample URL where one is required)', () => {
    for (const id of GATEWAY_IDS) {
      const table = buildProviderTable(PRESETS[id], { baseUrl: SAMPLE_BASE_URL[id] });
      expect(table.wire_api).toBe('responses');
      expect(table.name).not.toBe('');
      expect(table.env_key).toBe(PRESETS[id].envKey);
      expect(table.base_url).not.toMatch(/\/$/);
    }
  });

  it('requires a base URL where the preset has none, naming the flag and an example', () => {
    for (const id of ['truefoundry', 'azure', 'cloudflare', 'custom'] as const) {
      expect(PRESETS[id].defaultBaseUrl).toBeUndefined();
      const err = catchError(() => buildProviderTable(PRESETS[id]));
      expect(err).toBeInstanceOf(UsageError);
      expect(err.hint).toContain('--base-url');
    }
  });

  it('moves a query out of base_url and adds Azure api-version only for the legacy root', () => {
    const legacy = buildProviderTable(PRESETS.azure, { baseUrl: 'https://res.openai.azure.com/openai' });
    expect(legacy.query_params).toEqual({ 'api-version': '2025-04-01-preview' });
    const v1 = buildProviderTable(PRESETS.azure, { baseUrl: 'https://res.openai.azure.com' });
    expect(v1.base_url).toBe('https://res.openai.azure.com/openai/v1');
    expect(v1.query_params).toBeUndefined();
    const q = buildProvider(PRESETS.azure, {
      baseUrl: 'https://res.openai.azure.com/openai?api-version=2024-10-21',
      queryParams: { extra: '1' },
    });
    expect(q.table.base_url).toBe('https://res.openai.azure.com/openai');
    expect(q.table.query_params).toEqual({ 'api-version': '2024-10-21', extra: '1' });
    expect(q.notes.join(' ')).toMatch(/query_params/);
  });

  it('writes no env_key for a keyless gateway', () => {
    expect(buildProviderTable(PRESETS.litellm, { envKey: null })).not.toHaveProperty('env_key');
  });

  it('refuses secrets in static headers, bad header and variable names, and duplicates', () => {
    const cases: [Parameters<typeof buildProviderTable>[1], RegExp][] = [
      [{ httpHeaders: { 'x-portkey-api-key': 'pk-123' } }, /credential/],
      [{ httpHeaders: { Authorization: 'Bearer x' } }, /credential/],
      [{ httpHeaders: { 'bad header': 'x' } }, /not a valid HTTP header name/],
      [{ httpHeaders: { 'x-a': 'line\nbreak' } }, /control characters/],
      [{ envHttpHeaders: { 'x-portkey-config': 'not a var' } }, /not one/],
      [{ envKey: '1BAD' }, /not an environment variable name/],
      [{ name: '  ' }, /name is empty/],
      [{ httpHeaders: { 'X-Portkey-Config': 'pc-1' }, envHttpHeaders: { 'x-portkey-config': 'PC' } }, /both/],
    ];
    for (const [answers, message] of cases) {
      expect(() => buildProviderTable(PRESETS.portkey, answers)).toThrow(message);
    }
    // The same secret header is fine when it comes from the environment.
    expect(
      buildProviderTable(PRESETS.cloudflare, {
        baseUrl: SAMPLE_BASE_URL.cloudflare,
        envHttpHeaders: { 'cf-aig-authorization': 'CF_AIG_AUTHORIZATION' },
      }).env_http_headers,
    ).toEqual({ 'cf-aig-authorization': 'CF_AIG_AUTHORIZATION' });
  });

  it('never produces a base_url with a trailing slash, query or fragment (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), fc.boolean(), (parts, slash) => {
        const input = `https://gw.example.com/${parts.join('/')}${slash ? '/' : ''}`;
        const { base_url } = buildProviderTable(PRESETS.custom, { baseUrl: input });
        expect(base_url).not.toMatch(/\/$|[?#]/);
        expect(base_url.startsWith('https://gw.example.com')).toBe(true);
      }),
    );
  });
});

describe('provider ids', () => {
  it('refuses reserved and restricted ids with a rename hint', () => {
    for (const id of ['openai', 'ollama', 'lmstudio', 'amazon-bedrock', 'amazon-bedrock-runtime']) {
      const r = checkProviderId(id);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.hint).toMatch(/-gateway/);
    }
    expect(() => resolveProviderId(PRESETS.portkey, 'openai')).toThrow(UsageError);
    expect(resolveProviderId(PRESETS.cloudflare)).toBe('cloudflare-ai-gateway');
    expect(checkProviderId('OpenAI')).toEqual({ ok: true }); // ids are case-sensitive in Codex
    expect(checkProviderId('a.b').ok).toBe(false);
    expect(checkProviderId('').ok).toBe(false);
  });
});

describe('base URL normalisation', () => {
  const norm = (id: keyof typeof PRESETS, input: string) => PRESETS[id].normalizeBaseUrl(input);

  it('strips trailing slashes and pasted endpoint paths, with a note', () => {
    expect(norm('portkey', 'https://api.portkey.ai/v1/')).toMatchObject({
      ok: true,
      baseUrl: 'https://api.portkey.ai/v1',
      notes: [],
    });
    const r = norm('custom', 'https://gw.example.com/v1/chat/completions');
    expect(r).toMatchObject({ ok: true, baseUrl: 'https://gw.example.com/v1' });
    if (r.ok) expect(r.notes[0]).toMatch(/Removed "\/chat\/completions"/);
    expect(norm('custom', 'https://gw.example.com/v1/responses/')).toMatchObject({
      baseUrl: 'https://gw.example.com/v1',
    });
  });

  it('rejects what Codex cannot use, with a fix', () => {
    for (const bad of [
      '',
      'api.portkey.ai/v1',
      'ftp://x.example.com',
      'https://user:pw@x.example.com/v1',
      'https://x.example.com/v1#frag',
      'https://gateway.ai.cloudflare.com/v1/<ACCOUNT_ID>/default/openai',
      'http://[bad',
    ]) {
      const r = norm('custom', bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.hint.length).toBeGreaterThan(5);
    }
  });

  it('warns about plain http to a remote host but not to loopback', () => {
    const remote = norm('custom', 'http://gw.example.com/v1');
    expect(remote.ok && remote.notes.join(' ')).toMatch(/unencrypted/);
    expect(norm('custom', 'http://127.0.0.1:4000/v1')).toMatchObject({ notes: [] });
  });

  it('Portkey: adds /v1 to a bare host', () => {
    expect(norm('portkey', 'https://api.portkey.ai')).toMatchObject({ baseUrl: 'https://api.portkey.ai/v1' });
    expect(norm('portkey', 'http://localhost:8787')).toMatchObject({ baseUrl: 'http://localhost:8787/v1' });
  });

  it('TrueFoundry: keeps /api/llm on control planes, drops it on the current gateway', () => {
    expect(norm('truefoundry', 'https://gateway.truefoundry.ai/')).toMatchObject({
      baseUrl: 'https://gateway.truefoundry.ai',
      notes: [],
    });
    expect(norm('truefoundry', 'https://gateway.truefoundry.ai/api/llm')).toMatchObject({
      baseUrl: 'https://gateway.truefoundry.ai',
    });
    expect(norm('truefoundry', 'https://acme.truefoundry.cloud/api/llm/')).toMatchObject({
      baseUrl: 'https://acme.truefoundry.cloud/api/llm',
      notes: [],
    });
    expect(norm('truefoundry', 'https://acme.truefoundry.cloud')).toMatchObject({
      baseUrl: 'https://acme.truefoundry.cloud/api/llm',
    });
    expect(norm('truefoundry', 'https://gateway.example.truefoundry.com/api/llm/responses')).toMatchObject({
      baseUrl: 'https://gateway.example.truefoundry.com/api/llm',
    });
    expect(norm('truefoundry', 'https://tfy.corp.example/api/llm/chat/completions?x=1')).toMatchObject({
      baseUrl: 'https://tfy.corp.example/api/llm',
      queryParams: { x: '1' },
    });
    const legacy = norm('truefoundry', 'https://acme.truefoundry.cloud/api/llm/api/inference/openai');
    expect(legacy.ok && legacy.notes.join(' ')).toMatch(/legacy/);
  });

  it('Azure: refuses deployment URLs, naming the deployment as the model', () => {
    const r = norm(
      'azure',
      'https://res.openai.azure.com/openai/deployments/my-gpt5/chat/completions?api-version=x',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.hint).toContain('model "my-gpt5"');
  });

  it('Cloudflare: adds /openai, refuses other provider endpoints', () => {
    expect(norm('cloudflare', 'https://gateway.ai.cloudflare.com/v1/acc/default')).toMatchObject({
      baseUrl: 'https://gateway.ai.cloudflare.com/v1/acc/default/openai',
    });
    expect(norm('cloudflare', 'https://gateway.ai.cloudflare.com/v1/acc/default/anthropic').ok).toBe(false);
    expect(norm('cloudflare', 'https://gateway.ai.cloudflare.com/v1/acc').ok).toBe(false);
  });
});

describe('checkModelName', () => {
  it('rejects empty names and names with spaces on every gateway', () => {
    for (const id of GATEWAY_IDS) {
      expect(checkModelName(id, '')).toMatchObject({ level: 'error', code: 'empty' });
      expect(checkModelName(id, 'gpt 5')).toMatchObject({ level: 'error', code: 'whitespace' });
    }
  });

  it('Portkey: @slug/model → warning with the provider-header fix', () => {
    const r = checkModelName('portkey', '@openai-prod/gpt-5');
    expect(r).toMatchObject({
      level: 'warning',
      code: 'slash-metadata',
      fix: {
        kind: 'portkey-provider-header',
        model: 'gpt-5',
        header: 'x-portkey-provider',
        value: '@openai-prod',
      },
    });
    if (r.level !== 'ok') {
      expect(r.message).toMatch(/generic/);
      expect(r.hint).toContain('"x-portkey-provider" = "@openai-prod"');
    }
    expect(checkModelName('portkey', '@/gpt-5')).toMatchObject({ level: 'error', code: 'format' });
    expect(checkModelName('portkey', 'openai/gpt-5')).toMatchObject({
      level: 'warning',
      code: 'needs-prefix',
      fix: { model: 'gpt-5', value: '@openai' },
    });
  });

  it('Portkey: a plain name is fine with a provider or config header, a warning without', () => {
    expect(checkModelName('portkey', 'gpt-5')).toEqual({ level: 'ok' });
    expect(
      checkModelName('portkey', 'gpt-5', { http_headers: { 'X-Portkey-Provider': '@openai-prod' } }),
    ).toEqual({
      level: 'ok',
    });
    expect(
      checkModelName('portkey', 'gpt-5', { env_http_headers: { 'x-portkey-config': 'PORTKEY_CONFIG' } }),
    ).toEqual({ level: 'ok' });
    expect(checkModelName('portkey', 'gpt-5', { http_headers: {} })).toMatchObject({
      level: 'warning',
      code: 'needs-provider',
    });
  });

  it('TrueFoundry: account/model → warning with the routing-rule fix; plain → needs a rule', () => {
    const r = checkModelName('truefoundry', 'openai-main/gpt-5');
    expect(r).toMatchObject({
      level: 'warning',
      code: 'slash-metadata',
      fix: {
        kind: 'truefoundry-routing-rule',
        model: 'gpt-5',
        target: 'openai-main/gpt-5',
        command: 'codexgw truefoundry routing-rule --model gpt-5 --target openai-main/gpt-5',
      },
    });
    expect(checkModelName('truefoundry', 'gpt-5')).toMatchObject({
      level: 'warning',
      code: 'needs-routing-rule',
    });
    expect(checkModelName('truefoundry', '/gpt-5')).toMatchObject({ level: 'error', code: 'format' });
    expect(checkModelName('truefoundry', 'openai-main/')).toMatchObject({ level: 'error', code: 'format' });
  });

  it('OpenRouter and Vercel want vendor/model; Azure wants a deployment name', () => {
    expect(checkModelName('openrouter', 'gpt-5')).toMatchObject({ level: 'warning', code: 'needs-prefix' });
    expect(checkModelName('openrouter', 'openai/gpt-5')).toMatchObject({
      level: 'warning',
      code: 'slash-metadata',
    });
    expect(checkModelName('vercel', '/gpt-5')).toMatchObject({ level: 'error', code: 'format' });
    expect(checkModelName('azure', 'my-deployment')).toEqual({ level: 'ok' });
    expect(checkModelName('azure', 'openai/gpt-5')).toMatchObject({ level: 'error', code: 'format' });
  });

  it('plain names are fine on the plain-name gateways; slashes get the metadata warning', () => {
    for (const id of ['litellm', 'cloudflare', 'helicone', 'custom'] as const) {
      expect(checkModelName(id, 'gpt-5')).toEqual({ level: 'ok' });
      const r = checkModelName(id, 'openai/gpt-5');
      expect(r).toMatchObject({ level: 'warning', code: 'slash-metadata' });
      if (r.level !== 'ok') expect(r.hint.length).toBeGreaterThan(10);
    }
  });
});

describe('detectGateway', () => {
  it('recognises each hosted gateway by host', () => {
    const cases: [string, string][] = [
      ['https://api.portkey.ai/v1', 'portkey'],
      ['https://gateway.truefoundry.ai', 'truefoundry'],
      ['https://acme.truefoundry.cloud/api/llm', 'truefoundry'],
      ['https://openrouter.ai/api/v1', 'openrouter'],
      ['https://res.openai.azure.com/openai/v1', 'azure'],
      ['https://ai-gateway.vercel.sh/v1', 'vercel'],
      ['https://gateway.ai.cloudflare.com/v1/a/b/openai', 'cloudflare'],
      ['https://ai-gateway.helicone.ai/v1', 'helicone'],
    ];
    for (const [base_url, gateway] of cases) {
      expect(detectGateway({ base_url }), base_url).toEqual({ gateway, by: 'host' });
    }
  });

  it('falls back to path, header names, env_key and local ports', () => {
    expect(detectGateway({ base_url: 'https://tfy.corp.example/api/llm' })).toEqual({
      gateway: 'truefoundry',
      by: 'path',
    });
    expect(
      detectGateway({ base_url: 'https://gw.corp.example/v1', http_headers: { 'x-portkey-provider': '@a' } }),
    ).toEqual({ gateway: 'portkey', by: 'header' });
    expect(detectGateway({ base_url: 'https://gw.corp.example/v1', env_key: 'TFY_API_KEY' })).toEqual({
      gateway: 'truefoundry',
      by: 'env_key',
    });
    expect(detectGateway({ base_url: 'http://localhost:4000/v1' })).toEqual({
      gateway: 'litellm',
      by: 'port',
    });
    expect(detectGateway({ base_url: 'http://127.0.0.1:8787/v1' })).toEqual({
      gateway: 'portkey',
      by: 'port',
    });
    expect(detectGateway({ base_url: 'https://llm.example.com/v1' })).toBeUndefined();
    expect(detectGateway({ base_url: 42, env_key: [] })).toBeUndefined();
  });
});

describe('parseModelsReply', () => {
  it('reads the OpenAI list, the Codex {models} shape, both, and a bare array', () => {
    expect(parseModelsReply({ object: 'list', data: [{ id: 'a' }, { id: 'b' }] })).toEqual(['a', 'b']);
    expect(parseModelsReply({ models: [{ slug: 'gpt-5' }, 'x'] })).toEqual(['gpt-5', 'x']);
    expect(parseModelsReply({ object: 'list', data: [{ id: 'a' }], models: [] })).toEqual(['a']);
    expect(parseModelsReply({ data: [{ id: 'a' }], models: [{ slug: 'a' }, { slug: 'c' }] })).toEqual([
      'a',
      'c',
    ]);
    expect(parseModelsReply([{ id: 'z' }, { nope: 1 }, null])).toEqual(['z']);
    expect(parseModelsReply({ data: [] })).toEqual([]);
    expect(parseModelsReply({ error: 'x' })).toBeUndefined();
    expect(parseModelsReply('nope')).toBeUndefined();
  });
});

function catchError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    return err as UsageError;
  }
  throw new Error('expected an error');
}
