/**
 * Proxies, as Codex honours them: the built CLI's HTTP calls (model list, doctor --online) go
 * through HTTP_PROXY / HTTPS_PROXY / ALL_PROXY to a loopback proxy, and straight to the gateway
 * when NO_PROXY matches. The https case runs a TLS gateway with a certificate made here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/io/proxy.ts';
import { closedPort, type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { type FakeProxy, startFakeProxy } from '../helpers/fake-proxy.ts';
import { runCli } from '../helpers/run-cli.ts';
import { cleanupTempDirs, makeTempDir } from '../helpers/tmp.ts';
import { requireTool } from '../helpers/tools.ts';

requireTool('openssl');

const KEY = 'pk-live-SECRET-proxy-0123456789';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  cleanupTempDirs();
});

async function gateway(): Promise<FakeGateway> {
  const gw = await startFakeGateway({ models: ['gpt-5.5', 'gpt-6.1-sol'], requireKey: KEY });
  closers.push(() => gw.close());
  return gw;
}

async function proxy(opts: { credentials?: string } = {}): Promise<FakeProxy> {
  const p = await startFakeProxy(opts);
  closers.push(() => p.close());
  return p;
}

/** A https gateway on 127.0.0.1 with a self-signed certificate (its PEM, for NODE_EXTRA_CA_CERTS). */
async function tlsGateway(dir: string): Promise<{ baseUrl: string; port: number; ca: string }> {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const ok = req.headers.authorization === `Bearer ${KEY}` && req.url?.startsWith('/v1/models');
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? JSON.stringify({ data: [{ id: 'gpt-5.5' }] }) : '{"error":"no"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return { baseUrl: `https://127.0.0.1:${port}/v1`, port, ca: cert };
}

function world(baseUrl: string) {
  const root = makeTempDir('codexgw-proxy-');
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, '.codex'), { recursive: true });
  writeFileSync(
    path.join(home, '.codex', 'config.toml'),
    `model = "gpt-5.5"\nmodel_provider = "gw"\n\n[model_providers.gw]\nname = "GW"\nbase_url = "${baseUrl}"\nenv_key = "GW_KEY"\nwire_api = "responses"\n`,
  );
  return { cwd: root, env: { HOME: home, PATH: process.env.PATH, GW_KEY: KEY } };
}

