import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexChecks, parseVersion } from '../../src/checks/doctor/codex.ts';
import type { CodexDoctorCheck } from '../../src/checks/doctor/types.ts';
import { parseCodexDoctor } from '../../src/doctor/gather.ts';
import { byId, doctorInput, type InputOverrides, one, PORTKEY } from '../helpers/doctor.ts';
import { makeWorld } from '../helpers/setup-home.ts';

function run(o: InputOverrides, config = PORTKEY) {
  const w = makeWorld();
  w.write(path.join(w.codexHome, 'config.toml'), config);
  return codexChecks(doctorInput(w, o));
}

const cc = (id: string, status: string, extra: Partial<CodexDoctorCheck> = {}): CodexDoctorCheck => ({
  id,
  status,
  summary: `${id} summary`,
  remediation: null,
  details: {},
  ...extra,
});
const load = (provider: string, model: string, status = 'ok') =>
  cc('config.load', status, { details: { 'model provider': provider, model } });

describe('codex.installed and codex.version', () => {
  it('is an error when codex is not on PATH, with the install command; the rest is skipped', () => {
    const checks = run({ codex: { path: undefined, version: undefined } });
    const c = one(checks, 'codex.installed');
    expect(c.status).toBe('error');
    expect(c.fix).toContain('npm install -g @openai/codex');
    expect(one(checks, 'codex.version').status).toBe('skipped');
    expect(one(checks, 'codex.doctor').status).toBe('skipped');
  });

  it('is an error when `codex --version` fails', () => {
    const c = one(run({ codex: { version: { ok: false, reason: 'exit code 127' } } }), 'codex.installed');
    expect(c.status).toBe('error');
    expect(c.message).toContain('exit code 127');
  });

  it('is ok with the version and path; the version is ok from 0.169 on', () => {
    const checks = run({});
    expect(one(checks, 'codex.installed')).toMatchObject({ status: 'ok' });
    expect(one(checks, 'codex.installed').message).toBe('codex-cli 0.169.0 at /opt/codex/bin/codex');
    expect(one(checks, 'codex.version').status).toBe('ok');
    expect(
      one(run({ codex: { version: { ok: true, text: 'codex-cli 0.171.2' } } }), 'codex.version').status,
    ).toBe('ok');
    expect(
      one(run({ codex: { version: { ok: true, text: 'codex-cli 0.170.0' } } }), 'codex.version').message,
    ).toBe("Codex 0.170.0 (no rules for this release: the checks follow Codex 0.169.0's, the nearest older)");
  });

  it('warns, without a tick, for a Codex newer than every shipped rule set', () => {
    const c = one(run({ codex: { version: { ok: true, text: 'codex-cli 0.172.0' } } }), 'codex.version');
    expect(c.status).toBe('warning');
    expect(c.message).toContain(
      'Codex 0.172.0 is newer than every release codexgw has rules for (0.169.0, 0.171.0)',
    );
    expect(c.message).toContain("follow Codex 0.171.0's");
  });

  it('warns when --codex-version asks for the rules of another release than the installed one', () => {
    const c = one(run({ options: { codexVersion: '0.171.0' } }), 'codex.version');
    expect(c.status).toBe('warning');
    expect(c.message).toContain("Codex 0.169.0 is installed, but the checks apply Codex 0.171.0's rules");
  });

  it('warns for an older Codex, or a version it cannot read', () => {
    const old = one(run({ codex: { version: { ok: true, text: 'codex-cli 0.120.0' } } }), 'codex.version');
    expect(old.status).toBe('warning');
    expect(old.fix).toContain('npm install -g @openai/codex@latest');
    expect(
      one(run({ codex: { version: { ok: true, text: 'codex-cli dev' } } }), 'codex.version').status,
    ).toBe('warning');
  });

  it('parses versions', () => {
    expect(parseVersion('codex-cli 0.169.0')).toEqual([0, 169, 0]);
    expect(parseVersion('nothing')).toBeUndefined();
  });
});

