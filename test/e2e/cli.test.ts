import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli.ts';
import { REPO, runCli } from '../helpers/run-cli.ts';
import { makeGitRepo, makeWorld } from '../helpers/setup-home.ts';

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
