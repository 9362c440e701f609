import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { type MainResult, runMain } from '../helpers/run-main.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

/*
 * The promise of issue 15, as a property: for random configs carrying a secret in every place a
 * Codex config can hold one, random rc blocks and a hostile gateway that echoes what it gets, no
 * command shows any secret — nor its base64, percent-encoded or case-changed form — on stdout or
 * stderr, in text or JSON, on success or failure, with --dry-run or not.
 */

const body = fc.stringMatching(/^[A-Za-z0-9]{16,28}$/);
const secretArb = fc
  .tuple(
    fc.constantFrom('sk-', 'pk-', 'tfy-', 'ghp_', 'key', ''),
    body,
    fc.constantFrom('', '+/=', '-_.', '~*'),
  )
  .map(([prefix, b, tail]) => `${prefix}${b}${tail}`);

const PLACES = [
  'bearer',
  'header',
  'envHeader',
  'envKey',
  'query',
  'userinfo',
  'mcpEnv',
  'mcpHeader',
  'mcpBearerEnv',
  'otel',
  'override',
  'rc',
  'rcRotated',
  'secretsFile',
  'userRcLine',
] as const;
type Place = (typeof PLACES)[number];

const caseArb = fc.record({
  secrets: fc
    .tuple(...PLACES.map(() => secretArb))
    .map((values) => Object.fromEntries(PLACES.map((p, i) => [p, values[i]!])) as Record<Place, string>),
  headerName: fc.constantFrom(
    'Authorization',
    'Helicone-Auth',
    'Ocp-Apim-Subscription-Key',
    'x-portkey-virtual-key',
    'x-api-key',
    'cf-aig-authorization',
  ),
  bearerScheme: fc.boolean(),
  /** A header value of the wrong type (an array) — Codex rejects it, codexgw must still mask it. */
  wrongType: fc.boolean(),
  queryName: fc.constantFrom('api-key', 'key', 'sig', 'token'),
  gatewayMode: fc.constantFrom('echo_unauthorized' as const, 'echo_models' as const),
  /** The config does not parse (after, or before, its secrets): they are found line by line. */
  broken: fc.constantFrom('no', 'no', 'end', 'start'),
  shell: fc.constantFrom('bash', 'zsh', 'fish'),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const toml = (s: string) => JSON.stringify(s);
const b64 = (s: string) => Buffer.from(s).toString('base64');

function configText(c: Case, gatewayBase: string): string {
  const s = c.secrets;
  const headerValue = c.bearerScheme ? `Bearer ${s.header}` : s.header;
  const header = c.wrongType ? `[${toml(headerValue)}]` : toml(headerValue);
  const lines = [
    'model_provider = "gw"',
    'model = "gpt-5"',
    '',
    '[model_providers.gw]',
    'name = "Gateway"',
    `base_url = ${toml(gatewayBase)}`,
    'env_key = "GW_KEY"',
    `experimental_bearer_token = ${toml(s.bearer)}`,
    `query_params = { ${toml(c.queryName)} = ${toml(s.query)} }`,
    `http_headers = { ${toml(c.headerName)} = ${header} }`,
    'env_http_headers = { "x-portkey-api-key" = "ENV_HDR" }',
    '',
    '[model_providers.other]',
    'name = "Other"',
    `base_url = ${toml(`http://user:${encodeURIComponent(s.userinfo)}@127.0.0.1:9/v1`)}`,
    '',
    '[mcp_servers.gh]',
    'command = "gh-mcp"',
    `env = { GITHUB_TOKEN = ${toml(s.mcpEnv)} }`,
    '',
    '[mcp_servers.web]',
    'url = "https://mcp.example/mcp"',
    'bearer_token_env_var = "MCP_TOKEN"',
    `http_headers = { "X-Api-Key" = ${toml(s.mcpHeader)} }`,
    '',
    '[otel.exporter.otlp-http]',
    'endpoint = "https://otel.example/v1/logs"',
    'protocol = "binary"',
    `headers = { "Authorization" = ${toml(`Basic ${b64(`user:${s.otel}`)}`)} }`,
    '',
  ];
  if (c.broken === 'end') lines.push('[[broken');
  if (c.broken === 'start') lines.splice(3, 0, 'broken = = 1');
  return `${lines.join('\n')}\n`;
}

/** Every form of the secret that must not appear. */
function forbiddenForms(secret: string): { text: string; anyCase: boolean }[] {
  const base64Core = (s: string) => {
    const full = Math.floor(Buffer.byteLength(s) / 3) * 4;
    return b64(s).slice(0, full);
  };
  const forms = [
    { text: secret, anyCase: true },
    { text: encodeURIComponent(secret), anyCase: true },
    { text: new URLSearchParams({ x: secret }).toString().slice(2), anyCase: true },
    { text: base64Core(secret), anyCase: false },
    { text: base64Core(secret).replace(/\+/g, '-').replace(/\//g, '_'), anyCase: false },
    { text: b64(`user:${secret}`).replace(/=+$/, ''), anyCase: false },
  ];
  return forms.filter((f) => f.text.length >= 12);
}

function leaks(c: Case, output: string): string[] {
  const lower = output.toLowerCase();
  const found: string[] = [];
  for (const place of PLACES) {
    for (const form of forbiddenForms(c.secrets[place])) {
      const hit = form.anyCase ? lower.includes(form.text.toLowerCase()) : output.includes(form.text);
      if (hit) found.push(`${place}: ${form.text}`);
    }
  }
  return found;
}

let gateway: FakeGateway;
beforeAll(async () => {
  gateway = await startFakeGateway({ maxRequests: 10_000, lifetimeMs: 120_000 });
});
afterAll(async () => {
  await gateway.close();
});

async function runCase(c: Case): Promise<{ what: string; r: MainResult }[]> {
  gateway.setMode(c.gatewayMode);
  const w: TempWorld = makeWorld();
  const s = c.secrets;
  const rc = path.join(w.home, c.shell === 'fish' ? '.config/fish/config.fish' : `.${c.shell}rc`);
  const userLine =
    c.shell === 'fish' ? `set -gx MY_TOKEN '${s.userRcLine}'` : `export MY_TOKEN='${s.userRcLine}'`;
  w.write(rc, `# my settings\n${userLine}\n`);
  w.write(path.join(w.codexHome, 'config.toml'), configText(c, gateway.baseUrl));
  const env: NodeJS.ProcessEnv = {
    ...w.env,
    // No codex on PATH: doctor checks stay in-process and fast.
    PATH: '/usr/bin:/bin',
    SHELL: `/bin/${c.shell}`,
    GW_KEY: s.envKey,
    ENV_HDR: s.envHeader,
    MCP_TOKEN: s.mcpBearerEnv,
  };
  const runs: { what: string; r: MainResult }[] = [];
  const run = async (args: string[], stdin?: string) => {
    runs.push({ what: args.join(' '), r: await runMain(w, args, { env, stdin }) });
  };
  const override = `model_providers.gw.experimental_bearer_token=${toml(s.override)}`;
  await run(['env', 'set', 'RC_KEY', '--value-stdin', '--dry-run'], s.rc);
  await run(['env', 'set', 'RC_KEY', '--value-stdin'], s.rc);
  await run(['env', 'set', 'RC_KEY', '--value-stdin', '--dry-run'], s.rcRotated);
  await run(['env', 'set', 'FILE_KEY', '--value-stdin', '--secrets-file'], s.secretsFile);
  await run(['env', 'list']);
  await run(['env', 'list', '--json']);
  await run(['env', 'unset', 'RC_KEY', '--dry-run']);
  await run(['config', 'show', '--origin', '-c', override]);
  await run(['config', 'show', '--json', '-c', override]);
  await run(['config', 'get', 'model_providers.gw', '--json']);
  await run(['config', 'get', 'otel']);
  await run(['config', 'get', 'no.such.key', '--json']);
  // --debug prints stacks (and, for a file that does not parse, the parser's code frame).
  await run(['config', 'show', '--debug']);
  await run(['provider', 'list', '--json']);
  await run(['provider', 'show', 'gw']);
  await run(['provider', 'show', 'other', '--json']);
  await run(['provider', 'show', 'missing', '--json']);
  await run(['validate']);
  await run(['validate', '--format', 'json']);
  await run(['validate', '--format', 'github']);
  await run(['model', 'list', '--timeout', '3']);
  await run(['model', 'list', '--json', '--timeout', '3']);
  await run(['model', 'list', '--provider', 'other', '--json', '--timeout', '3']);
  await run(['doctor', '--online', '--timeout', '3']);
  await run(['doctor', '--online', '--json', '--timeout', '3']);
  await run(['use', 'other', '--dry-run']);
  await run(['provider', 'remove', 'gw', '--force', '--dry-run']);
  await run([
    'provider',
    'add',
    'custom',
    '--id',
    'gw',
    '--base-url',
    'https://gw.example/v1',
    '--env-key',
    'GW_KEY',
    '--force',
    '--dry-run',
  ]);
  await run(['use', 'other']);
  await run(['restore', '--dry-run']);
  await run(['restore']);
  await run(['use', 'other', '--debug', '--profile', '-bad']);
  return runs;
}

describe('no secret in any output (property)', () => {
  it('random secrets in every secret-bearing place, random rc blocks, a gateway that echoes them', async () => {
    const started = Date.now();
    let commands = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const runs = await runCase(c);
        commands += runs.length;
        for (const { what, r } of runs) {
          const found = leaks(c, `${r.out}\n${r.err}`);
          expect(found, `${what} (exit ${r.code})\n${r.out}\n${r.err}`).toEqual([]);
        }
        // The runs did exercise success and failure, and the gateway saw the credentials.
        expect(runs.some((x) => x.r.code === 0)).toBe(true);
        expect(runs.some((x) => x.r.code !== 0)).toBe(true);
      }),
      { numRuns: 8 },
    );
    expect(commands).toBeGreaterThan(8 * 25);
    expect(gateway.requests.some((q) => JSON.stringify(q.headers).includes('Bearer'))).toBe(true);
    // Bounded: seconds, not minutes.
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