describe('codex.doctor', () => {
  it('is skipped with the reason it was not run', () => {
    const c = one(run({ codex: { doctor: { state: 'skipped', reason: 'needs --online' } } }), 'codex.doctor');
    expect(c).toMatchObject({ status: 'skipped', message: 'needs --online' });
  });

  it('warns when codex doctor gave no report', () => {
    const c = one(
      run({ codex: { doctor: { state: 'failed', reason: 'it did not finish within 5 s' } } }),
      'codex.doctor',
    );
    expect(c.status).toBe('warning');
    expect(c.message).toContain('did not finish');
  });

  it('is ok when codex doctor says nothing codexgw does not', () => {
    const checks = run({
      env: { PORTKEY_API_KEY: 'x' },
      codex: {
        doctor: {
          state: 'done',
          checks: [
            load('portkey', 'gpt-5', 'warning'),
            cc('auth.credentials', 'fail'),
            cc('network.provider_reachability', 'fail'),
            cc('system.disk', 'ok'),
          ],
        },
      },
    });
    expect(one(checks, 'codex.doctor')).toMatchObject({ status: 'ok' });
    expect(checks.filter((c) => c.id.startsWith('codex.doctor.'))).toEqual([]);
  });

  it('folds in its other problems, with the details that matter and its remediation', () => {
    const checks = run({
      codex: {
        doctor: {
          state: 'done',
          checks: [
            load('portkey', 'gpt-5'),
            cc('state.paths', 'fail', { summary: 'state DB is corrupt', remediation: 'Move it away.' }),
            cc('updates.status', 'warning', {
              summary: 'update configuration is locally consistent',
              details: { 'latest version probe': 'error sending request', 'update action': 'npm i' },
            }),
          ],
        },
      },
    });
    expect(one(checks, 'codex.doctor.state.paths')).toMatchObject({
      status: 'error',
      message: 'codex doctor: state DB is corrupt',
      fix: 'Move it away.',
    });
    const u = one(checks, 'codex.doctor.updates.status');
    expect(u.status).toBe('warning');
    expect(u.message).toContain('(latest version probe: error sending request)');
    expect(byId(checks, 'codex.doctor')).toEqual([]);
  });

  it('keeps a config load failure codexgw did not find, drops one it reports itself', () => {
    const failed = cc('config.load', 'fail', { details: { error: 'invalid data' } });
    const unseen = run({ codex: { doctor: { state: 'done', checks: [failed] } } });
    expect(one(unseen, 'codex.doctor.config.load')).toMatchObject({ status: 'error' });
    expect(one(unseen, 'codex.doctor.config.load').message).toContain('(invalid data)');
    const seen = run(
      { codex: { doctor: { state: 'done', checks: [failed] } } },
      PORTKEY.replace('"responses"', '"chat"'),
    );
    expect(byId(seen, 'codex.doctor.config.load')).toEqual([]);
  });

  it('keeps auth.credentials when the provider has no env_key (Codex login)', () => {
    const checks = run(
      { codex: { doctor: { state: 'done', checks: [cc('auth.credentials', 'fail')] } } },
      'model = "o3"\n',
    );
    expect(one(checks, 'codex.doctor.auth.credentials').status).toBe('error');
  });
});

describe('codex.effective', () => {
  it('is ok when Codex sees the provider and model codexgw computed', () => {
    const c = one(
      run({ codex: { doctor: { state: 'done', checks: [load('portkey', 'gpt-5')] } } }),
      'codex.effective',
    );
    expect(c.status).toBe('ok');
  });

  it('warns when Codex sees something else', () => {
    const c = one(
      run({ codex: { doctor: { state: 'done', checks: [load('openai', 'o3')] } } }),
      'codex.effective',
    );
    expect(c.status).toBe('warning');
    expect(c.message).toContain('provider `openai` (codexgw computed `portkey`)');
    expect(c.message).toContain('model "o3" (codexgw computed "gpt-5")');
  });
});

describe('parseCodexDoctor', () => {
  it('reads schemaVersion 1 reports, after any noise', () => {
    const json = JSON.stringify({
      schemaVersion: 1,
      checks: {
        'a.b': {
          id: 'a.b',
          status: 'warning',
          summary: 's',
          remediation: 'r',
          details: { k: 'v', n: ['x'] },
        },
      },
    });
    expect(parseCodexDoctor(`noise\n${json}`)).toEqual({
      state: 'done',
      checks: [{ id: 'a.b', status: 'warning', summary: 's', remediation: 'r', details: { k: 'v' } }],
    });
  });

  it('fails on anything else', () => {
    expect(parseCodexDoctor('Error: boom').state).toBe('failed');
    expect(parseCodexDoctor('{"nochecks": 1}').state).toBe('failed');
  });
});
