/**
 * `codexgw key` with a real Secret Service (a private dbus-daemon + unlocked gnome-keyring) and
 * with the 0600 file store, checked end to end with the real Codex started from an empty
 * environment (env -i): it must send `Bearer <key>` to a loopback fake gateway.
 */

import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/io/redact.ts';
import { codexBinary, codexStrictCheck } from '../helpers/codex.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { codexWithEmptyEnv, filesContaining, type Keyring, startKeyring } from '../helpers/keyring.ts';
import { NODE, runCli } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const KEY = 'sk-keychain-test-7f3a9c2e51d4';
const PATH_FOR_CODEX = `${path.dirname(NODE)}:/usr/bin:/bin`;

let gw: FakeGateway | undefined;
let keyring: Keyring | undefined;
afterEach(async () => {
  await gw?.close();
  await keyring?.stop();
  gw = undefined;
  keyring = undefined;
});

function writeConfig(codexHome: string, baseUrl: string): string {
  mkdirSync(codexHome, { recursive: true });
  const file = path.join(codexHome, 'config.toml');
  writeFileSync(
    file,
    `# my gateway\nmodel = "gw-model"\nmodel_provider = "gw"\n\n[model_providers.gw]\nname = "Gateway"\nbase_url = "${baseUrl}"\nenv_key = "GW_KEY"\nwire_api = "responses"\n`,
  );
  return file;
}

function providerOf(file: string): Record<string, unknown> {
  const doc = parse(readFileSync(file, 'utf8')) as {
    model_providers: Record<string, Record<string, unknown>>;
  };
  return doc.model_providers.gw!;
}

function bearers(g: FakeGateway): string[] {
  return g.requests.filter((r) => r.path === '/v1/responses').map((r) => String(r.headers.authorization));
}

describe('key set with the Secret Service', () => {
  it('stores the key in the keyring only, and the real Codex from env -i sends it', async () => {
    keyring = await startKeyring();
    gw = await startFakeGateway();
    const home = keyring.home;
    const codexHome = path.join(home, '.codex');
    const configFile = writeConfig(codexHome, gw.baseUrl);
    const env = { PATH: process.env.PATH!, ...keyring.env };
    const work = makeTempDir('codexgw-key-work-');

    const set = await runCli(['key', 'set', 'gw', '--value-stdin'], { cwd: work, env, input: KEY });
    expect(set.stderr).toContain('goes to the Secret Service');
    expect(set.exitCode).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(KEY);
    expect(await keyring.lookup('gw')).toBe(KEY);
    expect(filesContaining(home, KEY)).toEqual([]);

    const table = providerOf(configFile);
    expect(table.env_key).toBeUndefined();
    expect(table.auth).toEqual({
      command: '/usr/bin/secret-tool',
      args: ['lookup', 'service', 'codexgw', 'account', 'gw'],
    });
    expect(readFileSync(configFile, 'utf8')).toContain('# my gateway');
    const strict = await codexStrictCheck({ codexHome, cwd: work });
    expect(strict.error?.detail).toBeUndefined();
    expect(strict.ok).toBe(true);

    const run = await codexWithEmptyEnv(
      codexBinary(),
      {
        PATH: PATH_FOR_CODEX,
        HOME: home,
        CODEX_HOME: codexHome,
        DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
      },
      work,
    );
    expect(run.stderr).not.toContain('Missing environment variable');
    expect(run.exitCode).toBe(0);
    expect(bearers(gw)).toEqual([`Bearer ${KEY}`]);

    const show = await runCli(['key', 'show', 'gw'], { cwd: work, env });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain(maskSecret(KEY));
    expect(show.stdout).not.toContain(KEY);

    const rm = await runCli(['key', 'rm', 'gw', '--env-key', 'GW_KEY'], { cwd: work, env });
    expect(rm.exitCode).toBe(0);
    expect(await keyring.lookup('gw')).toBeUndefined();
    expect(providerOf(configFile).env_key).toBe('GW_KEY');
    expect(providerOf(configFile).auth).toBeUndefined();
    expect((await codexStrictCheck({ codexHome, cwd: work })).ok).toBe(true);
  }, 90_000);

  it('files the item under the CODEX_HOME too when it is not the default', async () => {
    keyring = await startKeyring();
    const codexHome = path.join(keyring.home, 'work-home');
    const configFile = writeConfig(codexHome, 'http://127.0.0.1:9/v1');
    const env = { PATH: process.env.PATH!, ...keyring.env, CODEX_HOME: codexHome };
    const set = await runCli(['key', 'set', 'gw', '--value-stdin', '--store', 'keychain'], {
      cwd: keyring.home,
      env,
      input: KEY,
    });
    expect(set.exitCode).toBe(0);
    expect(await keyring.lookup(`gw@${codexHome}`)).toBe(KEY);
    expect(await keyring.lookup('gw')).toBeUndefined();
    expect((providerOf(configFile).auth as { args: string[] }).args).toContain(`gw@${codexHome}`);
  }, 60_000);
});

