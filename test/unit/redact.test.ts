import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Writer } from '../../src/context.ts';
import { escapeGithubData, escapeGithubProperty } from '../../src/io/github.ts';
import {
  escapeControls,
  isCredentialName,
  looksLikeCredential,
  maskConfig,
  maskCredential,
  maskSecret,
  oneLineSafe,
  redactingWriter,
  redactWith,
  registerSecret,
  registerSecretEnvName,
  registerTomlLines,
  secretsInConfig,
  unredacted,
  urlSecrets,
} from '../../src/io/redact.ts';
import { maskAssignments } from '../../src/shell/mask.ts';

const KEY = 'pk-live-Q9x2Wm4Rt7Yu1Io3Pa5Sd8';

describe('maskSecret', () => {
  it('shows at most first 3 + last 4, at most a quarter of the value, nothing below 12', () => {
    expect(maskSecret(KEY)).toBe('pk-…5Sd8');
    expect(maskSecret('abcdefghijklmnopqrst')).toBe('a…qrst'); // 20 → 5 shown
    expect(maskSecret('abcdefghijklmnop')).toBe('…mnop'); // 16 → 4
    expect(maskSecret('abcdefghijkl')).toBe('…jkl'); // 12 → 3, not 7
    expect(maskSecret('abcdefghijk')).toBe('…');
    for (let n = 0; n < 80; n++) {
      const v = 'x'.repeat(n);
      expect(maskSecret(v).length - 1).toBeLessThanOrEqual(Math.min(7, Math.floor(n / 4)));
    }
  });

  it('never shows a character that could break the JSON or shell text around it', () => {
    expect(maskSecret('ab"c-0123456789abcd\\e"x')).toBe('a…');
    expect(maskSecret('abc-0123456789abcdefgh"x\'')).toBe('ab…');
  });

  it('keeps the scheme of a header value', () => {
    expect(maskCredential(`Bearer ${KEY}`)).toBe('Bearer pk-…5Sd8');
    expect(maskCredential('Basic dXNlcjpwYXNzd29yZDEyMzQ1')).toBe('Basic dX…MzQ1');
  });
});

describe('which names and values are credentials', () => {
  it('knows credential header, parameter and variable names beyond a fixed list', () => {
    for (const name of [
      'Authorization',
      'Proxy-Authorization',
      'Helicone-Auth',
      'Ocp-Apim-Subscription-Key',
      'x-portkey-virtual-key',
      'x-portkey-api-key',
      'x-api-key',
      'api-key',
      'cf-aig-authorization',
      'X-Goog-Api-Key',
      'Cookie',
      'GITHUB_TOKEN',
      'DB_PASSWORD',
      'sig',
      'key',
      'accessToken',
    ]) {
      expect(isCredentialName(name), name).toBe(true);
    }
    for (const name of [
      'x-portkey-provider',
      'Content-Type',
      'api-version',
      'x-tfy-metadata',
      'OpenAI-Beta',
    ]) {
      expect(isCredentialName(name), name).toBe(false);
    }
  });

  it('recognises credential-shaped values under any name, and leaves ordinary values alone', () => {
    for (const v of [
      `Bearer x`,
      KEY,
      'ghp_0123456789abcdefABCDEF',
      'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      'AbCdEfGh0123456789IjKlMnOp',
    ]) {
      expect(looksLikeCredential(v), v).toBe(true);
    }
    for (const v of ['openai', '2024-10-21', '@openai-prod/gpt-5-2025-08-07', 'application/json', 'gpt-5']) {
      expect(looksLikeCredential(v), v).toBe(false);
    }
  });
});

