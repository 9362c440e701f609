/**
 * `codexgw init` run in-process in a temp HOME: `--yes` for every gateway gives a config the real
 * Codex accepts; the key goes to the rc block (never to output); the models request against a
 * loopback fake gateway checks the key; bad flags are usage errors naming the flag; without a
 * terminal it never prompts; and a failure while writing leaves every file as it was.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli.ts';
import { run } from '../../src/commands/init.ts';
import { EXIT, FileError } from '../../src/errors.ts';
import { GATEWAY_IDS, type GatewayId, PRESETS } from '../../src/gateways/index.ts';
import { backupDirOf } from '../../src/io/backup.ts';
import { commitWrites } from '../../src/io/safe-write.ts';
import { codexStrictCheck } from '../helpers/codex.ts';
import { CTRL_C, fakeAsk } from '../helpers/fake-ask.ts';
import { closedPort, type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { SAMPLE_BASE_URL } from '../helpers/gateway-samples.ts';
import type { TempWorld } from '../helpers/setup-home.ts';
import { captureContext } from '../helpers/tmp.ts';
import { backups, codexgw, envWorld, read } from './env-helpers.ts';

const KEY = 'pk-live-0123456789abcdef-SECRET-wxyz';

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** A model each gateway's naming rules accept without an error. */
const MODEL: Record<GatewayId, string[]> = {
  portkey: ['--model', 'gpt-5', '--header', 'x-portkey-provider=@openai-prod'],
  truefoundry: ['--model', 'gpt-5'],
  litellm: ['--model', 'gpt-5'],
  openrouter: ['--model', 'openai/gpt-5'],
  azure: ['--model', 'my-gpt-5-deployment'],
  vercel: ['--model', 'openai/gpt-5.2-codex'],
  cloudflare: ['--model', 'gpt-5.5'],
  helicone: ['--model', 'gpt-5'],
  custom: ['--model', 'gpt-5'],
};

const userConfig = (w: TempWorld) => path.join(w.codexHome, 'config.toml');
const bashrc = (w: TempWorld) => path.join(w.home, '.bashrc');
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('init --yes, every gateway', () => {
  it.each(GATEWAY_IDS)('%s: writes a provider the real Codex accepts (strict)', async (gateway) => {
    const w = envWorld('bash');
    const url = SAMPLE_BASE_URL[gateway];
    const r = await codexgw(w, [
      'init',
      '--yes',
      '--gateway',
      gateway,
      ...(url ? ['--base-url', url] : []),
      ...MODEL[gateway],
    ]);
    expect(r.err).not.toContain('error:');
    expect(r.code).toBe(EXIT.ok);
    const text = read(userConfig(w));
    const id = PRESETS[gateway].defaultProviderId;
    expect(text).toContain(`model_provider = "${id}"\n`);
    expect(text).toContain(`[model_providers.${id}]\n`);
    expect(text).toContain('wire_api = "responses"\n');
    expect(r.err).toContain('Try it: codex "explain this repository"');
    const check = await codexStrictCheck({ codexHome: w.codexHome, cwd: w.work });
    expect(check.error).toBeUndefined();
    expect(check.ok).toBe(true);
  });
});

