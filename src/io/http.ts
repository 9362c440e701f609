/**
 * The HTTP client codexgw uses to talk to gateways: list models (`GET <base>/models`) and send
 * one tiny Responses request (`POST <base>/responses`, streamed). Every failure comes back as a
 * typed value with a message and a fix; nothing throws for network or HTTP problems. Secrets
 * (the key, credential headers and query parameters, in any encoding) never appear in a message,
 * a URL or a model id, and none follows a redirect to another origin.
 */
import { parseModelsReply } from '../gateways/models-reply.ts';
import { isCredentialName, looksLikeCredential, redactWith, registerSecret } from './redact.ts';

export type HttpFailureKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'http_error'
  | 'server_error'
  | 'timeout'
  | 'connection_refused'
  | 'dns'
  | 'tls'
  | 'network'
  | 'invalid_url'
  | 'bad_response'
  | 'stream_error'
  | 'proxy';

export interface HttpFailure {
  ok: false;
  kind: HttpFailureKind;
  /** The HTTP status, when the gateway answered. */
  status?: number;
  /** What went wrong, naming the URL (never a secret). */
  message: string;
  /** How to fix it. */
  hint: string;
  latencyMs: number;
  /** The URL that was called, with its credentials (userinfo, credential query values) masked. */
  url: string;
}

export interface RequestOptions {
  /** The provider's base_url; `/models` or `/responses` is appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` (what Codex does with env_key). */
  apiKey?: string | undefined;
  /** Static and env-resolved headers, already merged. */
  headers?: Record<string, string> | undefined;
  /** The provider's query_params, appended to the URL as Codex does. */
  queryParams?: Record<string, string> | undefined;
  timeoutMs: number;
  /** The env var the key came from, so hints can name it. */
  keyEnvVar?: string | undefined;
  /** Injected for tests; defaults to the global fetch, or a proxy's when the environment names one. */
  fetchImpl?: typeof fetch;
  /** The environment, for HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (as Codex honours them). */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface FetchModelsOk {
  ok: true;
  models: string[];
  latencyMs: number;
  status: number;
  url: string;
}

export type FetchModelsResult = FetchModelsOk | HttpFailure;

export interface ProbeOptions extends RequestOptions {
  model: string;
}

export interface ProbeOk {
  ok: true;
  latencyMs: number;
  /** Time to the first SSE event. */
  firstEventMs: number;
  /** `completed`, or `incomplete` (the token cap was hit: the gateway still works). */
  status: 'completed' | 'incomplete';
  /** The text the model produced, if any. */
  text: string;
  url: string;
}

export type ProbeResult = ProbeOk | HttpFailure;

const USER_AGENT = 'codexgw';
/** Bound on what is read from a reply, so a misbehaving server cannot exhaust memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];

/**
 * The fetch a request goes through: the injected one, a proxy's when the environment sets one
 * (src/io/proxy.ts, loaded only then), else the global fetch.
 */
async function transportFor(url: string, opts: RequestOptions): Promise<typeof fetch> {
  if (opts.fetchImpl) return opts.fetchImpl;
  const env = opts.env;
  if (!env || !PROXY_VARIABLES.some((name) => env[name])) return fetch;
  const { proxyFor, proxyFetch } = await import('./proxy.ts');
  const proxy = proxyFor(url, env);
  return proxy ? proxyFetch(proxy) : fetch;
}

/** `<base>/<endpoint>` plus query parameters, the way Codex builds its request URLs. */
export function endpointUrl(
  baseUrl: string,
  endpoint: string,
  queryParams: Record<string, string> = {},
): string {
  const url = `${baseUrl.replace(/\/+$/, '')}/${endpoint}`;
  const qs = new URLSearchParams(queryParams).toString();
  return qs === '' ? url : `${url}?${qs}`;
}

/** `GET <base>/models`: the model ids the key may use (ids and messages redacted). */
export async function fetchModels(opts: RequestOptions): Promise<FetchModelsResult> {
  const redact = redactor(opts);
  const result = await fetchModelsRaw(opts, redact);
  // A gateway that echoes the key back as a model id (or in a message) gets it masked.
  return result.ok
    ? { ...result, models: result.models.map(redact), url: redact(result.url) }
    : redactFailure(result, redact);
}

async function fetchModelsRaw(
  opts: RequestOptions,
  redact: (s: string) => string,
): Promise<FetchModelsResult> {
  const url = endpointUrl(opts.baseUrl, 'models', opts.queryParams);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    res = await fetchFollowing(
      url,
      { method: 'GET', headers: requestHeaders(opts, 'application/json'), signal },
      opts,
    );
  } catch (err) {
    return classifyError(err, { url, opts, latencyMs: elapsed() });
  }
  let text: string;
  try {
    text = await readCapped(res);
  } catch (err) {
    return classifyError(err, { url, opts, latencyMs: elapsed() });
  }
  if (!res.ok)
    return statusFailure(res.status, text, { url, opts, latencyMs: elapsed(), redact, what: 'models' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      ok: false,
      kind: 'bad_response',
      status: res.status,
      message: `${url} answered ${res.status} but not with JSON (${describeBody(res, text, redact)}).`,
      hint: baseUrlHint(
        opts.baseUrl,
        "The base URL probably points at a web page rather than the gateway's API root.",
      ),
      latencyMs: elapsed(),
      url,
    };
  }
  const models = parseModelsReply(body);
  if (models === undefined) {
    return {
      ok: false,
      kind: 'bad_response',
      status: res.status,
      message: `${url} answered with JSON that is not a model list (expected {"data":[{"id":…}]} or {"models":[…]}).`,
      hint: baseUrlHint(opts.baseUrl, "Check that the base URL is the gateway's OpenAI-compatible root."),
      latencyMs: elapsed(),
      url,
    };
  }
  return { ok: true, models, latencyMs: elapsed(), status: res.status, url };
}