describe('secretsInConfig: every secret-bearing place of a Codex config', () => {
  const found = secretsInConfig(
    parse(`
[model_providers.gw]
base_url = "https://alice:pw-0123456789ab@gw.example/v1?token=qp-0123456789abcdef"
env_key = "GW_KEY"
experimental_bearer_token = "bt-0123456789abcdef"
query_params = { "api-key" = "qk-0123456789abcdef", "api-version" = "2024-10-21" }
http_headers = { "Helicone-Auth" = "Bearer hh-0123456789abcdef", "x-portkey-provider" = "openai", "x-custom" = "${KEY}" }
env_http_headers = { "x-portkey-api-key" = "PORTKEY_KEY" }

[mcp_servers.gh]
command = "gh"
env = { GITHUB_TOKEN = "gt-0123456789abcdef", LOG_LEVEL = "debug" }

[mcp_servers.web]
url = "https://mcp.example"
bearer_token_env_var = "MCP_TOKEN"
http_headers = { "X-Api-Key" = ["wt-0123456789abcdef"] }

[otel.exporter.otlp-http]
endpoint = "https://otel.example"
headers = { Authorization = "Basic b3RlbDpvdGVsLXNlY3JldC0xMjM0" }

[profiles.p.model_providers.x]
experimental_bearer_token = 123456789012345
`),
  );

  it('finds bearer tokens, credential headers and parameters, userinfo, MCP env, otel headers, wrong types', () => {
    for (const v of [
      'pw-0123456789ab',
      'alice:pw-0123456789ab',
      'qp-0123456789abcdef',
      'bt-0123456789abcdef',
      'qk-0123456789abcdef',
      'Bearer hh-0123456789abcdef',
      KEY,
      'gt-0123456789abcdef',
      'wt-0123456789abcdef',
      'Basic b3RlbDpvdGVsLXNlY3JldC0xMjM0',
      '123456789012345',
    ]) {
      expect(found.values, v).toContain(v);
    }
    expect(found.envNames.sort()).toEqual(['GW_KEY', 'MCP_TOKEN', 'PORTKEY_KEY']);
  });

  it('leaves ordinary values readable', () => {
    for (const v of ['openai', '2024-10-21', 'debug', 'gh', 'https://otel.example']) {
      expect(found.values).not.toContain(v);
    }
  });

  it('maskConfig masks the same places, keeping URLs readable around their credentials', () => {
    const masked = maskConfig({
      model_providers: {
        gw: {
          base_url: 'https://alice:pw-0123456789ab@gw.example/v1',
          experimental_bearer_token: 12345678901234567n,
          http_headers: { Authorization: ['Bearer hh-0123456789abcdef'], 'x-portkey-provider': 'openai' },
        },
      },
    }) as { model_providers: { gw: Record<string, unknown> } };
    const gw = masked.model_providers.gw;
    expect(gw.base_url).toBe('https://a…89ab@gw.example/v1');
    expect(gw.experimental_bearer_token).toBe('…4567');
    expect(gw.http_headers).toEqual({ Authorization: ['Bearer …cdef'], 'x-portkey-provider': 'openai' });
  });

  it('reads a config that does not parse line by line', () => {
    registerTomlLines(
      [
        '[x]',
        'experimental_bearer_token = "lb-0123456789abcdef"',
        'http_headers = { "x-team" = "platform-team", Authorization = "Bearer ih-0123456789abcdef" }',
        'env = { TOKEN = ["ar-0123456789abcdef"] } # the wrong type',
        'base_url = "https://u:up-0123456789abcdef@gw.example"',
        'env_key = "LINE_KEY"',
        'x = "esc\\"aped-0123456789abcdef"',
        '[[broken',
      ].join('\n'),
    );
    const w = captured({ env: { LINE_KEY: 'lk-from-env-0123456789' } });
    w.writer.write(
      'lb-0123456789abcdef ih-0123456789abcdef ar-0123456789abcdef up-0123456789abcdef lk-from-env-0123456789 platform-team',
    );
    expect(w.text()).toBe('…cdef …cdef …cdef …cdef l…6789 platform-team');
  });

  it('urlSecrets finds userinfo and credential query values, decoded too', () => {
    expect(urlSecrets('https://u:p%40ss-0123456789@h/x?sig=s1g-0123456789&v=1')).toEqual([
      'u:p%40ss-0123456789',
      'u:p@ss-0123456789',
      'p%40ss-0123456789',
      'p@ss-0123456789',
      's1g-0123456789',
      's1g-0123456789',
    ]);
    expect(urlSecrets('https://gw.example/v1?api-version=2024-10-21')).toEqual([]);
  });
});

