import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerChecks } from '../../src/checks/doctor/provider.ts';
import { doctorInput, one, PORTKEY } from '../helpers/doctor.ts';
import { makeWorld } from '../helpers/setup-home.ts';

function withConfig(text: string) {
  const w = makeWorld();
  const file = w.write(path.join(w.codexHome, 'config.toml'), text);
  return { checks: providerChecks(doctorInput(w)), file };
}

const provider = (baseUrl: string, extra = '') =>
  `model = "gpt-5"\nmodel_provider = "gw"\n\n[model_providers.gw]\nname = "GW"\nbase_url = "${baseUrl}"\nenv_key = "GW_KEY"\n${extra}`;

describe('provider.active', () => {
  it('is ok for a defined custom provider, naming the gateway and where it is set', () => {
    const { checks, file } = withConfig(PORTKEY);
    const c = one(checks, 'provider.active');
    expect(c).toMatchObject({ status: 'ok', file, line: 2 });
    expect(c.message).toContain('`portkey` (Portkey)');
    expect(c.message).toContain(`defined at ${file}:4`);
  });

  it('warns when no model_provider is set, offering the defined ones', () => {
    const { checks } = withConfig(PORTKEY.replace('model_provider = "portkey"\n', ''));
    const c = one(checks, 'provider.active');
    expect(c.status).toBe('warning');
    expect(c.fix).toBe('Choose one of your providers: `codexgw use portkey`.');
  });

  it('with nothing defined, points at init', () => {
    const { checks } = withConfig('model = "gpt-5"\n');
    expect(one(checks, 'provider.active').fix).toContain('codexgw init');
  });

  it('is ok for the built-in openai with openai_base_url, and for an explicit built-in', () => {
    expect(
      one(withConfig('openai_base_url = "http://localhost:8080/openai/v1"\n').checks, 'provider.active'),
    ).toMatchObject({
      status: 'ok',
    });
    const c = one(withConfig('model_provider = "ollama"\n').checks, 'provider.active');
    expect(c).toMatchObject({ status: 'ok', line: 1 });
    expect(c.message).toContain('built-in `ollama`');
  });

  it("is an error when model_provider names an undefined provider, with validate's did-you-mean", () => {
    const { checks, file } = withConfig(
      PORTKEY.replace('model_provider = "portkey"', 'model_provider = "portkye"'),
    );
    const c = one(checks, 'provider.active');
    expect(c).toMatchObject({ status: 'error', file, line: 2 });
    expect(c.fix).toContain('Did you mean "portkey"?');
  });
});

describe('provider.wire-api', () => {
  it('is ok for "responses" and for no wire_api at all', () => {
    expect(one(withConfig(PORTKEY).checks, 'provider.wire-api')).toMatchObject({ status: 'ok', line: 8 });
    const c = one(withConfig(provider('https://gw.example.com/v1')).checks, 'provider.wire-api');
    expect(c.status).toBe('ok');
    expect(c.message).toContain('not set');
  });

  it('is an error for "chat" (Portkey\'s guide), with the line and the fix', () => {
    const { checks, file } = withConfig(PORTKEY.replace('"responses"', '"chat"'));
    const c = one(checks, 'provider.wire-api');
    expect(c).toMatchObject({ status: 'error', file, line: 8 });
    expect(c.fix).toContain('wire_api = "responses"');
  });

  it('is an error for any other value', () => {
    const c = one(
      withConfig(provider('https://gw.example.com/v1', 'wire_api = "bogus"\n')).checks,
      'provider.wire-api',
    );
    expect(c.status).toBe('error');
    expect(c.message).toContain('"bogus"');
  });

  it('is skipped for a built-in provider', () => {
    expect(one(withConfig('model_provider = "ollama"\n').checks, 'provider.wire-api').status).toBe('skipped');
  });
});

describe('provider.base-url', () => {
  it('is ok for an https gateway URL, and for http on loopback', () => {
    expect(one(withConfig(PORTKEY).checks, 'provider.base-url')).toMatchObject({ status: 'ok', line: 6 });
    expect(one(withConfig(provider('http://127.0.0.1:4000/v1')).checks, 'provider.base-url').status).toBe(
      'ok',
    );
    expect(one(withConfig(provider('http://localhost:8787/v1')).checks, 'provider.base-url').status).toBe(
      'ok',
    );
  });

  it('is an error for a /responses or /chat/completions suffix, with the corrected URL', () => {
    for (const suffix of ['/responses', '/chat/completions']) {
      const c = one(withConfig(provider(`https://gw.example.com/v1${suffix}`)).checks, 'provider.base-url');
      expect(c.status).toBe('error');
      expect(c.message).toContain(`ends in "${suffix}"`);
      expect(c.fix).toBe('Set base_url = "https://gw.example.com/v1" in [model_providers.gw].');
    }
  });

  it('is an error for a ?query, moving it to query_params', () => {
    const c = one(
      withConfig(provider('https://x.openai.azure.com/openai/v1?api-version=2025-04-01')).checks,
      'provider.base-url',
    );
    expect(c.status).toBe('error');
    expect(c.message).toContain('query');
    expect(c.fix).toContain('query_params = { "api-version" = "2025-04-01" }');
  });

  it('is an error for something that is not an http(s) URL', () => {
    for (const bad of ['api.portkey.ai/v1', 'ftp://gw.example.com', 'https://']) {
      expect(one(withConfig(provider(bad)).checks, 'provider.base-url').status).toBe('error');
    }
  });

  it('warns about plain http to a remote host (the key travels unencrypted)', () => {
    const c = one(withConfig(provider('http://gw.example.com/v1')).checks, 'provider.base-url');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('https://gw.example.com/v1');
  });

  it('warns when the URL does not fit the gateway (Portkey without /v1)', () => {
    const c = one(
      withConfig(PORTKEY.replace('https://api.portkey.ai/v1', 'https://api.portkey.ai')).checks,
      'provider.base-url',
    );
    expect(c.status).toBe('warning');
    expect(c.fix).toBe('Set base_url = "https://api.portkey.ai/v1" in [model_providers.portkey].');
  });

  it('warns when base_url is missing (requests would go to OpenAI)', () => {
    const c = one(
      withConfig('model_provider = "gw"\n[model_providers.gw]\nname = "GW"\nenv_key = "K"\n').checks,
      'provider.base-url',
    );
    expect(c.status).toBe('warning');
    expect(c.message).toContain('api.openai.com');
  });

  it('is skipped for a built-in provider', () => {
    expect(one(withConfig('').checks, 'provider.base-url').status).toBe('skipped');
  });
});