/**
 * One tiny streaming `POST <base>/responses`, shaped like Codex's request (message input,
 * `stream: true`, `store: false`) but capped at 16 output tokens. Reads the SSE stream until
 * `response.completed` (or `response.incomplete`), an error event, the end, or the timeout.
 */
export async function probeResponses(opts: ProbeOptions): Promise<ProbeResult> {
  const redact = redactor(opts);
  const result = await probeResponsesRaw(opts, redact);
  return result.ok
    ? { ...result, text: redact(result.text), url: redact(result.url) }
    : redactFailure(result, redact);
}

async function probeResponsesRaw(opts: ProbeOptions, redact: (s: string) => string): Promise<ProbeResult> {
  const url = endpointUrl(opts.baseUrl, 'responses', opts.queryParams);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const body = {
    model: opts.model,
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Reply with OK' }] }],
    stream: true,
    store: false,
    max_output_tokens: 16,
  };
  let res: Response;
  try {
    res = await fetchFollowing(
      url,
      {
        method: 'POST',
        headers: { ...requestHeaders(opts, 'text/event-stream'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      },
      opts,
    );
  } catch (err) {
    return classifyError(err, { url, opts, latencyMs: elapsed() });
  }
  if (!res.ok) {
    let text = '';
    try {
      text = await readCapped(res);
    } catch (err) {
      return classifyError(err, { url, opts, latencyMs: elapsed() });
    }
    return statusFailure(res.status, text, { url, opts, latencyMs: elapsed(), redact, what: 'responses' });
  }
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) {
    let text = '';
    try {
      text = await readCapped(res);
    } catch {
      text = '';
    }
    return {
      ok: false,
      kind: 'bad_response',
      status: res.status,
      message: `${url} answered ${res.status} with ${type || 'no content type'} instead of an event stream (${describeBody(res, text, redact)}).`,
      hint: 'Codex streams every turn (stream: true); the gateway or the model behind it must support streaming Responses.',
      latencyMs: elapsed(),
      url,
    };
  }
  try {
    return await readResponseStream(res, { url, elapsed, redact });
  } catch (err) {
    return classifyError(err, { url, opts, latencyMs: elapsed() });
  }
}

async function readResponseStream(
  res: Response,
  ctx: { url: string; elapsed: () => number; redact: (s: string) => string },
): Promise<ProbeResult> {
  const { url, elapsed, redact } = ctx;
  const reader = res.body?.getReader();
  if (!reader) {
    return {
      ok: false,
      kind: 'bad_response',
      status: res.status,
      message: `${url} answered ${res.status} with an empty stream.`,
      hint: 'The gateway must stream Responses events (response.created … response.completed).',
      latencyMs: elapsed(),
      url,
    };
  }
  const decoder = new TextDecoder();
  let buffer = '';
  let read = 0;
  let firstEventMs: number | undefined;
  let text = '';
  const finish = async (result: ProbeResult): Promise<ProbeResult> => {
    await reader.cancel().catch(() => undefined);
    return result;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > MAX_BODY_BYTES) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseSseFrame(frame);
      if (event === undefined) continue;
      firstEventMs ??= elapsed();
      const type = typeof event.type === 'string' ? event.type : '';
      if (type === 'response.output_text.delta' && typeof event.delta === 'string') text += event.delta;
      if (type === 'response.output_item.done') text = outputText(event.item) || text;
      if (type === 'response.completed' || type === 'response.incomplete') {
        return finish({
          ok: true,
          latencyMs: elapsed(),
          firstEventMs,
          status: type === 'response.completed' ? 'completed' : 'incomplete',
          text,
          url,
        });
      }
      if (type === 'error' || type === 'response.failed') {
        const msg = redact(eventErrorMessage(event) ?? 'no message');
        return finish({
          ok: false,
          kind: 'stream_error',
          status: res.status,
          message: `${url} streamed an error: ${msg}.`,
          hint: 'The gateway accepted the request but the model failed: check the model name and that the model behind the gateway supports the Responses API.',
          latencyMs: elapsed(),
          url,
        });
      }
    }
  }
  return finish({
    ok: false,
    kind: 'bad_response',
    status: res.status,
    message: `${url}: the stream ended before response.completed${firstEventMs === undefined ? ' (no events at all)' : ''}.`,
    hint: 'Codex fails the turn in this case ("stream closed before response.completed"). The gateway must stream the full Responses event sequence.',
    latencyMs: elapsed(),
    url,
  });
}