describe('key set with the file store', () => {
  it('falls back to a 0600 file without a session bus, and Codex from env -i still sends the key', async () => {
    gw = await startFakeGateway();
    const home = makeTempDir('codexgw-key-home-');
    const codexHome = path.join(home, '.codex');
    const configFile = writeConfig(codexHome, gw.baseUrl);
    const env = { PATH: process.env.PATH!, HOME: home };
    const work = makeTempDir('codexgw-key-work-');

    const set = await runCli(['key', 'set', 'gw', '--value-stdin'], { cwd: work, env, input: KEY });
    expect(set.exitCode).toBe(0);
    expect(set.stderr).toContain('no keychain is usable here');
    expect(set.stderr).toContain('DBUS_SESSION_BUS_ADDRESS');
    expect(set.stdout + set.stderr).not.toContain(KEY);
    const keysFile = path.join(codexHome, 'codexgw-keys.json');
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(filesContaining(home, KEY)).toEqual([keysFile]);

    const auth = providerOf(configFile).auth as { command: string; args: string[] };
    // The node that ran codexgw, absolute (GUI apps have a minimal PATH).
    expect(auth.command).toBe(NODE);
    expect(path.isAbsolute(auth.args[0]!)).toBe(true);
    expect(auth.args.slice(1)).toEqual(['key', 'print', 'gw']);
    expect((await codexStrictCheck({ codexHome, cwd: work })).ok).toBe(true);

    const run = await codexWithEmptyEnv(
      codexBinary(),
      { PATH: PATH_FOR_CODEX, HOME: home, CODEX_HOME: codexHome },
      work,
    );
    expect(run.exitCode).toBe(0);
    expect(bearers(gw)).toEqual([`Bearer ${KEY}`]);

    const list = await runCli(['key', 'list', '--json'], { cwd: work, env });
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ provider: 'gw', source: 'file', resolves: true, masked: maskSecret(KEY) }),
    ]);
  }, 90_000);

  it('key print prints the stored key to a pipe, and says how to store a missing one', async () => {
    const home = makeTempDir('codexgw-key-home-');
    const codexHome = path.join(home, '.codex');
    writeConfig(codexHome, 'http://127.0.0.1:9/v1');
    const env = { PATH: process.env.PATH!, HOME: home };
    expect(
      (await runCli(['key', 'set', 'gw', '--value-stdin', '--store', 'file'], { cwd: home, env, input: KEY }))
        .exitCode,
    ).toBe(0);
    const printed = await runCli(['key', 'print', 'gw'], { cwd: home, env });
    expect(printed).toMatchObject({ exitCode: 0, stdout: KEY });
    const missing = await runCli(['key', 'print', 'nope'], { cwd: home, env });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('codexgw key set nope');
  }, 60_000);
});

