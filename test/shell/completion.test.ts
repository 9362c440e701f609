/**
 * `codexgw completion`: the scripts generated from the command specs, run by real bash, zsh and
 * fish. Dynamic values (provider ids, profile names) come from the built CLI on PATH reading a
 * fixture config, as they would on Tab.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, NODE, runCli } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const CONFIG = `model_provider = "alpha"

[model_providers.alpha]
name = "alpha"
base_url = "http://127.0.0.1:9/v1"

[model_providers.beta-gw]
name = "beta"
base_url = "http://127.0.0.1:9/beta/v1"
`;

function world() {
  const root = makeTempDir('codexgw-completion-');
  const home = path.join(root, 'home');
  const codexHome = path.join(home, '.codex');
  const bin = path.join(root, 'bin');
  mkdirSync(codexHome, { recursive: true });
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(codexHome, 'config.toml'), CONFIG);
  writeFileSync(path.join(codexHome, 'work.config.toml'), 'model_provider = "alpha"\n');
  // codexgw on PATH, as an installed one would be: the scripts call it for dynamic values.
  const shim = path.join(bin, 'codexgw');
  writeFileSync(shim, `#!/bin/sh\nexec "${NODE}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const env = { PATH: `${bin}:${process.env.PATH}`, HOME: home, NO_COLOR: '1' };
  return { root, home, codexHome, env };
}

type World = ReturnType<typeof world>;

async function script(w: World, shell: string): Promise<string> {
  const r = await runCli(['completion', shell], { cwd: w.root, env: w.env });
  expect(r.exitCode, r.stderr).toBe(0);
  const file = path.join(w.root, `completion.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

function sh(shell: string, args: string[], w: World): string {
  const r = spawnSync(shell, args, { cwd: w.root, env: w.env, encoding: 'utf8', timeout: 20_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** bash: fill COMP_WORDS/COMP_CWORD for `line` and call the completion function. */
async function bashComplete(w: World, line: string): Promise<string[]> {
  const file = await script(w, 'bash');
  const out = sh(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `. "$1"; read -ra COMP_WORDS <<< "$2"; [[ $2 == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _codexgw; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      file,
      line,
    ],
    w,
  );
  return out.split('\n').filter(Boolean);
}

/**
 * zsh: call the generated `_codexgw` with the completion system's `words`/`CURRENT`, and a
 * `compadd` that keeps what zsh's own prefix matching would keep.
 */
async function zshComplete(w: World, line: string): Promise<string[]> {
  const file = await script(w, 'zsh');
  const out = sh(
    'zsh',
    [
      '-f',
      '-c',
      `compdef() { :; }; . "$1"; compadd() { shift; local c; for c in "$@"; do [[ $c == "$PREFIX"* ]] && print -r -- $c; done; return 0; }; words=(\${=2}); [[ $2 == *' ' ]] && words+=(''); CURRENT=$#words; PREFIX=$words[CURRENT]; _codexgw`,
      'zsh',
      file,
      line,
    ],
    w,
  );
  return out.split('\n').filter(Boolean);
}

/** fish: its own `complete -C`, the completions fish would show for the line. */
async function fishComplete(w: World, line: string): Promise<string[]> {
  const file = await script(w, 'fish');
  const out = sh('fish', ['--no-config', '-c', `source $argv[1]; complete -C $argv[2]`, '--', file, line], w);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!);
}

const engines = { bash: bashComplete, zsh: zshComplete, fish: fishComplete };

describe.each(Object.keys(engines) as (keyof typeof engines)[])('codexgw completion in %s', (shell) => {
  const complete = engines[shell];

  it('completes commands, subcommands, flags and flag choices from the specs', async () => {
    const w = world();
    expect(await complete(w, 'codexgw prov')).toEqual(['provider']);
    expect((await complete(w, 'codexgw provider ')).sort()).toEqual(['add', 'list', 'remove', 'set', 'show']);
    expect(await complete(w, 'codexgw doctor --onl')).toEqual(['--online']);
    expect((await complete(w, 'codexgw validate --format ')).sort()).toEqual(['github', 'json', 'text']);
    expect(await complete(w, 'codexgw pi')).toEqual(['pin']);
  });

  it('completes provider ids and profile names from the config', async () => {
    const w = world();
    const ids = await complete(w, 'codexgw use ');
    expect(ids).toEqual(expect.arrayContaining(['alpha', 'beta-gw']));
    expect(await complete(w, 'codexgw provider show be')).toEqual(['beta-gw']);
    expect(await complete(w, 'codexgw pin ')).toEqual(['work']);
    expect(await complete(w, 'codexgw config show --profile ')).toEqual(['work']);
  });
});

describe('codexgw completion --install', () => {
  it('writes the script to CODEX_HOME and loads it from the rc block of an interactive bash', async () => {
    const w = world();
    const r = await runCli(['completion', 'bash', '--install'], { cwd: w.root, env: w.env });
    expect(r.exitCode, r.stderr).toBe(0);
    const rc = readFileSync(path.join(w.home, '.bashrc'), 'utf8');
    expect(rc).toContain('# shell completion for codexgw');
    expect(rc).toContain(path.join(w.codexHome, 'codexgw-completion.bash'));
    const shown = spawnSync('bash', ['-i', '-c', 'complete -p codexgw'], {
      cwd: w.root,
      env: w.env,
      encoding: 'utf8',
    });
    expect(shown.stdout.trim()).toBe('complete -o bashdefault -F _codexgw codexgw');
    const again = await runCli(['completion', 'bash', '--install'], { cwd: w.root, env: w.env });
    expect(again.stderr).toContain('already installed');
  });

  it('--values says nothing on stderr and exits 0 on a broken config (Tab never shows an error)', async () => {
    const w = world();
    const good = await runCli(['completion', '--values', 'providers'], { cwd: w.root, env: w.env });
    expect(good.stdout.split('\n')).toEqual(expect.arrayContaining(['alpha', 'beta-gw']));
    writeFileSync(path.join(w.codexHome, 'config.toml'), 'model_provider = [\n');
    const r = await runCli(['completion', '--values', 'providers'], { cwd: w.root, env: w.env });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('alpha');
  });
});
