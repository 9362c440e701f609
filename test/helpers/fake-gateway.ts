/**
 * An in-process fake LLM gateway for tests: binds 127.0.0.1 on an OS-chosen port, records every
 * request, and answers `GET …/models` and `POST …/responses` (a Responses SSE stream that makes
 * `codex exec` finish with exit 0, per codex-oracle.md §3c) or the failure the test asks for.
 *
 * Bounded: after `maxRequests` requests or `lifetimeMs` it closes itself, so a client stuck in a
 * retry loop cannot run forever. Its timers and server are unref'd and `close()` destroys open
 * sockets, so it never keeps the test process alive.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeMode =
  /** Models list / Responses stream. */
  | 'ok'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server_error'
  /** Answer only after `slowMs` (longer than any client timeout in the tests). */
  | 'slow'
  /** 200 with an HTML page instead of JSON. */
  | 'not_json'
  /** 200 with JSON that is not a model list. */
  | 'not_a_list'
  /** A hostile gateway: 401 whose body repeats every request header and the URL (plain and base64). */
  | 'echo_unauthorized'
  /** A hostile gateway: 200 whose model ids are the request's header values, URL and query. */
  | 'echo_models';

/** The shape of the `POST …/responses` answer in mode `ok`. */
export type SseMode =
  /** The OpenAI-style sequence: created, item added, text delta, item done, completed (with usage). */
  | 'full'
  /** The smallest sequence Codex accepts: output_item.done + completed. */
  | 'minimal'
  /** Like full, but ends with response.incomplete (token cap hit). */
  | 'incomplete'
  /** Ends the stream without response.completed. */
  | 'nocomplete'
  /** A stream with an `error` event (e.g. an unknown model). */
  | 'error'
  /** Sends response.created, then nothing until the client gives up. */
  | 'stall'
  /** 200 with a JSON body instead of a stream. */
  | 'json';

export type ModelsShape = 'both' | 'openai' | 'codex';

export interface RecordedRequest {
  /** 1-based sequence number. */
  n: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The path without the query. */
  path: string;
  /** Lower-cased header names (Node's view). */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined (no body, not JSON, or content-encoded). */
  body: unknown;
  rawBody: string;
}

export interface FakeGatewayOptions {
  /** What to answer; a function decides per request (undefined → 'ok'). */
  mode?: FakeMode | ((req: RecordedRequest) => FakeMode | undefined);
  sse?: SseMode;
  models?: string[];
  modelsShape?: ModelsShape;
  replyText?: string;
  /** When set, requests without `authorization: Bearer <requireKey>` get a 401. */
  requireKey?: string;
  /** Delay of the `slow` mode (default 30 s). */
  slowMs?: number;
  maxRequests?: number;
  lifetimeMs?: number;
}

