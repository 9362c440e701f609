/**
 * Proves each Codex-oracle helper works against the real binary, and that what codexgw's gateway
 * presets write is accepted by Codex and produces the request the gateway expects.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildProviderTable,
  GATEWAY_IDS,
  PRESETS,
  type ProviderTable,
  RESERVED_PROVIDER_IDS,
} from '../../src/gateways/index.ts';
import {
  codexBinary,
  codexCheck,
  codexConfigRead,
  codexExec,
  codexSandbox,
  codexStrictCheck,
  filterNoise,
} from '../helpers/codex.ts';
import { closedPort, type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { SAMPLE_BASE_URL } from '../helpers/gateway-samples.ts';

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

function writeConfig(codexHome: string, value: Record<string, unknown>, name = 'config.toml'): string {
  const file = path.join(codexHome, name);
  writeFileSync(file, `${stringify(value)}\n`);
  return file;
}

describe('codexBinary', () => {
  it('finds the pinned Codex', () => {
    expect(codexBinary()).toMatch(/node_modules\/@openai\/codex\/bin\/codex\.js$/);
    expect(codexBinary('0.171.0')).toMatch(/node_modules\/codex-0\.171\.0\/bin\/codex\.js$/);
  });

  it('filters the harmless warnings only', () => {
    const text = [
      'WARNING: proceeding, even though we could not create PATH aliases: Refusing …',
      'warning: Codex could not find bubblewrap on PATH. Codex will use the bundled bubblewrap',
      'ERROR: real problem',
    ].join('\n');
    expect(filterNoise(text)).toBe('ERROR: real problem');
  });
});

describe('codexStrictCheck / codexCheck', () => {
  it('passes a valid config', async () => {
    const s = codexSandbox();
    writeConfig(s.codexHome, {
      model: 'gpt-5',
      model_provider: 'portkey',
      model_providers: { portkey: buildProviderTable(PRESETS.portkey) },
    });
    const r = await codexStrictCheck(s);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.run.stderr).not.toMatch(/PATH aliases/);
  });

  it('fails a wire_api = "chat" provider with file, line and column', async () => {
    const s = codexSandbox();
    const file = path.join(s.codexHome, 'config.toml');
    writeFileSync(
      file,
      'model = "gpt-5"\n\n[model_providers.gw]\nname = "GW"\nbase_url = "http://127.0.0.1:1/v1"\nwire_api = "chat"\n',
    );
    const r = await codexStrictCheck(s);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ filePath: file, line: 6, column: 12 });
    expect(r.error!.detail).toContain('`wire_api = "chat"` is no longer supported');
  });

  it('strict mode refuses unknown keys that the default mode lets through', async () => {
    const s = codexSandbox();
    writeFileSync(path.join(s.codexHome, 'config.toml'), 'model = "gpt-5"\ntemperature = 0.2\n');
    expect((await codexCheck(s)).ok).toBe(true);
    const strict = await codexStrictCheck(s);
    expect(strict.ok).toBe(false);
    expect(strict.error).toMatchObject({ line: 2, column: 1 });
    expect(strict.error!.detail).toContain('unknown configuration field `temperature`');
  });

  it('checks -c overrides too', async () => {
    const s = codexSandbox();
    const r = await codexStrictCheck({ ...s, overrides: ['model_providers.x.wire_api="bogus"'] });
    expect(r.ok).toBe(false);
    expect(r.error!.detail).toMatch(/unknown variant `bogus`/);
  });

  it('agrees with codexgw on which provider ids Codex refuses', async () => {
    for (const id of [...RESERVED_PROVIDER_IDS, 'amazon-bedrock']) {
      const s = codexSandbox();
      writeConfig(s.codexHome, {
        model_providers: { [id]: buildProviderTable(PRESETS.custom, { baseUrl: 'http://127.0.0.1:1/v1' }) },
      });
      const r = await codexStrictCheck(s);
      expect(r.ok, id).toBe(false);
    }
  });

  it('accepts the provider table of every gateway preset, headers and query params included', async () => {
    const s = codexSandbox();
    const providers: Record<string, ProviderTable> = {};
    for (const id of GATEWAY_IDS) {
      const preset = PRESETS[id];
      const httpHeaders: Record<string, string> = {};
      const envHttpHeaders: Record<string, string> = {};
      for (const h of preset.headers) {
        if (h.source === 'static') httpHeaders[h.name] = h.example ?? 'value';
        else envHttpHeaders[h.name] = h.envVar!;
      }
      providers[preset.defaultProviderId] = buildProviderTable(preset, {
        baseUrl: SAMPLE_BASE_URL[id],
        httpHeaders,
        envHttpHeaders,
      });
    }
    // Azure's legacy root brings query_params (api-version).
    providers['azure-legacy'] = buildProviderTable(PRESETS.azure, {
      baseUrl: 'https://res.openai.azure.com/openai',
    });
    expect(providers['azure-legacy']!.query_params).toBeDefined();
    expect(Object.keys(providers)).toHaveLength(GATEWAY_IDS.length + 1);
    writeConfig(s.codexHome, { model: 'gpt-5', model_provider: 'portkey', model_providers: providers });
    const r = await codexStrictCheck(s);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);

    // And each one works as the active provider.
    const active = await Promise.all(
      Object.keys(providers).map(async (id) => {
        const one = codexSandbox();
        writeConfig(one.codexHome, {
          model: 'gpt-5',
          model_provider: id,
          model_providers: { [id]: providers[id] },
        });
        return [id, (await codexStrictCheck(one)).error] as const;
      }),
    );
    for (const [id, error] of active) expect(error, id).toBeUndefined();
  });
});

describe('codexConfigRead', () => {
  it('returns the merged config with the origin of each value', async () => {
    const s = codexSandbox();
    const file = writeConfig(s.codexHome, {
      model: 'user-model',
      model_provider: 'truefoundry',
      model_providers: {
        truefoundry: buildProviderTable(PRESETS.truefoundry, {
          baseUrl: 'https://acme.truefoundry.cloud/api/llm',
          httpHeaders: { 'X-TFY-METADATA': '{"client":"codex"}' },
        }),
      },
    });
    const r = await codexConfigRead({ ...s, overrides: ['model="flag-model"'] });
    expect(r.config.model).toBe('flag-model');
    expect(r.config.model_provider).toBe('truefoundry');
    const provider = (r.config.model_providers as Record<string, Record<string, unknown>>).truefoundry!;
    expect(provider).toMatchObject({
      name: 'TrueFoundry',
      base_url: 'https://acme.truefoundry.cloud/api/llm',
      env_key: 'TFY_API_KEY',
      wire_api: 'responses',
      http_headers: { 'X-TFY-METADATA': '{"client":"codex"}' },
    });
    expect(r.origins.model!.name.type).toBe('sessionFlags');
    expect(r.origins.model_provider!.name).toMatchObject({ type: 'user', file });
    expect(r.origins['model_providers.truefoundry.base_url']!.name).toMatchObject({ type: 'user', file });
    expect(r.layers.map((l) => l.name.type)).toEqual(['sessionFlags', 'user', 'system']);
    expect(r.layers[0]!.config).toEqual({ model: 'flag-model' });
  });
});

describe('codexExec against the fake gateway', () => {
  it('Portkey preset: Codex POSTs /v1/responses with the key, static and env headers, and the model', async () => {
    gw = await startFakeGateway({ replyText: 'hello from portkey' });
    const s = codexSandbox();
    const table = buildProviderTable(PRESETS.portkey, {
      baseUrl: gw.url, // a bare host: the preset adds /v1
      httpHeaders: { 'x-portkey-provider': '@openai-prod' },
      envHttpHeaders: { 'x-portkey-config': 'PORTKEY_CONFIG', 'x-portkey-metadata': 'PORTKEY_METADATA' },
    });
    expect(table.base_url).toBe(gw.baseUrl);
    writeConfig(s.codexHome, {
      model: 'gpt-5',
      model_provider: 'portkey',
      model_providers: { portkey: table },
    });
    const r = await codexExec({
      ...s,
      env: { PORTKEY_API_KEY: 'pk-secret', PORTKEY_CONFIG: 'pc-fallback', PORTKEY_METADATA: '' },
      prompt: 'say hi',
    });
    expect(r.stderr).not.toMatch(/PATH aliases|bubblewrap/);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('hello from portkey');
    const posts = gw.requests.filter((q) => q.method === 'POST');
    expect(posts).toHaveLength(1);
    const req = posts[0]!;
    expect(req.url).toBe('/v1/responses');
    expect(req.headers.authorization).toBe('Bearer pk-secret');
    expect(req.headers['x-portkey-provider']).toBe('@openai-prod');
    expect(req.headers['x-portkey-config']).toBe('pc-fallback');
    // An empty variable leaves its header out.
    expect(req.headers).not.toHaveProperty('x-portkey-metadata');
    expect(req.body).toMatchObject({ model: 'gpt-5', stream: true });
  });

  it('TrueFoundry preset on a control-plane URL: /api/llm/responses with the TFY key and the plain model', async () => {
    gw = await startFakeGateway({ sse: 'minimal', replyText: 'hello from truefoundry' });
    const s = codexSandbox();
    const table = buildProviderTable(PRESETS.truefoundry, {
      baseUrl: `${gw.url}/api/llm/`,
      httpHeaders: { 'X-TFY-METADATA': '{"client":"codex"}' },
    });
    expect(table.base_url).toBe(`${gw.url}/api/llm`);
    writeConfig(s.codexHome, {
      model: 'gpt-5',
      model_provider: 'truefoundry',
      model_providers: { truefoundry: table },
    });
    const r = await codexExec({ ...s, env: { TFY_API_KEY: 'tfy-secret' }, prompt: 'say hi' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('hello from truefoundry');
    const req = gw.requests.find((q) => q.method === 'POST')!;
    expect(req.url).toBe('/api/llm/responses');
    expect(req.headers.authorization).toBe('Bearer tfy-secret');
    expect(req.headers['x-tfy-metadata']).toBe('{"client":"codex"}');
    expect(req.body).toMatchObject({ model: 'gpt-5' });
  });

  it('Azure legacy root: query_params are appended, and a profile file picks the provider', async () => {
    gw = await startFakeGateway();
    const s = codexSandbox();
    writeConfig(s.codexHome, { model: 'gpt-5' });
    const table = buildProviderTable(PRESETS.azure, { baseUrl: `${gw.url}/openai` });
    writeConfig(
      s.codexHome,
      { model: 'my-deployment', model_provider: 'azure', model_providers: { azure: table } },
      'az.config.toml',
    );
    const r = await codexExec({
      ...s,
      profile: 'az',
      env: { AZURE_OPENAI_API_KEY: 'az-secret' },
      prompt: 'hi',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const req = gw.requests.find((q) => q.method === 'POST')!;
    expect(req.url).toBe('/openai/responses?api-version=2025-04-01-preview');
    expect(req.body).toMatchObject({ model: 'my-deployment' });
  });

  it('fails fast (no endless retries) on a closed port', async () => {
    const port = await closedPort();
    const s = codexSandbox();
    const table = buildProviderTable(PRESETS.custom, {
      baseUrl: `http://127.0.0.1:${port}/v1`,
      envKey: null,
    });
    writeConfig(s.codexHome, {
      model: 'gpt-5',
      model_provider: 'gateway',
      model_providers: { gateway: table },
    });
    const started = Date.now();
    const r = await codexExec({
      ...s,
      prompt: 'hi',
      overrides: ['model_providers.gateway.stream_max_retries=0'],
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Connection failed|error sending request/);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
