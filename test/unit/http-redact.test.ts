import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchModels, probeResponses } from '../../src/io/http.ts';

/*
 * The HTTP client against real servers on 127.0.0.1: what a hostile or misconfigured gateway can
 * get out of it (credentials after a redirect) and show through it (echoed keys, cut bodies).
 */

const KEY = 'sk-http-redact-0123456789abcdef';
const HEADER_KEY = 'hk-portkey-virtual-0123456789';
const QUERY_KEY = 'qk-azure-sig-0123456789abcdef';

interface Seen {
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function serve(
  handle: (req: Seen, res: import('node:http').ServerResponse) => void,
): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const r = { url: req.url ?? '/', method: req.method ?? 'GET', headers: req.headers };
      seen.push(r);
      handle(r, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const models = (res: import('node:http').ServerResponse, ids: string[]) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ object: 'list', data: ids.map((id) => ({ id })) }));
};

const request = (baseUrl: string) => ({
  baseUrl,
  apiKey: KEY,
  headers: { 'x-portkey-virtual-key': HEADER_KEY, 'x-portkey-provider': 'openai' },
  queryParams: { 'api-key': QUERY_KEY, 'api-version': '2024-10-21' },
  timeoutMs: 3000,
});

describe('redirects', () => {
  it('to another origin: no key, no provider header, none of the query parameters follow', async () => {
    const other = await serve((_req, res) => models(res, ['gpt-5']));
    const gw = await serve((req, res) => {
      res.writeHead(302, {
        location: `${other.origin}/elsewhere/models${req.url.slice(req.url.indexOf('?'))}`,
      });
      res.end();
    });
    const r = await fetchModels(request(`${gw.origin}/v1`));
    expect(r.ok).toBe(true);
    // The gateway itself got everything.
    expect(gw.seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(gw.seen[0]!.url).toContain(QUERY_KEY);
    const followed = other.seen[0]!;
    expect(followed.headers.authorization).toBeUndefined();
    expect(followed.headers['x-portkey-virtual-key']).toBeUndefined();
    expect(followed.headers['x-portkey-provider']).toBeUndefined();
    expect(followed.url).not.toContain(QUERY_KEY);
    expect(followed.url).not.toContain('api-key');
    expect(JSON.stringify(followed)).not.toContain('0123456789');
  });

  it('within the same origin: the request keeps its credentials', async () => {
    const gw = await serve((req, res) => {
      if (req.url.startsWith('/v1/')) {
        res.writeHead(307, { location: '/v2/models' });
        res.end();
      } else models(res, ['gpt-5']);
    });
    const r = await fetchModels(request(`${gw.origin}/v1`));
    expect(r.ok).toBe(true);
    expect(gw.seen.map((s) => s.url.split('?')[0])).toEqual(['/v1/models', '/v2/models']);
    expect(gw.seen[1]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(gw.seen[1]!.headers['x-portkey-virtual-key']).toBe(HEADER_KEY);
  });

  it('a POST redirected across origins with 303 arrives as a bodiless GET without credentials', async () => {
    const other = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"nothing here"}}');
    });
    const gw = await serve((_req, res) => {
      res.writeHead(303, { location: `${other.origin}/x` });
      res.end();
    });
    const r = await probeResponses({ ...request(`${gw.origin}/v1`), model: 'gpt-5' });
    expect(r.ok).toBe(false);
    expect(other.seen[0]!.method).toBe('GET');
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.headers['content-type']).toBeUndefined();
  });

  it('stops after 5 hops', async () => {
    const gw = await serve((req, res) => {
      res.writeHead(302, { location: `/loop${gw.seen.length}` });
      res.end();
      void req;
    });
    const r = await fetchModels(request(`${gw.origin}/v1`));
    expect(r.ok).toBe(false);
    expect(gw.seen).toHaveLength(6);
  });
});

describe('what a gateway echoes back is masked', () => {
  it('a key straddling the 200-character cut of an error body leaks no part of itself', async () => {
    for (const at of [180, 190, 195, 199]) {
      const gw = await serve((_req, res) => {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end(`${'x'.repeat(at)} ${KEY} and ${HEADER_KEY} and ${QUERY_KEY}`);
      });
      const r = await fetchModels(request(`${gw.origin}/v1`));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      for (const piece of ['sk-http', 'redact-01', '0123456789', 'hk-portkey', 'qk-azure']) {
        expect(r.message, `cut at ${at}`).not.toContain(piece);
      }
    }
  });

  it('model ids that are the key, a header or the URL (plain or base64) come back masked', async () => {
    const gw = await serve((req, res) =>
      models(res, [
        'gpt-5',
        String(req.headers.authorization),
        String(req.headers['x-portkey-virtual-key']),
        req.url,
        Buffer.from(KEY).toString('base64'),
      ]),
    );
    const r = await fetchModels(request(`${gw.origin}/v1`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.models[0]).toBe('gpt-5');
    expect(r.models[1]).toBe('Bearer sk-…cdef');
    expect(r.models[2]).toBe('hk-…6789');
    expect(r.models[3]).toBe('/v1/models?api-key=qk-…cdef&api-version=2024-10-21');
    expect(JSON.stringify(r)).not.toContain('0123456789');
    expect(JSON.stringify(r)).not.toContain(Buffer.from(KEY).toString('base64').slice(0, 16));
  });
});