describe('init --yes with a key (fake gateway on 127.0.0.1)', () => {
  it('Portkey: config and rc block in one go; the key checked against /models; never printed', async () => {
    gw = await startFakeGateway({ requireKey: KEY, models: ['@openai-prod/gpt-5', '@openai-prod/gpt-4o'] });
    const w = envWorld('bash');
    w.write(bashrc(w), 'alias ll="ls -l"\n');
    const r = await codexgw(
      w,
      [
        'init',
        '--yes',
        '--gateway',
        'portkey',
        '--base-url',
        gw.baseUrl,
        '--key-stdin',
        '--model',
        'gpt-5',
        '--header',
        'x-portkey-provider=@openai-prod',
        '--header',
        'x-portkey-metadata={"team":"platform","_environment":"dev"}',
      ],
      { stdin: `${KEY}\n` },
    );
    expect(r.code).toBe(EXIT.ok);
    expect(read(userConfig(w))).toBe(
      [
        // A file codexgw creates starts with the schema line Codex's docs recommend.
        '#:schema https://developers.openai.com/codex/config-schema.json',
        '',
        'model_provider = "portkey"',
        'model = "gpt-5"',
        '',
        '[model_providers.portkey]',
        'name = "Portkey"',
        `base_url = "${gw.baseUrl}"`,
        'env_key = "PORTKEY_API_KEY"',
        'wire_api = "responses"',
        'http_headers = { x-portkey-provider = "@openai-prod", x-portkey-metadata = "{\\"team\\":\\"platform\\",\\"_environment\\":\\"dev\\"}" }',
        '',
      ].join('\n'),
    );
    expect(read(bashrc(w))).toBe(
      `alias ll="ls -l"\n# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport PORTKEY_API_KEY='${KEY}'\n# <<< codexgw <<<\n`,
    );
    const [models] = gw.requests;
    expect(models).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(models!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(models!.headers['x-portkey-provider']).toBe('@openai-prod');
    expect(r.err).toContain('✓ Portkey accepted the key and lists 2 models.');
    expect(r.err).toContain('Store PORTKEY_API_KEY (pk-…wxyz) in ~/.bashrc.');
    expect(r.err).toContain(
      'Load PORTKEY_API_KEY in this shell first. Open a new terminal, or load them here: eval "$(codexgw env print)"',
    );
    // The rc diff shown before writing is masked.
    expect(r.out).toContain('+export PORTKEY_API_KEY=pk-…wxyz');
    expect(r.out + r.err).not.toContain(KEY);
    expect(r.out + r.err).not.toContain('SECRET');
  });

  it('--dry-run shows both diffs (the rc one masked) and writes nothing', async () => {
    gw = await startFakeGateway({ requireKey: KEY });
    const w = envWorld('zsh');
    const r = await codexgw(
      w,
      [
        'init',
        '--dry-run',
        '--gateway',
        'litellm',
        '--base-url',
        gw.baseUrl,
        '--key-stdin',
        '--model',
        'gpt-5',
      ],
      { stdin: KEY },
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain(`+++ ${userConfig(w)}`);
    expect(r.out).toContain(`+++ ${path.join(w.home, '.zshrc')}`);
    expect(r.out).toContain('+export LITELLM_API_KEY=pk-…wxyz');
    expect(r.err).toContain('Dry run: nothing was written.');
    expect(existsSync(userConfig(w))).toBe(false);
    expect(existsSync(path.join(w.home, '.zshrc'))).toBe(false);
    expect(r.out + r.err).not.toContain(KEY);
  });

  it('a key the gateway rejects (401): a clear error, exit 1, nothing written, the key not echoed', async () => {
    gw = await startFakeGateway({ requireKey: 'the-right-key-000000000000' });
    const w = envWorld('bash');
    const r = await codexgw(
      w,
      ['init', '--yes', '--gateway', 'custom', '--base-url', gw.baseUrl, '--key-stdin', '--model', 'gpt-5'],
      { stdin: KEY },
    );
    expect(r.code).toBe(EXIT.failure);
    expect(r.err).toContain('error: The gateway rejected the key read from stdin:');
    expect(r.err).toContain('HTTP 401: Invalid API key provided.');
    expect(r.err).toContain('fix: Check that $LLM_GATEWAY_API_KEY holds a valid, unexpired key');
    expect(existsSync(userConfig(w))).toBe(false);
    expect(existsSync(bashrc(w))).toBe(false);
    expect(r.out + r.err).not.toContain(KEY);
    noStack(r.err);
  });

  it('an unreachable gateway: a warning with the fix, and the setup is still written', async () => {
    const port = await closedPort();
    const w = envWorld('bash');
    const r = await codexgw(
      w,
      [
        'init',
        '--yes',
        '--gateway',
        'litellm',
        '--base-url',
        `http://127.0.0.1:${port}/v1`,
        '--key-stdin',
        '--model',
        'gpt-5',
      ],
      { stdin: KEY },
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toContain(
      `warning: Could not check the key or list the models: Nothing is listening at 127.0.0.1:${port}`,
    );
    expect(r.err).toContain('fix: Start the gateway if it is self-hosted');
    expect(read(userConfig(w))).toContain(`base_url = "http://127.0.0.1:${port}/v1"`);
    expect(read(bashrc(w))).toContain('export LITELLM_API_KEY=');
    expect(r.out + r.err).not.toContain(KEY);
  });

  it('a key already in the environment is used for the check and not stored', async () => {
    gw = await startFakeGateway({ requireKey: KEY, models: ['m1'] });
    const w = envWorld('bash');
    const r = await codexgw(
      w,
      ['init', '--yes', '--gateway', 'custom', '--base-url', gw.baseUrl, '--model', 'm2'],
      {
        env: { ...w.env, LLM_GATEWAY_API_KEY: KEY },
      },
    );
    expect(r.code).toBe(EXIT.ok);
    expect(existsSync(bashrc(w))).toBe(false);
    expect(r.err).toContain('warning: "m2" is not among the 1 model the gateway listed for this key.');
    expect(r.err).not.toContain('Load LLM_GATEWAY_API_KEY');
    expect(r.err).not.toContain('codexgw env set');
    expect(r.out + r.err).not.toContain(KEY);
  });

  it('--secrets-file: the key goes to $CODEX_HOME/codexgw.env (0600); the rc block only sources it', async () => {
    gw = await startFakeGateway({ requireKey: KEY });
    const w = envWorld('bash');
    const r = await codexgw(
      w,
      [
        'init',
        '--yes',
        '--gateway',
        'custom',
        '--base-url',
        gw.baseUrl,
        '--key-stdin',
        '--model',
        'gpt-5',
        '--secrets-file',
      ],
      { stdin: KEY },
    );
    expect(r.code).toBe(EXIT.ok);
    const secrets = path.join(w.codexHome, 'codexgw.env');
    expect(read(secrets)).toContain(`export LLM_GATEWAY_API_KEY='${KEY}'`);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(read(bashrc(w))).not.toContain(KEY);
    expect(read(bashrc(w))).toContain(secrets);
    expect(r.out + r.err).not.toContain(KEY);
  });
});

describe('init without a terminal: flags or defaults, never a prompt', () => {
  const cases: [string, string[], RegExp, RegExp][] = [
    [
      'no --gateway',
      ['init', '--yes', '--model', 'gpt-5'],
      /The gateway is required/,
      /Pass --gateway <name>/,
    ],
    [
      'TrueFoundry without --base-url',
      ['init', '--yes', '--gateway', 'truefoundry', '--model', 'gpt-5'],
      /The base URL of your TrueFoundry gateway is required/,
      /Pass --base-url <url>, e\.g\. https:\/\/gateway\.truefoundry\.ai/,
    ],
    [
      'a malformed --base-url',
      ['init', '--yes', '--gateway', 'custom', '--base-url', 'llm.example.com/v1', '--model', 'gpt-5'],
      /has no scheme/,
      /https:\/\/llm\.example\.com\/v1\. \(--base-url\)/,
    ],
    [
      'a reserved --id',
      ['init', '--yes', '--gateway', 'portkey', '--id', 'ollama', '--model', 'gpt-5'],
      /"ollama" is a built-in Codex provider id/,
      /Pass another --id/,
    ],
    [
      'a bad Portkey model slug',
      ['init', '--yes', '--gateway', 'portkey', '--model', '@/gpt-5'],
      /is not a Portkey model id: expected @<provider-slug>\/<model>/,
      /\(--model\)/,
    ],
    ['no --model', ['init', '--yes', '--gateway', 'portkey'], /The model is required/, /Pass --model <name>/],
    [
      'a secret in a static --header',
      ['init', '--yes', '--gateway', 'portkey', '--model', 'gpt-5', '--header', 'x-portkey-api-key=pk-abc'],
      /carries a credential/,
      /--env-header x-portkey-api-key=VAR_NAME/,
    ],
    [
      'a bad --profile',
      ['init', '--yes', '--gateway', 'portkey', '--model', 'gpt-5', '--profile', '../x'],
      /Invalid profile name/,
      /letters, digits/,
    ],
    [
      '--key-stdin with nothing on stdin',
      ['init', '--yes', '--gateway', 'portkey', '--model', 'gpt-5', '--key-stdin'],
      /stdin was empty/,
      /printf %s "\$KEY"/,
    ],
  ];

  it.each(cases)(
    '%s: usage error (exit 2) naming the flag, no stack trace, nothing written',
    async (_, args, message, hint) => {
      const w = envWorld('bash');
      const r = await codexgw(w, args);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/\n {2}fix: /);
      expect(r.err.split('fix:')[1]).toMatch(hint);
      noStack(r.err);
      expect(existsSync(userConfig(w))).toBe(false);
    },
  );

  it('an unknown --gateway is refused by the option parser (exit 2)', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, ['init', '--yes', '--gateway', 'nope']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain("argument 'nope' is invalid");
  });

  it('without --yes it shows the diff, then refuses to write (exit 2, pass --yes)', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, ['init', '--gateway', 'openrouter', '--model', 'openai/gpt-5']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toContain('+model_provider = "openrouter"');
    expect(r.err).toContain('fix: Pass --yes to write these changes (or --dry-run to only show them).');
    expect(existsSync(userConfig(w))).toBe(false);
  });

  it('--no-use: the provider is added but not selected, and no model is needed', async () => {
    const w = envWorld('bash');
    w.write(userConfig(w), 'model = "o3"\n');
    const r = await codexgw(w, ['init', '--yes', '--no-use', '--gateway', 'openrouter']);
    expect(r.code).toBe(EXIT.ok);
    const text = read(userConfig(w));
    expect(text).toMatch(/^model = "o3"\n\n\[model_providers\.openrouter\]\n/);
    expect(text).not.toContain('model_provider =');
    expect(r.err).toContain('Try it: codex -c model_provider=openrouter "explain this repository"');
    expect(r.err).toContain('Make it the default later with: codexgw use openrouter');
  });
});

