/**
 * The GitHub Action (action.yml → scripts/ci-validate.sh) and the pre-commit hook
 * (.pre-commit-hooks.yaml) run against a fixture repository with the built CLI: annotations on
 * the line at fault and a failing exit for a bad config, a pass for a good one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, NODE, REPO } from '../helpers/run-cli.ts';
import { cleanupTempDirs, makeTempDir } from '../helpers/tmp.ts';
import { requireTool } from '../helpers/tools.ts';

requireTool('bash');
requireTool('git');

afterEach(cleanupTempDirs);

const ACTION = readFileSync(path.join(REPO, 'action.yml'), 'utf8');
const HOOKS = readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8');

const GOOD = `model = "gpt-5.5"
model_provider = "portkey"

[model_providers.portkey]
name = "Portkey"
base_url = "https://api.portkey.ai/v1"
env_key = "PORTKEY_API_KEY"
wire_api = "responses"
`;
// Line 4: wire_api = "chat" is an error in Codex; line 1: temperature is a key Codex ignores.
const BAD = `temperature = 0.2
[model_providers.p]
name = "P"
wire_api = "chat"
base_url = "https://gw.example/v1"
`;
const WARN_ONLY = `temperature = 0.2\n${GOOD}`;

/** A repository with a good, a bad and a warning-only config (one in a folder with a space). */
function fixtureRepo() {
  const root = makeTempDir('codexgw-ci-');
  const home = path.join(root, 'home');
  const repo = path.join(root, 'repo');
  mkdirSync(home);
  mkdirSync(path.join(repo, 'configs', 'with space'), { recursive: true });
  writeFileSync(path.join(repo, 'configs', 'good.config.toml'), GOOD);
  writeFileSync(path.join(repo, 'configs', 'with space', 'config.toml'), BAD);
  writeFileSync(path.join(repo, 'configs', 'warn.config.toml'), WARN_ONLY);
  writeFileSync(path.join(repo, 'pyproject.toml'), 'not = [a codex config\n');
  const env = {
    // BIN's `#!/usr/bin/env node` finds a supported Node line first.
    PATH: `${path.dirname(NODE)}:/usr/bin:/bin`,
    HOME: home,
    CODEX_HOME: home,
    NO_COLOR: '1',
  };
  return { repo, env };
}

