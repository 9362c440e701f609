/**
 * Each step of `codexgw init`, answered by message text through a fake `Ask`: flags win and are
 * checked, defaults come from the existing config or the preset, bad answers are refused by the
 * prompt's validate (and asked again), and without a terminal a missing answer names its flag.
 */
import { describe, expect, it } from 'vitest';
import { CodexgwError, EXIT, UsageError, UserError } from '../../src/errors.ts';
import { PRESETS } from '../../src/gateways/index.ts';
import {
  freeProviderId,
  headerValueProblem,
  type InitFlags,
  modelChoices,
  parseHeaderFlags,
  type StepContext,
  stepBaseUrl,
  stepConfirm,
  stepEnvKey,
  stepGateway,
  stepGatewayProblem,
  stepHeaders,
  stepKey,
  stepKeyStore,
  stepModel,
  stepProviderId,
  stepShell,
  stepTarget,
  stepUse,
  suggestProviderId,
} from '../../src/init/steps.ts';
import type { HttpFailure } from '../../src/io/http.ts';
import { CTRL_C, type FakeAnswer, fakeAsk } from '../helpers/fake-ask.ts';
import { captureContext } from '../helpers/tmp.ts';

const KEY = 'pk-live-0123456789abcdef-SECRET-wxyz';

function sc(
  answers: Record<string, FakeAnswer | FakeAnswer[]> = {},
  opts: { flags?: InitFlags; interactive?: boolean; env?: NodeJS.ProcessEnv } = {},
): StepContext & { ask: ReturnType<typeof fakeAsk> } {
  const { ctx } = captureContext({ interactive: opts.interactive ?? true, env: opts.env ?? {} });
  return { ctx, flags: opts.flags ?? {}, ask: fakeAsk(answers) };
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<CodexgwError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CodexgwError);
    return err as CodexgwError;
  }
  throw new Error('expected a rejection');
}

describe('step 1: gateway', () => {
  it('asks with every preset, the active gateway preselected', async () => {
    const s = sc({ 'Which gateway': 'truefoundry' });
    expect(await stepGateway(s, 'litellm')).toBe('truefoundry');
    const q = s.ask.asked[0]!;
    expect(q.default).toBe('litellm');
    expect(q.choices!.map((c) => c.value)).toEqual(Object.keys(PRESETS));
    expect(q.flag).toBe('--gateway <name>');
  });

  it('takes --gateway without asking, and refuses an unknown one naming the choices', async () => {
    expect(await stepGateway(sc({}, { flags: { gateway: 'helicone' } }))).toBe('helicone');
    const err = await failure(stepGateway(sc({}, { flags: { gateway: 'portkeyy' } })));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('Unknown gateway "portkeyy".');
    expect(err.hint).toContain('--gateway portkey|truefoundry|litellm');
  });

  it('without a terminal: the active gateway, else a usage error naming --gateway', async () => {
    expect(await stepGateway(sc({}, { interactive: false }), 'portkey')).toBe('portkey');
    const err = await failure(stepGateway(sc({}, { interactive: false })));
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.message).toContain('stdin is not a terminal');
    expect(err.hint).toMatch(/^Pass --gateway <name>/);
    const yes = await failure(stepGateway(sc({}, { flags: { yes: true } })));
    expect(yes.message).toContain('--yes takes defaults and there is none');
  });

  it("Ctrl-C at the question propagates @inquirer's ExitPromptError (exit 130 in the CLI)", async () => {
    const err = await stepGateway(sc({ 'Which gateway': CTRL_C })).catch((e: Error) => e);
    expect((err as Error).name).toBe('ExitPromptError');
  });
});

describe('step 2: where', () => {
  it('the user config by default; a profile name is asked and checked', async () => {
    expect(
      await stepTarget(sc({ 'Where should': 'user' }), 'portkey', '~/.codex/config.toml'),
    ).toBeUndefined();
    const s = sc({ 'Where should': 'profile', 'Profile name': ['a b', '../x', 'work'] });
    expect(await stepTarget(s, 'portkey', '~/.codex/config.toml')).toBe('work');
    expect(s.ask.refused).toHaveLength(2);
    expect(s.ask.refused[0]).toContain('letters, digits');
    expect(s.ask.asked.find((q) => q.message.startsWith('Profile'))!.default).toBe('portkey');
  });

  it('--profile is checked like Codex checks it; no terminal means the user config', async () => {
    expect(await stepTarget(sc({}, { flags: { profile: 'tfy' } }), 'truefoundry', 'x')).toBe('tfy');
    const err = await failure(stepTarget(sc({}, { flags: { profile: 'a.b' } }), 'truefoundry', 'x'));
    expect(err.message).toBe('Invalid profile name "a.b".');
    expect(await stepTarget(sc({}, { interactive: false }), 'portkey', 'x')).toBeUndefined();
  });
});