describe('init and an existing config', () => {
  const existing = [
    '# my Codex config',
    'model = "gpt-5"',
    'model_provider = "pk"',
    '',
    '[model_providers.pk]   # the team gateway',
    'name = "Team Portkey"',
    'base_url = "https://api.portkey.ai/v1"',
    'env_key = "PORTKEY_API_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 7',
    'http_headers = { "x-portkey-provider" = "@openai-prod" }',
    '',
    '[mcp_servers.docs]',
    'command = "docs-mcp"',
    '',
  ].join('\n');

  it('a re-run updates the provider of the same gateway under its id; comments and other keys stay', async () => {
    const w = envWorld('bash');
    w.write(userConfig(w), existing);
    const r = await codexgw(w, [
      'init',
      '--yes',
      '--gateway',
      'portkey',
      '--model',
      'gpt-5.1',
      '--header',
      'x-portkey-config=pc-codex',
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(read(userConfig(w))).toBe(
      existing
        .replace('model = "gpt-5"', 'model = "gpt-5.1"')
        .replace(
          'http_headers = { "x-portkey-provider" = "@openai-prod" }',
          'http_headers = { "x-portkey-provider" = "@openai-prod", x-portkey-config = "pc-codex" }',
        ),
    );
    expect(r.err).toContain(
      'Update provider "pk" (Portkey, https://api.portkey.ai/v1) in ~/.codex/config.toml',
    );
    expect(r.err).toMatch(
      /Updated ~\/\.codex\/config\.toml \(previous version saved; undo with `codexgw restore .+`\)/,
    );
    expect(backups(w)).toHaveLength(1);
  });

  it('the same answers again: nothing to change, no write, no backup', async () => {
    gw = await startFakeGateway({ requireKey: KEY });
    const w = envWorld('bash');
    const args = [
      'init',
      '--yes',
      '--gateway',
      'custom',
      '--base-url',
      gw.baseUrl,
      '--key-stdin',
      '--model',
      'gpt-5',
    ];
    expect((await codexgw(w, args, { stdin: KEY })).code).toBe(EXIT.ok);
    const before = [read(userConfig(w)), read(bashrc(w))];
    const again = await codexgw(w, args, { stdin: KEY });
    expect(again.code).toBe(EXIT.ok);
    expect(again.err).toContain(
      'Nothing to change: ~/.codex/config.toml already has provider "gateway" with these settings.',
    );
    expect([read(userConfig(w)), read(bashrc(w))]).toEqual(before);
    expect(backups(w)).toEqual([]);
  });

  it('an id that belongs to another gateway is not replaced: exit 2, pass --id', async () => {
    const w = envWorld('bash');
    w.write(userConfig(w), existing);
    const r = await codexgw(w, [
      'init',
      '--yes',
      '--gateway',
      'openrouter',
      '--id',
      'pk',
      '--model',
      'openai/gpt-5',
    ]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(
      'Provider "pk" already exists in ~/.codex/config.toml and points at Portkey, not OpenRouter.',
    );
    expect(r.err).toContain('fix: Pass --id <new-id>');
    expect(read(userConfig(w))).toBe(existing);
  });

  it('invalid TOML stops init before anything is asked or written, with file:line:col', async () => {
    const w = envWorld('bash');
    w.write(userConfig(w), 'model = "gpt-5\n');
    const r = await codexgw(w, ['init', '--yes', '--gateway', 'portkey', '--model', 'gpt-5']);
    expect(r.code).toBe(EXIT.io);
    expect(r.err).toMatch(/config\.toml:1:\d+/);
  });

  it('--profile: a profile file, the user config untouched; a note when the id is also defined there', async () => {
    const w = envWorld('bash');
    w.write(userConfig(w), existing);
    const r = await codexgw(w, [
      'init',
      '--yes',
      '--gateway',
      'portkey',
      '--profile',
      'work',
      '--id',
      'pk',
      '--model',
      'gpt-5',
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(read(userConfig(w))).toBe(existing);
    expect(read(path.join(w.codexHome, 'work.config.toml'))).toContain(
      '[model_providers.pk]\nname = "Portkey"',
    );
    expect(r.err).toContain('also defines provider "pk"; with --profile work Codex merges the two tables');
    expect(r.err).toContain('Try it: codex --profile work "explain this repository"');
  });

  it('TrueFoundry account/model: written as given, with the routing rule that would keep the metadata', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, [
      'init',
      '--yes',
      '--gateway',
      'truefoundry',
      '--base-url',
      'https://acme.truefoundry.cloud',
      '--model',
      'openai-main/gpt-5',
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(read(userConfig(w))).toContain('model = "openai-main/gpt-5"');
    expect(read(userConfig(w))).toContain('base_url = "https://acme.truefoundry.cloud/api/llm"');
    expect(r.err).toContain('note: Added "/api/llm"');
    expect(r.err).toContain('warning: Model "openai-main/gpt-5" contains "/"');
    expect(r.out).toContain('models: ["gpt-5"]');
    expect(r.out).toContain('- target: "openai-main/gpt-5"');
    expect(r.err).toContain('codexgw model set gpt-5');
  });
});

describe('init writes everything in one transaction', () => {
  const opts = (baseUrl: string, extra: Record<string, unknown> = {}) => ({
    gateway: 'custom',
    baseUrl,
    model: 'gpt-5',
    keyStdin: true,
    yes: true,
    ...extra,
  });

  async function failingAt(index: number, extra: Record<string, unknown> = {}) {
    gw = await startFakeGateway({ requireKey: KEY });
    const w = envWorld('bash');
    w.write(userConfig(w), '# mine\nmodel = "o3"\n');
    w.write(bashrc(w), 'export EDITOR=vim\n');
    const { ctx, out, err } = captureContext({ cwd: w.work, env: w.env, stdin: KEY });
    let planned: string[] = [];
    const failure = await run(opts(gw.baseUrl, extra), ctx, {
      commit: (plans) => {
        planned = plans.map((p) => p.file);
        return commitWrites(plans, {
          backupDir: backupDirOf(w.codexHome),
          hooks: {
            beforeWrite: (i) => {
              if (i === index) throw new FileError(`Could not write ${plans[i]!.file}: injected failure.`);
            },
          },
        });
      },
    }).catch((e: unknown) => e);
    return { w, failure, planned, out: out(), err: err() };
  }

  it('the rc write fails after the config was written: the config is put back', async () => {
    const { w, failure, planned, out, err } = await failingAt(1);
    expect(planned).toEqual([userConfig(w), bashrc(w)]);
    expect(failure).toBeInstanceOf(FileError);
    expect(read(userConfig(w))).toBe('# mine\nmodel = "o3"\n');
    expect(read(bashrc(w))).toBe('export EDITOR=vim\n');
    expect(backups(w)).toEqual([]);
    expect(out + err).not.toContain(KEY);
  });

  it('the config write fails first: nothing is written at all', async () => {
    const { w, failure } = await failingAt(0);
    expect(failure).toBeInstanceOf(FileError);
    expect(read(userConfig(w))).toBe('# mine\nmodel = "o3"\n');
    expect(read(bashrc(w))).toBe('export EDITOR=vim\n');
  });

  it('with --secrets-file, three files: a failure on the last one rolls back the two before it', async () => {
    const { w, failure, planned } = await failingAt(2, { secretsFile: true });
    const secrets = path.join(w.codexHome, 'codexgw.env');
    expect(planned).toEqual([userConfig(w), secrets, bashrc(w)]);
    expect(failure).toBeInstanceOf(FileError);
    expect(read(userConfig(w))).toBe('# mine\nmodel = "o3"\n');
    expect(existsSync(secrets)).toBe(false);
    expect(read(bashrc(w))).toBe('export EDITOR=vim\n');
    expect(readdirSync(w.codexHome).filter((f) => f !== 'backups')).toEqual(['config.toml']);
    expect(backups(w)).toEqual([]);
  });
});

describe('init, answered in-process through a fake terminal', () => {
  it('a rejected key is typed again, the model picked from the list, Portkey fix taken; then written', async () => {
    gw = await startFakeGateway({
      requireKey: KEY,
      models: ['@openai-prod/gpt-5', '@anthropic/claude-sonnet-5'],
    });
    const w = envWorld('bash');
    const ask = fakeAsk({
      'Which gateway': 'portkey',
      'Where should the provider go': 'user',
      'Which Portkey gateway': '',
      'Portkey base URL': ['127.0.0.1/v1', gw.baseUrl],
      'Provider id': '',
      'Environment variable': '',
      'API key for PORTKEY_API_KEY': ['pk-wrong-000000000000000', KEY],
      'Where should PORTKEY_API_KEY be kept': false,
      'rejected the key': 'key',
      Model: 'gpt-5',
      'Send x-portkey-provider': true,
      'Add an HTTP header': ['spec:x-portkey-metadata', 'done'],
      'How should x-portkey-metadata': 'static',
      'Value of x-portkey-metadata': '{"team":"platform"}',
      'Make "portkey" the active provider': true,
      'Write these changes': true,
    });
    const { ctx, out, err } = captureContext({ cwd: w.work, env: w.env, interactive: true });
    const code = await run({}, ctx, { ask });
    expect(code).toBe(EXIT.ok);
    expect(ask.refused).toEqual([expect.stringContaining('has no scheme')]);
    expect(read(userConfig(w))).toContain('model = "gpt-5"');
    expect(read(userConfig(w))).toContain(
      'http_headers = { x-portkey-provider = "@openai-prod", x-portkey-metadata = "{\\"team\\":\\"platform\\"}" }',
    );
    expect(read(bashrc(w))).toContain(`export PORTKEY_API_KEY='${KEY}'`);
    expect(gw.requests.map((q) => q.headers.authorization)).toEqual([
      'Bearer pk-wrong-000000000000000',
      `Bearer ${KEY}`,
    ]);
    expect(ask.said.join('\n')).toContain('rejected the credentials (HTTP 401');
    expect(out() + err() + ask.said.join('\n')).not.toContain(KEY);
  });

  it('TrueFoundry: the old control-plane URL normalised, account/model turned into a plain name + rule', async () => {
    gw = await startFakeGateway({ requireKey: KEY, models: ['openai-main/gpt-5', 'openai-main/gpt-4o'] });
    const w = envWorld('bash');
    const ask = fakeAsk({
      'Which gateway': 'truefoundry',
      'Where should the provider go': 'user',
      // The old "<org>.truefoundry.cloud" form gets /api/llm; here the gateway is on loopback.
      'TrueFoundry base URL': `${gw.url}/api/llm/`,
      'Provider id': 'tfy',
      'Environment variable': '',
      'API key for TFY_API_KEY': KEY,
      'Where should TFY_API_KEY be kept': false,
      Model: 'gpt-5',
      'Use the plain name "gpt-5"': true,
      'Add an HTTP header': ['spec:X-TFY-METADATA', 'done'],
      'How should X-TFY-METADATA': 'static',
      'Value of X-TFY-METADATA': '{"team":"ml","environment":"dev"}',
      'Make "tfy" the active provider': true,
      'Write these changes': true,
    });
    const { ctx, out, err } = captureContext({ cwd: w.work, env: w.env, interactive: true });
    expect(await run({}, ctx, { ask })).toBe(EXIT.ok);
    const config = read(userConfig(w));
    expect(config).toContain('model_provider = "tfy"\nmodel = "gpt-5"\n');
    expect(config).toContain(`base_url = "${gw.url}/api/llm"`);
    expect(config).toContain(
      'http_headers = { X-TFY-METADATA = "{\\"team\\":\\"ml\\",\\"environment\\":\\"dev\\"}" }',
    );
    expect(out()).toContain('models: ["gpt-5"]');
    expect(out()).toContain('- target: "openai-main/gpt-5"');
    expect(err()).toContain('TrueFoundry must map "gpt-5" to openai-main/gpt-5: apply this routing rule');
    expect(err()).not.toContain('warning:');
    expect(gw.requests[0]!.path).toBe('/api/llm/models');
  });

  it('an unreachable gateway: the base URL is asked again, then the list is used', async () => {
    gw = await startFakeGateway({ requireKey: KEY, models: ['gpt-5', 'gpt-5-mini'] });
    const dead = `http://127.0.0.1:${await closedPort()}/v1`;
    const w = envWorld('bash');
    const ask = fakeAsk({
      'Which gateway': 'litellm',
      'Where should the provider go': 'profile',
      'Profile name': 'lite',
      'LiteLLM base URL': [dead, gw.baseUrl],
      'Provider id': '',
      'Environment variable': '',
      'API key for LITELLM_API_KEY': KEY,
      'Where should LITELLM_API_KEY be kept': true,
      'could not be reached': 'url',
      Model: 'mini',
      'Add an HTTP header': 'done',
      'Make "litellm" the active provider': true,
      'Write these changes': true,
    });
    const { ctx, out, err } = captureContext({ cwd: w.work, env: w.env, interactive: true });
    expect(await run({}, ctx, { ask })).toBe(EXIT.ok);
    expect(ask.said.join('\n')).toContain('Nothing is listening at 127.0.0.1:');
    const profile = read(path.join(w.codexHome, 'lite.config.toml'));
    expect(profile).toContain(`base_url = "${gw.baseUrl}"`);
    expect(profile).toContain('model = "gpt-5-mini"');
    expect(read(path.join(w.codexHome, 'codexgw.env'))).toContain(KEY);
    expect(err()).toContain('Try it: codex --profile lite "explain this repository"');
    expect(out() + err()).not.toContain(KEY);
  });

  it('"no" at the confirmation writes nothing and exits 130; Ctrl-C at a question too', async () => {
    const w = envWorld('bash');
    const answers = {
      'Which gateway': 'openrouter',
      'Where should the provider go': 'user',
      'OpenRouter base URL': '',
      'Provider id': '',
      'Environment variable': '',
      'API key for': '',
      Model: 'openai/gpt-5',
      'Add an HTTP header': 'done',
      'Make "openrouter" the active provider': true,
      'Write these changes': false,
    };
    const no = captureContext({ cwd: w.work, env: w.env, interactive: true });
    // Declining is exit 1 ("nothing written"), unlike Ctrl-C (130).
    expect(await run({}, no.ctx, { ask: fakeAsk(answers) })).toBe(EXIT.failure);
    expect(no.err()).toContain('Nothing was written.');
    expect(existsSync(userConfig(w))).toBe(false);

    const c = captureContext({ cwd: w.work, env: w.env, interactive: true });
    const cancelled = await run({}, c.ctx, { ask: fakeAsk({ ...answers, Model: CTRL_C }) }).catch(
      (e: unknown) => e,
    );
    expect(reportError(cancelled, c.ctx)).toBe(EXIT.cancelled);
    expect(c.err()).toContain('Cancelled. Nothing was written.');
    expect(existsSync(userConfig(w))).toBe(false);
  });
});

describe('the key file', () => {
  it('is 0600 when init creates the rc file', async () => {
    gw = await startFakeGateway({ requireKey: KEY });
    const w = envWorld('bash');
    const r = await codexgw(
      w,
      ['init', '--yes', '--gateway', 'custom', '--base-url', gw.baseUrl, '--key-stdin', '--model', 'gpt-5'],
      { stdin: KEY },
    );
    expect(r.code).toBe(EXIT.ok);
    expect(statSync(bashrc(w)).mode & 0o777).toBe(0o600);
    expect(readFileSync(bashrc(w), 'utf8')).toContain(KEY);
  });
});
