import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { runMain } from '../helpers/run-main.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

/**
 * Every command of the registry with --json: its stdout is one JSON document of the documented
 * shape (README, "JSON output"), and nothing else. A command added to src/commands/index.ts
 * without a case here fails the first test.
 */

const KEY = 'pk-json-0123456789abcdef';

type Json = Record<string, unknown>;
interface Case {
  args: string[];
  stdin?: string;
  /** Keys the top-level object has (the documented shape). */
  keys: string[];
}

let gw: FakeGateway;
let w: TempWorld;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  gw = await startFakeGateway();
  w = makeWorld();
  env = { ...w.env, SHELL: '/bin/bash', PATH: '/usr/bin:/bin', PORTKEY_API_KEY: KEY };
  w.write(
    path.join(w.codexHome, 'config.toml'),
    `model = "gpt-5.5"\nmodel_provider = "portkey"\ntemperature = 0.1\n\n[model_providers.portkey]\nname = "Portkey"\nbase_url = "${gw.baseUrl}"\nenv_key = "PORTKEY_API_KEY"\n\n[model_providers.other]\nname = "Other"\nbase_url = "${gw.baseUrl}"\n`,
  );
  w.write(path.join(w.codexHome, 'team.config.toml'), 'model = "gpt-5.5"\n');
});
afterAll(async () => {
  await gw.close();
});

const WRITE = ['write'];
/** In order: the later cases rely on the earlier ones (a backup exists, the env block has a key). */
const CASES: Record<string, Case> = {
  'config show': { args: ['config', 'show'], keys: ['config', 'origins', 'layers', 'ignored'] },
  'config get': { args: ['config', 'get', 'model', '--origin'], keys: ['key', 'value', 'origin'] },
  'config set': {
    args: ['config', 'set', 'model_reasoning_effort', 'high'],
    keys: ['file', 'key', 'value', 'previous', ...WRITE],
  },
  'config unset': { args: ['config', 'unset', 'temperature'], keys: ['file', 'key', 'previous', ...WRITE] },
  validate: { args: ['validate'], keys: ['findings', 'summary'] },
  'provider add': {
    args: ['provider', 'add', 'litellm', '--base-url', 'http://127.0.0.1:4000', '--dry-run'],
    keys: ['id', 'gateway', 'file', 'status', 'differences', 'active', ...WRITE],
  },
  'provider list': { args: ['provider', 'list'], keys: ['active', 'providers'] },
  'provider show': {
    args: ['provider', 'show', 'portkey'],
    keys: [
      'id',
      'gateway',
      'baseUrl',
      'envKey',
      'envKeySet',
      'active',
      'file',
      'line',
      'envKeyValue',
      'table',
      'origins',
    ],
  },
  'provider set': {
    args: ['provider', 'set', 'other', '--name', 'Other GW'],
    keys: ['id', 'file', 'changes', ...WRITE],
  },
  'provider remove': { args: ['provider', 'remove', 'other'], keys: ['id', 'file', 'wasActive', ...WRITE] },
  use: {
    args: ['use', 'portkey', '--model', 'gpt-5.6-sol'],
    keys: ['provider', 'model', 'previous', 'file', ...WRITE],
  },
  'model set': { args: ['model', 'set', 'gpt-5.5'], keys: ['model', 'file', ...WRITE] },
  'model list': { args: ['model', 'list'], keys: ['provider', 'baseUrl', 'models'] },
  restore: { args: ['restore', '--list'], keys: ['backups'] },
  'truefoundry routing-rule': {
    args: ['truefoundry', 'routing-rule', '--model', 'gpt-5.5', '--target', 'openai-main/gpt-5.5'],
    keys: ['model', 'target', 'yaml'],
  },
  'env set': {
    args: ['env', 'set', 'PORTKEY_API_KEY', '--value-stdin'],
    stdin: KEY,
    keys: ['vars', 'shell', 'rcFile', 'files', 'dryRun', 'masked'],
  },
  'env list': {
    args: ['env', 'list'],
    keys: ['shell', 'rcFile', 'secretsFile', 'block', 'variables', 'warnings'],
  },
  'env print': { args: ['env', 'print'], keys: ['shell', 'rcFile', 'vars'] },
  'env unset': {
    args: ['env', 'unset', 'PORTKEY_API_KEY', '--dry-run'],
    keys: ['vars', 'shell', 'rcFile', 'files', 'dryRun'],
  },
  'env remove': { args: ['env', 'remove'], keys: ['vars', 'shell', 'rcFile', 'files', 'dryRun'] },
  'key set': {
    args: ['key', 'set', 'portkey', '--value-stdin', '--store', 'file'],
    stdin: KEY,
    keys: ['provider', 'store', 'where', 'authCommand', 'stored', ...WRITE],
  },
  'key list': { args: ['key', 'list'], keys: [] },
  'key show': { args: ['key', 'show', 'portkey'], keys: ['masked', 'authCommand', 'problem'] },
  'key rm': {
    args: ['key', 'rm', 'portkey', '--env-key', 'PORTKEY_API_KEY'],
    keys: ['provider', 'removedFrom', 'wasStored', 'envKey', ...WRITE],
  },
  'key migrate': {
    args: ['key', 'migrate', 'portkey', '--store', 'file', '--yes'],
    keys: ['moved', 'skipped', 'dryRun', 'files', 'diff', 'backupsRewritten'],
  },
  init: {
    args: ['init', '--yes', '--gateway', 'portkey', '--profile', 'json', '--model', 'gpt-5.5', '--no-use'],
    keys: [
      'id',
      'gateway',
      'file',
      'profile',
      'active',
      'model',
      'status',
      'dryRun',
      'written',
      'files',
      'next',
    ],
  },
  doctor: { args: ['doctor'], keys: ['checks', 'summary'] },
  pin: { args: ['pin', '--list'], keys: ['pins'] },
  unpin: { args: ['unpin'], keys: ['dir', 'unpinned', 'file', 'stillApplies'] },
  trust: { args: ['trust'], keys: ['dir', 'file', 'trust', ...WRITE] },
  untrust: { args: ['untrust'], keys: ['dir', 'file', 'trust', ...WRITE] },
  'profile list': { args: ['profile', 'list'], keys: ['home', 'profiles'] },
  status: {
    args: ['status'],
    keys: ['codex', 'provider', 'model', 'key', 'profile', 'pin', 'problems', 'note'],
  },
};

