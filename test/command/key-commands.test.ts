/**
 * The key commands in-process, with no session bus (so the file store): dry runs, refusals
 * before the key is read, key rm without a replacement, and every source `key list` reports.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as keyList } from '../../src/commands/key/list.ts';
import { run as keyRm } from '../../src/commands/key/rm.ts';
import { run as keySet } from '../../src/commands/key/set.ts';
import { CodexgwError, EXIT } from '../../src/errors.ts';
import { maskSecret } from '../../src/io/redact.ts';
import { captureContext, makeTempDir } from '../helpers/tmp.ts';

const KEY = 'sk-commands-test-0123456789';

function world(config: string) {
  const home = makeTempDir('codexgw-keycmd-');
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome);
  const configFile = path.join(codexHome, 'config.toml');
  writeFileSync(configFile, config);
  return { home, codexHome, configFile };
}

const GW = '[model_providers.gw]\nname = "G"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "GW_KEY"\n';

async function exitOf(p: Promise<number>): Promise<number> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof CodexgwError) return err.exitCode;
    throw err;
  }
}

describe('key set', () => {
  it('--dry-run shows the config diff and stores nothing', async () => {
    const w = world(GW);
    const c = captureContext({ cwd: w.home, env: { HOME: w.home }, stdin: KEY });
    expect(await keySet({ providerId: 'gw', valueStdin: true, dryRun: true }, c.ctx)).toBe(EXIT.ok);
    expect(c.out()).toContain('+[model_providers.gw.auth]');
    expect(c.out()).toContain('-env_key = "GW_KEY"');
    expect(c.out() + c.err()).not.toContain(KEY);
    expect(readFileSync(w.configFile, 'utf8')).toBe(GW);
    expect(existsSync(path.join(w.codexHome, 'codexgw-keys.json'))).toBe(false);
  });

  it('refuses an unknown provider before reading the key, and an empty key', async () => {
    const w = world(GW);
    const unknown = captureContext({ cwd: w.home, env: { HOME: w.home }, stdin: KEY });
    await expect(keySet({ providerId: 'nope', valueStdin: true }, unknown.ctx)).rejects.toThrow(
      /no provider "nope"/,
    );
    const empty = captureContext({ cwd: w.home, env: { HOME: w.home }, stdin: '\n' });
    expect(await exitOf(keySet({ providerId: 'gw', valueStdin: true }, empty.ctx))).toBe(EXIT.usage);
    expect(existsSync(path.join(w.codexHome, 'codexgw-keys.json'))).toBe(false);
  });

  it('--store keychain without a usable keychain fails with the reason and the file alternative', async () => {
    const w = world(GW);
    const c = captureContext({ cwd: w.home, env: { HOME: w.home }, stdin: KEY });
    const err = await keySet({ providerId: 'gw', valueStdin: true, store: 'keychain' }, c.ctx).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CodexgwError);
    expect((err as CodexgwError).message).toContain('DBUS_SESSION_BUS_ADDRESS');
    expect((err as CodexgwError).hint).toContain('--store file');
    expect(readFileSync(w.configFile, 'utf8')).toBe(GW);
  });
});

describe('key rm', () => {
  it('without --env-key off a terminal: deletes the key and leaves the provider with none', async () => {
    const w = world(GW);
    const set = captureContext({ cwd: w.home, env: { HOME: w.home }, stdin: KEY });
    expect(await keySet({ providerId: 'gw', valueStdin: true, store: 'file' }, set.ctx)).toBe(EXIT.ok);
    const c = captureContext({ cwd: w.home, env: { HOME: w.home } });
    expect(await keyRm({ providerId: 'gw' }, c.ctx)).toBe(EXIT.ok);
    expect(c.err()).toContain('has no key now');
    expect(readFileSync(path.join(w.codexHome, 'codexgw-keys.json'), 'utf8')).not.toContain(KEY);
    const text = readFileSync(w.configFile, 'utf8');
    expect(text).not.toContain('auth');
    expect(text).not.toContain('env_key');
    const again = captureContext({ cwd: w.home, env: { HOME: w.home } });
    await expect(keyRm({ providerId: 'gw' }, again.ctx)).rejects.toThrow(/No key is stored/);
  });
});

describe('key list', () => {
  it('reports the rc block, an env var, the file store, a literal token and none', async () => {
    const w = world(
      `${GW}\n[model_providers.env]\nname = "E"\nenv_key = "ENV_KEY"\n\n[model_providers.tok]\nname = "T"\nexperimental_bearer_token = "tok-literal-123456"\n\n[model_providers.none]\nname = "N"\nenv_key = "UNSET_KEY"\n\n[model_providers.filed]\nname = "F"\nenv_key = "F_KEY"\n`,
    );
    writeFileSync(
      path.join(w.home, '.bashrc'),
      "# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport GW_KEY='sk-rcblock-0123456789'\n# <<< codexgw <<<\n",
    );
    const env = { HOME: w.home, SHELL: '/bin/bash', ENV_KEY: 'sk-envvar-0123456789' };
    const set = captureContext({ cwd: w.home, env, stdin: KEY });
    expect(await keySet({ providerId: 'filed', valueStdin: true, store: 'file' }, set.ctx)).toBe(EXIT.ok);
    const c = captureContext({ cwd: w.home, env });
    expect(await keyList({ json: true }, c.ctx)).toBe(EXIT.ok);
    const rows = JSON.parse(c.out()) as {
      provider: string;
      source: string;
      resolves: boolean;
      masked: string | null;
    }[];
    const of = (id: string) => rows.find((r) => r.provider === id);
    expect(of('gw')).toMatchObject({
      source: 'rc block',
      resolves: true,
      masked: maskSecret('sk-rcblock-0123456789'),
    });
    expect(of('env')).toMatchObject({ source: 'env var', resolves: true });
    expect(of('tok')).toMatchObject({ source: 'config', resolves: true });
    expect(of('none')).toMatchObject({ source: 'none', resolves: false, masked: null });
    expect(of('filed')).toMatchObject({ source: 'file', resolves: true });
    expect(c.out()).not.toMatch(/sk-rcblock|sk-envvar|tok-literal|sk-commands/);
  });
});
