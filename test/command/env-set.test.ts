import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { realFs } from '../../src/io/fs-layer.ts';
import { planStoreKey, storeKey } from '../../src/shell/key.ts';
import { captureContext } from '../helpers/tmp.ts';
import { requireTool } from '../helpers/tools.ts';
import { backups, codexgw, envWorld, read } from './env-helpers.ts';

requireTool('bash');
requireTool('git');

const KEY = 'sk-test-0123456789abcdefSECRET-wxyz';

vi.mock('@inquirer/prompts', () => ({ password: vi.fn(async () => 'sk-from-the-prompt-000000-abcd') }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('codexgw env set', () => {
  it('writes the block to ~/.bashrc from stdin, stripping one trailing newline', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'alias ll="ls -l"\n');
    const r = await codexgw(w, ['env', 'set', 'PORTKEY_API_KEY', '--value-stdin'], { stdin: `${KEY}\r\n` });
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(read(rc)).toBe(
      `alias ll="ls -l"\n# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport PORTKEY_API_KEY='${KEY}'\n# <<< codexgw <<<\n`,
    );
    expect(r.err).toContain(`Set PORTKEY_API_KEY (sk-…wxyz) in ${rc}.`);
    expect(r.err).toContain('eval "$(codexgw env print)"');
  });

  it('drops a leading BOM from the stdin value (PowerShell pipes one)', async () => {
    const w = envWorld('bash');
    const rc = path.join(w.home, '.bashrc');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: `\uFEFF${KEY}\n` });
    expect(r.code).toBe(0);
    expect(read(rc)).toContain(`export K='${KEY}'\n`);
  });

  it('refuses a stdin value that is not valid UTF-8, and writes nothing', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'alias ll="ls -l"\n');
    const stdin = Buffer.concat([Buffer.from('sk-abc'), Buffer.from([0xc3, 0x28]), Buffer.from('def\n')]);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin });
    expect(r.code).toBe(2);
    expect(r.err).toContain('The value for K on stdin is not valid UTF-8 text.');
    expect(read(rc)).toBe('alias ll="ls -l"\n');
  });

  it('is idempotent: a second identical set changes no byte and makes no backup', async () => {
    const w = envWorld('zsh');
    const rc = w.write(path.join(w.home, '.zshrc'), 'setopt autocd\r\nbindkey -e');
    await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    const first = readFileSync(rc);
    const backupsAfterFirst = backups(w);
    const mtime = statSync(rc).mtimeMs;
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: `${KEY}\n` });
    expect(r.code).toBe(0);
    expect(r.err).toContain('is already set to that value');
    expect(readFileSync(rc).equals(first)).toBe(true);
    expect(statSync(rc).mtimeMs).toBe(mtime);
    expect(backups(w)).toEqual(backupsAfterFirst);
  });

  it('set A, set B, unset A: every user byte stays (CRLF, no final newline, lines around the block)', async () => {
    const w = envWorld('bash');
    const user = '# my bashrc\r\nexport PATH="$HOME/bin:$PATH"\r\n';
    const fixture = `${user}# >>> codexgw >>>\r\n# <<< codexgw <<<\r\nalias g=git\r\nlast line, no newline`;
    const rc = w.write(path.join(w.home, '.bashrc'), fixture);
    await codexgw(w, ['env', 'set', 'A', '--value-stdin'], { stdin: 'a-value' });
    await codexgw(w, ['env', 'set', 'B', '--value-stdin'], { stdin: 'b-value' });
    const r = await codexgw(w, ['env', 'unset', 'A']);
    expect(r.code).toBe(0);
    expect(read(rc)).toBe(
      `${user}# >>> codexgw >>>\r\nexport B='b-value'\r\n# <<< codexgw <<<\r\nalias g=git\r\nlast line, no newline`,
    );
    // Every write was backed up first.
    expect(backups(w).length).toBe(3);
  });

  it('asks with a hidden prompt when interactive', async () => {
    const w = envWorld('bash');
    const { password } = await import('@inquirer/prompts');
    const r = await codexgw(w, ['env', 'set', 'K'], { interactive: true });
    expect(r.code).toBe(0);
    expect(vi.mocked(password)).toHaveBeenCalledWith(
      expect.objectContaining({ mask: '*', message: 'Value for K (input hidden):' }),
      expect.anything(),
    );
    expect(read(path.join(w.home, '.bashrc'))).toContain("export K='sk-from-the-prompt-000000-abcd'");
  });

  it('refuses to guess a value when not interactive and stdin was not asked for', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, ['env', 'set', 'K'], { stdin: KEY });
    expect(r.code).toBe(2);
    expect(r.err).toContain('No value for K: stdin is not a terminal');
    expect(r.err).toContain('--value-stdin');
    expect(existsSync(path.join(w.home, '.bashrc'))).toBe(false);
  });

  it('--dry-run prints a masked diff and writes nothing', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), `export OPENAI_API_KEY="${KEY}"\n`);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin', '--dry-run'], { stdin: KEY });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `--- ${rc}`,
        `+++ ${rc}`,
        '@@ -1 +1,5 @@',
        ' export OPENAI_API_KEY=sk-…wxyz',
        '+# >>> codexgw >>>',
        '+# managed by codexgw; edit with codexgw env',
        '+export K=sk-…wxyz',
        '+# <<< codexgw <<<',
        '',
      ].join('\n'),
    );
    expect(r.err).toContain('Dry run: would set K (sk-…wxyz)');
    expect(read(rc)).toBe(`export OPENAI_API_KEY="${KEY}"\n`);
    expect(backups(w)).toEqual([]);
  });

  it('writes fish syntax to conf.d/codexgw.fish (dirs created, file 0600) under XDG_CONFIG_HOME', async () => {
    const w = envWorld('fish');
    w.env.XDG_CONFIG_HOME = path.join(w.root, 'xdg');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: "it's" });
    expect(r.code).toBe(0);
    const file = path.join(w.root, 'xdg', 'fish', 'conf.d', 'codexgw.fish');
    expect(read(file)).toContain("set -gx K 'it\\'s'\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('--shell and --rc-file override $SHELL and the default file', async () => {
    const w = envWorld('bash');
    const r = await codexgw(
      w,
      ['env', 'set', 'K', '--value-stdin', '--shell', 'pwsh', '--rc-file', 'profile.ps1'],
      {
        stdin: "it's",
      },
    );
    expect(r.code).toBe(0);
    expect(read(path.join(w.work, 'profile.ps1'))).toContain("$env:K = 'it''s'\n");
  });

  it('writes through a symlinked rc file (dotfiles managers) and keeps the link', async () => {
    const w = envWorld('bash');
    const real = w.write(path.join(w.root, 'dotfiles', 'bashrc'), 'x=1\n');
    chmodSync(real, 0o640);
    symlinkSync(real, path.join(w.home, '.bashrc'));
    await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: 'v' });
    expect(read(real)).toContain("export K='v'");
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });
});

