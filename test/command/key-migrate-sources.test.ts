/**
 * `key migrate` from the other two places a key can be: the 0600 secrets file codexgw's block
 * sources, and a variable the user exports themselves. In-process, with the file store.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as envSet } from '../../src/commands/env/set.ts';
import { run as keyMigrate } from '../../src/commands/key/migrate.ts';
import { CodexgwError, EXIT } from '../../src/errors.ts';
import { filesContaining } from '../helpers/keyring.ts';
import { captureContext, makeTempDir } from '../helpers/tmp.ts';

const KEY = 'sk-migrate-sources-0123456789';
const CONFIG =
  'model_provider = "gw"\n\n[model_providers.gw]\nname = "G"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "GW_KEY"\n';

function world() {
  const home = makeTempDir('codexgw-migsrc-');
  const codexHome = path.join(home, '.codex');
  mkdirSync(codexHome);
  writeFileSync(path.join(codexHome, 'config.toml'), CONFIG);
  return { home, codexHome, keysFile: path.join(codexHome, 'codexgw-keys.json') };
}

describe('key migrate', () => {
  it('moves a key out of the secrets file the block sources, and out of its backups', async () => {
    const w = world();
    const env = { HOME: w.home, SHELL: '/bin/bash' };
    const set = captureContext({ cwd: w.home, env, stdin: KEY });
    expect(await envSet({ VAR: 'GW_KEY', valueStdin: true, secretsFile: true }, set.ctx)).toBe(EXIT.ok);
    const again = captureContext({ cwd: w.home, env, stdin: 'other-0123456789' });
    expect(await envSet({ VAR: 'OTHER', valueStdin: true, secretsFile: true }, again.ctx)).toBe(EXIT.ok);
    expect(filesContaining(w.home, KEY).length).toBeGreaterThan(1);

    const c = captureContext({ cwd: w.home, env });
    expect(await keyMigrate({ all: true, yes: true, store: 'file' }, c.ctx)).toBe(EXIT.ok);
    expect(c.out() + c.err()).not.toContain(KEY);
    expect(filesContaining(w.home, KEY)).toEqual([w.keysFile]);
    const secrets = readFileSync(path.join(w.codexHome, 'codexgw.env'), 'utf8');
    expect(secrets).not.toContain('GW_KEY');
    expect(secrets).toContain('OTHER');
    expect(readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8')).toContain('key", "print", "gw"]');
  });

  it('moves an exported variable, dropping the user own export from the rc file after showing it', async () => {
    const w = world();
    const rc = path.join(w.home, '.bashrc');
    writeFileSync(rc, `alias ll=ls\nexport GW_KEY='${KEY}'\n`);
    const env = { HOME: w.home, SHELL: '/bin/bash', GW_KEY: KEY };
    const c = captureContext({ cwd: w.home, env });
    expect(await keyMigrate({ all: true, yes: true, store: 'file' }, c.ctx)).toBe(EXIT.ok);
    expect(c.out()).toContain('-export GW_KEY=');
    expect(c.out() + c.err()).not.toContain(KEY);
    expect(c.err()).toContain('Your own export of GW_KEY in ~/.bashrc goes too');
    expect(readFileSync(rc, 'utf8')).toBe('alias ll=ls\n');
    expect(filesContaining(w.home, KEY)).toEqual([w.keysFile]);
  });

  it('refuses to ask off a terminal without --yes, and writes nothing', async () => {
    const w = world();
    const c = captureContext({ cwd: w.home, env: { HOME: w.home, SHELL: '/bin/bash', GW_KEY: KEY } });
    const err = (await keyMigrate({ all: true, store: 'file' }, c.ctx).catch(
      (e: unknown) => e,
    )) as CodexgwError;
    expect(err).toBeInstanceOf(CodexgwError);
    expect(err.exitCode).toBe(EXIT.usage);
    expect(`${err.message} ${err.hint}`).toContain('--yes');
    expect(readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8')).toBe(CONFIG);
    expect(filesContaining(w.home, KEY)).toEqual([]);
  });

  it('says where to remove an export codexgw cannot see', async () => {
    const w = world();
    const c = captureContext({ cwd: w.home, env: { HOME: w.home, SHELL: '/bin/bash', GW_KEY: KEY } });
    expect(await keyMigrate({ all: true, yes: true, store: 'file' }, c.ctx)).toBe(EXIT.ok);
    expect(c.err()).toContain('GW_KEY is set in this environment, but not by codexgw or ~/.bashrc');
    expect(filesContaining(w.home, KEY)).toEqual([w.keysFile]);
  });

  it('keeps an export another provider still reads', async () => {
    const w = world();
    writeFileSync(
      path.join(w.codexHome, 'config.toml'),
      `${CONFIG}\n[model_providers.twin]\nname = "T"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "GW_KEY"\n`,
    );
    const env = { HOME: w.home, SHELL: '/bin/bash' };
    const set = captureContext({ cwd: w.home, env, stdin: KEY });
    expect(await envSet({ VAR: 'GW_KEY', valueStdin: true }, set.ctx)).toBe(EXIT.ok);
    const c = captureContext({ cwd: w.home, env });
    expect(await keyMigrate({ providerId: 'gw', yes: true, store: 'file' }, c.ctx)).toBe(EXIT.ok);
    expect(readFileSync(path.join(w.home, '.bashrc'), 'utf8')).toContain('export GW_KEY=');
    const config = readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8');
    expect(config).toContain('env_key = "GW_KEY"');
    expect(config).toContain('"key", "print", "gw"');
  });
});