describe('step 3: base URL', () => {
  it('Portkey: hosted, self-hosted or another URL', async () => {
    expect(
      (await stepBaseUrl(sc({ 'Which Portkey gateway': 'https://api.portkey.ai/v1' }), PRESETS.portkey))
        .baseUrl,
    ).toBe('https://api.portkey.ai/v1');
    expect(
      (await stepBaseUrl(sc({ 'Which Portkey gateway': 'http://localhost:8787/v1' }), PRESETS.portkey))
        .baseUrl,
    ).toBe('http://localhost:8787/v1');
    const s = sc({ 'Which Portkey gateway': '', 'Portkey base URL': 'https://portkey.acme.internal' });
    const r = await stepBaseUrl(s, PRESETS.portkey);
    expect(r.baseUrl).toBe('https://portkey.acme.internal/v1');
    expect(r.notes.join(' ')).toContain('Added "/v1"');
  });

  it('a malformed URL is refused with a fix and asked again', async () => {
    const s = sc({
      'TrueFoundry base URL': [
        'gateway.truefoundry.ai',
        'https://<org>.truefoundry.cloud',
        'ftp://x',
        'https://gateway.truefoundry.ai',
      ],
    });
    const r = await stepBaseUrl(s, PRESETS.truefoundry);
    expect(r.baseUrl).toBe('https://gateway.truefoundry.ai');
    expect(s.ask.refused).toEqual([
      expect.stringContaining('has no scheme. Start it with https://'),
      expect.stringContaining('still contains a placeholder'),
      expect.stringContaining('must use http or https'),
    ]);
    expect(s.ask.said.join('\n')).toContain('https://<org>.truefoundry.cloud/api/llm');
  });

  it('TrueFoundry: both URL generations are normalised to what Codex needs, with notes', async () => {
    const old = await stepBaseUrl(
      sc({ 'TrueFoundry base URL': 'https://acme.truefoundry.cloud/' }),
      PRESETS.truefoundry,
    );
    expect(old.baseUrl).toBe('https://acme.truefoundry.cloud/api/llm');
    expect(old.notes[0]).toContain('Added "/api/llm"');
    const kept = await stepBaseUrl(
      sc({ 'TrueFoundry base URL': 'https://acme.truefoundry.cloud/api/llm/' }),
      PRESETS.truefoundry,
    );
    expect(kept).toEqual({ baseUrl: 'https://acme.truefoundry.cloud/api/llm', queryParams: {}, notes: [] });
    const current = await stepBaseUrl(
      sc({ 'TrueFoundry base URL': 'https://gateway.truefoundry.ai/api/llm/responses' }),
      PRESETS.truefoundry,
    );
    expect(current.baseUrl).toBe('https://gateway.truefoundry.ai');
    expect(current.notes.join(' ')).toMatch(/Removed "\/responses".*Removed "\/api\/llm"/);
  });

  it('prefills from the provider being updated', async () => {
    const s = sc({ 'LiteLLM base URL': '' });
    expect((await stepBaseUrl(s, PRESETS.litellm, 'https://llm.acme.dev/v1')).baseUrl).toBe(
      'https://llm.acme.dev/v1',
    );
    expect(s.ask.asked[0]!.default).toBe('https://llm.acme.dev/v1');
  });

  it('flags and no terminal: --base-url is checked, a preset without a URL names the flag', async () => {
    const bad = await failure(stepBaseUrl(sc({}, { flags: { baseUrl: 'not a url' } }), PRESETS.custom));
    expect(bad.exitCode).toBe(EXIT.usage);
    expect(bad.hint).toContain('(--base-url)');
    const none = await failure(stepBaseUrl(sc({}, { interactive: false }), PRESETS.truefoundry));
    expect(none.message).toContain('The base URL of your TrueFoundry gateway is required');
    expect(none.hint).toBe('Pass --base-url <url>, e.g. https://gateway.truefoundry.ai.');
    expect((await stepBaseUrl(sc({}, { interactive: false }), PRESETS.openrouter)).baseUrl).toBe(
      'https://openrouter.ai/api/v1',
    );
    const azure = await stepBaseUrl(
      sc({}, { flags: { baseUrl: 'https://r.openai.azure.com/openai?api-version=2024-10-21' } }),
      PRESETS.azure,
    );
    expect(azure).toMatchObject({
      baseUrl: 'https://r.openai.azure.com/openai',
      queryParams: { 'api-version': '2024-10-21' },
    });
  });
});