/** One SSE frame's JSON payload (the `data:` lines joined); undefined for comments, pings and [DONE]. */
export function parseSseFrame(frame: string): Record<string, unknown> | undefined {
  const data = frame
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).replace(/^ /, ''))
    .join('\n');
  if (data === '' || data === '[DONE]') return undefined;
  try {
    const v = JSON.parse(data) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function outputText(item: unknown): string {
  if (!item || typeof item !== 'object') return '';
  const content = (item as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content
    .map((c) =>
      c && typeof c === 'object' && typeof (c as { text?: unknown }).text === 'string'
        ? (c as { text: string }).text
        : '',
    )
    .join('');
}

function eventErrorMessage(event: Record<string, unknown>): string | undefined {
  if (typeof event.message === 'string') return event.message;
  const fromError = (e: unknown) =>
    e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
      ? (e as { message: string }).message
      : undefined;
  const response = event.response as { error?: unknown } | undefined;
  return fromError(event.error) ?? fromError(response?.error);
}

function requestHeaders(opts: RequestOptions, accept: string): Record<string, string> {
  const headers: Record<string, string> = { accept, 'user-agent': USER_AGENT, ...(opts.headers ?? {}) };
  // The key goes last, as Codex's env_key does: it wins over a hand-written Authorization header.
  if (opts.apiKey !== undefined && opts.apiKey !== '') {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
    headers.authorization = `Bearer ${opts.apiKey}`;
  }
  return headers;
}

/**
 * Mask every secret this request carries (the key, credential headers, credential query
 * parameters, in any encoding), wherever a server echoes it back. They are registered with the
 * output boundary too.
 */
export function redactor(opts: RequestOptions): (s: string) => string {
  const secrets = new Set<string>();
  if (opts.apiKey) secrets.add(opts.apiKey);
  const named = [...Object.entries(opts.headers ?? {}), ...Object.entries(opts.queryParams ?? {})];
  for (const [name, value] of named) {
    if (value.trim() !== '' && (isCredentialName(name) || looksLikeCredential(value))) secrets.add(value);
  }
  const list = [...secrets].filter((s) => s.trim().length >= 4);
  for (const s of list) registerSecret(s);
  return list.length === 0 ? (s) => s : (s) => redactWith(s, list);
}

function redactFailure(f: HttpFailure, redact: (s: string) => string): HttpFailure {
  return { ...f, message: redact(f.message), hint: redact(f.hint), url: redact(f.url) };
}

const MAX_REDIRECTS = 5;
/** The only headers sent to another origin after a redirect: nothing that identifies the caller. */
const PUBLIC_HEADERS = new Set(['accept', 'user-agent', 'content-type']);

/**
 * fetch, following redirects by hand: to another origin (scheme, host, port) no credential
 * follows (not the key, no provider header, none of the provider's query parameters), which
 * fetch's own `redirect: 'follow'` would forward.
 */
async function fetchFollowing(
  url: string,
  init: RequestInit & { headers: Record<string, string> },
  opts: RequestOptions,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    // Each hop picks its own transport: NO_PROXY may exempt one host and not the next.
    const transport = await transportFor(current, opts);
    const res = await transport(current, { ...request, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || res.status === 304 || !location || hop >= MAX_REDIRECTS) {
      return res;
    }
    await res.body?.cancel().catch(() => undefined);
    const next = new URL(location, current);
    if (next.origin !== origin) {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([k]) => PUBLIC_HEADERS.has(k.toLowerCase())),
      );
      for (const name of Object.keys(opts.queryParams ?? {})) next.searchParams.delete(name);
      request = { ...request, headers };
    }
    // 303, and 301/302 after a POST, become a GET without a body (as browsers and fetch do).
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && request.method === 'POST')) {
      const { 'content-type': _dropped, ...headers } = request.headers;
      request = { ...request, method: 'GET', body: undefined, headers };
    }
    current = next.toString();
  }
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The gateway's own error message from a JSON error body, or a snippet of the text. */
export function errorDetail(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    const v = JSON.parse(trimmed) as Record<string, unknown>;
    const candidates = [
      (v.error as { message?: unknown } | undefined)?.message,
      v.error,
      v.message,
      v.detail,
      (v.detail as { message?: unknown } | undefined)?.message,
    ];
    for (const c of candidates) if (typeof c === 'string' && c.trim() !== '') return oneLine(c);
  } catch {
    // Not JSON: fall through to the snippet.
  }
  if (/^<(!doctype|html)/i.test(trimmed)) return 'an HTML page';
  return oneLine(trimmed);
}

