/**
 * Codex accepts what codexgw writes: `provider add` + `use` for Portkey and TrueFoundry on every
 * corpus config keeps Codex's verdict, and `codex exec` then sends what the provider says.
 */
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { codexCheck, codexExec, codexSandbox, codexStrictCheck } from '../helpers/codex.ts';
import { corpus } from '../helpers/corpus.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { captureContext } from '../helpers/tmp.ts';

const CORPUS = corpus();

async function codexgw(sb: ReturnType<typeof codexSandbox>, args: string[]) {
  const cap = captureContext({ cwd: sb.cwd, env: { HOME: sb.home, CODEX_HOME: sb.codexHome } });
  const code = await main(args, cap.ctx);
  expect(code, `codexgw ${args.join(' ')}: ${cap.err()}`).toBe(0);
  return cap;
}

const GATEWAYS: [string, string[]][] = [
  ['portkey', ['--id', 'codexgw-portkey', '--header', 'x-portkey-provider=@openai-prod']],
  ['truefoundry', ['--id', 'codexgw-tfy', '--base-url', 'https://gateway.truefoundry.ai']],
];

describe(`${CORPUS.summary}: configs stay acceptable to Codex after provider add + use`, () => {
  it('covers the whole corpus', () => {
    expect(CORPUS.codexConfigs.length).toBeGreaterThanOrEqual(CORPUS.min.codexConfigs);
  });

  it.each(CORPUS.codexConfigs.map((c) => [c.name, c.file]))('%s', async (_name, source) => {
    const sb = codexSandbox();
    const file = path.join(sb.codexHome, 'config.toml');
    copyFileSync(source, file);
    chmodSync(file, 0o644); // the corpus may be read-only, and codexgw asks before replacing such a file
    const original = readFileSync(file, 'utf8');
    const before = await Promise.all([
      codexStrictCheck({ codexHome: sb.codexHome, cwd: sb.cwd }),
      codexCheck({ codexHome: sb.codexHome, cwd: sb.cwd }),
    ]);
    for (const [gateway, flags] of GATEWAYS) {
      const id = flags[1]!;
      await codexgw(sb, ['provider', 'add', gateway, ...flags]);
      await codexgw(sb, ['use', id, '--model', 'gpt-5']);
      const [strict, plain] = await Promise.all([
        codexStrictCheck({ codexHome: sb.codexHome, cwd: sb.cwd }),
        codexCheck({ codexHome: sb.codexHome, cwd: sb.cwd }),
      ]);
      // What Codex accepted before, it accepts after (strict and plain alike).
      if (before[0].ok) expect(strict.ok, strict.error?.detail).toBe(true);
      if (before[1].ok) expect(plain.ok, plain.error?.detail).toBe(true);
    }
    // Every line of the original is still there, in order — but the two keys `use` sets.
    const after = readFileSync(file, 'utf8');
    let at = 0;
    for (const line of original.split('\n')) {
      if (/^\s*(model|model_provider)\s*=/.test(line)) continue;
      const found = after.indexOf(line, at);
      expect(found, `line kept: ${line}`).toBeGreaterThanOrEqual(0);
      at = found + line.length;
    }
  });
});

describe('codex exec uses what provider add + use wrote', () => {
  let gw: FakeGateway;
  beforeAll(async () => {
    gw = await startFakeGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('Portkey: POST <base>/responses with the bearer key, the headers and the model', async () => {
    const sb = codexSandbox();
    await codexgw(sb, [
      'provider',
      'add',
      'portkey',
      '--base-url',
      gw.baseUrl,
      '--header',
      'x-portkey-provider=@openai-prod',
      '--env-header',
      'x-portkey-metadata=PORTKEY_METADATA',
      '--use',
      '--model',
      'gpt-5',
    ]);
    const seen = gw.requests.length;
    const r = await codexExec({
      codexHome: sb.codexHome,
      cwd: sb.cwd,
      env: { PORTKEY_API_KEY: 'pk-test-key-123', PORTKEY_METADATA: '{"team":"core"}' },
      prompt: 'say hi',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const post = gw.requests.slice(seen).find((q) => q.method === 'POST');
    expect(post?.path).toBe('/v1/responses');
    expect(post?.headers.authorization).toBe('Bearer pk-test-key-123');
    expect(post?.headers['x-portkey-provider']).toBe('@openai-prod');
    expect(post?.headers['x-portkey-metadata']).toBe('{"team":"core"}');
    expect((post?.body as { model?: string } | undefined)?.model).toBe('gpt-5');
  });

  it('TrueFoundry in a profile: codex --profile picks the provider and model', async () => {
    const sb = codexSandbox();
    await codexgw(sb, [
      'provider',
      'add',
      'truefoundry',
      '--base-url',
      `${gw.url}/api/llm`,
      '--id',
      'tfy',
      '--profile',
      'tfy',
      '--use',
      '--model',
      'gpt-5',
    ]);
    const seen = gw.requests.length;
    const r = await codexExec({
      codexHome: sb.codexHome,
      cwd: sb.cwd,
      env: { TFY_API_KEY: 'tfy-key-456' },
      prompt: 'hi',
      profile: 'tfy',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const post = gw.requests.slice(seen).find((q) => q.method === 'POST');
    expect(post?.path).toBe('/api/llm/responses');
    expect(post?.headers.authorization).toBe('Bearer tfy-key-456');
    expect((post?.body as { model?: string } | undefined)?.model).toBe('gpt-5');
  });
});
