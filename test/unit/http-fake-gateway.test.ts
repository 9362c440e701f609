/** The fake gateway's own guarantees: what it records, and that it is bounded. */
import { describe, expect, it } from 'vitest';
import { parseSseFrame } from '../../src/io/http.ts';
import { closedPort, startFakeGateway } from '../helpers/fake-gateway.ts';

describe('fake gateway', () => {
  it('records method, url, headers and the parsed JSON body', async () => {
    const g = await startFakeGateway();
    try {
      const res = await fetch(`${g.baseUrl}/responses?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Test': 'yes' },
        body: JSON.stringify({ model: 'm', stream: true }),
      });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const text = await res.text();
      const events = text
        .split('\n\n')
        .filter((f) => f !== '')
        .map((f) => parseSseFrame(f)!);
      expect(events.map((e) => e.type)).toEqual([
        'response.created',
        'response.output_item.added',
        'response.output_text.delta',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(events[4]).toMatchObject({ response: { status: 'completed', usage: { total_tokens: 15 } } });
      expect(g.requests[0]).toMatchObject({
        n: 1,
        method: 'POST',
        url: '/v1/responses?x=1',
        path: '/v1/responses',
        body: { model: 'm', stream: true },
      });
      expect(g.requests[0]!.headers['x-test']).toBe('yes');
      const models = (await (await fetch(`${g.baseUrl}/models`)).json()) as Record<string, unknown>;
      expect(models).toMatchObject({
        object: 'list',
        models: [],
        data: [{ id: 'fake-model' }, { id: 'gpt-5' }],
      });
      expect((await fetch(`${g.url}/other`)).status).toBe(404);
      expect((await fetch(`${g.baseUrl}/responses`)).status).toBe(405);
    } finally {
      await g.close();
    }
  });

  it('answers 401 without the required key', async () => {
    const g = await startFakeGateway({ requireKey: 'k' });
    try {
      expect((await fetch(`${g.baseUrl}/models`)).status).toBe(401);
      expect((await fetch(`${g.baseUrl}/models`, { headers: { authorization: 'Bearer k' } })).status).toBe(
        200,
      );
    } finally {
      await g.close();
    }
  });

  it('closes itself after maxRequests, so retry loops end', async () => {
    const g = await startFakeGateway({ maxRequests: 2 });
    expect((await fetch(`${g.baseUrl}/models`)).status).toBe(200);
    expect((await fetch(`${g.baseUrl}/models`)).status).toBe(200);
    expect((await fetch(`${g.baseUrl}/models`)).status).toBe(503);
    await g.close();
    await expect(fetch(`${g.baseUrl}/models`)).rejects.toThrow();
  });

  it('closes itself after its lifetime, and close() ends a slow request at once', async () => {
    const g = await startFakeGateway({ lifetimeMs: 200 });
    await new Promise((r) => setTimeout(r, 400));
    await expect(fetch(`${g.baseUrl}/models`)).rejects.toThrow();

    const slow = await startFakeGateway({ mode: 'slow', slowMs: 60_000 });
    const pending = fetch(`${slow.baseUrl}/models`).then(
      () => 'answered',
      () => 'aborted',
    );
    while (slow.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await slow.close();
    expect(await pending).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('closedPort gives a port nothing listens on', async () => {
    const port = await closedPort();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