describe('codexgw env set --secrets-file', () => {
  it('keeps values in $CODEX_HOME/codexgw.env (0600) and only a source line in the rc, moving old values', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'x=1\n');
    await codexgw(w, ['env', 'set', 'OLD', '--value-stdin'], { stdin: 'old-value' });
    const r = await codexgw(w, ['env', 'set', 'NEW', '--value-stdin', '--secrets-file'], { stdin: KEY });
    expect(r.code).toBe(0);
    const secrets = path.join(w.codexHome, 'codexgw.env');
    expect(r.err).toContain(`Moved OLD from ${rc} to ${secrets}.`);
    expect(read(rc)).toBe(
      `x=1\n# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nif [ -r '${secrets}' ]; then . '${secrets}'; fi\n# <<< codexgw <<<\n`,
    );
    expect(read(secrets)).toBe(
      `# >>> codexgw >>>\n# managed by codexgw; edit with codexgw env\nexport OLD='old-value'\nexport NEW='${KEY}'\n# <<< codexgw <<<\n`,
    );
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    // Later sets go to the secrets file without the flag: the rc block already sources it.
    await codexgw(w, ['env', 'set', 'THIRD', '--value-stdin'], { stdin: 'third' });
    expect(read(secrets)).toContain("export THIRD='third'");
    expect(read(rc)).not.toContain('third');
    // The real bash reads all three through the source line.
    const out = execFileSync('bash', ['-i', '-c', 'printf "%s|" "$OLD" "$NEW" "$THIRD"'], {
      env: { HOME: w.home, PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString();
    expect(out).toBe(`old-value|${KEY}|third|`);
  });
});

describe('codex home for the secrets file', () => {
  it('creates ~/.codex (0700) when it does not exist yet', async () => {
    const w = envWorld('bash');
    rmSync(w.codexHome, { recursive: true });
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin', '--secrets-file'], { stdin: KEY });
    expect(r.code).toBe(0);
    expect(statSync(w.codexHome).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(w.codexHome, 'codexgw.env')).mode & 0o777).toBe(0o600);
  });

  it('keeps using the secrets file the block already sources, and says so when another is asked for', async () => {
    const w = envWorld('bash');
    await codexgw(w, ['env', 'set', 'A', '--value-stdin', '--secrets-file'], { stdin: 'a-value' });
    const other = path.join(w.root, 'other-codex-home');
    mkdirSync(other);
    const r = await codexgw(w, ['env', 'set', 'B', '--value-stdin', '--secrets-file'], {
      stdin: 'b-value',
      env: { ...w.env, CODEX_HOME: other },
    });
    const first = path.join(w.codexHome, 'codexgw.env');
    expect(r.err).toContain(
      `already sources ${first}; kept using it, not ${path.join(other, 'codexgw.env')}.`,
    );
    expect(read(first)).toContain("export B='b-value'");
    expect(existsSync(path.join(other, 'codexgw.env'))).toBe(false);
  });

  it('warns when an existing secrets file is readable by others, with the chmod that fixes it', async () => {
    const w = envWorld('bash');
    const secrets = w.write(path.join(w.codexHome, 'codexgw.env'), '');
    chmodSync(secrets, 0o640);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin', '--secrets-file'], { stdin: KEY });
    expect(r.err).toContain(
      `warning: ${secrets} is readable by its group (mode 0640), and it holds an API key.`,
    );
    expect(r.err).toContain(`fix: Run: chmod 600 '${secrets}'`);
  });

  it('a CODEX_HOME that does not exist stops the write (Codex refuses it too): exit 3, nothing written', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], {
      stdin: KEY,
      env: { ...w.env, CODEX_HOME: path.join(w.root, 'missing') },
    });
    expect(r.code).toBe(3);
    expect(r.err).toContain('CODEX_HOME points to');
    expect(existsSync(path.join(w.home, '.bashrc'))).toBe(false);
  });
});

