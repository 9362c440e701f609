import { afterEach, describe, expect, it } from 'vitest';
import {
  endpointUrl,
  errorDetail,
  fetchModels,
  type HttpFailure,
  parseSseFrame,
  probeResponses,
} from '../../src/io/http.ts';
import {
  closedPort,
  type FakeGateway,
  type FakeGatewayOptions,
  startFakeGateway,
} from '../helpers/fake-gateway.ts';

const KEY = 'sk-test-SECRET-0123456789';

let gateways: FakeGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  gateways = [];
});

async function gateway(opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const g = await startFakeGateway(opts);
  gateways.push(g);
  return g;
}

function expectFailure(r: { ok: boolean }, kind: HttpFailure['kind']): HttpFailure {
  expect(r.ok).toBe(false);
  const f = r as HttpFailure;
  expect(f.kind).toBe(kind);
  expect(f.message.length).toBeGreaterThan(10);
  expect(f.hint.length).toBeGreaterThan(10);
  expect(`${f.message} ${f.hint}`).not.toContain(KEY);
  expect(`${f.message} ${f.hint}`).not.toContain('SECRET');
  expect(typeof f.latencyMs).toBe('number');
  return f;
}

describe('endpointUrl', () => {
  it('appends the endpoint and query params the way Codex does', () => {
    expect(endpointUrl('https://gw.example/v1/', 'responses')).toBe('https://gw.example/v1/responses');
    expect(endpointUrl('https://gw.example/openai', 'models', { 'api-version': '2025-04-01-preview' })).toBe(
      'https://gw.example/openai/models?api-version=2025-04-01-preview',
    );
  });
});