/** What action.yml maps each input to, and the command its step runs. */
function actionStep() {
  const env: Record<string, string> = {};
  for (const m of ACTION.matchAll(/^\s+(INPUT_[A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm))
    env[m[1]!] = m[2]!;
  const run = /^\s+run: (.+)$/m.exec(ACTION)![1]!;
  const defaults: Record<string, string> = {};
  for (const m of ACTION.matchAll(/^ {2}([a-z-]+):\n(?:^ {4}.*\n)*? {4}default: '?([^'\n]*)'?$/gm)) {
    defaults[m[1]!] = m[2]!;
  }
  return { env, run, defaults };
}

/** Run the action's step as the runner would: inputs in the environment, the action's path set. */
function runAction(inputs: Record<string, string>, fx: ReturnType<typeof fixtureRepo>) {
  const { env: mapping, run, defaults } = actionStep();
  const env: Record<string, string> = { ...fx.env, GITHUB_ACTION_PATH: REPO, CODEXGW_BIN: BIN };
  for (const [variable, input] of Object.entries(mapping))
    env[variable] = inputs[input] ?? defaults[input] ?? '';
  const r = spawnSync('bash', ['-c', run], { cwd: fx.repo, env, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the GitHub Action', () => {
  it('maps every input to the script and runs the package version it is tagged with', () => {
    const { env, run, defaults } = actionStep();
    expect(env).toEqual({
      INPUT_PATHS: 'paths',
      INPUT_STRICT: 'strict',
      INPUT_CODEX_VERSION: 'codex-version',
      INPUT_VERSION: 'version',
    });
    expect(run).toBe('bash "$GITHUB_ACTION_PATH/scripts/ci-validate.sh"');
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(defaults).toEqual({ paths: '', strict: 'true', 'codex-version': '', version: pkg.version });
  });

  it('annotates the line at fault and fails on a bad config, passes a good one', () => {
    const fx = fixtureRepo();
    const bad = runAction({ paths: 'configs/good.config.toml\nconfigs/with space/config.toml\n' }, fx);
    expect(bad.code).toBe(1);
    const file = path.join(fx.repo, 'configs', 'with space', 'config.toml');
    expect(bad.out).toMatch(
      new RegExp(
        `^::error file=${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=4,col=\\d+,title=codexgw [^:]+::.*chat`,
        'm',
      ),
    );
    expect(bad.out).not.toContain('good.config.toml');

    const good = runAction({ paths: 'configs/good.config.toml' }, fx);
    expect([good.code, good.out]).toEqual([0, '']);
  });

  it('fails on warnings only when strict', () => {
    const fx = fixtureRepo();
    const strict = runAction({ paths: 'configs/warn.config.toml' }, fx);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/^::warning file=.*warn\.config\.toml,line=1,/m);
    const lenient = runAction({ paths: 'configs/warn.config.toml', strict: 'false' }, fx);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toMatch(/^::warning /m);
    const wrong = runAction({ paths: 'configs/warn.config.toml', strict: 'maybe' }, fx);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('input strict must be true or false');
  });

  it('takes several paths on one line, and never runs a path as code', () => {
    const fx = fixtureRepo();
    const r = runAction({ paths: 'configs/good.config.toml configs/warn.config.toml' }, fx);
    expect(r.code).toBe(1);
    expect(r.out).toContain('warn.config.toml');
    const hostile = runAction({ paths: '$(touch pwned) `touch pwned2`' }, fx);
    expect(hostile.code).not.toBe(0);
    expect(() => readFileSync(path.join(fx.repo, 'pwned'))).toThrow();
    expect(() => readFileSync(path.join(fx.repo, 'pwned2'))).toThrow();
  });
});

describe('the pre-commit hook', () => {
  const hook = {
    entry: /^\s+entry: (.+)$/m.exec(HOOKS)![1]!,
    files: new RegExp(/^\s+files: (.+)$/m.exec(HOOKS)![1]!),
  };

  it('picks the Codex config files and nothing else', () => {
    for (const f of [
      'config.toml',
      '.codex/config.toml',
      'a/b/.codex/config.toml',
      'work.config.toml',
      'x/team-1.config.toml',
    ])
      expect([f, hook.files.test(f)]).toEqual([f, true]);
    for (const f of ['pyproject.toml', 'Cargo.toml', 'config.toml.bak', 'my config.toml'])
      expect([f, hook.files.test(f)]).toEqual([f, false]);
  });

  it('runs its entry on the staged files as pre-commit does: fails on the bad one, with file and line', () => {
    const fx = fixtureRepo();
    execFileSync('git', ['init', '-q'], { cwd: fx.repo });
    execFileSync('git', ['add', '-A'], { cwd: fx.repo });
    const staged = execFileSync('git', ['diff', '--cached', '--name-only', '-z'], {
      cwd: fx.repo,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && hook.files.test(f));
    expect(staged.sort()).toEqual([
      'configs/good.config.toml',
      'configs/warn.config.toml',
      'configs/with space/config.toml',
    ]);
    const [command, ...args] = hook.entry.split(' ');
    expect(command).toBe('codexgw');
    const run = (files: string[]) =>
      spawnSync(NODE, [BIN, ...args, ...files], {
        cwd: fx.repo,
        env: fx.env,
        encoding: 'utf8',
        timeout: 20_000,
      });
    const bad = run(staged);
    expect(bad.status).toBe(1);
    // Text output: the file, then each finding as line:col, severity, message.
    expect(`${bad.stdout}${bad.stderr}`).toMatch(
      /with space\/config\.toml\n(?:.*\n)*?\s+4:1\s+error\s+`wire_api = "chat"`/,
    );
    const good = run(['configs/good.config.toml']);
    expect(good.status).toBe(0);
  });
});
