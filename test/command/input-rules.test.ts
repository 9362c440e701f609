import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backups, type CliRun, codexgw, envWorld, read } from './env-helpers.ts';

/**
 * The input rules of issue #15, each with its exit code, its message, a time bound and that
 * nothing was written.
 */

const KEY = 'sk-input-rules-0123456789-wxyz';
const ADD = ['provider', 'add', 'custom', '--id', 'gw', '--base-url', 'https://gw.example.com/v1'];

const answers = vi.hoisted(() => ({ confirm: [] as boolean[] }));
vi.mock('@inquirer/prompts', () => ({
  confirm: vi.fn(async () => answers.confirm.shift() ?? false),
  password: vi.fn(async () => KEY),
}));

afterEach(() => {
  answers.confirm.length = 0;
});

async function timed(run: Promise<CliRun>): Promise<CliRun & { seconds: number }> {
  const t0 = Date.now();
  const r = await run;
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}

describe('env var names that change how a shell or the system runs', () => {
  const reserved = [
    'PATH',
    'HOME',
    'PS1',
    'PROMPT_COMMAND',
    'BASH_ENV',
    'ENV',
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'DYLD_INSERT_LIBRARIES',
    'IFS',
    'SHELLOPTS',
    'ZDOTDIR',
    'fish_user_paths',
    'NODE_OPTIONS',
  ];

  it('env set refuses each with exit 2 and writes no rc file', async () => {
    const w = envWorld('bash');
    for (const name of reserved) {
      const r = await timed(codexgw(w, ['env', 'set', name, '--value-stdin'], { stdin: KEY }));
      expect([name, r.code]).toEqual([name, 2]);
      expect(r.err).toContain(`codexgw will not store a key in ${name}:`);
      expect(r.err).not.toContain(KEY);
      expect(r.seconds).toBeLessThan(5);
    }
    expect(existsSync(path.join(w.home, '.bashrc'))).toBe(false);
    expect(backups(w)).toEqual([]);
    // A name of its own is fine.
    expect((await codexgw(w, ['env', 'set', 'GW_API_KEY', '--value-stdin'], { stdin: KEY })).code).toBe(0);
  });

  it('provider add --key-stdin refuses one as env_key, before writing config.toml', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, [...ADD, '--env-key', 'LD_PRELOAD', '--key-stdin'], { stdin: KEY });
    expect(r.code).toBe(2);
    expect(r.err).toContain('LD_* variables are read by the dynamic loader');
    expect(existsSync(path.join(w.codexHome, 'config.toml'))).toBe(false);
    expect(existsSync(path.join(w.home, '.bashrc'))).toBe(false);
  });
});

describe('a pasted key', () => {
  it('loses the whitespace around it, and codexgw says so without showing the key', async () => {
    const w = envWorld('bash');
    const r = await codexgw(w, [...ADD, '--env-key', 'GW_KEY', '--key-stdin'], { stdin: `  ${KEY} \t\n` });
    expect(r.code).toBe(0);
    expect(read(path.join(w.home, '.bashrc'))).toContain(`export GW_KEY='${KEY}'\n`);
    expect(r.err).toContain('note: removed the whitespace around the key (2 before it, 2 after it)');
    expect(r.err).not.toContain(KEY);
    const set = await codexgw(w, ['env', 'set', 'OTHER_KEY', '--value-stdin'], { stdin: `${KEY}  ` });
    expect(set.err).toContain('removed the whitespace around the value for OTHER_KEY (2 after it)');
    expect(read(path.join(w.home, '.bashrc'))).toContain(`export OTHER_KEY='${KEY}'\n`);
  });
});

describe('an rc file that is not a shell rc file', () => {
  it('refuses config.toml (also through a symlink) and the secrets file, writing nothing', async () => {
    const w = envWorld('bash');
    const config = w.write(path.join(w.codexHome, 'config.toml'), 'model = "o3"\n');
    const link = path.join(w.home, '.bashrc');
    symlinkSync(config, link);
    const hardLink = path.join(w.home, 'rc-hard-link');
    linkSync(config, hardLink);
    const cases: [string[], string][] = [
      [
        ['env', 'set', 'K', '--value-stdin', '--rc-file', config],
        'is a TOML file, such as a Codex config file',
      ],
      [['env', 'set', 'K', '--value-stdin'], 'is a TOML file'],
      [[...ADD, '--key-stdin', '--rc-file', config], 'is a TOML file'],
      [
        ['env', 'set', 'K', '--value-stdin', '--rc-file', hardLink],
        'is a TOML file, such as a Codex config file',
      ],
      [
        [
          'env',
          'set',
          'K',
          '--value-stdin',
          '--secrets-file',
          '--rc-file',
          path.join(w.codexHome, 'codexgw.env'),
        ],
        "is codexgw's secrets file",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await timed(codexgw(w, args, { stdin: KEY }));
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err).toContain(message);
      expect(r.seconds).toBeLessThan(5);
    }
    expect(read(config)).toBe('model = "o3"\n');
    expect(readdirSync(w.codexHome)).toEqual(['config.toml']);
  });
});

