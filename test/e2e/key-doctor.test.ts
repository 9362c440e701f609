/**
 * `codexgw doctor` on providers whose key an auth command serves: ok when it resolves (Secret
 * Service and file store), and a clear error with a fix for a missing item, a locked keyring and
 * a command that is not an absolute path. With --online the served token reaches the gateway,
 * and no output shows it.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/io/redact.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { type Keyring, startKeyring } from '../helpers/keyring.ts';
import { runCli } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const KEY = 'sk-doctor-test-91c0e7b2d4a6';

interface JsonCheck {
  id: string;
  status: string;
  message: string;
  fix: string | null;
}

let gw: FakeGateway | undefined;
let keyring: Keyring | undefined;
afterEach(async () => {
  await gw?.close();
  await keyring?.stop();
  gw = undefined;
  keyring = undefined;
});

function writeConfig(home: string, provider: string): string {
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    path.join(codexHome, 'config.toml'),
    `model = "gw-model"\nmodel_provider = "gw"\n\n[model_providers.gw]\nname = "Gateway"\n${provider}`,
  );
  return codexHome;
}

async function doctor(env: NodeJS.ProcessEnv, cwd: string, extra: string[] = []) {
  const r = await runCli(['doctor', '--json', ...extra], { cwd, env });
  const { checks } = JSON.parse(r.stdout) as { checks: JsonCheck[] };
  const byId = (id: string) => checks.find((c) => c.id === id)!;
  return { r, byId, checks };
}

describe('doctor with an auth command', () => {
  it('Secret Service: ok when the key resolves, a fix for a missing item and for a locked keyring', async () => {
    keyring = await startKeyring();
    gw = await startFakeGateway({ requireKey: KEY });
    writeConfig(keyring.home, `base_url = "${gw.baseUrl}"\nenv_key = "GW_KEY"\n`);
    const env = { PATH: process.env.PATH!, ...keyring.env };
    const cwd = makeTempDir('codexgw-kd-');
    expect((await runCli(['key', 'set', 'gw', '--value-stdin'], { cwd, env, input: KEY })).exitCode).toBe(0);

    const good = await doctor(env, cwd, ['--online']);
    expect(good.byId('env.auth-command').status).toBe('ok');
    expect(good.byId('env.auth-item').status).toBe('ok');
    expect(good.byId('env.auth-token')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining(maskSecret(KEY)),
    });
    expect(good.byId('online.models').status).toBe('ok');
    expect(gw.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(good.r.stdout + good.r.stderr).not.toContain(KEY);

    await keyring.lock();
    const locked = await doctor(env, cwd);
    expect(locked.byId('env.auth-item')).toMatchObject({
      status: 'error',
      message: expect.stringContaining('locked'),
    });
    expect(locked.byId('env.auth-item').fix).toContain('Unlock');
    expect(locked.byId('env.auth-token').status).toBe('error');
    expect(locked.r.exitCode).toBe(1);

    writeConfig(
      keyring.home,
      `base_url = "${gw.baseUrl}"\nauth = { command = "/usr/bin/secret-tool", args = ["lookup", "service", "codexgw", "account", "nobody"] }\n`,
    );
    const missing = await doctor(env, cwd);
    expect(missing.byId('env.auth-item')).toMatchObject({
      status: 'error',
      message: expect.stringContaining('There is no key for `gw`'),
      fix: 'Store it: codexgw key set gw',
    });
    expect(missing.byId('env.auth-token').status).toBe('error');
  }, 90_000);

  it('no session bus: says so, with the fix', async () => {
    const home = makeTempDir('codexgw-kd-');
    writeConfig(
      home,
      `base_url = "http://127.0.0.1:9/v1"\nauth = { command = "/usr/bin/secret-tool", args = ["lookup", "service", "codexgw", "account", "gw"] }\n`,
    );
    const { byId } = await doctor({ PATH: process.env.PATH!, HOME: home }, home);
    expect(byId('env.auth-item')).toMatchObject({
      status: 'error',
      message: expect.stringContaining('no D-Bus session bus'),
    });
    expect(byId('env.auth-item').fix).toContain('--store file');
  }, 60_000);

  it('a command that is not an absolute path is an error with a fix', async () => {
    const home = makeTempDir('codexgw-kd-');
    writeConfig(
      home,
      `base_url = "http://127.0.0.1:9/v1"\nauth = { command = "secret-tool", args = ["lookup", "service", "codexgw", "account", "gw"] }\n`,
    );
    const { byId, r } = await doctor({ PATH: process.env.PATH!, HOME: home }, home);
    expect(byId('env.auth-command')).toMatchObject({
      status: 'error',
      message: expect.stringContaining('not an absolute path'),
    });
    expect(byId('env.auth-command').fix).toContain('codexgw key set gw');
    expect(r.exitCode).toBe(1);
  }, 60_000);

  it('file store: ok when it resolves, and an error with the fix once the key is removed', async () => {
    const home = makeTempDir('codexgw-kd-');
    writeConfig(home, 'base_url = "http://127.0.0.1:9/v1"\nenv_key = "GW_KEY"\n');
    const env = { PATH: process.env.PATH!, HOME: home };
    expect(
      (await runCli(['key', 'set', 'gw', '--value-stdin', '--store', 'file'], { cwd: home, env, input: KEY }))
        .exitCode,
    ).toBe(0);
    const good = await doctor(env, home);
    expect(good.byId('env.auth-command').status).toBe('ok');
    expect(good.byId('env.auth-item')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('codexgw-keys.json'),
    });
    expect(good.byId('env.auth-token').status).toBe('ok');
    expect(good.r.stdout).not.toContain(KEY);

    writeFileSync(path.join(home, '.codex', 'codexgw-keys.json'), '{"version":1,"keys":{}}\n');
    const gone = await doctor(env, home);
    expect(gone.byId('env.auth-item')).toMatchObject({
      status: 'error',
      fix: 'Store it: codexgw key set gw',
    });
    expect(gone.byId('env.auth-token')).toMatchObject({
      status: 'error',
      fix: 'Store it: codexgw key set gw',
    });
  }, 60_000);
});
