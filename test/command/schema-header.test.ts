import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_CONFIG_HEADER } from '../../src/app/write-config.ts';
import { runMain } from '../helpers/run-main.ts';
import { makeWorld } from '../helpers/setup-home.ts';
import { cleanupTempDirs } from '../helpers/tmp.ts';

afterEach(cleanupTempDirs);

const SCHEMA = '#:schema https://developers.openai.com/codex/config-schema.json';

describe('the #:schema line', () => {
  it('starts a config file and a profile file that codexgw creates', async () => {
    const w = makeWorld();
    const config = path.join(w.codexHome, 'config.toml');
    const add = await runMain(w, ['provider', 'add', 'portkey', '--use', '--model', 'gpt-5.5']);
    expect(add.code).toBe(0);
    const text = readFileSync(config, 'utf8');
    expect(text.startsWith(`${SCHEMA}\n`)).toBe(true);
    expect(NEW_CONFIG_HEADER).toBe(`${SCHEMA}\n`);
    // Exactly once, and the rest is the provider.
    expect(text.split(SCHEMA).length).toBe(2);
    expect(text).toContain('[model_providers.portkey]');

    const profile = await runMain(w, [
      'provider',
      'add',
      'truefoundry',
      '--id',
      'tfy',
      '--base-url',
      'https://tfy.example.com/api/llm',
      '-p',
      'work',
    ]);
    expect(profile.code).toBe(0);
    expect(readFileSync(path.join(w.codexHome, 'work.config.toml'), 'utf8').startsWith(`${SCHEMA}\n`)).toBe(
      true,
    );
  });

  it('is never added to a file that exists, and an edit that changes nothing creates no file', async () => {
    const w = makeWorld();
    const config = w.write('home/.codex/config.toml', '# mine\nmodel = "o3"\n');
    expect((await runMain(w, ['provider', 'add', 'portkey'])).code).toBe(0);
    const text = readFileSync(config, 'utf8');
    expect(text.startsWith('# mine\nmodel = "o3"\n')).toBe(true);
    expect(text).not.toContain('#:schema');

    // `use openai` on a home with no config: openai is already the default, nothing is written.
    const empty = makeWorld();
    const r = await runMain(empty, ['use', 'openai']);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(empty.codexHome, 'config.toml'))).toBe(false);
  });
});