function oneLine(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

function describeBody(res: Response, text: string, redact: (s: string) => string): string {
  // Redacted before errorDetail cuts it: a key across the cut would leak its first half.
  const detail = errorDetail(redact(text));
  const type = res.headers.get('content-type');
  if (detail === '') return 'empty body';
  return `${type ? `${type.split(';')[0]}: ` : ''}${detail}`;
}

function baseUrlHint(baseUrl: string, lead: string): string {
  let path = '';
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    path = '';
  }
  const v1 =
    path === '' || path === '/'
      ? ` Most gateways want the /v1 root, e.g. ${baseUrl.replace(/\/+$/, '')}/v1.`
      : '';
  return `${lead}${v1} Codex calls <base_url>/responses, so base_url must be the API root.`;
}

interface FailureContext {
  url: string;
  opts: RequestOptions;
  latencyMs: number;
}

function keyName(opts: RequestOptions): string {
  return opts.keyEnvVar ? `$${opts.keyEnvVar}` : 'the API key';
}

function statusFailure(
  status: number,
  text: string,
  ctx: FailureContext & { redact: (s: string) => string; what: 'models' | 'responses' },
): HttpFailure {
  const { url, opts, latencyMs } = ctx;
  // Redacted before errorDetail cuts it: a key across the cut would leak its first half.
  const detail = errorDetail(ctx.redact(text));
  const said = detail === '' ? '' : `: ${detail}`;
  const base = { ok: false as const, status, latencyMs, url };
  const key = keyName(opts);
  const setKey = opts.keyEnvVar ? ` (codexgw env set ${opts.keyEnvVar})` : '';
  if (status === 401) {
    return {
      ...base,
      kind: 'unauthorized',
      message: `${url} rejected the credentials (HTTP 401${said}).`,
      hint:
        opts.apiKey === undefined || opts.apiKey === ''
          ? `No key was sent. Set the provider's env_key variable${setKey}.`
          : `Check that ${key} holds a valid, unexpired key for this gateway${setKey}, and that your shell exported it.`,
    };
  }
  if (status === 403) {
    return {
      ...base,
      kind: 'forbidden',
      message: `${url} refused access (HTTP 403${said}).`,
      hint: `The key in ${key} is not allowed to do this: check its permissions or scopes in the gateway (or that it is the right key${setKey}).`,
    };
  }
  if (status === 404) {
    const model = ctx.what === 'responses' && /model/i.test(detail);
    return {
      ...base,
      kind: 'not_found',
      message: `${url} does not exist (HTTP 404${said}).`,
      hint: model
        ? 'The gateway does not know this model: check the name with codexgw model list.'
        : baseUrlHint(
            opts.baseUrl,
            ctx.what === 'models'
              ? 'The base URL is probably wrong or missing a path segment; some gateways also do not list models (try codexgw doctor --online --request).'
              : 'The base URL is probably wrong or missing a path segment, or the gateway does not serve the Responses API.',
          ),
    };
  }
  if (status === 429) {
    return {
      ...base,
      kind: 'rate_limited',
      message: `${url} is rate-limiting this key (HTTP 429${said}).`,
      hint: "Wait and try again, or raise the key's rate limit or budget in the gateway.",
    };
  }
  if (status >= 500) {
    return {
      ...base,
      kind: 'server_error',
      message: `${url} failed with HTTP ${status}${said}.`,
      hint: "The gateway (or the provider behind it) has a problem: try again later, and check the gateway's status page or logs.",
    };
  }
  return {
    ...base,
    kind: 'http_error',
    message: `${url} answered HTTP ${status}${said}.`,
    hint:
      ctx.what === 'responses'
        ? 'The gateway refused the request: check the model name and that the gateway serves the OpenAI Responses API.'
        : "Check the base URL and the gateway's documentation for this endpoint.",
  };
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

/** Find the system error code in fetch's error chain (undici wraps it in `cause`, sometimes twice). */
function errorCode(err: unknown): { code?: string; message: string } {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur; depth++) {
    const e = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string') {
      return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
    }
    // Happy-eyeballs failures arrive as an AggregateError of per-address errors.
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      cur = e.errors[0];
      continue;
    }
    cur = e.cause;
  }
  return { message: err instanceof Error ? err.message : String(err) };
}

