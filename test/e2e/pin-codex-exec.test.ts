/**
 * Issue 18's end-to-end promise: after `codexgw pin work` in a repository (the built CLI), the real
 * `codex exec` typed in an interactive bash, zsh and fish — which load the wrapper from their rc
 * files — reaches the `work` gateway in a subdirectory of the repository, the default gateway
 * elsewhere, the `other` gateway with an explicit `--profile other`, and the default again after
 * `codexgw unpin`. Nothing is written into the repository. (Runs the pinned Codex; never skips.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexBinary } from '../helpers/codex.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { spawnCliInPty } from '../helpers/pty.ts';
import { runCli } from '../helpers/run-cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const gateways: Record<'def' | 'work' | 'other', FakeGateway | undefined> = {
  def: undefined,
  work: undefined,
  other: undefined,
};
beforeAll(async () => {
  for (const id of ['def', 'work', 'other'] as const)
    gateways[id] = await startFakeGateway({ replyText: `hi from ${id}` });
});
afterAll(async () => {
  for (const gw of Object.values(gateways)) await gw?.close();
});

function provider(id: 'def' | 'work' | 'other'): string {
  return [
    `[model_providers.${id}]`,
    `name = "${id}"`,
    `base_url = "${gateways[id]!.url}/v1"`,
    `env_key = "${id.toUpperCase()}_KEY"`,
    'wire_api = "responses"',
    '',
  ].join('\n');
}

function world() {
  const root = makeTempDir('codexgw-pin-e2e-');
  const home = path.join(root, 'home');
  const codexHome = path.join(home, '.codex');
  const repo = path.join(root, 'repo');
  const sub = path.join(repo, 'src', 'pkg');
  const elsewhere = path.join(root, 'elsewhere');
  for (const d of [codexHome, sub, elsewhere]) mkdirSync(d, { recursive: true });
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
  git('init', '-q');
  writeFileSync(path.join(repo, 'README.md'), 'a client repository\n');
  git('add', 'README.md');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
  writeFileSync(
    path.join(codexHome, 'config.toml'),
    `model = "gpt-5"\nmodel_provider = "def"\n\n${provider('def')}`,
  );
  writeFileSync(path.join(codexHome, 'work.config.toml'), `model_provider = "work"\n\n${provider('work')}`);
  writeFileSync(
    path.join(codexHome, 'other.config.toml'),
    `model_provider = "other"\n\n${provider('other')}`,
  );
  // The real codex on PATH (the dev dependency's launcher), and the keys in the environment.
  const env: NodeJS.ProcessEnv = {
    PATH: `${path.dirname(codexBinary())}:${process.env.PATH}`,
    HOME: home,
    DEF_KEY: 'def-key',
    WORK_KEY: 'work-key',
    OTHER_KEY: 'other-key',
    RUST_BACKTRACE: '0',
    NO_COLOR: '1',
    TERM: 'dumb',
  };
  return { root, home, codexHome, repo, sub, elsewhere, env, git };
}

type World = ReturnType<typeof world>;

const EXEC = 'codex exec --skip-git-repo-check --ephemeral --disable unbounded_connection_retries';

/** `<shell> -i -c '<command>'`: an interactive shell, which reads the user's rc files. */
function interactive(
  w: World,
  shell: 'bash' | 'zsh' | 'fish',
  cwd: string,
  command: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(shell, ['-i', '-c', command], {
    cwd,
    env: w.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 45_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Which gateways got a `POST …/responses` from a run. */
async function reached(
  run: () => Promise<{ code: number | null; out: string; err: string }>,
): Promise<string[]> {
  const before = Object.fromEntries(Object.entries(gateways).map(([id, gw]) => [id, gw!.requests.length]));
  const r = await run();
  expect(r.code, r.err).toBe(0);
  return Object.entries(gateways)
    .filter(([id, gw]) =>
      gw!.requests.slice(before[id]).some((q) => q.method === 'POST' && q.path.endsWith('/responses')),
    )
    .map(([id]) => id);
}

describe.each(['bash', 'zsh', 'fish'] as const)(
  'codex typed in an interactive %s after codexgw pin',
  (shell) => {
    it('reaches the pinned gateway in the repository, the default elsewhere, and again after unpin', async () => {
      const w = world();
      const pin = await runCli(['pin', 'work', '--wrapper', '--shell', shell], { cwd: w.sub, env: w.env });
      expect(pin.exitCode, pin.stderr).toBe(0);
      expect(pin.stderr).toContain(`Pinned ${w.repo} to profile "work"`);

      expect(await reached(() => interactive(w, shell, w.sub, `${EXEC} hello`))).toEqual(['work']);
      expect(await reached(() => interactive(w, shell, w.elsewhere, `${EXEC} hello`))).toEqual(['def']);
      expect(await reached(() => interactive(w, shell, w.sub, `${EXEC} --profile other hello`))).toEqual([
        'other',
      ]);

      const unpin = await runCli(['unpin'], { cwd: w.sub, env: w.env });
      expect(unpin.exitCode, unpin.stderr).toBe(0);
      expect(await reached(() => interactive(w, shell, w.sub, `${EXEC} hello`))).toEqual(['def']);

      // Nothing was written into the repository.
      expect(w.git('status', '--porcelain', '--ignored').stdout).toBe('');
    }, 180_000);
  },
);

describe('codexgw pin in a terminal', () => {
  it('offers the wrapper and installs it on yes; on no, says how to get it later', async () => {
    const w = world();
    const env = { ...w.env, SHELL: '/bin/bash', TERM: 'xterm-256color' };
    const no = spawnCliInPty(['pin', 'work'], { cwd: w.sub, env });
    try {
      await no.waitFor('Install the codex wrapper in ~/.bashrc');
      no.type('n\r');
      expect((await no.exit).exitCode).toBe(0);
    } finally {
      no.kill();
    }
    expect(no.output()).toContain('codex ignores pins until the wrapper is installed');
    expect(existsSync(path.join(w.home, '.bashrc'))).toBe(false);

    const yes = spawnCliInPty(['pin', 'work'], { cwd: w.sub, env });
    try {
      await yes.waitFor('Install the codex wrapper in ~/.bashrc');
      yes.type('y\r');
      expect((await yes.exit).exitCode).toBe(0);
    } finally {
      yes.kill();
    }
    expect(yes.output()).toContain('Installed the codex wrapper');
    expect(readFileSync(path.join(w.home, '.bashrc'), 'utf8')).toContain('codexgw-wrapper.sh');
  }, 60_000);
});
