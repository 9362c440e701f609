// A forward proxy on 127.0.0.1 for the proxy tests: plain-http requests by absolute URI, https
// through CONNECT tunnels. It records what it carried, optionally wants Basic credentials, and
// forwards only to loopback (it is a test proxy, not an open one).
import http from 'node:http';
import net, { type Socket } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The absolute URI (plain http) or `host:port` (CONNECT). */
  target: string;
  proxyAuthorization: string | undefined;
}

export interface FakeProxy {
  url: string;
  port: number;
  seen: ProxiedRequest[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export async function startFakeProxy(opts: { credentials?: string } = {}): Promise<FakeProxy> {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const wanted = opts.credentials && `Basic ${Buffer.from(opts.credentials).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const proxyAuthorization = req.headers['proxy-authorization'];
    seen.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization });
    if (wanted && proxyAuthorization !== wanted) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    if (!LOOPBACK.has(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const out = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head) => {
    const proxyAuthorization = req.headers['proxy-authorization'];
    seen.push({ method: 'CONNECT', target: req.url ?? '', proxyAuthorization });
    if (wanted && proxyAuthorization !== wanted) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    if (!LOOPBACK.has(host ?? '')) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