/**
 * Commands without --json yet, each with why: a list to burn down (the test fails when one of
 * them gains a --json option and is still listed here).
 */
const WITHOUT_JSON: Record<string, string> = {
  'key print': 'prints the key itself for a pipe (pbcopy): JSON would only wrap it',
  run: "runs codex: its output is codex's own",
  completion: 'prints a shell script to source',
};

/** Commands that read no Codex config (the rc block, or nothing): a missing CODEX_HOME is no failure. */
const NEEDS_NO_HOME = ['truefoundry routing-rule', 'env list', 'env print', 'env remove'];

describe('--json on every command', () => {
  it('has a case for every command of the registry (or says why it has no --json yet)', async () => {
    expect([...Object.keys(CASES), ...Object.keys(WITHOUT_JSON)].sort()).toEqual(
      Object.keys(COMMANDS).sort(),
    );
    for (const name of Object.keys(WITHOUT_JSON)) {
      const module = await COMMANDS[name]!();
      expect(Object.keys(module.spec.options), `${name} has --json now: give it a case`).not.toContain(
        'json',
      );
    }
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name} --json prints one JSON document of its shape`, async () => {
      const r = await runMain(w, [...c.args, '--json'], { env, stdin: c.stdin });
      expect([0, 1], `${name}: ${r.err}`).toContain(r.code);
      const doc = JSON.parse(r.out) as Json;
      expect(doc).not.toBeNull();
      for (const key of c.keys) expect(Object.keys(doc), `${name}: ${key}`).toContain(key);
      expect(r.out).not.toContain(KEY);
      expect(r.out).not.toContain('\u001b[');
    });
  }

  for (const [name, c] of Object.entries(CASES)) {
    it(`${name} --json fails with one JSON error object (CODEX_HOME missing)`, async () => {
      const broken = { ...env, CODEX_HOME: path.join(w.root, 'no-such-codex-home') };
      const r = await runMain(w, [...c.args, '--json'], { env: broken, stdin: c.stdin });
      const doc = JSON.parse(r.out) as Json;
      expect(r.out).not.toContain(KEY);
      if (NEEDS_NO_HOME.includes(name)) {
        expect(r.code, `${name}: ${r.out}`).toBe(0); // they read no Codex config: still a success document
      } else if (name === 'doctor') {
        // doctor reports a missing CODEX_HOME as a check, in its own document.
        expect(r.code).toBe(1);
        expect(doc.checks).toContainEqual(expect.objectContaining({ id: 'config.home', status: 'error' }));
      } else {
        expect(r.code, `${name}: ${r.out}`).not.toBe(0);
        expect(doc.error, `${name}: ${r.out}`).toMatchObject({
          code: expect.any(String),
          message: expect.any(String),
        });
      }
    });
  }

  it('write commands report a dry run and what they wrote in the same shape', async () => {
    const dry = JSON.parse(
      (await runMain(w, ['config', 'set', 'model', 'x-1', '--dry-run', '--json'], { env })).out,
    );
    expect(dry.write).toMatchObject({ dryRun: true, files: [{ changed: true, backup: null }] });
    expect(dry.write.diff).toContain('+model = "x-1"');
    const real = JSON.parse((await runMain(w, ['config', 'set', 'model', 'x-1', '--json'], { env })).out);
    expect(real.write.dryRun).toBe(false);
    expect(real.write.files[0].backup).toMatch(/config\.toml/);
  });
});