export interface FakeGateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/v1`, what a provider's base_url should be. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  setMode(mode: FakeGatewayOptions['mode']): void;
  setSse(sse: SseMode): void;
  close(): Promise<void>;
}

export async function startFakeGateway(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
  let mode = options.mode ?? 'ok';
  let sse = options.sse ?? 'full';
  const models = options.models ?? ['fake-model', 'gpt-5'];
  const replyText = options.replyText ?? 'hi from fake gateway';
  const maxRequests = options.maxRequests ?? 50;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed: Promise<void> | undefined;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      const recorded: RecordedRequest = {
        n: requests.length + 1,
        method: req.method ?? 'GET',
        url,
        path: url.split('?')[0]!,
        headers: req.headers,
        body: parseBody(rawBody, req.headers),
        rawBody,
      };
      requests.push(recorded);
      if (recorded.n > maxRequests) {
        sendJson(res, 503, errorBody(`fake gateway: request limit (${maxRequests}) reached`, 'limit'));
        void close();
        return;
      }
      const m = (typeof mode === 'function' ? mode(recorded) : mode) ?? 'ok';
      answer(recorded, m, res);
    });
  });

  const answer = (r: RecordedRequest, m: FakeMode, res: ServerResponse) => {
    if (options.requireKey !== undefined && r.headers.authorization !== `Bearer ${options.requireKey}`) {
      sendJson(res, 401, errorBody('Invalid API key provided.', 'invalid_api_key'));
      return;
    }
    switch (m) {
      case 'unauthorized':
        return sendJson(res, 401, errorBody('Invalid API key provided.', 'invalid_api_key'));
      case 'forbidden':
        return sendJson(res, 403, errorBody('This key may not use this endpoint.', 'forbidden'));
      case 'not_found':
        return sendJson(res, 404, errorBody(`Not found: ${r.path}`, 'not_found'));
      case 'rate_limited':
        return sendJson(res, 429, errorBody('Rate limit exceeded.', 'rate_limited'));
      case 'server_error':
        return sendJson(res, 500, errorBody('Upstream exploded.', 'server_error'));
      case 'slow':
        later(options.slowMs ?? 30_000, () => {
          if (!res.destroyed) sendJson(res, 200, modelsBody(models, options.modelsShape));
        });
        return;
      case 'not_json':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body>Welcome to the dashboard</body></html>');
        return;
      case 'not_a_list':
        return sendJson(res, 200, { hello: 'world' });
      case 'echo_unauthorized': {
        const echoed = `${JSON.stringify(r.headers)} ${r.url}`;
        const b64 = Buffer.from(echoed).toString('base64');
        return sendJson(res, 401, errorBody(`Invalid key. You sent ${echoed} (${b64})`, 'invalid_api_key'));
      }
      case 'echo_models': {
        const values = Object.values(r.headers).flatMap((v) => (Array.isArray(v) ? v : v ? [v] : []));
        const ids = [...values, r.url, ...values.map((v) => Buffer.from(v).toString('base64'))];
        return sendJson(res, 200, modelsBody(ids, options.modelsShape));
      }
      default:
        break;
    }
    if (r.method === 'GET' && r.path.endsWith('/models')) {
      return sendJson(res, 200, modelsBody(models, options.modelsShape));
    }
    if (r.method === 'POST' && r.path.endsWith('/responses')) {
      const model = (r.body as { model?: unknown } | undefined)?.model;
      return streamResponse(res, sse, typeof model === 'string' ? model : 'fake-model', replyText);
    }
    if (r.path.endsWith('/responses')) {
      return sendJson(res, 405, errorBody('Use POST.', 'method_not_allowed'));
    }
    sendJson(res, 404, errorBody(`Not found: ${r.method} ${r.path}`, 'not_found'));
  };

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return closed;
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  later(options.lifetimeMs ?? 60_000, () => void close());

  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    setMode: (m) => {
      mode = m ?? 'ok';
    },
    setSse: (s) => {
      sse = s;
    },
    close,
  };
}

/** Alias: `start()` as the brief names it. */
export const start = startFakeGateway;

/** A loopback port with nothing listening on it (listen on port 0, note the port, close). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function parseBody(raw: string, headers: IncomingHttpHeaders): unknown {
  if (raw === '' || headers['content-encoding']) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function errorBody(message: string, code: string) {
  return { error: { message, type: 'invalid_request_error', code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function modelsBody(ids: string[], shape: ModelsShape = 'both') {
  const data = ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake-gateway' }));
  if (shape === 'openai') return { object: 'list', data };
  if (shape === 'codex') return { models: ids.map((slug) => ({ slug })) };
  // Codex decodes {models: [...]}; an empty list decodes cleanly, the ids go in `data`.
  return { object: 'list', data, models: [] };
}

function streamResponse(res: ServerResponse, mode: SseMode, model: string, text: string): void {
  if (mode === 'json') {
    sendJson(res, 200, { id: 'resp_fake', object: 'response', status: 'completed', model });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, payload: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`);
  const id = 'resp_fake_1';
  const itemId = 'msg_fake_1';
  const message = {
    id: itemId,
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  const usage = {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 15,
  };
  if (mode === 'minimal') {
    send('response.output_item.done', { item: message });
    send('response.completed', { response: { id } });
    res.end();
    return;
  }
  if (mode === 'error') {
    send('error', { code: 'model_not_found', message: `The model \`${model}\` does not exist.` });
    res.end();
    return;
  }
  send('response.created', {
    response: { id, object: 'response', status: 'in_progress', model, output: [] },
  });
  if (mode === 'stall') return; // the client's timeout (or close()) ends it
  send('response.output_item.added', {
    output_index: 0,
    item: { ...message, status: 'in_progress', content: [] },
  });
  send('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: text });
  send('response.output_item.done', { output_index: 0, item: message });
  if (mode === 'nocomplete') {
    res.end();
    return;
  }
  const status = mode === 'incomplete' ? 'incomplete' : 'completed';
  send(`response.${status}`, {
    response: { id, object: 'response', status, model, output: [message], usage },
  });
  res.end();
}