describe('warnings', () => {
  it('warns when the rc file is readable by others, and suggests --secrets-file', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), '');
    chmodSync(rc, 0o644);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r.err).toContain(
      `warning: ${rc} is readable by every user on this machine (mode 0644), and it holds an API key.`,
    );
    expect(r.err).toContain('--secrets-file');
    chmodSync(rc, 0o600);
    const again = await codexgw(w, ['env', 'set', 'K2', '--value-stdin'], { stdin: KEY });
    expect(again.err).not.toContain('readable');
  });

  it("warns when the rc file is tracked by git (a dotfiles repository), running none of the repository's hooks", async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'x=1\n');
    chmodSync(rc, 0o600);
    const git = (...args: string[]) => execFileSync('git', ['-C', w.home, ...args], { stdio: 'ignore' });
    git('init', '-q');
    git('add', '.bashrc');
    // core.fsmonitor is a command `git ls-files` runs: the repository is not ours to run.
    const marker = path.join(w.root, 'fsmonitor-ran');
    const hook = w.write(path.join(w.root, 'fsmonitor.sh'), `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(hook, 0o755);
    git('config', 'core.fsmonitor', hook);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r.err).toContain(`warning: ${rc} is tracked by git (a dotfiles repository?)`);
    expect(existsSync(marker)).toBe(false);
    git('ls-files', '--', '.bashrc'); // the hook is real: git alone runs it
    expect(existsSync(marker)).toBe(true);
    const untracked = envWorld('bash');
    const r2 = await codexgw(untracked, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r2.err).not.toContain('tracked by git');
  });

  it('says which assignment wins when the variable is also set outside the block', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'export K=old-one\n');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: 'new-one' });
    expect(r.err).toContain(
      `K is also set at ${rc}:1 with a different value; the codexgw block runs later, so the block wins.`,
    );
    writeFileSync(rc, `${read(rc)}export K="later-one"\n`);
    const r2 = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: 'newer-one' });
    expect(r2.err).toContain(
      `K is also set at ${rc}:6 with a different value; that line runs later, so it wins and the value codexgw manages is not used.`,
    );
  });

  it('for fish, says that config.fish wins over conf.d/', async () => {
    const w = envWorld('fish');
    const configFish = w.write(
      path.join(w.home, '.config', 'fish', 'config.fish'),
      'set -gx K computed-$USER\n',
    );
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: 'v-value' });
    expect(r.err).toContain(
      `K is also set at ${configFish}:1 (a value the shell computes); fish runs config.fish after conf.d/`,
    );
  });

  it('says when the open shell has a different value', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], {
      stdin: KEY,
      env: { ...w.env, K: 'sk-old-old-old-old-old-0000' },
    });
    expect(r.err).toContain('K in this shell has a different value (sk…0000)');
  });
});

describe('bad input: a clear error and nothing written', () => {
  it('rejects a name that is not [A-Za-z_][A-Za-z0-9_]* (exit 2) before asking for a value', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, ['env', 'set', '1BAD-NAME', '--value-stdin'], { stdin: KEY });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Invalid environment variable name: it starts with a digit ("1").');
    expect(existsSync(path.join(w.home, '.bashrc'))).toBe(false);
  });

  it('rejects a value with a newline (exit 2) without showing it', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'x=1\n');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: `${KEY}\nsecond line\n` });
    expect(r.code).toBe(2);
    expect(r.err).toContain('The value for K contains a newline at character 36');
    expect(r.err).not.toContain('SECRET');
    expect(read(rc)).toBe('x=1\n');
  });

  it('an rc path that is a directory (exit 3)', async () => {
    const w = envWorld('bash');
    mkdirSync(path.join(w.home, '.bashrc'));
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r.code).toBe(3);
    expect(r.err).toContain(`Could not read ${path.join(w.home, '.bashrc')}: it is a directory, not a file.`);
  });

  it('an rc path under a file (ENOTDIR, exit 3)', async () => {
    const w = envWorld('bash');
    const file = w.write('plain-file', 'x');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin', '--rc-file', path.join(file, 'rc')], {
      stdin: KEY,
    });
    expect(r.code).toBe(3);
    expect(r.err).toContain('a parent of it is not a directory');
    expect(read(file)).toBe('x');
  });

  it('an unwritable rc file (a write error injected in the fs layer, as root ignores modes): exit 3, file intact', async () => {
    const w = envWorld('bash');
    const rc = w.write(path.join(w.home, '.bashrc'), 'x=1\n');
    const open = realFs.openSync;
    vi.spyOn(realFs, 'openSync').mockImplementation(((file: string, ...rest: unknown[]) => {
      if (String(file).includes('.bashrc.codexgw-'))
        throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
      return (open as (...a: unknown[]) => number)(file, ...rest);
    }) as typeof realFs.openSync);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r.code).toBe(3);
    expect(r.err).toContain('the file system is read-only');
    expect(read(rc)).toBe('x=1\n');
  });

  it('a hand-edited block: exit 3 with line numbers, file untouched', async () => {
    const w = envWorld('bash');
    const text = "x=1\n# >>> codexgw >>>\nexport K='v'\nexport EXTRA=$(pass show k)\n";
    const rc = w.write(path.join(w.home, '.bashrc'), text);
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${rc}:2: the block started at line 2 never ends`);
    expect(read(rc)).toBe(text);
  });

  it('an unknown $SHELL: exit 2, says to pass --shell', async () => {
    const w = envWorld('tcsh');
    const r = await codexgw(w, ['env', 'set', 'K', '--value-stdin'], { stdin: KEY });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--shell bash|zsh|fish|pwsh');
  });
});