describe('proxies', () => {
  it('sends model list through HTTP_PROXY, and straight to the gateway when NO_PROXY matches', async () => {
    const gw = await gateway();
    const p = await proxy();
    const w = world(gw.baseUrl);
    const via = await runCli(['model', 'list'], { cwd: w.cwd, env: { ...w.env, HTTP_PROXY: p.url } });
    expect([via.exitCode, via.stdout]).toEqual([0, 'gpt-5.5\ngpt-6.1-sol\n']);
    expect(p.seen.map((r) => `${r.method} ${r.target}`)).toEqual([`GET ${gw.baseUrl}/models`]);
    expect(gw.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    for (const noProxy of ['127.0.0.1', `localhost,127.0.0.1:${gw.port}`, '*', '.0.0.1']) {
      const direct = await runCli(['model', 'list'], {
        cwd: w.cwd,
        env: { ...w.env, http_proxy: p.url, NO_PROXY: noProxy },
      });
      expect([noProxy, direct.exitCode]).toEqual([noProxy, 0]);
    }
    expect(p.seen).toHaveLength(1);
    expect(gw.requests).toHaveLength(5);
  });

  it('tunnels https through HTTPS_PROXY with CONNECT (doctor --online and model list)', async () => {
    const dir = makeTempDir('codexgw-tls-');
    const tls = await tlsGateway(dir);
    const p = await proxy();
    const w = world(tls.baseUrl);
    const env = { ...w.env, HTTPS_PROXY: p.url, NODE_EXTRA_CA_CERTS: tls.ca };
    const list = await runCli(['model', 'list'], { cwd: w.cwd, env });
    expect([list.exitCode, list.stdout, list.stderr]).toEqual([0, 'gpt-5.5\n', expect.any(String)]);
    const doctor = await runCli(['doctor', '--online', '--json'], { cwd: w.cwd, env });
    const checks = JSON.parse(doctor.stdout).checks as { id: string; status: string }[];
    expect(checks.find((c) => c.id.includes('models'))?.status).toBe('ok');
    // model list's one request, then doctor's: through tunnels to the gateway. (The real codex
    // that doctor runs honours HTTPS_PROXY too, and may tunnel its own update check: not ours.)
    const tunnels = p.seen
      .filter((r) => r.target.startsWith('127.0.0.1:'))
      .map((r) => `${r.method} ${r.target}`);
    expect(tunnels.length).toBeGreaterThanOrEqual(2);
    expect(tunnels).toEqual(tunnels.map(() => `CONNECT 127.0.0.1:${tls.port}`));
    // ALL_PROXY serves when the scheme's own variable is unset.
    const all = await runCli(['model', 'list'], {
      cwd: w.cwd,
      env: { ...w.env, ALL_PROXY: p.url, NODE_EXTRA_CA_CERTS: tls.ca },
    });
    expect(all.exitCode).toBe(0);
    expect(p.seen.at(-1)).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${tls.port}` });
  });

  it('says when the proxy wants credentials, sends them from the URL, and never prints them', async () => {
    const gw = await gateway();
    const p = await proxy({ credentials: 'me:s3cret-proxy-pass' });
    const w = world(gw.baseUrl);
    const denied = await runCli(['model', 'list'], { cwd: w.cwd, env: { ...w.env, HTTP_PROXY: p.url } });
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain(
      `The proxy ${p.url} wants credentials (407 Proxy Authentication Required)`,
    );
    expect(denied.stderr).toMatch(/fix: .*HTTPS_PROXY=http:\/\/user:password@127\.0\.0\.1/);
    expect(gw.requests).toHaveLength(0);

    const withAuth = `http://me:s3cret-proxy-pass@127.0.0.1:${p.port}`;
    const ok = await runCli(['model', 'list'], { cwd: w.cwd, env: { ...w.env, HTTP_PROXY: withAuth } });
    expect(ok.exitCode).toBe(0);
    expect(p.seen.at(-1)!.proxyAuthorization).toBe(
      `Basic ${Buffer.from('me:s3cret-proxy-pass').toString('base64')}`,
    );
    expect(`${ok.stdout}${ok.stderr}${denied.stderr}`).not.toContain('s3cret');
  });

  it('names the proxy when it cannot be reached, and refuses a socks proxy with a message', async () => {
    const gw = await gateway();
    const w = world(gw.baseUrl);
    const port = await closedPort();
    const down = await runCli(['model', 'list'], {
      cwd: w.cwd,
      env: { ...w.env, HTTP_PROXY: `http://127.0.0.1:${port}` },
    });
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain(`The proxy http://127.0.0.1:${port} could not be reached (ECONNREFUSED)`);
    const socks = await runCli(['model', 'list'], {
      cwd: w.cwd,
      env: { ...w.env, ALL_PROXY: 'socks5://127.0.0.1:1080' },
    });
    expect(socks.exitCode).toBe(1);
    expect(socks.stderr).toContain(
      'ALL_PROXY names a socks5 proxy; codexgw supports http:// and https:// proxies.',
    );
    expect(gw.requests).toHaveLength(0);
  });
});

describe('proxyFor', () => {
  const at = (target: string, env: NodeJS.ProcessEnv) => proxyFor(target, env)?.href;

  it('picks the variable of the scheme, lower case first, then ALL_PROXY', () => {
    const env = {
      HTTPS_PROXY: 'http://s:1',
      https_proxy: 'http://ls:1',
      HTTP_PROXY: 'http://h:2',
      ALL_PROXY: 'http://a:3',
    };
    expect(at('https://gw.example/v1', env)).toBe('http://ls:1/');
    expect(at('http://gw.example/v1', env)).toBe('http://h:2/');
    expect(at('https://gw.example/v1', { ALL_PROXY: 'http://a:3' })).toBe('http://a:3/');
    expect(at('https://gw.example/v1', { HTTP_PROXY: 'http://h:2' })).toBeUndefined();
    expect(at('https://gw.example/v1', { HTTPS_PROXY: 'proxy.corp:3128' })).toBe('http://proxy.corp:3128/');
    expect(at('https://gw.example/v1', {})).toBeUndefined();
  });

  it('bypasses hosts, domains and ports that NO_PROXY names', () => {
    const p = { HTTPS_PROXY: 'http://p:1' };
    const bypassed = (target: string, noProxy: string) =>
      at(target, { ...p, NO_PROXY: noProxy }) === undefined;
    expect(bypassed('https://api.portkey.ai/v1', 'portkey.ai')).toBe(true);
    expect(bypassed('https://api.portkey.ai/v1', '.portkey.ai')).toBe(true);
    expect(bypassed('https://api.portkey.ai/v1', '*.portkey.ai')).toBe(true);
    expect(bypassed('https://notportkey.ai/v1', 'portkey.ai')).toBe(false);
    expect(bypassed('https://gw.corp:8443/v1', 'gw.corp:8443')).toBe(true);
    expect(bypassed('https://gw.corp/v1', 'gw.corp:8443')).toBe(false);
    expect(bypassed('https://[::1]:9/v1', '::1')).toBe(true);
    expect(bypassed('https://gw.corp/v1', 'a.b, gw.corp')).toBe(true);
    expect(bypassed('https://gw.corp/v1', '')).toBe(false);
    expect(at('https://gw.corp/v1', { ...p, no_proxy: '*' })).toBeUndefined();
  });
});
