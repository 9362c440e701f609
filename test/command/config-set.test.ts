import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEW_CONFIG_HEADER } from '../../src/app/write-config.ts';
import { codexStrictCheck } from '../helpers/codex.ts';
import { runMain } from '../helpers/run-main.ts';
import { makeGitRepo, makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const USER = `# mine
model = "gpt-5.5"   # the default
# sampling, from a guide
temperature = 0.1 # remove me
approval_policy = "on-request"

[model_providers.gw]
name = "GW"
base_url = "http://127.0.0.1:9/v1"
`;

const configOf = (w: TempWorld) => readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8');

function world(): TempWorld {
  const w = makeWorld();
  w.write(path.join(w.codexHome, 'config.toml'), USER);
  return w;
}

describe('config set', () => {
  it('writes a TOML value, or a string, surgically, and the real Codex accepts the result', async () => {
    const w = world();
    expect((await runMain(w, ['config', 'set', 'model_reasoning_effort', 'high'])).code).toBe(0);
    expect((await runMain(w, ['config', 'set', 'model_providers.gw.request_max_retries', '4'])).code).toBe(0);
    expect((await runMain(w, ['config', 'set', 'model', '"gpt-5.6-sol"'])).code).toBe(0);
    expect(configOf(w)).toBe(`# mine
model = "gpt-5.6-sol"   # the default
# sampling, from a guide
temperature = 0.1 # remove me
approval_policy = "on-request"
model_reasoning_effort = "high"

[model_providers.gw]
name = "GW"
base_url = "http://127.0.0.1:9/v1"
request_max_retries = 4
`);
    const r = await runMain(w, ['config', 'set', 'model_reasoning_effort', 'high', '--json']);
    expect(JSON.parse(r.out)).toEqual({
      file: path.join(w.codexHome, 'config.toml'),
      key: 'model_reasoning_effort',
      value: 'high',
      previous: 'high',
      write: null,
    });
    expect((await runMain(w, ['config', 'unset', 'temperature'])).code).toBe(0);
    const strict = await codexStrictCheck({ codexHome: w.codexHome, cwd: w.work });
    expect(strict.ok, JSON.stringify(strict.error)).toBe(true);
  });

  it('refuses a wrong enum or type with the allowed values, and writes nothing', async () => {
    const w = world();
    const bad = await runMain(w, ['config', 'set', 'approval_policy', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('approval_policy');
    expect(bad.err).toMatch(/must be one of .*"on-request".*"never"/);
    expect(bad.err).toMatch(/Codex( [\d.]+)? would refuse to load the file/);
    expect(bad.err).toContain('Nothing was written');
    const type = await runMain(w, ['config', 'set', 'model_providers.gw.request_max_retries', '"four"']);
    expect(type.code).toBe(2);
    expect(type.err).toContain('request_max_retries');
    const unknown = await runMain(w, ['config', 'set', 'model_reasoning_efort', 'high']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('model_reasoning_effort');
    const provider = await runMain(w, ['config', 'set', 'model_provider', 'nope']);
    expect(provider.code).toBe(1);
    expect(provider.err).toContain('Unknown provider "nope"');
    expect(configOf(w)).toBe(USER);
    expect(existsSync(path.join(w.codexHome, 'backups'))).toBe(false);
  });

  it('refuses keys that never apply or never belong in a file, saying why', async () => {
    const w = world();
    const repo = makeGitRepo(path.join(w.root, 'repo'));
    const project = await runMain(w, ['config', 'set', 'model_provider', 'gw', '--project'], { cwd: repo });
    expect(project.code).toBe(2);
    expect(project.err).toContain('Codex ignores `model_provider` in a project file');
    expect(project.err).toContain('codex --profile <name>');
    expect(existsSync(path.join(repo, '.codex'))).toBe(false);
    const legacy = await runMain(w, ['config', 'set', 'profile', 'work']);
    expect(legacy.code).toBe(2);
    expect(legacy.err).toContain('legacy profile');
    const secret = await runMain(w, [
      'config',
      'set',
      'model_providers.gw.experimental_bearer_token',
      'sk-x',
    ]);
    expect(secret.code).toBe(2);
    expect(secret.err).not.toContain('sk-x');
    // A key a project file may hold goes there.
    expect((await runMain(w, ['config', 'set', 'model', 'gpt-5.5', '--project'], { cwd: repo })).code).toBe(
      0,
    );
    expect(readFileSync(path.join(repo, '.codex', 'config.toml'), 'utf8')).toBe(
      `${NEW_CONFIG_HEADER}model = "gpt-5.5"\n`,
    );
  });
});

describe('config unset', () => {
  it('removes the key and its inline comment only; the comment above stays', async () => {
    const w = world();
    const r = await runMain(w, ['config', 'unset', 'temperature', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ key: 'temperature', previous: 0.1, write: { dryRun: false } });
    expect(configOf(w)).toBe(USER.replace('temperature = 0.1 # remove me\n', ''));
    const again = await runMain(w, ['config', 'unset', 'temperature']);
    expect(again.code).toBe(0);
    expect(again.err).toContain('is not set');
  });
});

describe('trust / untrust', () => {
  it('writes and removes the [projects."<dir>"] entry of the project root', async () => {
    const w = world();
    const repo = makeGitRepo(path.join(w.root, 'repo'));
    const sub = path.join(repo, 'src');
    w.write(path.join(sub, 'x.ts'), '');
    const r = await runMain(w, ['trust'], { cwd: sub });
    expect(r.code).toBe(0);
    expect(configOf(w)).toBe(`${USER}\n[projects.${JSON.stringify(repo)}]\ntrust_level = "trusted"\n`);
    expect((await runMain(w, ['trust', repo])).err).toContain('already trusted');
    const un = await runMain(w, ['untrust', '--json'], { cwd: repo });
    expect(JSON.parse(un.out)).toMatchObject({ dir: repo, trust: null, write: { dryRun: false } });
    expect(configOf(w)).toBe(USER);
  });
});