describe('step 4: provider id', () => {
  const portkeyTable = { name: 'Portkey', base_url: 'https://api.portkey.ai/v1', env_key: 'PORTKEY_API_KEY' };
  const liteTable = { name: 'LiteLLM', base_url: 'https://llm.acme.dev/v1', env_key: 'LITELLM_API_KEY' };

  it('suggests the existing provider of the same gateway (active first), else the preset id', () => {
    expect(suggestProviderId(PRESETS.portkey, {})).toBe('portkey');
    const config = {
      model_provider: 'pk2',
      model_providers: { pk1: portkeyTable, pk2: portkeyTable, lite: liteTable },
    };
    expect(suggestProviderId(PRESETS.portkey, config)).toBe('pk2');
    expect(suggestProviderId(PRESETS.portkey, { ...config, model_provider: 'lite' })).toBe('pk1');
    expect(freeProviderId('portkey', { portkey: 1, 'portkey-2': 1 })).toBe('portkey-3');
  });

  it('refuses reserved and malformed ids, and asks again', async () => {
    const s = sc({ 'Provider id': ['openai', 'my gateway', 'ollama', 'pk'] });
    expect(await stepProviderId(s, PRESETS.portkey, {}, 'portkey', 'cfg')).toEqual({
      id: 'pk',
      force: false,
    });
    expect(s.ask.refused).toHaveLength(3);
    expect(s.ask.refused[0]).toContain('"openai" is a built-in Codex provider id');
    expect(s.ask.refused[1]).toContain('Use e.g. "my-gateway"');
  });

  it('an existing id: update it (force) or pick a new one that is free', async () => {
    const providers = { portkey: portkeyTable, 'portkey-2': portkeyTable };
    const update = sc({ 'Provider id': '', 'already exists': 'update' });
    expect(
      await stepProviderId(update, PRESETS.portkey, providers, 'portkey', '~/.codex/config.toml'),
    ).toEqual({
      id: 'portkey',
      force: true,
      existing: portkeyTable,
    });
    expect(update.ask.asked[1]!.default).toBe('update');
    const fresh = sc({ 'Provider id': '', 'already exists': 'new', 'New provider id': ['portkey-2', ''] });
    expect(await stepProviderId(fresh, PRESETS.portkey, providers, 'portkey', 'cfg')).toEqual({
      id: 'portkey-3',
      force: false,
    });
    expect(fresh.ask.refused[0]).toBe('"portkey-2" exists too; pick an id that is not in cfg.');
  });

  it('an existing id of another gateway: "new" is the default; without a terminal it is an error naming --id', async () => {
    const s = sc({ 'Provider id': 'lite', 'already exists': 'new', 'New provider id': '' });
    expect(await stepProviderId(s, PRESETS.portkey, { lite: liteTable }, 'portkey', 'cfg')).toEqual({
      id: 'lite-2',
      force: false,
    });
    expect(s.ask.asked[1]!.default).toBe('new');
  });

  it('without a terminal: the same gateway is updated, another gateway is refused naming --id', async () => {
    const same = await stepProviderId(
      sc({}, { interactive: false }),
      PRESETS.portkey,
      { portkey: portkeyTable },
      'portkey',
      'cfg',
    );
    expect(same).toMatchObject({ id: 'portkey', force: true });
    const err = await failure(
      stepProviderId(
        sc({}, { flags: { yes: true, id: 'lite' } }),
        PRESETS.portkey,
        { lite: liteTable },
        'x',
        'cfg',
      ),
    );
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.message).toBe('Provider "lite" already exists in cfg and points at LiteLLM, not Portkey.');
    expect(err.hint).toContain('--id lite-2');
    const reserved = await failure(
      stepProviderId(sc({}, { flags: { id: 'lmstudio' } }), PRESETS.portkey, {}, 'x', 'cfg'),
    );
    expect(reserved.hint).toMatch(/^Pass another --id/);
  });
});

