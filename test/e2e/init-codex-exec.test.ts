/**
 * After `codexgw init` (the built CLI), the real `codex exec` works against a loopback fake
 * gateway with nothing but what init wrote: the key comes from the rc file, sourced by bash in an
 * otherwise clean environment. The request must be `POST <base>/responses` with the right bearer
 * token, headers and model. (Runs the pinned Codex; it never skips.)
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codexBinary, filterNoise } from '../helpers/codex.ts';
import { type FakeGateway, type RecordedRequest, startFakeGateway } from '../helpers/fake-gateway.ts';
import { runCli } from '../helpers/run-cli.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';
import { requireTool } from '../helpers/tools.ts';

requireTool('bash');

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

interface Run {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `bash -c 'source <rc>; exec codex exec …'` with only PATH and HOME set: the key reaches Codex
 * only if init's rc block (or the secrets file it sources) exports it.
 */
function codexExecFromRc(w: TempWorld, rc: string, codexArgs: string[]): Promise<Run> {
  const script = 'source "$1" || exit 99; shift; exec "$@"';
  const argv = [
    codexBinary(),
    ...codexArgs.slice(0, 1),
    '--skip-git-repo-check',
    '--ephemeral',
    '--disable',
    'unbounded_connection_retries',
    '--disable',
    'plugins', // else Codex runs git ls-remote against github.com
    ...codexArgs.slice(1),
  ];
  const child = spawn('bash', ['--norc', '--noprofile', '-c', script, 'bash', rc, ...argv], {
    cwd: w.work,
    env: { PATH: process.env.PATH, HOME: w.home, RUST_BACKTRACE: '0', NO_COLOR: '1', TERM: 'dumb' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, 45_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr: filterNoise(stderr) });
    });
  });
}

function responsesRequest(requests: RecordedRequest[]): RecordedRequest {
  const post = requests.filter((r) => r.method === 'POST' && r.path.endsWith('/responses'));
  expect(post.length).toBeGreaterThan(0);
  return post[0]!;
}

describe('codex exec after codexgw init', () => {
  it('Portkey: bearer key from ~/.bashrc, provider slug and metadata headers, plain model', async () => {
    const key = 'pk-live-portkey-0123456789abcdef';
    gw = await startFakeGateway({ requireKey: key, models: ['@openai-prod/gpt-5'] });
    const w = makeWorld();
    const init = await runCli(
      [
        'init',
        '--yes',
        '--gateway',
        'portkey',
        '--base-url',
        gw.baseUrl,
        '--key-stdin',
        '--model',
        'gpt-5',
        '--header',
        'x-portkey-provider=@openai-prod',
        '--header',
        'x-portkey-metadata={"team":"platform","_environment":"dev"}',
      ],
      { cwd: w.work, env: { ...w.env, SHELL: '/bin/bash' }, input: `${key}\n` },
    );
    expect(init.stderr).not.toContain('error:');
    expect(init.exitCode).toBe(0);
    expect(init.stdout + init.stderr).not.toContain(key);

    const run = await codexExecFromRc(w, path.join(w.home, '.bashrc'), ['exec', 'say hi']);
    expect(run.stderr).not.toMatch(/Missing environment variable/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('hi from fake gateway');

    const req = responsesRequest(gw.requests);
    expect(req.path).toBe('/v1/responses');
    expect(req.headers.authorization).toBe(`Bearer ${key}`);
    expect(req.headers['x-portkey-provider']).toBe('@openai-prod');
    expect(req.headers['x-portkey-metadata']).toBe('{"team":"platform","_environment":"dev"}');
    expect((req.body as { model?: string }).model).toBe('gpt-5');
  });

  it('TrueFoundry in a profile: the key in the 0600 secrets file the rc sources; codex --profile', async () => {
    const key = 'tfy-pat-0123456789abcdef-xyz';
    gw = await startFakeGateway({ requireKey: key, models: ['openai-main/gpt-5'] });
    const w = makeWorld();
    const init = await runCli(
      [
        'init',
        '--yes',
        '--gateway',
        'truefoundry',
        '--base-url',
        `${gw.url}/api/llm`,
        '--profile',
        'tfy',
        '--key-stdin',
        '--secrets-file',
        '--model',
        'gpt-5',
        '--header',
        'X-TFY-METADATA={"team":"ml"}',
      ],
      { cwd: w.work, env: { ...w.env, SHELL: '/bin/bash' }, input: key },
    );
    expect(init.stderr).not.toContain('error:');
    expect(init.exitCode).toBe(0);
    expect(init.stderr).toContain('Try it: codex --profile tfy "explain this repository"');
    // A plain name on TrueFoundry works through a routing rule: init says so.
    expect(init.stderr).toContain('the plain name "gpt-5" works only through a routing rule');
    expect(init.stdout + init.stderr).not.toContain(key);
    const secrets = path.join(w.codexHome, 'codexgw.env');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(w.home, '.bashrc'), 'utf8')).not.toContain(key);

    const run = await codexExecFromRc(w, path.join(w.home, '.bashrc'), [
      'exec',
      '--profile',
      'tfy',
      'say hi',
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('hi from fake gateway');

    const req = responsesRequest(gw.requests);
    expect(req.path).toBe('/api/llm/responses');
    expect(req.headers.authorization).toBe(`Bearer ${key}`);
    expect(req.headers['x-tfy-metadata']).toBe('{"team":"ml"}');
    expect((req.body as { model?: string }).model).toBe('gpt-5');
  });
});
