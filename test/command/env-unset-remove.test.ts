import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backups, codexgw, envWorld, read } from './env-helpers.ts';

describe('codexgw env unset', () => {
  it('removes one variable, leaving the others and every user byte', async () => {
    const w = envWorld('bash');
    const user = 'x=1\r\n';
    const rc = w.write(path.join(w.home, '.bashrc'), user);
    await codexgw(w, ['env', 'set', 'A', '--value-stdin'], { stdin: 'a-value' });
    await codexgw(w, ['env', 'set', 'B', '--value-stdin'], { stdin: 'b-value' });
    const r = await codexgw(w, ['env', 'unset', 'A']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`Removed A from ${rc}.`);
    expect(read(rc)).toBe(
      `${user}# >>> codexgw >>>\r\n# managed by codexgw; edit with codexgw env\r\nexport B='b-value'\r\n# <<< codexgw <<<\r\n`,
    );
    // The last variable takes the block with it: the file is the user's again, byte for byte.
    await codexgw(w, ['env', 'unset', 'B']);
    expect(read(rc)).toBe(user);
  });

  it('exits 1 for a variable that is not in the block, and names what is', async () => {
    const w = envWorld('bash');
    await codexgw(w, ['env', 'set', 'A', '--value-stdin'], { stdin: 'a-value' });
    const r = await codexgw(w, ['env', 'unset', 'NOPE']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('NOPE is not in the codexgw block');
    expect(r.err).toContain('The block sets A.');
  });

  it('--dry-run shows the diff and writes nothing; a line outside the block is mentioned, not touched', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'export A=mine\n');
    await codexgw(w, ['env', 'set', 'A', '--value-stdin'], { stdin: 'a-value' });
    const before = read(rc);
    const r = await codexgw(w, ['env', 'unset', 'A', '--dry-run']);
    expect(r.out).toContain('-export A=…');
    expect(r.err).toContain('Dry run: would remove A');
    expect(r.err).toContain(`note: A is still set at ${rc}:1, outside the codexgw block.`);
    expect(read(rc)).toBe(before);
  });

  it('unsets from the secrets file when the value lives there', async () => {
    const w = envWorld('zsh');
    await codexgw(w, ['env', 'set', 'A', '--value-stdin', '--secrets-file'], { stdin: 'a-value' });
    await codexgw(w, ['env', 'set', 'B', '--value-stdin'], { stdin: 'b-value' });
    const r = await codexgw(w, ['env', 'unset', 'A']);
    expect(r.code).toBe(0);
    const secrets = path.join(w.codexHome, 'codexgw.env');
    expect(read(secrets)).not.toContain('a-value');
    expect(read(secrets)).toContain("export B='b-value'");
  });
});

describe('codexgw env remove', () => {
  it('removes the whole block, restoring the file byte for byte', async () => {
    const w = envWorld('bash');
    const user = '# mine\r\nalias g=git\r\n';
    const rc = w.write(path.join(w.home, '.bashrc'), user);
    await codexgw(w, ['env', 'set', 'A', '--value-stdin'], { stdin: 'a-value' });
    await codexgw(w, ['env', 'set', 'B', '--value-stdin'], { stdin: 'b-value' });
    const r = await codexgw(w, ['env', 'remove']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`Removed the codexgw block (A, B) from ${rc}.`);
    expect(readFileSync(rc).equals(Buffer.from(user))).toBe(true);
  });

  it('with no block, says so and writes nothing (exit 0)', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'x=1\n');
    const r = await codexgw(w, ['env', 'remove']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`No codexgw block in ${rc}; nothing to remove.`);
    expect(backups(w)).toEqual([]);
    const missing = envWorld('fish');
    expect((await codexgw(missing, ['env', 'remove'])).code).toBe(0);
    expect(existsSync(path.join(missing.home, '.config', 'fish', 'conf.d', 'codexgw.fish'))).toBe(false);
  });

  it('also empties the secrets file it sources; --dry-run writes nothing', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'x=1\n');
    await codexgw(w, ['env', 'set', 'A', '--value-stdin', '--secrets-file'], { stdin: 'a-value' });
    const secrets = path.join(w.codexHome, 'codexgw.env');
    const dry = await codexgw(w, ['env', 'remove', '--dry-run']);
    expect(dry.out).toContain(`--- ${secrets}`);
    expect(read(secrets)).toContain('a-value');
    const r = await codexgw(w, ['env', 'remove']);
    expect(r.err).toContain(`Removed the codexgw block (A) from ${secrets} and ${rc}.`);
    expect(read(secrets)).toBe('');
    expect(read(rc)).toBe('x=1\n');
  });
});
