import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlineChecks } from '../../src/checks/doctor/online.ts';
import type { FetchModelsResult, HttpFailure, ProbeResult } from '../../src/io/http.ts';
import { doctorInput, one, PORTKEY } from '../helpers/doctor.ts';
import { makeWorld } from '../helpers/setup-home.ts';

const URL_ = 'https://api.portkey.ai/v1/models';
const listed = (models: string[]): FetchModelsResult => ({
  ok: true,
  models,
  latencyMs: 42,
  status: 200,
  url: URL_,
});
const failed = (kind: HttpFailure['kind'], status?: number): HttpFailure => ({
  ok: false,
  kind,
  status,
  message: `${URL_} failed (${kind}).`,
  hint: `hint for ${kind}`,
  latencyMs: 17,
  url: URL_,
});

function run(
  models: FetchModelsResult | undefined,
  o: { request?: ProbeResult; sendRequest?: boolean; config?: string } = {},
) {
  const w = makeWorld();
  w.write(path.join(w.codexHome, 'config.toml'), o.config ?? PORTKEY);
  return onlineChecks(
    doctorInput(w, {
      options: { online: true, request: o.sendRequest ?? false },
      online: { models, request: o.request, baseUrl: 'https://api.portkey.ai/v1' },
    }),
  );
}

describe('online.models', () => {
  it('is skipped without --online, saying how to run it', () => {
    const checks = onlineChecks(doctorInput(makeWorld()));
    expect(one(checks, 'online.models').message).toContain('codexgw doctor --online');
    expect(checks.every((c) => c.status === 'skipped')).toBe(true);
  });

  it('is skipped with the reason when there is nothing to call', () => {
    const w = makeWorld();
    const checks = onlineChecks(
      doctorInput(w, { options: { online: true }, online: { skipReason: 'No gateway provider is active.' } }),
    );
    expect(one(checks, 'online.models')).toMatchObject({
      status: 'skipped',
      message: 'No gateway provider is active.',
    });
  });

  it('is ok with the status, latency and count', () => {
    expect(one(run(listed(['gpt-5', 'o3'])), 'online.models')).toMatchObject({
      status: 'ok',
      message: `GET ${URL_}: 200 in 42 ms, 2 models listed`,
    });
  });

  it('is an error for a rejected key, a wrong path, a failing gateway, a timeout, TLS, a closed port', () => {
    for (const [kind, status] of [
      ['unauthorized', 401],
      ['forbidden', 403],
      ['not_found', 404],
      ['server_error', 500],
      ['timeout', undefined],
      ['tls', undefined],
      ['connection_refused', undefined],
      ['dns', undefined],
    ] as const) {
      const c = one(run(failed(kind, status)), 'online.models');
      expect(c.status, kind).toBe('error');
      expect(c.fix).toBe(`hint for ${kind}`);
      expect(c.message).toContain(kind === 'timeout' ? 'failed (timeout)' : 'after 17 ms');
    }
  });

  it('warns for a rate limit or a reply that is not a model list', () => {
    expect(one(run(failed('rate_limited', 429)), 'online.models').status).toBe('warning');
    expect(one(run(failed('bad_response', 200)), 'online.models').status).toBe('warning');
  });
});

describe('online.model-listed', () => {
  it('is ok when the model is listed', () => {
    expect(one(run(listed(['gpt-5'])), 'online.model-listed').status).toBe('ok');
  });

  it('warns when it is not, with the closest id', () => {
    const c = one(run(listed(['gpt-5.1', 'o3'])), 'online.model-listed');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('Did you mean "gpt-5.1"?');
  });

  it('mentions the routing rule for a plain TrueFoundry name', () => {
    const tfy = `model = "gpt-5"\nmodel_provider = "t"\n[model_providers.t]\nname = "T"\nbase_url = "https://gateway.truefoundry.ai"\nenv_key = "TFY_API_KEY"\n`;
    const c = one(run(listed(['openai-main/gpt-5']), { config: tfy }), 'online.model-listed');
    expect(c.message).toContain('routing rule');
  });

  it('is skipped when the list failed or no model is set', () => {
    expect(one(run(failed('unauthorized', 401)), 'online.model-listed').status).toBe('skipped');
    expect(
      one(run(listed(['x']), { config: PORTKEY.replace('model = "gpt-5"\n', '') }), 'online.model-listed')
        .status,
    ).toBe('skipped');
  });
});

describe('online.request', () => {
  it('is skipped without --request', () => {
    expect(one(run(listed(['gpt-5'])), 'online.request').message).toContain('--request');
  });

  it('is ok when the model answered, quoting the answer', () => {
    const c = one(
      run(listed(['gpt-5']), {
        sendRequest: true,
        request: { ok: true, latencyMs: 80, firstEventMs: 10, status: 'completed', text: 'OK', url: 'u' },
      }),
      'online.request',
    );
    expect(c).toMatchObject({ status: 'ok', message: 'POST u: the model answered in 80 ms: "OK"' });
  });

  it('is an error when the request failed', () => {
    const c = one(
      run(listed(['gpt-5']), { sendRequest: true, request: failed('stream_error', 200) }),
      'online.request',
    );
    expect(c.status).toBe('error');
  });
});