describe('step 5: the key', () => {
  it('the variable: preset default, prefill from the provider, refused when not a name', async () => {
    const s = sc({ 'Environment variable': ['1BAD', 'PK-KEY', ''] });
    expect(await stepEnvKey(s, PRESETS.portkey)).toBe('PORTKEY_API_KEY');
    expect(s.ask.refused).toHaveLength(2);
    expect(await stepEnvKey(sc({}, { interactive: false }), PRESETS.portkey, 'MY_PK')).toBe('MY_PK');
    const err = await failure(stepEnvKey(sc({}, { flags: { envKey: 'a-b' } }), PRESETS.portkey));
    expect(err.message).toContain('Invalid environment variable name');
  });

  it('typed at a hidden prompt; empty skips; the key never appears in a question', async () => {
    const s = sc({ 'API key for PORTKEY_API_KEY': `  ${KEY}  ` });
    expect(await stepKey(s, PRESETS.portkey, 'PORTKEY_API_KEY')).toEqual({
      value: KEY,
      source: 'prompt',
      store: true,
    });
    expect(s.ask.asked[0]!.kind).toBe('secret');
    expect(s.ask.said.join('\n')).toContain('Create an API key in the Portkey dashboard');
    expect(await stepKey(sc({ 'API key': '' }), PRESETS.portkey, 'PORTKEY_API_KEY')).toEqual({
      source: 'none',
      store: false,
    });
  });

  it('already in the environment: offered (masked), not stored; "no" asks for another', async () => {
    const env = { PORTKEY_API_KEY: KEY };
    const keep = sc({ 'already set': true }, { env });
    expect(await stepKey(keep, PRESETS.portkey, 'PORTKEY_API_KEY')).toEqual({
      value: KEY,
      source: 'environment',
      store: false,
    });
    expect(keep.ask.asked[0]!.message).toContain('(pk-…wxyz)');
    expect(JSON.stringify(keep.ask.asked)).not.toContain(KEY);
    const other = sc({ 'already set': false, 'API key': 'pk-other-key-000000000' }, { env });
    expect(await stepKey(other, PRESETS.portkey, 'PORTKEY_API_KEY')).toMatchObject({
      source: 'prompt',
      store: true,
    });
    // After the gateway rejected it, the environment's key is not offered again.
    const rejected = sc({ 'API key': 'pk-third-key-000000000' }, { env });
    await stepKey(rejected, PRESETS.portkey, 'PORTKEY_API_KEY', { rejected: true });
    expect(rejected.ask.asked.map((q) => q.kind)).toEqual(['secret']);
  });

  it('without a terminal: stdin, else the environment (not stored), else none', async () => {
    const ni = { interactive: false };
    expect(await stepKey(sc({}, ni), PRESETS.portkey, 'K', { stdinKey: KEY })).toEqual({
      value: KEY,
      source: 'stdin',
      store: true,
    });
    expect(await stepKey(sc({}, { ...ni, env: { K: KEY } }), PRESETS.portkey, 'K')).toMatchObject({
      source: 'environment',
      store: false,
    });
    expect(await stepKey(sc({}, { ...ni, env: { K: '  ' } }), PRESETS.portkey, 'K')).toEqual({
      source: 'none',
      store: false,
    });
    const err = await failure(stepKey(sc({}, ni), PRESETS.portkey, 'K', { stdinKey: 'a\nb' }));
    expect(err.message).toBe(
      'The value for K contains a newline at character 2; rc files hold one value per line.',
    );
  });

  it('the shell is asked only when $SHELL does not say; the secrets file is offered', async () => {
    expect(await stepShell(sc(), 'zsh')).toBe('zsh');
    expect(await stepShell(sc({ 'Which shell': 'fish' }), undefined)).toBe('fish');
    expect(await stepShell(sc({}, { interactive: false }), undefined)).toBeUndefined();
    const labels = {
      varName: 'K',
      rcLabel: '~/.bashrc',
      secretsLabel: '~/.codex/codexgw.env',
      alreadySourced: false,
    };
    const s = sc({ 'Where should K be kept': true });
    expect(await stepKeyStore(s, labels)).toBe(true);
    expect(s.ask.asked[0]!.choices!.map((c) => c.name)).toEqual([
      'In ~/.bashrc, in a block codexgw manages',
      'In ~/.codex/codexgw.env (only you can read it), sourced from ~/.bashrc',
    ]);
    expect(await stepKeyStore(sc(), { ...labels, alreadySourced: true })).toBe(false);
    expect(await stepKeyStore(sc({}, { flags: { secretsFile: true } }), labels)).toBe(true);
  });
});

