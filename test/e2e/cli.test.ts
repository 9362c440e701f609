import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli.ts';
import { BIN, NODE, REPO, runCli } from '../helpers/run-cli.ts';
import { makeGitRepo, makeWorld } from '../helpers/setup-home.ts';
import { requireTool } from '../helpers/tools.ts';

requireTool('bash');

describe('the built binary', () => {
  it('prints its version and help', async () => {
    const w = makeWorld();
    const v = await runCli(['--version'], { cwd: w.work, env: w.env });
    expect(v).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n` });
    // The launcher answers --version from package.json; the CLI's own constant must agree.
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    expect((await runCli(['-V', '--no-color'], { cwd: w.work, env: w.env })).stdout).toBe(`${VERSION}\n`);
    const h = await runCli(['--help'], { cwd: w.work, env: w.env });
    expect(h.exitCode).toBe(0);
    for (const cmd of [
      'init',
      'provider',
      'use',
      'model',
      'config',
      'env',
      'doctor',
      'validate',
      'restore',
    ]) {
      expect(h.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
  });

  it('validates, with exit 0 for a clean config and 1 for a broken one', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'model = "gpt-5"\n');
    expect((await runCli(['validate'], { cwd: w.work, env: w.env })).exitCode).toBe(0);
    w.write(path.join(w.codexHome, 'config.toml'), 'profile = "work"\n');
    const bad = await runCli(['validate', '--format', 'json'], { cwd: w.work, env: w.env });
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.stdout).findings[0].id).toBe('legacy-profile');
    // A value of the wrong type fails the shape check; zod, loaded only then, explains it.
    w.write(path.join(w.codexHome, 'config.toml'), 'model = 5\n');
    const typed = await runCli(['validate', '--format', 'json'], { cwd: w.work, env: w.env });
    expect(typed.exitCode).toBe(1);
    expect(JSON.parse(typed.stdout).findings).toMatchObject([
      { id: 'invalid-type', message: expect.stringContaining('`model` must be a string') },
    ]);
    // The shapes built from Codex's rules call more of zod: an integer range, a table of named
    // fields plus free keys ([agents]); every zod function they use is in the lazy bundle.
    w.write(
      path.join(w.codexHome, 'config.toml'),
      '[history]\nmax_bytes = -1\n[agents]\nmax_depth = "x"\n[agents.reviewer]\ndescription = "r"\n',
    );
    const ranged = await runCli(['validate', '--format', 'json', '--codex-version', '0.171.0'], {
      cwd: w.work,
      env: w.env,
    });
    expect(ranged.exitCode).toBe(1);
    expect(JSON.parse(ranged.stdout).findings).toMatchObject([
      { id: 'invalid-value', message: expect.stringContaining('`history.max_bytes` must be at least 0') },
      { id: 'invalid-type', key: 'agents.max_depth' },
    ]);
  });

  it('honours -C <dir>', async () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    w.write(path.join(w.codexHome, 'config.toml'), `[projects."${repo}"]\ntrust_level = "trusted"\n`);
    w.write(path.join(repo, '.codex', 'config.toml'), 'model = "from-project"\n');
    const r = await runCli(['-C', repo, 'config', 'get', 'model'], { cwd: w.root, env: w.env });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'from-project\n' });
  });

  it('exits 2 on an unknown command or flag', async () => {
    const w = makeWorld();
    const r = await runCli(['frobnicate'], { cwd: w.work, env: w.env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect((await runCli(['validate', '--nope'], { cwd: w.work, env: w.env })).exitCode).toBe(2);
  });

  it('a copy that was never built: clear error, exit 4, no stack trace', async () => {
    const w = makeWorld();
    const copy = path.join(w.root, 'unbuilt');
    mkdirSync(path.join(copy, 'bin'), { recursive: true });
    copyFileSync(BIN, path.join(copy, 'bin', 'codexgw.cjs'));
    const r = await execa(NODE, [path.join(copy, 'bin', 'codexgw.cjs'), 'validate'], {
      cwd: w.work,
      env: w.env,
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toBe(
      `error: ${path.join(copy, 'dist', 'cli.cjs')} is missing: this copy of codexgw is not built.\n  fix: run \`npm run build\` in ${copy}.`,
    );
  });

  it('an unreadable config file: clear error, exit 3, no stack trace (run as an unprivileged user)', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), 'model = "x"\n');
    for (const dir of [w.root, w.home, w.codexHome, w.work]) chmodSync(dir, 0o755);
    chmodSync(file, 0o000);
    const r = await runCli(['config', 'show'], { cwd: w.work, env: w.env, uid: 65534 });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe(
      `error: Could not read ${file}: permission denied.\n  fix: Check the permissions of ${file} and its directory (ls -l).\n`,
    );
  });
});