describe('fetchModels', () => {
  it('lists models, sending the key as Bearer, the headers and the query params', async () => {
    const g = await gateway({ models: ['gpt-5', '@openai-prod/gpt-5'] });
    const r = await fetchModels({
      baseUrl: g.baseUrl,
      apiKey: KEY,
      headers: { 'x-portkey-provider': '@openai-prod' },
      queryParams: { 'api-version': '1' },
      timeoutMs: 5000,
    });
    expect(r).toMatchObject({ ok: true, models: ['gpt-5', '@openai-prod/gpt-5'], status: 200 });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(g.requests).toHaveLength(1);
    const req = g.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/v1/models?api-version=1');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers['x-portkey-provider']).toBe('@openai-prod');
  });

  it('reads the Codex {models:[{slug}]} shape too', async () => {
    const g = await gateway({ models: ['a', 'b'], modelsShape: 'codex' });
    expect(await fetchModels({ baseUrl: g.baseUrl, timeoutMs: 5000 })).toMatchObject({
      ok: true,
      models: ['a', 'b'],
    });
  });

  it('lets the key win over a hand-written Authorization header, and sends none without a key', async () => {
    const g = await gateway();
    await fetchModels({
      baseUrl: g.baseUrl,
      apiKey: KEY,
      headers: { Authorization: 'Bearer other' },
      timeoutMs: 5000,
    });
    expect(g.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    await fetchModels({ baseUrl: g.baseUrl, timeoutMs: 5000 });
    expect(g.requests[1]!.headers.authorization).toBeUndefined();
  });

  it('classifies every HTTP failure with a message and a fix, never leaking the key', async () => {
    const g = await gateway();
    const cases: [FakeGatewayOptions['mode'], HttpFailure['kind'], number | undefined, RegExp][] = [
      ['unauthorized', 'unauthorized', 401, /\$PORTKEY_API_KEY.*codexgw env set PORTKEY_API_KEY/],
      ['forbidden', 'forbidden', 403, /permissions|scopes/],
      ['not_found', 'not_found', 404, /base URL/],
      ['rate_limited', 'rate_limited', 429, /rate limit/],
      ['server_error', 'server_error', 500, /try again later/],
      ['not_json', 'bad_response', 200, /API root/],
      ['not_a_list', 'bad_response', 200, /OpenAI-compatible root/],
    ];
    for (const [mode, kind, status, hint] of cases) {
      g.setMode(mode);
      const r = await fetchModels({
        baseUrl: g.baseUrl,
        apiKey: KEY,
        keyEnvVar: 'PORTKEY_API_KEY',
        timeoutMs: 5000,
      });
      const f = expectFailure(r, kind);
      expect(f.status, String(mode)).toBe(status);
      expect(f.hint, String(mode)).toMatch(hint);
      expect(f.url).toBe(`${g.baseUrl}/models`);
    }
    g.setMode('unauthorized');
    const r = await fetchModels({ baseUrl: g.baseUrl, apiKey: KEY, timeoutMs: 5000 });
    expect(expectFailure(r, 'unauthorized').message).toContain('Invalid API key provided.');
  });

  it('says "no key was sent" on a 401 without a key, and suggests /v1 for a bare host on 404', async () => {
    const g = await gateway({ mode: 'unauthorized' });
    const r = await fetchModels({ baseUrl: g.baseUrl, keyEnvVar: 'TFY_API_KEY', timeoutMs: 5000 });
    expect(expectFailure(r, 'unauthorized').hint).toMatch(/No key was sent.*TFY_API_KEY/);
    g.setMode('not_found');
    const nf = await fetchModels({ baseUrl: g.url, timeoutMs: 5000 });
    expect(expectFailure(nf, 'not_found').hint).toContain(`${g.url}/v1`);
  });

  it('times out on a slow gateway', async () => {
    const g = await gateway({ mode: 'slow', slowMs: 10_000 });
    const started = Date.now();
    const r = await fetchModels({ baseUrl: g.baseUrl, apiKey: KEY, timeoutMs: 300 });
    expect(expectFailure(r, 'timeout').message).toContain('0.3s');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a closed port as connection refused', async () => {
    const port = await closedPort();
    const r = await fetchModels({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, timeoutMs: 5000 });
    expect(expectFailure(r, 'connection_refused').message).toContain(`127.0.0.1:${port}`);
  });

  it('reports https to a plain-http server as a TLS failure that suggests http://', async () => {
    const g = await gateway();
    const r = await fetchModels({
      baseUrl: g.baseUrl.replace('http:', 'https:'),
      apiKey: KEY,
      timeoutMs: 5000,
    });
    const f = expectFailure(r, 'tls');
    expect(f.hint).toContain('http://');
    expect(f.message).not.toContain('SSL routines');
  });

  it('classifies DNS, certificate, invalid-URL and reset errors (as undici reports them)', async () => {
    const throwing = (cause: unknown) =>
      (async () => {
        throw Object.assign(new TypeError('fetch failed'), { cause });
      }) as unknown as typeof fetch;
    const cases: [unknown, HttpFailure['kind'], RegExp][] = [
      [
        Object.assign(new Error('getaddrinfo ENOTFOUND gw.nope'), { code: 'ENOTFOUND' }),
        'dns',
        /spelling|VPN/,
      ],
      [
        Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
        'tls',
        /NODE_EXTRA_CA_CERTS/,
      ],
      [Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), 'tls', /trusted/],
      [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'network', /network/],
      [
        new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
        'connection_refused',
        /Start the gateway/,
      ],
      [
        Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
        'timeout',
        /network/,
      ],
    ];
    for (const [cause, kind, hint] of cases) {
      const r = await fetchModels({
        baseUrl: 'https://gw.example/v1',
        apiKey: KEY,
        timeoutMs: 1000,
        fetchImpl: throwing(cause),
      });
      expect(expectFailure(r, kind).hint).toMatch(hint);
    }
    const bad = await fetchModels({ baseUrl: 'http://[bad', timeoutMs: 1000 });
    expectFailure(bad, 'invalid_url');
  });

  it('masks the key and credential headers when a server echoes them back', async () => {
    const echo = (async (_url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      return new Response(
        JSON.stringify({
          error: { message: `bad key ${headers.authorization} and ${headers['cf-aig-authorization']}` },
        }),
        { status: 401, headers: { 'content-type': 'application/json' } },
      );
    }) as unknown as typeof fetch;
    const r = await fetchModels({
      baseUrl: 'https://gw.example/v1',
      apiKey: KEY,
      headers: { 'cf-aig-authorization': 'Bearer cf-SECRET-token-987' },
      timeoutMs: 1000,
      fetchImpl: echo,
    });
    const f = expectFailure(r, 'unauthorized');
    expect(f.message).toContain('bad key Bearer sk…6789 and Bearer …-987');
    expect(f.message).not.toContain('cf-SECRET');
  });
});

