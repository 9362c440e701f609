import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../src/checks/doctor/types.ts';
import { doctor, one } from '../helpers/doctor.ts';
import { closedPort, type FakeGateway, type FakeMode, startFakeGateway } from '../helpers/fake-gateway.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const KEY = 'sk-fake-0123456789abcdef';

function setup(baseUrl: string, model = 'gpt-5'): TempWorld {
  const w = makeWorld();
  w.write(
    path.join(w.codexHome, 'config.toml'),
    `model = "${model}"\nmodel_provider = "fake"\n\n[model_providers.fake]\nname = "Fake"\nbase_url = "${baseUrl}"\nenv_key = "FAKE_KEY"\n`,
  );
  return w;
}

async function online(w: TempWorld, args: string[] = []) {
  const r = await doctor(w, ['--online', '--json', ...args], { env: { FAKE_KEY: KEY } });
  return { ...r, checks: (JSON.parse(r.out) as { checks: Check[] }).checks };
}

const gateways: FakeGateway[] = [];
async function gateway(mode: FakeMode, extra: Parameters<typeof startFakeGateway>[0] = {}) {
  const gw = await startFakeGateway({ mode, slowMs: 20_000, ...extra });
  gateways.push(gw);
  return gw;
}
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

// Load every module doctor uses once, so the timings below measure doctor, not vitest's transform.
beforeAll(async () => {
  const gw = await gateway('ok');
  await online(setup(gw.baseUrl), ['--request']);
});

describe('doctor --online against a gateway on 127.0.0.1', () => {
  it('200: the models are listed with the latency, the configured model is among them, the key was sent', async () => {
    const gw = await gateway('ok');
    const r = await online(setup(gw.baseUrl));
    expect(r.code).toBe(0);
    const models = one(r.checks, 'online.models');
    expect(models.status).toBe('ok');
    expect(models.message).toMatch(new RegExp(`^GET ${gw.baseUrl}/models: 200 in \\d+ ms, 2 models listed$`));
    expect(one(r.checks, 'online.model-listed').status).toBe('ok');
    expect(one(r.checks, 'online.request').status).toBe('skipped');
    const get = gw.requests.find((q) => q.method === 'GET' && q.path === '/v1/models');
    expect(get?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('200 with a model the gateway does not list: a warning with the closest id', async () => {
    const gw = await gateway('ok');
    const r = await online(setup(gw.baseUrl, 'gpt5'));
    const c = one(r.checks, 'online.model-listed');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('Did you mean "gpt-5"?');
  });

  it('401: the key is rejected', async () => {
    const gw = await gateway('unauthorized');
    const r = await online(setup(gw.baseUrl));
    expect(r.code).toBe(1);
    const c = one(r.checks, 'online.models');
    expect(c.status).toBe('error');
    expect(c.message).toContain('rejected the credentials (HTTP 401: Invalid API key provided.)');
    expect(c.message).toMatch(/after \d+ ms\.$/);
    expect(c.fix).toContain('$FAKE_KEY');
    expect(one(r.checks, 'online.model-listed').status).toBe('skipped');
  });

  it('404: the base URL path is wrong', async () => {
    const gw = await gateway('not_found');
    const c = one((await online(setup(gw.baseUrl))).checks, 'online.models');
    expect(c.status).toBe('error');
    expect(c.message).toContain(`${gw.baseUrl}/models does not exist (HTTP 404`);
    expect(c.fix).toContain('base URL');
  });

  it('500: the gateway failed', async () => {
    const gw = await gateway('server_error');
    const c = one((await online(setup(gw.baseUrl))).checks, 'online.models');
    expect(c.status).toBe('error');
    expect(c.message).toContain('failed with HTTP 500: Upstream exploded.');
    expect(c.fix).toContain('try again later');
  });

  it('a slow answer past --timeout: a timeout, and doctor ends within the timeout plus one second', async () => {
    const gw = await gateway('slow');
    const r = await online(setup(gw.baseUrl), ['--request', '--timeout', '1']);
    const c = one(r.checks, 'online.models');
    expect(c.status).toBe('error');
    expect(c.message).toBe(`${gw.baseUrl}/models did not answer within 1s.`);
    expect(c.fix).toContain('raise --timeout');
    expect(one(r.checks, 'online.request').status).toBe('error');
    // codex doctor probes the same slow gateway: it is cut off at the same timeout.
    expect(one(r.checks, 'codex.doctor').message).toContain('did not finish within 1 s');
    expect(r.ms).toBeLessThan(1000 + 1000);
    console.log(`doctor --online --request --timeout 1, slow gateway: ${Math.round(r.ms)} ms`);
  });

  it('a closed port: connection refused, quickly', async () => {
    const port = await closedPort();
    const r = await online(setup(`http://127.0.0.1:${port}/v1`), ['--request', '--timeout', '2']);
    const c = one(r.checks, 'online.models');
    expect(c.status).toBe('error');
    expect(c.message).toContain(`Nothing is listening at 127.0.0.1:${port} (connection refused)`);
    expect(c.fix).toContain('Start the gateway');
    expect(r.ms).toBeLessThan(2000 + 1000);
    console.log(`doctor --online --request --timeout 2, closed port: ${Math.round(r.ms)} ms`);
  });

  it('TLS: https to a port that speaks plain http fails the handshake, named as a TLS error', async () => {
    const gw = await gateway('ok');
    const c = one((await online(setup(`https://127.0.0.1:${gw.port}/v1`))).checks, 'online.models');
    expect(c.status).toBe('error');
    expect(c.message).toContain('The TLS connection to 127.0.0.1');
    expect(c.fix).toContain('use http:// in base_url');
  });

  it('--request: one tiny streamed POST <base>/responses proves the model answers', async () => {
    const gw = await gateway('ok');
    const r = await online(setup(gw.baseUrl), ['--request']);
    const c = one(r.checks, 'online.request');
    expect(c.status).toBe('ok');
    expect(c.message).toMatch(/the model answered in \d+ ms: "hi from fake gateway"$/);
    const post = gw.requests.find((q) => q.method === 'POST' && q.path === '/v1/responses');
    expect(post?.body).toMatchObject({ model: 'gpt-5', stream: true });
    expect(post?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('--request alone goes online', async () => {
    const gw = await gateway('ok');
    const r = await doctor(setup(gw.baseUrl), ['--request', '--json'], { env: { FAKE_KEY: KEY } });
    expect(one(JSON.parse(r.out).checks, 'online.request').status).toBe('ok');
  });

  it('folds in codex doctor, run with the same home and without duplicating the reachability check', async () => {
    const gw = await gateway('ok');
    const r = await online(setup(gw.baseUrl));
    expect(one(r.checks, 'codex.effective')).toMatchObject({ status: 'ok' });
    expect(r.checks.some((c) => c.id === 'codex.doctor.network.provider_reachability')).toBe(false);
    // codex doctor itself called the gateway (HEAD <base>/responses, GET <base>/models).
    expect(gw.requests.some((q) => q.method === 'HEAD')).toBe(true);
  });

  it('is skipped with the reason when no gateway provider is active', async () => {
    const w = makeWorld();
    const r = await online(w);
    expect(one(r.checks, 'online.models')).toMatchObject({
      status: 'skipped',
      message: 'No gateway provider is active: nothing to call.',
    });
  });
});
