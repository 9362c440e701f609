/**
 * From init's answers to planned writes and next steps: the provider table (an updated table keeps
 * its name and hand-set query parameters), one plan per changed file (config first), nothing when
 * nothing changes, and next-step lines that never hold the key.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import {
  type InitAnswers,
  nextCommand,
  nextSteps,
  planInit,
  providerTableOf,
  routingRuleText,
} from '../../src/init/plan.ts';
import { makeWorld } from '../helpers/setup-home.ts';
import { captureContext } from '../helpers/tmp.ts';

const KEY = 'sk-gw-0123456789abcdef-wxyz';

function answers(over: Partial<InitAnswers> = {}): InitAnswers {
  return {
    gateway: 'portkey',
    profile: undefined,
    baseUrl: { baseUrl: 'https://api.portkey.ai/v1', queryParams: {}, notes: [] },
    id: 'portkey',
    force: false,
    envKey: 'PORTKEY_API_KEY',
    key: { source: 'none', store: false },
    secretsFile: false,
    model: 'gpt-5',
    headers: { http: { 'x-portkey-provider': '@openai-prod' }, env: {} },
    use: true,
    ...over,
  };
}

describe('providerTableOf', () => {
  it('builds the preset table from the answers', () => {
    expect(providerTableOf(answers()).table).toEqual({
      name: 'Portkey',
      base_url: 'https://api.portkey.ai/v1',
      env_key: 'PORTKEY_API_KEY',
      wire_api: 'responses',
      http_headers: { 'x-portkey-provider': '@openai-prod' },
    });
  });

  it('an updated table keeps its name, and its query_params while the URL stays', () => {
    const existing = {
      name: 'Team Azure',
      base_url: 'https://r.openai.azure.com/openai',
      query_params: { 'api-version': '2024-10-21', deployment_hint: 'x' },
    };
    const same = providerTableOf(
      answers({
        gateway: 'azure',
        existing,
        baseUrl: { baseUrl: 'https://r.openai.azure.com/openai', queryParams: {}, notes: [] },
        headers: { http: {}, env: {} },
      }),
    ).table;
    expect(same.name).toBe('Team Azure');
    expect(same.query_params).toEqual({ 'api-version': '2024-10-21', deployment_hint: 'x' });
    const moved = providerTableOf(
      answers({
        gateway: 'azure',
        existing,
        baseUrl: { baseUrl: 'https://r.openai.azure.com/openai/v1', queryParams: {}, notes: [] },
        headers: { http: {}, env: {} },
      }),
    ).table;
    expect(moved.query_params).toBeUndefined();
  });

  it('refuses a credential in a static header (it would land in config.toml)', () => {
    expect(() =>
      providerTableOf(answers({ headers: { http: { authorization: 'Bearer x' }, env: {} } })),
    ).toThrow(UsageError);
  });
});

describe('planInit', () => {
  it('plans the config first, then the rc edit; the key only in the rc plan', async () => {
    const w = makeWorld();
    w.env.SHELL = '/bin/bash';
    const { ctx } = captureContext({ cwd: w.work, env: w.env });
    const plan = await planInit(
      answers({ key: { value: KEY, source: 'prompt', store: true }, shell: 'bash' }),
      ctx,
    );
    expect(plan.plans.map((p) => p.file)).toEqual([
      path.join(w.codexHome, 'config.toml'),
      path.join(w.home, '.bashrc'),
    ]);
    expect(plan.plans[0]!.after).not.toContain(KEY);
    expect(plan.plans[1]!.after).toContain(KEY);
    expect(plan.outcome.status).toBe('added');
    expect(plan.modelCheck).toEqual({ level: 'ok' });
    expect(plan.target.label).toBe('~/.codex/config.toml');
  });

  it('nothing to write when the provider and the key are already in place', async () => {
    const w = makeWorld();
    w.env.SHELL = '/bin/bash';
    const { ctx } = captureContext({ cwd: w.work, env: w.env });
    const a = answers({ key: { value: KEY, source: 'stdin', store: true }, shell: 'bash' });
    const first = await planInit(a, ctx);
    for (const p of first.plans) {
      mkdirSync(path.dirname(p.file), { recursive: true });
      writeFileSync(p.file, p.after);
    }
    const again = await planInit({ ...a, force: true, existing: {} }, ctx);
    expect(again.plans).toEqual([]);
    expect(again.outcome.status).toBe('unchanged');
    expect(again.keyPlan?.unchanged).toBe(true);
  });

  it('a profile target, and the Portkey check run on the finished table', async () => {
    const w = makeWorld();
    const { ctx } = captureContext({ cwd: w.work, env: w.env });
    const plan = await planInit(answers({ profile: 'work', headers: { http: {}, env: {} } }), ctx);
    expect(plan.configPlan.file).toBe(path.join(w.codexHome, 'work.config.toml'));
    expect(plan.modelCheck).toMatchObject({ level: 'warning', code: 'needs-provider' });
  });
});

describe('next steps', () => {
  it('the command to try: plain, with a profile, or selecting an inactive provider', () => {
    expect(nextCommand({ profile: undefined, use: true, id: 'pk', model: 'gpt-5' })).toBe(
      'codex "explain this repository"',
    );
    expect(nextCommand({ profile: 'work', use: true, id: 'pk', model: 'gpt-5' })).toBe(
      'codex --profile work "explain this repository"',
    );
    expect(nextCommand({ profile: undefined, use: false, id: 'or', model: 'openai/gpt-5' })).toBe(
      'codex -c model_provider=or -m openai/gpt-5 "explain this repository"',
    );
  });

  it('how to load a stored key, or set a missing one; env headers that are unset', () => {
    const stored = nextSteps(
      answers({
        key: { value: KEY, source: 'prompt', store: true },
        headers: { http: {}, env: { 'x-portkey-config': 'PORTKEY_CONFIG' } },
      }),
      { keyPlan: { target: { shell: 'fish' } } as never },
      {},
    );
    expect(stored).toEqual([
      'Load PORTKEY_API_KEY in this shell first. Open a new terminal, or load them here: codexgw env print --shell fish | source',
      'x-portkey-config is sent only while $PORTKEY_CONFIG is set: codexgw env set PORTKEY_CONFIG',
      'Try it: codex "explain this repository"',
    ]);
    expect(stored.join('\n')).not.toContain(KEY);
    expect(nextSteps(answers(), {}, {})[0]).toBe(
      'Set your Portkey key first (codex reads it from $PORTKEY_API_KEY): codexgw env set PORTKEY_API_KEY',
    );
    expect(nextSteps(answers(), {}, { PORTKEY_API_KEY: KEY })).toEqual([
      'Try it: codex "explain this repository"',
    ]);
  });

  it('the TrueFoundry routing rule, applied or as advice', () => {
    const applied = routingRuleText(
      { model: 'gpt-5', target: 'openai-main/gpt-5', applied: true },
      undefined,
    );
    expect(applied.intro).toContain('TrueFoundry must map "gpt-5" to openai-main/gpt-5');
    expect(applied.yaml).toContain('models: ["gpt-5"]');
    expect(applied.after).toHaveLength(1);
    const advice = routingRuleText({ model: 'gpt-5', target: 'openai-main/gpt-5', applied: false }, 'tfy');
    expect(advice.after[1]).toBe('codexgw model set gpt-5 --profile tfy');
  });
});
