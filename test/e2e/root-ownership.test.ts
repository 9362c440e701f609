import { chownSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { makeWorld } from '../helpers/setup-home.ts';

/** A uid no account on the test machine has: the HOME owner root works for (sudo -E). */
const OWNER = 12345;

/** Every path under `dir` (itself included) with its owner. */
function owners(dir: string): [string, number][] {
  const out: [string, number][] = [[dir, lstatSync(dir).uid]];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...owners(p));
    else out.push([p, st.uid]);
  }
  return out;
}

describe('a root run on a user home (sudo -E)', () => {
  it('creates ~/.codex, config.toml, backups, the rc and the secrets file owned by the home owner', async () => {
    expect(process.getuid?.()).toBe(0); // the suite runs as root, like the other setpriv tests
    const w = makeWorld();
    // A home with no ~/.codex yet, owned by the user; an existing rc file of theirs.
    const home = path.join(w.root, 'user-home');
    mkdirSync(home);
    writeFileSync(path.join(home, '.bashrc'), '# theirs\n');
    chownSync(home, OWNER, OWNER);
    chownSync(path.join(home, '.bashrc'), OWNER, OWNER);
    const env = { ...w.env, HOME: home, SHELL: '/bin/bash' };
    const init = await runCli(
      'init --yes --gateway litellm --base-url http://127.0.0.1:9 --key-stdin --model gpt-5'.split(' '),
      { cwd: w.work, env, input: 'sk-root-run-0123456789-abcd\n' },
    );
    expect(init.exitCode).toBe(0);
    const add = await runCli(
      'provider add custom --id second --base-url http://127.0.0.1:9/v1 --env-key SECOND_KEY --key-stdin --secrets-file'.split(
        ' ',
      ),
      { cwd: w.work, env, input: 'sk-second-0123456789-wxyz\n' },
    );
    expect(add.exitCode).toBe(0);
    const all = owners(home);
    const names = all.map(([p]) => path.relative(home, p));
    // The run really created what it should own: the folder, its backups, the secrets file.
    expect(names).toEqual(
      expect.arrayContaining([
        '.codex',
        '.codex/config.toml',
        '.codex/backups',
        '.codex/codexgw.env',
        '.bashrc',
      ]),
    );
    expect(names.filter((n) => n.startsWith('.codex/backups/')).length).toBeGreaterThanOrEqual(2);
    expect(all.filter(([, uid]) => uid !== OWNER).map(([p]) => p)).toEqual([]);
  });

  it('leaves root-owned files in a root-owned folder to root', async () => {
    const w = makeWorld();
    const r = await runCli(
      ['provider', 'add', 'custom', '--id', 'gw', '--base-url', 'http://127.0.0.1:9/v1'],
      {
        cwd: w.work,
        env: w.env,
      },
    );
    expect(r.exitCode).toBe(0);
    expect(lstatSync(path.join(w.codexHome, 'config.toml')).uid).toBe(0);
  });
});
