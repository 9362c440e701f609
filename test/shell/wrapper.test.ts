/**
 * The `codex` wrapper of `codexgw pin`, run by real bash, zsh and fish against a fake `codex`
 * on PATH that prints each argument it gets on its own line and exits with $FAKE_EXIT: the
 * wrapper must add `--profile <pin>` exactly where a pin applies, pass every argument through
 * verbatim (spaces, quotes, `--`, empty strings), and return the real exit code.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPins } from '../../src/app/pins.ts';
import { wrapperScript } from '../../src/shell/wrapper.ts';
import { runCli } from '../helpers/run-cli.ts';
import { makeGitRepo } from '../helpers/setup-home.ts';
import { makeTempDir } from '../helpers/tmp.ts';

type TestShell = 'bash' | 'zsh' | 'fish';

function world() {
  const root = makeTempDir('codexgw-wrapper-');
  const home = path.join(root, 'home');
  const codexHome = path.join(home, '.codex');
  const bin = path.join(root, 'bin');
  const repo = makeGitRepo(path.join(root, 'repo'));
  const sub = path.join(repo, 'src', 'deep');
  const other = path.join(root, 'elsewhere');
  for (const d of [codexHome, bin, sub, other]) mkdirSync(d, { recursive: true });
  const fake = path.join(bin, 'codex');
  writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf \'<%s>\\n\' "$a"; done\nexit "$FAKE_EXIT"\n');
  chmodSync(fake, 0o755);
  writeFileSync(path.join(codexHome, 'work.config.toml'), 'model_provider = "work"\n');
  writeFileSync(
    path.join(codexHome, 'codexgw-pins.tsv'),
    renderPins([{ root: repo, profile: 'work', pinnedAt: '2026-01-01T00:00:00Z' }]),
  );
  const files = {
    sh: path.join(codexHome, 'codexgw-wrapper.sh'),
    fish: path.join(codexHome, 'codexgw-wrapper.fish'),
  };
  writeFileSync(files.sh, wrapperScript('sh'));
  writeFileSync(files.fish, wrapperScript('fish'));
  return { root, home, codexHome, bin, repo, sub, other, files };
}

type World = ReturnType<typeof world>;

function runWrapper(
  w: World,
  shell: TestShell,
  cwd: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
) {
  const env = { PATH: `${w.bin}:${process.env.PATH}`, HOME: w.home, FAKE_EXIT: '0', ...extraEnv };
  const file = shell === 'fish' ? w.files.fish : w.files.sh;
  const argv =
    shell === 'fish'
      ? ['--no-config', '-c', `source ${file}; codex $argv`, '--', ...args]
      : shell === 'zsh'
        ? ['-f', '-c', `. ${file}; codex "$@"`, 'zsh', ...args]
        : ['--norc', '--noprofile', '-c', `. ${file}; codex "$@"`, 'bash', ...args];
  const r = spawnSync(shell, argv, { cwd, env, encoding: 'utf8', timeout: 10_000 });
  const got =
    r.stdout === ''
      ? []
      : r.stdout
          .split('\n')
          .slice(0, -1)
          .map((l) => l.slice(1, -1));
  return { status: r.status, args: got, stderr: r.stderr };
}

const TRICKY = ['exec', 'a prompt with  spaces', `it's "quoted"`, '', '--', '-p', '$HOME `x` \\n *'];

describe.each(['bash', 'zsh', 'fish'] as const)('the codex wrapper in %s', (shell) => {
  it('adds --profile <pin> in a subdirectory of a pinned repository, arguments verbatim', () => {
    const w = world();
    const r = runWrapper(w, shell, w.sub, TRICKY);
    expect(r.stderr).toBe('');
    expect(r.args).toEqual(['--profile', 'work', ...TRICKY]);
    expect(r.status).toBe(0);
  });

  it('is exactly the real codex outside a pinned project, exit code included', () => {
    const w = world();
    const r = runWrapper(w, shell, w.other, TRICKY, { FAKE_EXIT: '7' });
    expect(r.args).toEqual(TRICKY);
    expect(r.status).toBe(7);
  });

  it('returns the real exit code inside a pinned project too', () => {
    const w = world();
    const r = runWrapper(w, shell, w.repo, ['exec', 'x'], { FAKE_EXIT: '42' });
    expect(r.args).toEqual(['--profile', 'work', 'exec', 'x']);
    expect(r.status).toBe(42);
  });

  it('leaves an explicit --profile / -p alone', () => {
    const w = world();
    for (const given of [['--profile', 'other'], ['-p', 'other'], ['-pother'], ['--profile=other']]) {
      const args = ['exec', ...given, 'hi'];
      expect(runWrapper(w, shell, w.sub, args).args).toEqual(args);
    }
  });

  it('passes subcommands that reject --profile through unchanged', () => {
    const w = world();
    for (const args of [
      ['login', 'status'],
      ['-c', 'model=x', 'completion', 'bash'],
      ['debug', 'x'],
    ]) {
      expect(runWrapper(w, shell, w.sub, args).args).toEqual(args);
    }
    expect(runWrapper(w, shell, w.sub, ['debug', 'prompt-input']).args).toEqual([
      '--profile',
      'work',
      'debug',
      'prompt-input',
    ]);
  });

  it('follows -C/--cd to the directory Codex will work in', () => {
    const w = world();
    expect(runWrapper(w, shell, w.other, ['-C', w.sub, 'exec', 'x']).args).toEqual([
      '--profile',
      'work',
      '-C',
      w.sub,
      'exec',
      'x',
    ]);
    expect(runWrapper(w, shell, w.sub, [`--cd=${w.other}`, 'exec']).args).toEqual([
      `--cd=${w.other}`,
      'exec',
    ]);
  });

  it('refuses to start Codex when the pinned profile file is gone', () => {
    const w = world();
    writeFileSync(
      path.join(w.codexHome, 'codexgw-pins.tsv'),
      renderPins([{ root: w.repo, profile: 'gone', pinnedAt: '' }]),
    );
    const r = runWrapper(w, shell, w.sub, ['exec', 'x']);
    expect(r.args).toEqual([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('pinned to profile "gone"');
    expect(r.stderr).toContain('codexgw unpin');
  });

  it('picks the deepest pin when pinned projects nest, and reads CODEX_HOME', () => {
    const w = world();
    const inner = makeGitRepo(path.join(w.repo, 'vendor', 'inner'));
    writeFileSync(path.join(w.codexHome, 'inner.config.toml'), 'model_provider = "inner"\n');
    writeFileSync(
      path.join(w.codexHome, 'codexgw-pins.tsv'),
      renderPins([
        { root: w.repo, profile: 'work', pinnedAt: '' },
        { root: inner, profile: 'inner', pinnedAt: '' },
      ]),
    );
    expect(runWrapper(w, shell, inner, ['x']).args).toEqual(['--profile', 'inner', 'x']);
    // Lines that are no pin (no tab, no profile) never pin and never hide an outer pin.
    const map = path.join(w.codexHome, 'codexgw-pins.tsv');
    writeFileSync(map, `${inner}\n${inner}/x\t\n${readFileSync(map, 'utf8')}`);
    mkdirSync(path.join(inner, 'x'));
    expect(runWrapper(w, shell, path.join(inner, 'x'), ['x']).args).toEqual(['--profile', 'inner', 'x']);
    expect(runWrapper(w, shell, w.sub, ['x']).args).toEqual(['--profile', 'work', 'x']);
    // Another CODEX_HOME has no pins: the wrapper is the real codex there.
    const empty = makeTempDir('codexgw-wrapper-home-');
    expect(runWrapper(w, shell, w.sub, ['x'], { CODEX_HOME: empty }).args).toEqual(['x']);
  });
});

describe('codexgw run -- <codex args>', () => {
  const cli = (w: World, cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runCli(['run', '--', ...args], {
      cwd,
      env: { PATH: `${w.bin}:${process.env.PATH}`, HOME: w.home, FAKE_EXIT: '0', ...extraEnv },
    });
  const argsOf = (stdout: string) =>
    stdout === ''
      ? []
      : stdout
          .split('\n')
          .slice(0, -1)
          .map((l) => l.slice(1, -1));

  it('applies the pin like the wrapper, arguments verbatim, exit code passed through', async () => {
    const w = world();
    const inside = await cli(w, w.sub, TRICKY, { FAKE_EXIT: '5' });
    expect(argsOf(inside.stdout)).toEqual(['--profile', 'work', ...TRICKY]);
    expect(inside.exitCode).toBe(5);
    const outside = await cli(w, w.other, TRICKY);
    expect(argsOf(outside.stdout)).toEqual(TRICKY);
    expect(outside.exitCode).toBe(0);
    const explicit = await cli(w, w.sub, ['-p', 'other', 'exec']);
    expect(argsOf(explicit.stdout)).toEqual(['-p', 'other', 'exec']);
  });

  it('refuses to run codex when the pinned profile is gone', async () => {
    const w = world();
    writeFileSync(
      path.join(w.codexHome, 'codexgw-pins.tsv'),
      renderPins([{ root: w.repo, profile: 'gone', pinnedAt: '' }]),
    );
    const r = await cli(w, w.sub, ['exec']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('pinned to profile "gone"');
  });
});