describe('redactWith: a secret in any form', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const cases: [string, string][] = [
    ['as is', `key ${KEY} end`],
    ['upper case', `key ${KEY.toUpperCase()} end`],
    ['lower case', `key ${KEY.toLowerCase()} end`],
    ['percent-encoded', `url ?k=${encodeURIComponent(`${KEY}/+=`)}`],
    ['form-encoded', `url ?${new URLSearchParams({ k: `${KEY} ~` })}`],
    ['base64 (offset 0)', b64(KEY)],
    ['base64 inside a stream (offset 1)', b64(`x${KEY}y`)],
    ['base64 inside a stream (offset 2)', b64(`xy${KEY}yz`)],
    ['base64url', b64(`x${KEY}?>`).replace(/\+/g, '-').replace(/\//g, '_')],
    ['JSON-escaped', JSON.stringify({ v: `${KEY}"q\\` })],
  ];
  for (const [what, text] of cases) {
    it(what, () => {
      const secret = what === 'JSON-escaped' ? `${KEY}"q\\` : what.includes('encoded') ? `${KEY}/+=` : KEY;
      const secrets = what === 'form-encoded' ? [`${KEY} ~`] : [secret];
      const out = redactWith(text, secrets);
      expect(out).not.toBe(text);
      expect(out.toLowerCase()).not.toContain('q9x2wm4rt7');
      for (const piece of ['UTl4Mldt', 'lROXgyV20', 'OXgyV200', 'Q9x2Wm4R']) expect(out).not.toContain(piece);
    });
  }

  it('masks the longer of two overlapping secrets whole', () => {
    const short = 'abcdefgh12345678';
    const long = `${short}-and-more-0000`;
    const out = redactWith(`a ${long} b ${short} c`, [short, long]);
    expect(out).toBe(`a ${maskSecret(long)} b ${maskSecret(short)} c`);
  });

  it('masks the password inside a Basic header value', () => {
    const header = `Basic ${b64('otel:otel-secret-0123456789')}`;
    expect(redactWith('the server said otel-secret-0123456789', [header])).toBe('the server said o…6789');
  });

  it('takes linear time: 1 MB of output against 50 secrets in well under a second', () => {
    const secrets = Array.from({ length: 50 }, (_, i) => `sk-${String(i).padStart(4, '0')}-abcdefghijklmnop`);
    const text = `${'lorem ipsum '.repeat(87_000)}${secrets[49]}`;
    const t = performance.now();
    const out = redactWith(text, secrets);
    expect(performance.now() - t).toBeLessThan(1500);
    expect(out.endsWith(maskSecret(secrets[49]!))).toBe(true);
  });
});

function captured(opts: { keepColor?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  let buf = '';
  const inner: Writer = {
    write(s) {
      buf += s;
    },
  };
  const writer = redactingWriter(inner, () => opts.env, { keepColor: opts.keepColor ?? false });
  return { writer, text: () => buf };
}

describe('redactingWriter, the output boundary', () => {
  it('masks registered secrets and the values of registered variables in its environment', () => {
    registerSecret('rs-registered-0123456789');
    registerSecretEnvName('SOME_GATEWAY_KEY');
    const w = captured({ env: { SOME_GATEWAY_KEY: 'ev-from-env-0123456789' } });
    w.writer.write('a rs-registered-0123456789 b ev-from-env-0123456789 c\n');
    expect(w.text()).toBe('a rs…6789 b e…6789 c\n');
  });

  it('escapes control characters, and lets colour through only on a colour stream', () => {
    const w = captured();
    w.writer.write('a\u001b]0;pwned\u0007b\u001b[2Jc\u001b[31md\re\r\nf\u009bg\u202eh\ti\n');
    expect(w.text()).toBe('a\\x1b]0;pwned\\x07b\\x1b[2Jc\\x1b[31md\\x0de\r\nf\\x9bg\\u202eh\ti\n');
    const colour = captured({ keepColor: true });
    colour.writer.write('\u001b[31mred\u001b[39m \u001b[2J');
    expect(colour.text()).toBe('\u001b[31mred\u001b[39m \\x1b[2J');
  });

  it('unredacted() gives the writer underneath (env print), and wrapping twice is a no-op', () => {
    const w = captured();
    expect(redactingWriter(w.writer, () => undefined, { keepColor: false })).toBe(w.writer);
    registerSecret('raw-value-0123456789ab');
    unredacted(w.writer).write('raw-value-0123456789ab');
    expect(w.text()).toBe('raw-value-0123456789ab');
  });
});

describe('terminal and annotation escaping', () => {
  it('oneLineSafe keeps a value from a file on one line', () => {
    expect(oneLineSafe('a\nb\r\n::error::x\u001b[1m')).toBe('a\\nb\\r\\n::error::x\\x1b[1m');
    expect(escapeControls('plain text\n')).toBe('plain text\n');
  });

  it('escapes GitHub workflow-command data and properties as the runner reads them', () => {
    expect(escapeGithubData('100% done\r\n::warning::x')).toBe('100%25 done%0D%0A::warning::x');
    expect(escapeGithubProperty('a:b,c%\nd')).toBe('a%3Ab%2Cc%25%0Ad');
  });
});

describe('rc masking is linear', () => {
  it('a fish `set` line with many flags is masked in under a second (the regex took minutes)', () => {
    for (const line of [
      `set ${'--a '.repeat(40)}!`,
      `set ${'--a--a '.repeat(30)}!`,
      `set ${'-- '.repeat(60)}K v`,
    ]) {
      const t = performance.now();
      const out = maskAssignments(`${line}\n`, 'fish');
      expect(performance.now() - t).toBeLessThan(1000);
      expect(out).toContain('set');
    }
    expect(maskAssignments(`set -gx --universal K '${KEY}'\n`, 'fish')).toBe(
      'set -gx --universal K pk-…5Sd8\n',
    );
    // Erase, append and the like are not plain assignments.
    expect(maskAssignments('set -ea K\n', 'fish')).toBe('set -ea K\n');
  });
});