describe('storeKey (for init and provider add)', () => {
  it('plans the edits without writing, and applies them on request', async () => {
    const w = envWorld('zsh');
    const { ctx } = captureContext({ cwd: w.work, env: w.env });
    const plan = await planStoreKey({ varName: 'PORTKEY_API_KEY', value: KEY }, ctx);
    expect(plan.edits.map((e) => e.file)).toEqual([path.join(w.home, '.zshrc')]);
    expect(plan.edits[0]!.before).toBeUndefined();
    expect(plan.edits[0]!.mode).toBe(0o600);
    expect(existsSync(path.join(w.home, '.zshrc'))).toBe(false);
    expect(JSON.stringify({ ...plan, edits: [] })).not.toContain('SECRET');
    const done = await storeKey({ varName: 'PORTKEY_API_KEY', value: KEY }, ctx);
    expect(done.written.map((x) => x.changed)).toEqual([true]);
    expect(read(path.join(w.home, '.zshrc'))).toContain(`export PORTKEY_API_KEY='${KEY}'`);
  });

  it('on macOS with bash, also makes login shells read ~/.bashrc (once)', async () => {
    const w = envWorld('bash');
    w.write(path.join(w.home, '.bash_profile'), 'export EDITOR=vi\n');
    const { ctx } = captureContext({ cwd: w.work, env: w.env });
    const plan = await planStoreKey({ varName: 'K', value: 'v', platform: 'darwin' }, ctx);
    expect(plan.edits.map((e) => path.basename(e.file))).toEqual(['.bashrc', '.bash_profile']);
    expect(plan.edits[1]!.after).toContain(
      'if [ -n "$BASH_VERSION" ] && [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi',
    );
    expect(plan.notes.join(' ')).toContain('added a block to ~/.bash_profile that sources ~/.bashrc');
    await storeKey({ varName: 'K', value: 'v', platform: 'darwin' }, ctx);
    const again = await planStoreKey({ varName: 'K2', value: 'v', platform: 'darwin' }, ctx);
    expect(again.edits.map((e) => path.basename(e.file))).toEqual(['.bashrc']);
    expect(again.notes.join(' ')).toContain('~/.bash_profile already reads ~/.bashrc');
    // Linux needs none of this.
    const linux = await planStoreKey({ varName: 'K3', value: 'v', platform: 'linux' }, ctx);
    expect(linux.edits.map((e) => path.basename(e.file))).toEqual(['.bashrc']);
  });
});
