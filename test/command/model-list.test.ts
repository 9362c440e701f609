import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { run } from '../../src/commands/model/list.ts';
import { EXIT, UsageError, UserError } from '../../src/errors.ts';
import { closedPort, type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { captureContext, makeTempDir } from '../helpers/tmp.ts';

const KEY = 'pk-live-SECRET-abcdef123456';

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** A temp HOME, CODEX_HOME with config.toml (and optional profile files), and a cwd. */
function setup(config: string, files: Record<string, string> = {}) {
  const root = makeTempDir();
  const home = path.join(root, 'home');
  const codexHome = path.join(root, 'codex-home');
  const cwd = path.join(root, 'work');
  for (const d of [home, codexHome, cwd]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(codexHome, 'config.toml'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(codexHome, name), text);
  return { home, codexHome, cwd, env: { HOME: home, CODEX_HOME: codexHome, PORTKEY_API_KEY: KEY } };
}

function portkeyConfig(baseUrl: string, extra = ''): string {
  return [
    'model = "gpt-5"',
    'model_provider = "portkey"',
    '',
    '[model_providers.portkey]',
    'name = "Portkey"',
    `base_url = "${baseUrl}"`,
    'env_key = "PORTKEY_API_KEY"',
    'wire_api = "responses"',
    'http_headers = { "x-portkey-provider" = "@openai-prod" }',
    'env_http_headers = { "x-portkey-metadata" = "PK_META", "x-portkey-config" = "PK_UNSET" }',
    'query_params = { "api-version" = "2025-01-01" }',
    extra,
  ].join('\n');
}

describe('codexgw model list', () => {
  it("lists the active provider's models, one per line, sending what Codex would send", async () => {
    gw = await startFakeGateway({ models: ['gpt-5', '@openai-prod/gpt-4o', 'a-model'] });
    const s = setup(portkeyConfig(gw.baseUrl));
    const { ctx, out, err } = captureContext({
      cwd: s.cwd,
      env: { ...s.env, PK_META: '{"_user":"me"}', PK_UNSET: ' ' },
    });
    expect(await run({}, ctx)).toBe(EXIT.ok);
    expect(out()).toBe('@openai-prod/gpt-4o\na-model\ngpt-5\n');
    expect(err()).toMatch(
      /3 models from provider "portkey" \(http:\/\/127\.0\.0\.1:\d+\/v1\/models\?api-version=2025-01-01, \d+ ms\)/,
    );
    const req = gw.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/v1/models?api-version=2025-01-01');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-portkey-provider']).toBe('@openai-prod');
    expect(req.headers['x-portkey-metadata']).toBe('{"_user":"me"}');
    // A blank variable leaves its header out, as in Codex.
    expect(req.headers).not.toHaveProperty('x-portkey-config');
    expect(out() + err()).not.toContain(KEY);
  });

  it('prints JSON with --json', async () => {
    gw = await startFakeGateway({ models: ['b', 'a'] });
    const s = setup(portkeyConfig(gw.baseUrl));
    const { ctx, out } = captureContext({ cwd: s.cwd, env: s.env });
    expect(await run({ json: true }, ctx)).toBe(EXIT.ok);
    expect(JSON.parse(out())).toEqual({ provider: 'portkey', baseUrl: gw.baseUrl, models: ['a', 'b'] });
  });

  it('asks another provider with --provider, and one from a profile file with --profile', async () => {
    gw = await startFakeGateway({ models: ['tfy-model'] });
    const tfy = [
      '[model_providers.tfy]',
      'name = "TrueFoundry"',
      `base_url = "${gw.baseUrl}"`,
      'env_key = "TFY_API_KEY"',
      '',
    ].join('\n');
    const s = setup(`${portkeyConfig('http://127.0.0.1:1/v1')}\n${tfy}`, {
      'work.config.toml': `[model_providers.prof]\nname = "P"\nbase_url = "${gw.baseUrl}"\n`,
    });
    const a = captureContext({ cwd: s.cwd, env: { ...s.env, TFY_API_KEY: 'tfy-key' } });
    expect(await run({ provider: 'tfy' }, a.ctx)).toBe(EXIT.ok);
    expect(a.out()).toBe('tfy-model\n');
    expect(gw.requests[0]!.headers.authorization).toBe('Bearer tfy-key');

    const b = captureContext({ cwd: s.cwd, env: s.env });
    expect(await run({ provider: 'prof', profile: 'work' }, b.ctx)).toBe(EXIT.ok);
    expect(b.out()).toBe('tfy-model\n');
    // No env_key: no Authorization header, as in Codex.
    expect(gw.requests[1]!.headers.authorization).toBeUndefined();
  });

  it('names the missing key variable and how to set it', async () => {
    const s = setup(portkeyConfig('http://127.0.0.1:1/v1'));
    for (const value of [undefined, '', '   ']) {
      const env: NodeJS.ProcessEnv = { ...s.env, PORTKEY_API_KEY: value };
      const { ctx } = captureContext({ cwd: s.cwd, env });
      const e = await run({}, ctx).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toContain('$PORTKEY_API_KEY');
      expect((e as UserError).hint).toContain('codexgw env set PORTKEY_API_KEY');
    }
  });

  it('explains an unknown provider, the built-in one, and a provider without base_url', async () => {
    const s = setup(`${portkeyConfig('http://127.0.0.1:1/v1')}\n[model_providers.nourl]\nname = "x"\n`);
    const { ctx } = captureContext({ cwd: s.cwd, env: s.env });
    await expect(run({ provider: 'nope' }, ctx)).rejects.toThrow(/Provider "nope" is not defined/);
    const e = (await run({ provider: 'nope' }, ctx).catch((x: unknown) => x)) as UserError;
    expect(e.hint).toContain('portkey, nourl');
    await expect(run({ provider: 'nourl' }, ctx)).rejects.toThrow(/has no base_url/);
    const bare = setup('model = "gpt-5"\n');
    const b = captureContext({ cwd: bare.cwd, env: bare.env });
    const builtin = (await run({}, b.ctx).catch((x: unknown) => x)) as UserError;
    expect(builtin.message).toMatch(/"openai" is Codex's built-in provider/);
    expect(builtin.hint).toMatch(/codexgw provider add/);
  });

  it('refuses a bad --timeout as a usage error', async () => {
    const s = setup(portkeyConfig('http://127.0.0.1:1/v1'));
    for (const timeout of ['0', '-1', 'abc', '601']) {
      const { ctx } = captureContext({ cwd: s.cwd, env: s.env });
      await expect(run({ timeout }, ctx)).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('exits 1 with a message and a fix on every failure kind (through the CLI)', async () => {
    gw = await startFakeGateway({ slowMs: 10_000 });
    const port = await closedPort();
    const cases: [Parameters<FakeGateway['setMode']>[0], string, RegExp, RegExp][] = [
      ['unauthorized', gw.baseUrl, /rejected the credentials \(HTTP 401/, /\$PORTKEY_API_KEY/],
      ['forbidden', gw.baseUrl, /refused access \(HTTP 403/, /permissions/],
      ['not_found', gw.baseUrl, /does not exist \(HTTP 404/, /base URL/],
      ['server_error', gw.baseUrl, /HTTP 500/, /try again later/],
      ['not_json', gw.baseUrl, /not with JSON/, /API root/],
      ['slow', gw.baseUrl, /did not answer within 0\.3s/, /--timeout/],
      ['ok', `http://127.0.0.1:${port}/v1`, /connection refused/, /Start the gateway/],
    ];
    for (const [mode, baseUrl, message, hint] of cases) {
      gw.setMode(mode);
      const s = setup(portkeyConfig(baseUrl));
      const { ctx, out, err } = captureContext({ cwd: s.cwd, env: s.env });
      expect(await main(['model', 'list', '--timeout', '0.3'], ctx), String(mode)).toBe(EXIT.failure);
      expect(out()).toBe('');
      expect(err(), String(mode)).toMatch(message);
      expect(err(), String(mode)).toMatch(/fix: /);
      expect(err(), String(mode)).toMatch(hint);
      expect(err()).not.toContain(KEY);
    }
  });

  it('is wired into the CLI with --json and --provider', async () => {
    gw = await startFakeGateway({ models: ['m1'] });
    const s = setup(portkeyConfig(gw.baseUrl));
    const { ctx, out } = captureContext({ cwd: s.cwd, env: s.env });
    expect(await main(['model', 'list', '--provider', 'portkey', '--json'], ctx)).toBe(EXIT.ok);
    expect(JSON.parse(out()).models).toEqual(['m1']);
    const bad = captureContext({ cwd: s.cwd, env: s.env });
    expect(await main(['model', 'list', '--timeout', 'x'], bad.ctx)).toBe(EXIT.usage);
  });
});