describe('the models request failed', () => {
  const base = { ok: false as const, latencyMs: 3, url: 'http://127.0.0.1:9/v1/models' };
  const unauthorized: HttpFailure = {
    ...base,
    kind: 'unauthorized',
    status: 401,
    message: 'http://127.0.0.1:9/v1/models rejected the credentials (HTTP 401: Invalid API key provided.).',
    hint: 'Check that $PORTKEY_API_KEY holds a valid, unexpired key for this gateway.',
  };
  const refused: HttpFailure = {
    ...base,
    kind: 'connection_refused',
    message: 'Nothing is listening at 127.0.0.1:9 (connection refused).',
    hint: 'Start the gateway if it is self-hosted.',
  };

  it('interactive: the key again, another URL, retry or go on', async () => {
    const s = sc({ 'rejected the key': 'key' });
    expect(await stepGatewayProblem(s, unauthorized, 'prompt')).toBe('key');
    expect(s.ask.said[0]).toContain('HTTP 401');
    const t = sc({ 'could not be reached': 'url' });
    expect(await stepGatewayProblem(t, refused, 'prompt')).toBe('url');
    expect(t.ask.asked[0]!.choices!.map((c) => c.value)).toEqual(['url', 'retry', 'key', 'skip']);
  });

  it('without a terminal: a rejected key is an error (exit 1); an unreachable gateway is not', async () => {
    const err = await failure(stepGatewayProblem(sc({}, { interactive: false }), unauthorized, 'stdin'));
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(EXIT.failure);
    expect(err.message).toMatch(
      /^The gateway rejected the key read from stdin: .*HTTP 401.*Nothing was written\.$/,
    );
    expect(await stepGatewayProblem(sc({}, { interactive: false }), refused, 'stdin')).toBe('skip');
  });
});

