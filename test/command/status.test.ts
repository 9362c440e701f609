import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusResult } from '../../src/commands/status.ts';
import { codexPathDir } from '../helpers/codex.ts';
import { PORTKEY } from '../helpers/doctor.ts';
import { runMain } from '../helpers/run-main.ts';
import { makeWorld } from '../helpers/setup-home.ts';

const WITH_CODEX = `${codexPathDir('0.169.0')}${path.delimiter}${process.env.PATH}`;

describe('status', () => {
  it('shows Codex, the provider and where it is set, the model, the key source and the problem count', async () => {
    const w = makeWorld();
    const config = w.write(path.join(w.codexHome, 'config.toml'), `temperature = 0.1\n${PORTKEY}`);
    const env = { ...w.env, SHELL: '/bin/bash', PATH: WITH_CODEX };
    const r = await runMain(w, ['status', '--json'], { env });
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out) as StatusResult;
    expect(s.codex.version).toBe('codex-cli 0.169.0');
    expect(s.provider).toEqual({
      id: 'portkey',
      gateway: 'portkey',
      builtin: false,
      setAt: { file: config, line: 3 },
      definedAt: { file: config, line: 5 },
    });
    expect(s.model).toEqual({ value: 'gpt-5', setAt: { file: config, line: 2 } });
    expect(s.key).toEqual({
      source: 'env_key',
      variable: 'PORTKEY_API_KEY',
      state: 'missing',
      resolves: false,
    });
    expect(s.problems.warning).toBeGreaterThan(0);
    expect(s.pin).toBeNull();

    const withKey = await runMain(w, ['status'], { env: { ...env, PORTKEY_API_KEY: 'pk-0123456789abcdef' } });
    expect(withKey.out).toMatch(/^Codex\s+codex-cli 0\.\d+/m);
    expect(withKey.out).toContain('portkey (Portkey)');
    expect(withKey.out).toContain('set in ~/.codex/config.toml:3');
    expect(withKey.out).toContain('$PORTKEY_API_KEY (set in this shell)');
    expect(withKey.out).toContain('run `codexgw doctor`');
    expect(withKey.out).not.toContain('pk-0123456789abcdef');
  });

  it('with no Codex on PATH and no config: says so, and still exits 0', async () => {
    const w = makeWorld();
    const r = await runMain(w, ['status', '--json'], {
      env: { ...w.env, PATH: '/usr/bin:/bin', SHELL: '/bin/bash' },
    });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as StatusResult;
    expect(s.codex).toEqual({ path: null, version: null, problem: 'codex is not on PATH' });
    expect(s.provider).toMatchObject({ id: 'openai', builtin: true, setAt: null });
    expect(s.key.source).toBe('openai');
  });
});
