// HTTP(S) proxies, as Codex honours them: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (lower case too)
// and NO_PROXY. Node's fetch ignores these variables, so a request that must go through a proxy is
// made here with node:http: a plain-http target as an absolute-URI request to the proxy, an https
// target through a CONNECT tunnel. Loaded only when a proxy variable is set (src/io/http.ts).
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';

/** A request the proxy refused or could not carry: what src/io/http.ts turns into a `proxy` failure. */
export class ProxyError extends Error {
  override name = 'ProxyError';
  constructor(
    message: string,
    readonly proxy: string,
    /** The proxy's status (407: it wants credentials), when it answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The proxy variables, in the order they are looked up for each kind of target. */
const VARIABLES = {
  'https:': ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'],
  'http:': ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'],
} as const;

/**
 * The proxy a request to `target` goes through, or undefined for a direct connection: none is
 * set for its scheme, or NO_PROXY matches its host (`*`; a host or domain, with or without a
 * leading dot, matching it and its subdomains; an optional `:port`).
 */
export function proxyFor(target: string, env: NodeJS.ProcessEnv): URL | undefined {
  const url = new URL(target);
  const names = VARIABLES[url.protocol as keyof typeof VARIABLES];
  if (!names) return undefined;
  const name = names.find((n) => env[n] !== undefined && env[n] !== '');
  if (name === undefined || bypassed(url, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  const raw = env[name]!.trim();
  // `proxy.corp:3128` means http://proxy.corp:3128, as curl and Codex read it.
  const proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new ProxyError(
      `${name} names a ${proxy.protocol.replace(/:$/, '')} proxy; codexgw supports http:// and https:// proxies.`,
      describe(proxy),
    );
  }
  return proxy;
}

function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // `host`, `host:port`, `[v6]:port`, or a bare IPv6 address (more than one colon).
    const m = /^(\[[^\]]+\]|[^:]+|[^\]]*:[^\]]*:[^\]]*)(?::(\d+))?$/.exec(entry);
    if (!m) continue;
    const name = m[1]!.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (m[2] !== undefined && m[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The proxy for messages: scheme, host and port, never its credentials. */
export function describe(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

const MAX_REDIRECTS = 5;
/** Headers that may follow a redirect to another origin: nothing that could be a credential. */
const CROSS_ORIGIN_SAFE = new Set(['accept', 'content-type', 'user-agent']);

/** A fetch that sends every request through `proxy` (the subset of fetch that http.ts uses). */
export function proxyFetch(proxy: URL): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    let method = (init.method ?? 'GET').toUpperCase();
    let headers = Object.fromEntries(new Headers(init.headers).entries());
    let body = typeof init.body === 'string' ? init.body : undefined;
    for (let hop = 0; ; hop++) {
      const res = await send(proxy, url, { method, headers, body, signal: init.signal ?? undefined });
      const location = res.headers.get('location');
      if (
        init.redirect === 'manual' ||
        res.status < 300 ||
        res.status > 399 ||
        !location ||
        hop >= MAX_REDIRECTS
      ) {
        return res;
      }
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => CROSS_ORIGIN_SAFE.has(k)));
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      url = next;
    }
  }) as typeof fetch;
}

interface Outgoing {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

function send(proxy: URL, url: URL, out: Outgoing): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const { signal } = out;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const onAbort = () => {
      fail(signal!.reason);
      req?.destroy();
      tunnel?.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let req: http.ClientRequest | undefined;
    let tunnel: http.ClientRequest | undefined;

    const onResponse = (res: http.IncomingMessage) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (url.protocol === 'http:' && res.statusCode === 407) {
        res.resume();
        reject(refused(proxy, 407));
        return;
      }
      const status = res.statusCode ?? 502;
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, value);
      }
      const noBody = out.method === 'HEAD' || status === 204 || status === 304;
      if (noBody) res.resume();
      signal?.addEventListener('abort', () => res.destroy(signal.reason), { once: true });
      resolve(
        new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
          status,
          statusText: res.statusMessage,
          headers,
        }),
      );
    };
    const headers: Record<string, string> = { host: url.host, ...out.headers };

    if (url.protocol === 'http:') {
      // A plain-http target: the whole URL goes to the proxy, which makes the request.
      req = (proxy.protocol === 'https:' ? https : http).request(
        {
          ...proxyEndpoint(proxy),
          method: out.method,
          path: url.href,
          headers: { ...headers, ...proxyAuthorization(proxy) },
        },
        onResponse,
      );
      req.on('error', (err) => fail(unreachable(proxy, err)));
      if (out.body !== undefined) req.write(out.body);
      req.end();
      return;
    }
    // An https target: a CONNECT tunnel to host:port, then TLS with the target through it.
    const port = url.port || '443';
    tunnel = (proxy.protocol === 'https:' ? https : http).request({
      ...proxyEndpoint(proxy),
      method: 'CONNECT',
      path: `${url.hostname}:${port}`,
      headers: { host: `${url.hostname}:${port}`, ...proxyAuthorization(proxy) },
    });
    tunnel.on('error', (err) => fail(unreachable(proxy, err)));
    tunnel.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(refused(proxy, res.statusCode ?? 0));
        return;
      }
      // SNI takes a host name only (Node 26 refuses an IP address there).
      const host = url.hostname.replace(/^\[|\]$/g, '');
      let secure: tls.TLSSocket;
      try {
        secure = tls.connect({ socket, host, ...(isIP(host) ? {} : { servername: host }) });
      } catch (err) {
        socket.destroy();
        fail(err);
        return;
      }
      secure.on('error', fail);
      req = https.request(
        {
          host: url.hostname,
          port,
          method: out.method,
          path: `${url.pathname}${url.search}`,
          headers,
          createConnection: () => secure,
        },
        onResponse,
      );
      req.on('error', fail);
      if (out.body !== undefined) req.write(out.body);
      req.end();
    });
    tunnel.end();
  });
}

function proxyEndpoint(proxy: URL): { host: string; port: string } {
  return {
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: proxy.port || (proxy.protocol === 'https:' ? '443' : '80'),
  };
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { 'proxy-authorization': `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

function refused(proxy: URL, status: number): ProxyError {
  return new ProxyError(
    status === 407
      ? `The proxy ${describe(proxy)} wants credentials (407 Proxy Authentication Required).`
      : `The proxy ${describe(proxy)} refused the connection (${status}).`,
    describe(proxy),
    status,
  );
}

function unreachable(proxy: URL, err: unknown): ProxyError {
  const code = (err as { code?: unknown }).code;
  return new ProxyError(
    `The proxy ${describe(proxy)} could not be reached${typeof code === 'string' ? ` (${code})` : ''}.`,
    describe(proxy),
    undefined,
    { cause: err },
  );
}