describe('step 6: model', () => {
  const listed = ['@openai-prod/gpt-5', '@openai-prod/gpt-4o', '@anthropic/claude-sonnet-5'];

  it('searchable list: typing filters, and the typed text itself is offered when not listed', () => {
    expect(modelChoices(listed, 'gpt').map((c) => c.value)).toEqual([
      '@openai-prod/gpt-5',
      '@openai-prod/gpt-4o',
      'gpt',
    ]);
    expect(modelChoices(listed, '@openai-prod/gpt-4o').map((c) => c.value)).toEqual(['@openai-prod/gpt-4o']);
    expect(modelChoices(listed, '').map((c) => c.value)).toEqual(listed);
    expect(modelChoices(listed, 'o3').map((c) => c.name)).toEqual([
      "o3 (as typed; not in the gateway's list)",
    ]);
  });

  it('Portkey: a catalog id from the list, turned into a plain model + x-portkey-provider', async () => {
    const s = sc({ Model: 'gpt-5', 'Send x-portkey-provider': true });
    const r = await stepModel(s, PRESETS.portkey, { listed, headers: {}, required: true });
    expect(r).toEqual({ model: 'gpt-5', header: ['x-portkey-provider', '@openai-prod'] });
    expect(s.ask.asked[0]).toMatchObject({
      kind: 'search',
      message: 'Model (3 listed by the gateway; type to filter):',
    });
    const keep = sc({ Model: 'claude', 'Send x-portkey-provider': false });
    expect(await stepModel(keep, PRESETS.portkey, { listed, headers: {}, required: true })).toEqual({
      model: '@anthropic/claude-sonnet-5',
    });
  });

  it('a bad slug is refused by the prompt with the naming rule, and asked again', async () => {
    const s = sc({ Model: ['@/gpt-5', '@openai-prod/', 'gpt-5'] });
    expect(
      await stepModel(s, PRESETS.portkey, {
        headers: { http_headers: { 'x-portkey-provider': '@x' } },
        required: true,
      }),
    ).toEqual({
      model: 'gpt-5',
    });
    expect(s.ask.refused).toHaveLength(2);
    expect(s.ask.refused[0]).toContain('expected @<provider-slug>/<model>');
    const azure = sc({ Model: ['openai/gpt-5', 'my-deployment'] });
    expect((await stepModel(azure, PRESETS.azure, { headers: {}, required: true })).model).toBe(
      'my-deployment',
    );
    expect(azure.ask.refused[0]).toContain('cannot be an Azure deployment name');
  });

  it('TrueFoundry: account/model → the plain name with a routing rule to print', async () => {
    const s = sc({ Model: 'openai-main/gpt-5', 'Use the plain name': true });
    expect(await stepModel(s, PRESETS.truefoundry, { headers: {}, required: true })).toEqual({
      model: 'gpt-5',
      routingRule: { model: 'gpt-5', target: 'openai-main/gpt-5', applied: true },
    });
    const no = sc({ Model: 'openai-main/gpt-5', 'Use the plain name': false });
    expect(await stepModel(no, PRESETS.truefoundry, { headers: {}, required: true })).toMatchObject({
      model: 'openai-main/gpt-5',
      routingRule: { applied: false },
    });
  });

  it('TrueFoundry: a plain name asks which model the rule routes to (default from the list)', async () => {
    const s = sc({ Model: '=gpt-5', 'route to': ['gpt-5', ''] });
    const r = await stepModel(s, PRESETS.truefoundry, {
      listed: ['openai-main/gpt-4o', 'openai-main/gpt-5'],
      headers: {},
      required: true,
    });
    expect(r).toEqual({
      model: 'gpt-5',
      routingRule: { model: 'gpt-5', target: 'openai-main/gpt-5', applied: true },
    });
    expect(s.ask.refused[0]).toContain('is not a TrueFoundry model id');
    const skip = sc({ Model: 'gpt-5', 'route to': '' });
    expect(await stepModel(skip, PRESETS.truefoundry, { headers: {}, required: true })).toEqual({
      model: 'gpt-5',
    });
  });

  it('--model: written as given; an error-level name is a usage error naming --model', async () => {
    expect(
      await stepModel(sc({}, { flags: { model: '@openai-prod/gpt-5' } }), PRESETS.portkey, {
        headers: {},
        required: true,
      }),
    ).toEqual({
      model: '@openai-prod/gpt-5',
    });
    expect(
      await stepModel(sc({}, { flags: { model: 'openai-main/gpt-5' } }), PRESETS.truefoundry, {
        headers: {},
        required: true,
      }),
    ).toEqual({
      model: 'openai-main/gpt-5',
      routingRule: { model: 'gpt-5', target: 'openai-main/gpt-5', applied: false },
    });
    const err = await failure(
      stepModel(sc({}, { flags: { model: 'a b' } }), PRESETS.litellm, { headers: {}, required: true }),
    );
    expect(err.exitCode).toBe(EXIT.usage);
    expect(err.hint).toContain('(--model)');
  });

  it('without a terminal: the previous model, nothing with --no-use, else a usage error naming --model', async () => {
    const ni = { interactive: false };
    expect(
      await stepModel(sc({}, ni), PRESETS.litellm, { previous: 'm1', headers: {}, required: true }),
    ).toEqual({ model: 'm1' });
    expect(await stepModel(sc({}, ni), PRESETS.litellm, { headers: {}, required: false })).toEqual({});
    const err = await failure(stepModel(sc({}, ni), PRESETS.portkey, { headers: {}, required: true }));
    expect(err.message).toContain('The model is required');
    expect(err.hint).toBe('Pass --model <name>, e.g. --model gpt-5.5.');
  });
});

