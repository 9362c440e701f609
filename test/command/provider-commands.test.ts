import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';
import { makeGitRepo, makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const USER = `# my Codex settings
model = "gpt-5"      # aligned comment

[mcp_servers.docs]   # docs server
command = "npx"
args = ["-y", "docs-mcp"]

[projects."/home/me/src/app"]
trust_level = "trusted"
`;

const configOf = (w: TempWorld) => readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8');

describe('provider add', () => {
  it('adds a Portkey provider after the other tables, keeping every other byte', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), USER);
    const r = await runMain(w, ['provider', 'add', 'portkey', '--header', 'x-portkey-provider=@openai-prod']);
    expect(r.code).toBe(0);
    expect(configOf(w)).toBe(
      `${USER}\n[model_providers.portkey]\nname = "Portkey"\nbase_url = "https://api.portkey.ai/v1"\nenv_key = "PORTKEY_API_KEY"\nwire_api = "responses"\nhttp_headers = { x-portkey-provider = "@openai-prod" }\n`,
    );
    expect(r.err).toContain('Added provider "portkey"');
    expect(r.err).toContain('codexgw env set PORTKEY_API_KEY');
  });

  it('puts a new provider after the last [model_providers.*] and selects it with --use --model', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `model = "x"\n\n[model_providers.a]\nname = "A"\nbase_url = "http://a/v1"\n\n[mcp_servers.m]\ncommand = "c"\n`,
    );
    const r = await runMain(w, [
      'provider',
      'add',
      'truefoundry',
      '--base-url',
      'https://gateway.truefoundry.ai',
      '--id',
      'tfy',
      '--use',
      '--model',
      'gpt-5',
    ]);
    expect(r.code).toBe(0);
    expect(configOf(w)).toBe(
      `model = "gpt-5"\nmodel_provider = "tfy"\n\n[model_providers.a]\nname = "A"\nbase_url = "http://a/v1"\n\n[model_providers.tfy]\nname = "TrueFoundry"\nbase_url = "https://gateway.truefoundry.ai"\nenv_key = "TFY_API_KEY"\nwire_api = "responses"\n\n[mcp_servers.m]\ncommand = "c"\n`,
    );
  });

  it('--dry-run prints the diff and writes nothing', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), USER);
    const r = await runMain(w, ['provider', 'add', 'litellm', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`--- ${file}\n+++ ${file}\n`);
    expect(r.out).toContain('+[model_providers.litellm]');
    expect(r.err).toContain('Dry run: nothing was written.');
    expect(configOf(w)).toBe(USER);
    expect(readdirSync(w.codexHome)).toEqual(['config.toml']);
  });

  it('refuses to overwrite an existing id, saying what differs; --force replaces only the fields passed', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      '# gateway\n[model_providers.portkey]\nname = "Portkey (prod)"\nbase_url = "https://old.example/v1"\nenv_key = "PORTKEY_API_KEY"\nwire_api = "chat"\nhttp_headers = { "x-portkey-provider" = "@openai-prod" } # the wizard\nrequest_max_retries = 7 # mine\n',
    );
    const refused = await runMain(w, ['provider', 'add', 'portkey']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('base_url: "https://old.example/v1" → "https://api.portkey.ai/v1"');
    expect(refused.err).toContain('codexgw provider set portkey');
    const forced = await runMain(w, [
      'provider',
      'add',
      'portkey',
      '--force',
      '--base-url',
      'https://api.portkey.ai/v1',
    ]);
    expect(forced.code).toBe(0);
    // The name and headers it was not given stay; wire_api has only one valid value.
    expect(configOf(w)).toBe(
      '# gateway\n[model_providers.portkey]\nname = "Portkey (prod)"\nbase_url = "https://api.portkey.ai/v1"\nenv_key = "PORTKEY_API_KEY"\nwire_api = "responses"\nhttp_headers = { "x-portkey-provider" = "@openai-prod" } # the wizard\nrequest_max_retries = 7 # mine\n',
    );
    const header = await runMain(w, [
      'provider',
      'add',
      'portkey',
      '--force',
      '--header',
      'x-portkey-trace-id=ci',
    ]);
    expect(header.code).toBe(0);
    expect(configOf(w)).toContain(
      'http_headers = { "x-portkey-provider" = "@openai-prod", x-portkey-trace-id = "ci" } # the wizard\n',
    );
  });

  it('writes into a profile file with --profile', async () => {
    const w = makeWorld();
    const r = await runMain(w, [
      'provider',
      'add',
      'openrouter',
      '--profile',
      'work',
      '--use',
      '--model',
      'openai/gpt-5',
    ]);
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(w.codexHome, 'work.config.toml'), 'utf8');
    expect(text).toContain('model_provider = "openrouter"');
    expect(text).toContain('[model_providers.openrouter]');
    expect(r.err).toContain('contains "/"');
  });

  it('stores the key from stdin in the rc file, never in config.toml, in one change', async () => {
    const w = makeWorld();
    const key = 'pk-live-0123456789abcdef';
    const env = { ...w.env, SHELL: '/bin/bash' };
    const r = await runMain(w, ['provider', 'add', 'portkey', '--key-stdin', '--use'], {
      stdin: `${key}\n`,
      env,
    });
    expect(r.code).toBe(0);
    expect(configOf(w)).not.toContain(key);
    expect(readFileSync(path.join(w.home, '.bashrc'), 'utf8')).toContain(`export PORTKEY_API_KEY='${key}'`);
    expect(r.out + r.err).not.toContain(key);
  });

  it('rejects a secret as a static header, an unknown gateway, and a reserved id', async () => {
    const w = makeWorld();
    const secret = await runMain(w, ['provider', 'add', 'portkey', '--header', 'x-portkey-api-key=pk-123']);
    expect(secret.code).toBe(2);
    expect(secret.err).toContain('--env-header x-portkey-api-key=VAR_NAME');
    expect((await runMain(w, ['provider', 'add', 'nonesuch'])).code).toBe(2);
    const reserved = await runMain(w, [
      'provider',
      'add',
      'custom',
      '--id',
      'openai',
      '--base-url',
      'http://h/v1',
    ]);
    expect(reserved.code).toBe(2);
    expect(readdirSync(w.codexHome)).toEqual([]);
  });

  it('refuses a config that is not valid TOML, naming the position, and writes nothing', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), 'model = "x\n');
    const r = await runMain(w, ['provider', 'add', 'portkey']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${file}:1:`);
    expect(readFileSync(file, 'utf8')).toBe('model = "x\n');
  });

  it('edits a file Codex rejects for another reason, with a note naming the problem', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      '[model_providers.old]\nname = "Old"\nwire_api = "chat"\n',
    );
    const r = await runMain(w, ['provider', 'add', 'portkey']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'already has a problem Codex rejects: `wire_api = "chat"` is no longer supported',
    );
    expect(configOf(w)).toContain('[model_providers.portkey]');
  });
});

describe('provider list / show / remove', () => {
  it('lists providers with gateway, URL, key state, the active one and where each is defined', async () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      'model_provider = "tfy"\n[model_providers.pk]\nname = "P"\nbase_url = "https://api.portkey.ai/v1"\nenv_key = "PK"\n[model_providers.tfy]\nname = "T"\nbase_url = "https://gateway.truefoundry.ai"\nenv_key = "TFY"\n',
    );
    const r = await runMain(w, ['provider', 'list', '--json'], {
      env: { ...w.env, TFY: 'tfy-secret-value-123456' },
    });
    expect(JSON.parse(r.out)).toEqual({
      active: 'tfy',
      providers: [
        {
          id: 'pk',
          gateway: 'portkey',
          baseUrl: 'https://api.portkey.ai/v1',
          envKey: 'PK',
          envKeySet: false,
          active: false,
          file,
          line: 2,
        },
        {
          id: 'tfy',
          gateway: 'truefoundry',
          baseUrl: 'https://gateway.truefoundry.ai',
          envKey: 'TFY',
          envKeySet: true,
          active: true,
          file,
          line: 6,
        },
      ],
    });
    const show = await runMain(w, ['provider', 'show', 'tfy'], {
      env: { ...w.env, TFY: 'tfy-secret-value-123456' },
    });
    expect(show.out).toContain('TFY is set (t…3456)');
    expect(show.out).not.toContain('secret-value');
    const text = await runMain(w, ['provider', 'list']);
    expect(text.out).toMatch(/^\* tfy {2}truefoundry {2}https:\/\/gateway\.truefoundry\.ai$/m);
  });

  it('show: unknown id exits 1 with a did-you-mean', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), '[model_providers.portkey]\nname = "P"\n');
    const r = await runMain(w, ['provider', 'show', 'portky']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Did you mean "portkey"?');
  });

  it('removes a table with its own leading comment, refusing the active provider unless --force', async () => {
    const w = makeWorld();
    const before =
      'model_provider = "a"\n\n[model_providers.a]\nname = "A"\n\n# the b gateway\n[model_providers.b]\nname = "B"\n';
    w.write(path.join(w.codexHome, 'config.toml'), before);
    const removed = await runMain(w, ['provider', 'remove', 'b']);
    expect(removed.code).toBe(0);
    expect(configOf(w)).toBe('model_provider = "a"\n\n[model_providers.a]\nname = "A"\n');
    const refused = await runMain(w, ['provider', 'remove', 'a']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is the active provider');
    const forced = await runMain(w, ['provider', 'remove', 'a', '--force']);
    expect(forced.code).toBe(0);
    expect(configOf(w)).toBe('');
    const missing = await runMain(w, ['provider', 'remove', 'zzz']);
    expect(missing.code).toBe(1);
  });
});

describe('use', () => {
  const TWO =
    '# keep me\nmodel = "gpt-5"\n\n[model_providers.a]\nname = "A"\nbase_url = "http://a/v1"\n\n[model_providers.b]\nname = "B"\nbase_url = "http://b/v1"\nenv_key = "B_KEY"\n';

  it('switches model_provider (and model) in the user config and mentions codex resume', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), TWO);
    const r = await runMain(w, ['use', 'b', '--model', 'gpt-5.1']);
    expect(r.code).toBe(0);
    expect(configOf(w)).toBe(TWO.replace('model = "gpt-5"\n', 'model = "gpt-5.1"\nmodel_provider = "b"\n'));
    expect(r.err).toContain('Switched to provider "b"');
    expect(r.err).toContain('codex resume');
    expect(r.err).toContain('B_KEY is not set');
  });

  it('says so and writes nothing when the provider is already active', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), `model_provider = "a"\n${TWO}`);
    const r = await runMain(w, ['use', 'a']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('already active');
    expect(readFileSync(file, 'utf8')).toBe(`model_provider = "a"\n${TWO}`);
    expect(readdirSync(w.codexHome)).toEqual(['config.toml']);
  });

  it('unknown id: exit 1 with the known ids and a did-you-mean', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), TWO);
    const r = await runMain(w, ['use', 'bb']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Unknown provider "bb". Known providers: a, b, openai, ollama, lmstudio.');
    expect(r.err).toMatch(/Did you mean "[ab]"\?/);
  });

  it('with --profile writes the profile file, and points to a profile when the id lives only there', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), TWO);
    w.write(
      path.join(w.codexHome, 'work.config.toml'),
      '[model_providers.w]\nname = "W"\nbase_url = "http://w/v1"\n',
    );
    const plain = await runMain(w, ['use', 'w']);
    expect(plain.code).toBe(1);
    expect(plain.err).toContain('codexgw use w --profile work');
    const r = await runMain(w, ['use', 'w', '--profile', 'work']);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(w.codexHome, 'work.config.toml'), 'utf8')).toBe(
      'model_provider = "w"\n\n[model_providers.w]\nname = "W"\nbase_url = "http://w/v1"\n',
    );
    expect(configOf(w)).toBe(TWO);
    expect(r.err).toContain('codex --profile work');
  });

  it('inside a project, explains that project files cannot choose a provider', async () => {
    const w = makeWorld();
    const repo = makeGitRepo(path.join(w.work, 'repo'));
    w.write(path.join(w.codexHome, 'config.toml'), `${TWO}\n[projects."${repo}"]\ntrust_level = "trusted"\n`);
    w.write(path.join(repo, '.codex', 'config.toml'), 'model = "proj"\n');
    const r = await runMain(w, ['use', 'b', '--model', 'x'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.err).toContain('Codex ignores model_provider in project files');
    expect(r.err).toContain('sets model for this project');
  });

  it('with no id prints the active provider', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), `model_provider = "b"\n${TWO}`);
    expect((await runMain(w, ['use'])).out).toBe('b\n');
    const empty = makeWorld();
    expect((await runMain(empty, ['use'])).out).toBe('openai\n');
  });

  it('--dry-run prints the diff only', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), TWO);
    const r = await runMain(w, ['use', 'a', '--dry-run']);
    expect(r.out).toContain('+model_provider = "a"');
    expect(configOf(w)).toBe(TWO);
  });
});

describe('model set', () => {
  it('sets the model, warning about a / with the gateway fix', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      'model_provider = "pk"\n[model_providers.pk]\nname = "Portkey"\nbase_url = "https://api.portkey.ai/v1"\nenv_key = "PORTKEY_API_KEY"\n',
    );
    const r = await runMain(w, ['model', 'set', '@openai-prod/gpt-5']);
    expect(r.code).toBe(0);
    expect(configOf(w)).toMatch(/^model_provider = "pk"\nmodel = "@openai-prod\/gpt-5"\n\[/);
    expect(r.err).toContain('x-portkey-provider');
    const again = await runMain(w, ['model', 'set', '@openai-prod/gpt-5']);
    expect(again.err).toContain('already');
  });

  it('refuses a model name the gateway cannot take', async () => {
    const w = makeWorld();
    writeFileSync(
      path.join(w.codexHome, 'config.toml'),
      'model_provider = "az"\n[model_providers.az]\nname = "Azure"\nbase_url = "https://r.openai.azure.com/openai/v1"\n',
    );
    const r = await runMain(w, ['model', 'set', 'openai/gpt-5']);
    expect(r.code).toBe(2);
    expect(configOf(w)).not.toContain('model =');
  });
});