describe('provider add --key-stdin', () => {
  it('puts the key in the keychain where one is usable, and says so before writing', async () => {
    keyring = await startKeyring();
    const codexHome = path.join(keyring.home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    const env = { PATH: process.env.PATH!, SHELL: '/bin/bash', ...keyring.env };
    const r = await runCli(
      ['provider', 'add', 'portkey', '--id', 'gw', '--key-stdin', '--use', '--model', 'gpt-5.5'],
      { cwd: keyring.home, env, input: KEY },
    );
    expect(r.exitCode).toBe(0);
    expect(r.stderr.indexOf('goes to the Secret Service')).toBeLessThan(r.stderr.indexOf('Created'));
    expect(r.stdout + r.stderr).not.toContain(KEY);
    expect(await keyring.lookup('gw')).toBe(KEY);
    const table = providerOf(path.join(codexHome, 'config.toml'));
    expect(table.env_key).toBeUndefined();
    expect(table.auth).toEqual({
      command: '/usr/bin/secret-tool',
      args: ['lookup', 'service', 'codexgw', 'account', 'gw'],
    });
    expect(filesContaining(keyring.home, KEY)).toEqual([]);
    expect((await codexStrictCheck({ codexHome, cwd: keyring.home })).ok).toBe(true);
  }, 60_000);

  it('falls back to the rc export with a note when no keychain is usable; --store file keeps it in the file', async () => {
    const home = makeTempDir('codexgw-key-home-');
    const codexHome = path.join(home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    const env = { PATH: process.env.PATH!, HOME: home, SHELL: '/bin/bash' };
    const r = await runCli(['provider', 'add', 'portkey', '--id', 'gw', '--key-stdin'], {
      cwd: home,
      env,
      input: KEY,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('is not usable here');
    expect(r.stderr).toContain('--store file');
    expect(readFileSync(path.join(home, '.bashrc'), 'utf8')).toContain('PORTKEY_API_KEY');
    expect(providerOf(path.join(codexHome, 'config.toml')).env_key).toBe('PORTKEY_API_KEY');

    const f = await runCli(
      [
        'provider',
        'add',
        'litellm',
        '--id',
        'gw2',
        '--base-url',
        'http://127.0.0.1:9/v1',
        '--key-stdin',
        '--store',
        'file',
      ],
      {
        cwd: home,
        env,
        input: KEY,
      },
    );
    expect(f.exitCode).toBe(0);
    const doc = parse(readFileSync(path.join(codexHome, 'config.toml'), 'utf8')) as {
      model_providers: Record<string, Record<string, unknown>>;
    };
    expect(doc.model_providers.gw2!.env_key).toBeUndefined();
    expect((doc.model_providers.gw2!.auth as { args: string[] }).args.slice(1)).toEqual([
      'key',
      'print',
      'gw2',
    ]);
    expect(JSON.parse(readFileSync(path.join(codexHome, 'codexgw-keys.json'), 'utf8')).keys.gw2).toBe(KEY);
    expect((await codexStrictCheck({ codexHome, cwd: home })).ok).toBe(true);
  }, 60_000);
});

describe('init --key-stdin', () => {
  it('stores the key in the keychain, and the real Codex from env -i uses it', async () => {
    keyring = await startKeyring();
    gw = await startFakeGateway({ requireKey: KEY });
    const home = keyring.home;
    const codexHome = path.join(home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    const env = { PATH: process.env.PATH!, SHELL: '/bin/bash', ...keyring.env };
    const work = makeTempDir('codexgw-key-work-');
    const init = await runCli(
      [
        'init',
        '--yes',
        '--gateway',
        'litellm',
        '--base-url',
        gw.baseUrl,
        '--id',
        'gw',
        '--model',
        'fake-model',
        '--key-stdin',
      ],
      { cwd: work, env, input: KEY },
    );
    expect(init.stderr).toContain('goes to the Secret Service');
    expect(init.exitCode).toBe(0);
    expect(init.stdout + init.stderr).not.toContain(KEY);
    expect(init.stderr).not.toContain('Load LITELLM');
    expect(await keyring.lookup('gw')).toBe(KEY);
    expect(filesContaining(home, KEY)).toEqual([]);
    const table = providerOf(path.join(codexHome, 'config.toml'));
    expect(table.env_key).toBeUndefined();
    expect(table.auth).toEqual({
      command: '/usr/bin/secret-tool',
      args: ['lookup', 'service', 'codexgw', 'account', 'gw'],
    });
    expect((await codexStrictCheck({ codexHome, cwd: work })).ok).toBe(true);
    const run = await codexWithEmptyEnv(
      codexBinary(),
      {
        PATH: PATH_FOR_CODEX,
        HOME: home,
        CODEX_HOME: codexHome,
        DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
      },
      work,
    );
    expect(run.exitCode).toBe(0);
    expect(bearers(gw)).toEqual([`Bearer ${KEY}`]);
  }, 90_000);
});

describe('the file store under concurrent key set runs', () => {
  it('keeps every key (read, change and write happen under the lock)', async () => {
    const home = makeTempDir('codexgw-key-home-');
    const codexHome = path.join(home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    const ids = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    writeFileSync(
      path.join(codexHome, 'config.toml'),
      ids
        .map(
          (id) =>
            `[model_providers.${id}]\nname = "${id}"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "K_${id}"\n`,
        )
        .join('\n'),
    );
    const env = { PATH: process.env.PATH!, HOME: home };
    const runs = await Promise.all(
      ids.map((id) =>
        runCli(['key', 'set', id, '--value-stdin', '--store', 'file'], {
          cwd: home,
          env,
          input: `sk-${id}-0123456789ab`,
          timeout: 60_000,
        }),
      ),
    );
    expect(runs.map((r) => r.exitCode)).toEqual(ids.map(() => 0));
    const keys = JSON.parse(readFileSync(path.join(codexHome, 'codexgw-keys.json'), 'utf8')).keys as Record<
      string,
      string
    >;
    expect(Object.keys(keys).sort()).toEqual(ids);
    for (const id of ids) expect(keys[id]).toBe(`sk-${id}-0123456789ab`);
  }, 90_000);
});