describe('step 7: headers', () => {
  it('adds a Portkey config id (fixed) and metadata from a variable; JSON is checked', async () => {
    const s = sc({
      'Add an HTTP header': ['spec:x-portkey-config', 'spec:x-portkey-metadata', 'done'],
      'How should x-portkey-config': 'static',
      'Value of x-portkey-config': 'pc-codex-fallback',
      'How should x-portkey-metadata': 'env',
      'holds x-portkey-metadata': '',
    });
    const r = await stepHeaders(s, PRESETS.portkey, {
      http: { 'x-portkey-provider': '@openai-prod' },
      env: {},
    });
    expect(r).toEqual({
      http: { 'x-portkey-provider': '@openai-prod', 'x-portkey-config': 'pc-codex-fallback' },
      env: { 'x-portkey-metadata': 'PORTKEY_METADATA' },
    });
    // x-portkey-provider was set already, so it is not offered again.
    expect(s.ask.asked[0]!.choices!.map((c) => c.value)).not.toContain('spec:x-portkey-provider');
    const meta = sc({
      'Add an HTTP header': ['spec:x-portkey-metadata', 'done'],
      'How should': 'static',
      'Value of x-portkey-metadata': ['team=platform', '{"team":"platform","_environment":"dev"}'],
    });
    expect((await stepHeaders(meta, PRESETS.portkey, { http: {}, env: {} })).http).toEqual({
      'x-portkey-metadata': '{"team":"platform","_environment":"dev"}',
    });
    expect(meta.ask.refused[0]).toBe(
      'x-portkey-metadata must be a JSON object, e.g. {"team":"platform","_environment":"dev"}.',
    );
  });

  it('secrets go only through environment variables; headers can be removed', async () => {
    const s = sc({
      'Add an HTTP header': ['static', 'env', 'remove', 'done'],
      'Header name': ['x-api-key', 'X-Team', 'x-api-key'],
      'Value of X-Team': 'ml',
      'holds x-api-key': ['not a var', 'TEAM_KEY'],
      'Remove which': 'X-Team',
    });
    const r = await stepHeaders(s, PRESETS.custom, { http: {}, env: {} });
    expect(r).toEqual({ http: {}, env: { 'x-api-key': 'TEAM_KEY' } });
    expect(s.ask.refused[0]).toContain(
      'x-api-key carries a credential; add it from an environment variable instead',
    );
    expect(s.ask.refused[1]).toContain('Use letters, digits and "_"');
  });

  it('flags: NAME=VALUE and NAME=VAR, checked before anything is asked', () => {
    expect(parseHeaderFlags(['x-portkey-provider=@openai-prod', 'X-Note=a=b'], '--header')).toEqual({
      'x-portkey-provider': '@openai-prod',
      'X-Note': 'a=b',
    });
    expect(() => parseHeaderFlags(['novalue'], '--header')).toThrow(
      '--header expects NAME=VALUE, got "novalue".',
    );
    expect(() => parseHeaderFlags(['Authorization=Bearer sk-123456789'], '--header')).toThrow(
      /carries a credential/,
    );
    let thrown: unknown;
    try {
      parseHeaderFlags(['x-api-key=sk-very-secret-value'], '--header');
    } catch (err) {
      thrown = err;
    }
    expect(String((thrown as Error).message)).not.toContain('sk-very-secret-value');
    expect(() => parseHeaderFlags(['x-api-key=sk-1'], '--env-header')).toThrow(
      '--env-header x-api-key must name an environment variable.',
    );
    expect(() => parseHeaderFlags(['x-portkey-metadata=nope'], '--header')).toThrow(/must be a JSON object/);
    expect(headerValueProblem('X-TFY-METADATA', '{"team":"ml"}')).toBe(true);
  });
});

describe('step 8: active, and the one confirmation', () => {
  it('use: flag, question (default yes), or yes without a terminal', async () => {
    expect(await stepUse(sc({}, { flags: { use: false } }), 'pk', 'cfg')).toBe(false);
    const s = sc({ 'Make "pk" the active provider': false });
    expect(await stepUse(s, 'pk', 'cfg')).toBe(false);
    expect(s.ask.asked[0]!.default).toBe(true);
    expect(await stepUse(sc({}, { interactive: false }), 'pk', 'cfg')).toBe(true);
  });

  it('confirm: asked on a terminal, --yes skips it, no terminal without --yes is a usage error', async () => {
    expect(await stepConfirm(sc({ 'Write these changes': false }))).toBe(false);
    expect(await stepConfirm(sc({}, { flags: { yes: true }, interactive: false }))).toBe(true);
    const err = await failure(stepConfirm(sc({}, { interactive: false })));
    expect(err.hint).toBe('Pass --yes to write these changes (or --dry-run to only show them).');
  });
});
