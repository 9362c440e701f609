/**
 * `key migrate --all` from codexgw's rc block into a real Secret Service: afterwards no rc file
 * and no backup holds the key, the real Codex (env -i) still sends it, and `codexgw restore`
 * undoes the move with exports that read the key from the keyring.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'smol-toml';
import { afterEach, describe, expect, it } from 'vitest';
import { codexBinary, codexStrictCheck } from '../helpers/codex.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { codexWithEmptyEnv, filesContaining, type Keyring, startKeyring } from '../helpers/keyring.ts';
import { NODE, runCli } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const KEY = 'sk-migrate-test-4b8e1d6f0a93';
const OTHER = 'other-value-123456789';

let gw: FakeGateway | undefined;
let keyring: Keyring | undefined;
afterEach(async () => {
  await gw?.close();
  await keyring?.stop();
  gw = undefined;
  keyring = undefined;
});

describe('key migrate --all', () => {
  it('moves the key out of the rc block and every backup; restore undoes it', async () => {
    keyring = await startKeyring();
    gw = await startFakeGateway();
    const home = keyring.home;
    const codexHome = path.join(home, '.codex');
    mkdirSync(codexHome, { recursive: true });
    const configFile = path.join(codexHome, 'config.toml');
    writeFileSync(
      configFile,
      `model = "gw-model"\nmodel_provider = "gw"\n\n[model_providers.gw]\nname = "Gateway"\nbase_url = "${gw.baseUrl}"\nenv_key = "GW_KEY"\n`,
    );
    const env = { PATH: process.env.PATH!, SHELL: '/bin/bash', ...keyring.env };
    const work = makeTempDir('codexgw-migrate-work-');
    const rcFile = path.join(home, '.bashrc');
    writeFileSync(rcFile, '# my rc\nalias ll="ls -l"\n');

    expect(
      (await runCli(['env', 'set', 'GW_KEY', '--value-stdin'], { cwd: work, env, input: KEY })).exitCode,
    ).toBe(0);
    // A second change leaves a backup of the rc file that holds the key.
    expect(
      (await runCli(['env', 'set', 'OTHER_VAR', '--value-stdin'], { cwd: work, env, input: OTHER })).exitCode,
    ).toBe(0);
    expect(filesContaining(path.join(codexHome, 'backups'), KEY).length).toBeGreaterThan(0);

    const migrate = await runCli(['key', 'migrate', '--all', '--yes'], { cwd: work, env });
    expect(migrate.stderr).toContain('goes to the Secret Service');
    expect(migrate.exitCode).toBe(0);
    expect(migrate.stdout + migrate.stderr).not.toContain(KEY);
    expect(await keyring.lookup('gw')).toBe(KEY);
    expect(filesContaining(home, KEY)).toEqual([]);
    const rc = readFileSync(rcFile, 'utf8');
    expect(rc).not.toContain('GW_KEY');
    expect(rc).toContain('OTHER_VAR');
    expect(rc).toContain('alias ll="ls -l"');
    const provider = (
      parse(readFileSync(configFile, 'utf8')) as { model_providers: { gw: Record<string, unknown> } }
    ).model_providers.gw;
    expect(provider.env_key).toBeUndefined();
    expect(provider.auth).toEqual({
      command: '/usr/bin/secret-tool',
      args: ['lookup', 'service', 'codexgw', 'account', 'gw'],
    });
    expect((await codexStrictCheck({ codexHome, cwd: work })).ok).toBe(true);

    const run = await codexWithEmptyEnv(
      codexBinary(),
      {
        PATH: `${path.dirname(NODE)}:/usr/bin:/bin`,
        HOME: home,
        CODEX_HOME: codexHome,
        DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
      },
      work,
    );
    expect(run.exitCode).toBe(0);
    expect(gw.requests.filter((r) => r.path === '/v1/responses').map((r) => r.headers.authorization)).toEqual(
      [`Bearer ${KEY}`],
    );

    const undoLine = migrate.stderr.split('\n').find((l) => l.startsWith('Undo: ')) ?? '';
    const undo = [...undoLine.matchAll(/codexgw restore (\S+)/g)].map((m) => m[1]!);
    expect(undo).toHaveLength(2);
    for (const name of undo) expect((await runCli(['restore', name], { cwd: work, env })).exitCode).toBe(0);
    expect(readFileSync(configFile, 'utf8')).toContain('env_key = "GW_KEY"');
    expect(filesContaining(home, KEY)).toEqual([]);
    // The restored rc exports the key again, read from the keyring, and codexgw's block still reads.
    const { stdout } = await promisify(execFile)(
      '/bin/bash',
      ['--norc', '--noprofile', '-c', 'source "$1"; printf %s "$GW_KEY"', 'bash', rcFile],
      { env: { PATH: '/usr/bin:/bin', ...keyring.env } },
    );
    expect(stdout).toBe(KEY);
    const list = await runCli(['env', 'list'], { cwd: work, env });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('OTHER_VAR');
  }, 120_000);
});