describe('probeResponses', () => {
  it("sends one small streaming request shaped like Codex's and reads it to response.completed", async () => {
    const g = await gateway({ replyText: 'OK' });
    const r = await probeResponses({
      baseUrl: g.baseUrl,
      apiKey: KEY,
      headers: { 'x-portkey-provider': '@openai-prod' },
      model: 'gpt-5',
      timeoutMs: 5000,
    });
    expect(r).toMatchObject({ ok: true, status: 'completed', text: 'OK' });
    if (r.ok) expect(r.firstEventMs).toBeLessThanOrEqual(r.latencyMs);
    const req = g.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/responses');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.headers.accept).toBe('text/event-stream');
    expect(req.headers['x-portkey-provider']).toBe('@openai-prod');
    expect(req.body).toEqual({
      model: 'gpt-5',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Reply with OK' }] }],
      stream: true,
      store: false,
      max_output_tokens: 16,
    });
  });

  it('accepts the minimal stream and a token-capped (incomplete) one', async () => {
    const g = await gateway({ sse: 'minimal' });
    expect(await probeResponses({ baseUrl: g.baseUrl, model: 'm', timeoutMs: 5000 })).toMatchObject({
      ok: true,
      status: 'completed',
      text: 'hi from fake gateway',
    });
    g.setSse('incomplete');
    expect(await probeResponses({ baseUrl: g.baseUrl, model: 'm', timeoutMs: 5000 })).toMatchObject({
      ok: true,
      status: 'incomplete',
    });
  });

  it('reports broken streams, error events, non-streams, stalls and HTTP errors', async () => {
    const g = await gateway();
    const probe = (timeoutMs = 5000) =>
      probeResponses({ baseUrl: g.baseUrl, apiKey: KEY, model: 'nope', timeoutMs });
    g.setSse('nocomplete');
    expect(expectFailure(await probe(), 'bad_response').message).toContain('before response.completed');
    g.setSse('error');
    expect(expectFailure(await probe(), 'stream_error').message).toContain('does not exist');
    g.setSse('json');
    expect(expectFailure(await probe(), 'bad_response').message).toContain('instead of an event stream');
    g.setSse('stall');
    expectFailure(await probe(300), 'timeout');
    g.setMode('unauthorized');
    expectFailure(await probe(), 'unauthorized');
    g.setMode('not_found');
    expectFailure(await probe(), 'not_found');
    g.setMode('server_error');
    expectFailure(await probe(), 'server_error');
  });

  it('reports a closed port', async () => {
    const port = await closedPort();
    expectFailure(
      await probeResponses({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', timeoutMs: 5000 }),
      'connection_refused',
    );
  });
});

describe('parsing helpers', () => {
  it('parseSseFrame reads data lines, skipping comments and [DONE]', () => {
    expect(parseSseFrame('event: x\ndata: {"type":"a"}')).toEqual({ type: 'a' });
    expect(parseSseFrame('data: {"type":\ndata: "b"}')).toEqual({ type: 'b' });
    expect(parseSseFrame(': ping')).toBeUndefined();
    expect(parseSseFrame('data: [DONE]')).toBeUndefined();
    expect(parseSseFrame('data: nope')).toBeUndefined();
  });

  it("errorDetail finds the gateway's message in the usual error shapes", () => {
    expect(errorDetail('{"error":{"message":"bad key"}}')).toBe('bad key');
    expect(errorDetail('{"error":"denied"}')).toBe('denied');
    expect(errorDetail('{"detail":"nope"}')).toBe('nope');
    expect(errorDetail('<!DOCTYPE html><html>')).toBe('an HTML page');
    expect(errorDetail('x'.repeat(500))).toHaveLength(201);
    expect(errorDetail('')).toBe('');
  });
});