function classifyError(err: unknown, ctx: FailureContext): HttpFailure {
  const { url, opts, latencyMs } = ctx;
  const base = { ok: false as const, latencyMs, url };
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    host = url;
  }
  const name = (err as { name?: unknown } | undefined)?.name;
  if (name === 'ProxyError') {
    const { status, proxy } = err as { status?: number; proxy: string };
    return {
      ...base,
      kind: 'proxy',
      ...(status === undefined ? {} : { status }),
      message: `${(err as Error).message} The request was for ${url}.`,
      hint:
        status === 407
          ? `Put the proxy's credentials in the variable that names it (e.g. HTTPS_PROXY=http://user:password@${proxy.replace(/^[a-z]+:\/\//, '')}), or add ${host} to NO_PROXY if the gateway is reachable without it.`
          : `Check HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (codexgw and Codex both use them), or add ${host} to NO_PROXY to connect directly.`,
    };
  }
  if (name === 'TimeoutError' || name === 'AbortError') {
    const secs = Math.round(opts.timeoutMs / 100) / 10;
    return {
      ...base,
      kind: 'timeout',
      message: `${url} did not answer within ${secs}s.`,
      hint: 'Check the URL and your network (VPN, proxy, firewall); if the gateway is just slow, raise --timeout.',
    };
  }
  const { code, message } = errorCode(err);
  if (code === 'ERR_INVALID_URL' || (err instanceof TypeError && /invalid url|parse url/i.test(message))) {
    return {
      ...base,
      kind: 'invalid_url',
      message: `"${url}" is not a valid URL.`,
      hint: 'Fix base_url in the provider table (codexgw provider show <id>).',
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      ...base,
      kind: 'connection_refused',
      message: `Nothing is listening at ${host} (connection refused).`,
      hint: 'Start the gateway if it is self-hosted (e.g. npx @portkey-ai/gateway, litellm --port 4000), or fix the host and port in base_url.',
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return {
      ...base,
      kind: 'dns',
      message: `The host ${host} could not be found (${code}).`,
      hint: 'Check the spelling of the host in base_url; for a private gateway, check your VPN and DNS.',
    };
  }
  if (code && (TLS_CODES.has(code) || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code))) {
    const plain = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|EPROTO/.test(code);
    // OpenSSL's own text ("…:error:0A00010B:SSL routines:…") says nothing the code does not.
    const said = message && !/:error:/.test(message) ? `: ${oneLine(message)}` : '';
    return {
      ...base,
      kind: 'tls',
      message: `The TLS connection to ${host} failed (${code}${said}).`,
      hint: plain
        ? 'The server does not speak https on this port: if it is a plain-http local gateway, use http:// in base_url.'
        : 'The certificate is not trusted. For a corporate or self-signed CA, point NODE_EXTRA_CA_CERTS at its PEM file for codexgw, and make sure the system trust store has it for Codex too.',
    };
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT'
  ) {
    return {
      ...base,
      kind: 'network',
      message: `The connection to ${host} failed (${code}).`,
      hint: 'Check your network, VPN or proxy, and that the gateway is up.',
    };
  }
  if (code?.startsWith('UND_ERR_')) {
    return {
      ...base,
      kind: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'network',
      message: `The request to ${url} failed (${code}).`,
      hint: 'Check your network, VPN or proxy, and that the gateway is up.',
    };
  }
  return {
    ...base,
    kind: 'network',
    message: `The request to ${url} failed: ${oneLine(message) || 'unknown error'}${code ? ` (${code})` : ''}.`,
    hint: 'Check the base URL, your network, VPN or proxy, and that the gateway is up.',
  };
}