describe('output into a pipe', () => {
  it('ends quietly, exit 0, when the reader stops early (`| head`)', async () => {
    const w = makeWorld();
    const providers = Array.from(
      { length: 400 },
      (_, i) => `[model_providers.p${i}]\nname = "P${i}"\nbase_url = "https://gw${i}.example.com/v1"\n`,
    );
    w.write(path.join(w.codexHome, 'config.toml'), `model = "gpt-5"\n${providers.join('\n')}`);
    // Far more than a pipe holds, so the writer meets the closed pipe.
    const r = await execa(
      'bash',
      ['-o', 'pipefail', '-c', `"${NODE}" "${BIN}" config show --json | head -c 64 >/dev/null`],
      { cwd: w.work, env: { ...w.env, NO_COLOR: '1' }, extendEnv: false, reject: false },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});

describe('--version with nowhere to write', () => {
  it('exits 0 without a stack trace when stdout is closed or its reader is gone', async () => {
    const w = makeWorld();
    for (const cmd of [`"${NODE}" "${BIN}" --version >&-`, `"${NODE}" "${BIN}" --version | true`]) {
      const r = await execa('bash', ['-o', 'pipefail', '-c', cmd], {
        cwd: w.work,
        env: { ...w.env, NO_COLOR: '1' },
        extendEnv: false,
        reject: false,
      });
      expect([cmd, r.exitCode, r.stderr]).toEqual([cmd, 0, '']);
    }
  });
});

describe('start-up work', () => {
  it('does not load net or the stream stack when output goes to a pipe, a file or /dev/null', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'model = "gpt-5"\n');
    const hook = w.write(
      'hook.cjs',
      [
        "const { writeFileSync } = require('node:fs');",
        "process.on('exit', () => writeFileSync(process.env.MODULES_OUT, [process.argv[1], ...process.moduleLoadList].join('\\n')));",
      ].join('\n'),
    );
    for (const redirect of ['| cat >/dev/null', '>/dev/null', `>"${path.join(w.root, 'out.txt')}"`]) {
      const list = path.join(w.root, 'modules.txt');
      const r = await execa('bash', ['-c', `"${NODE}" "${BIN}" validate ${redirect}`], {
        cwd: w.work,
        env: { ...w.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${hook}`, MODULES_OUT: list },
        extendEnv: false,
        reject: false,
      });
      expect(r.exitCode).toBe(0);
      const loaded = readFileSync(list, 'utf8').split('\n');
      expect(loaded[0]).toBe(BIN); // the hook saw the run
      expect(
        loaded.filter((m) =>
          /^NativeModule (net|tty|stream|internal\/streams\/(readable|writable|duplex))$/.test(m),
        ),
      ).toEqual([]);
    }
  });
});

describe("Node's compile cache", () => {
  /** The files Node's compile cache keeps under dir (one folder per Node version). */
  const cacheFiles = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('/'))
      : [];

  it('is turned on by the bin, in the temp dir, unless NODE_DISABLE_COMPILE_CACHE is set', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'model = "gpt-5"\n');
    const tmp = w.write('tmp/.keep', '');
    const env = { ...w.env, TMPDIR: path.dirname(tmp) };
    const cache = path.join(path.dirname(tmp), 'node-compile-cache');
    const off = await runCli(['validate'], { cwd: w.work, env: { ...env, NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(off.exitCode).toBe(0);
    expect(cacheFiles(cache)).toEqual([]);
    const cold = await runCli(['validate'], { cwd: w.work, env });
    expect(cold).toEqual(off);
    expect(cacheFiles(cache).length).toBeGreaterThan(0);
    expect(await runCli(['validate'], { cwd: w.work, env })).toEqual(cold);
  });
});

describe('colour in the built binary', () => {
  const ESC = '\u001b[';
  it('colours when forced, and never with NO_COLOR or --no-color', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'modle = "x"\n');
    const base = { ...w.env, FORCE_COLOR: '1' };
    const forced = await runCli(['validate'], { cwd: w.work, env: { ...base, NO_COLOR: '' } });
    expect(forced.stdout).toContain(ESC);
    expect(
      (await runCli(['validate'], { cwd: w.work, env: { ...base, NO_COLOR: '1' } })).stdout,
    ).not.toContain(ESC);
    expect(
      (await runCli(['--no-color', 'validate'], { cwd: w.work, env: { ...base, NO_COLOR: '' } })).stdout,
    ).not.toContain(ESC);
  });
});