describe('ids and profile names', () => {
  it('refuses "-"-prefixed provider ids and an empty profile name with exit 2', async () => {
    const w = envWorld('bash');
    for (const id of ['-', '--help', '-x']) {
      const r = await codexgw(w, [
        'provider',
        'add',
        'custom',
        `--id=${id}`,
        '--base-url',
        'https://gw.example.com/v1',
      ]);
      expect([id, r.code]).toEqual([id, 2]);
      expect(r.err).toContain(`Provider id "${id}" starts with "-"`);
    }
    for (const args of [
      ['provider', 'list', '-p', ''],
      [...ADD, '-p', ''],
      ['use', 'gw', '-p', ''],
    ]) {
      const r = await codexgw(w, args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err).toContain('The profile name is empty (-p "").');
    }
    expect(readdirSync(w.codexHome)).toEqual([]);
  });
});

describe('a read-only file', () => {
  it('is not replaced without asking: refused with no terminal, asked on one', async () => {
    const w = envWorld('bash');
    const config = w.write(path.join(w.codexHome, 'config.toml'), 'model = "o3"\n');
    chmodSync(config, 0o444);
    const refused = await codexgw(w, ADD);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain(
      '~/.codex/config.toml is read-only (mode 0444); codexgw does not replace it without asking.',
    );
    answers.confirm.push(false);
    const declined = await codexgw(w, ADD, { interactive: true });
    expect(declined.code).toBe(130);
    expect(read(config)).toBe('model = "o3"\n');
    expect(backups(w)).toEqual([]);
    answers.confirm.push(true);
    const accepted = await codexgw(w, ADD, { interactive: true });
    expect(accepted.code).toBe(0);
    expect(read(config)).toContain('[model_providers.gw]');
    expect(statSync(config).mode & 0o777).toBe(0o444);
  });
});

describe('hard links', () => {
  it('are kept: every name of the rc file and of config.toml sees the new content', async () => {
    const w = envWorld('bash');
    const dotfiles = path.join(w.root, 'dotfiles');
    mkdirSync(dotfiles);
    const rcReal = w.write(path.join(dotfiles, 'bashrc'), '# mine\n');
    const rc = path.join(w.home, '.bashrc');
    linkSync(rcReal, rc);
    const configReal = w.write(path.join(dotfiles, 'config.toml'), 'model = "o3"\n');
    const config = path.join(w.codexHome, 'config.toml');
    linkSync(configReal, config);
    const r = await codexgw(w, [...ADD, '--env-key', 'GW_KEY', '--key-stdin', '--use'], { stdin: KEY });
    expect(r.code).toBe(0);
    expect(statSync(rc).ino).toBe(statSync(rcReal).ino);
    expect(statSync(config).ino).toBe(statSync(configReal).ino);
    expect(read(rcReal)).toContain(`export GW_KEY='${KEY}'`);
    expect(read(configReal)).toContain('model_provider = "gw"');
    expect(statSync(rc).nlink).toBe(2);
    expect(backups(w)).toHaveLength(2);
  });
});

describe('backups', () => {
  it('orphans of an interrupted run are pruned; a backup being written right now is not', async () => {
    const w = envWorld('bash');
    w.write(path.join(w.codexHome, 'config.toml'), 'model = "o3"\n');
    const dir = path.join(w.codexHome, 'backups');
    const old = w.write(path.join(dir, '2020-01-01T00-00-00-000Z-config.toml'), 'model = "old"\n');
    const oldMeta = w.write(path.join(dir, '2020-01-02T00-00-00-000Z-.bashrc.json'), '{}');
    const young = w.write(path.join(dir, '2020-01-03T00-00-00-000Z-config.toml'), 'model = "young"\n');
    const other = w.write(path.join(dir, 'notes.txt'), 'mine\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of [old, oldMeta, other]) utimesSync(f, hourAgo, hourAgo);
    const r = await codexgw(w, ADD);
    expect(r.code).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(oldMeta)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(backups(w).filter((n) => n.endsWith('-config.toml') && !n.startsWith('2020'))).toHaveLength(1);
  });
});
