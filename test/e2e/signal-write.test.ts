import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/io/lock.ts';
import { bundleChild } from '../helpers/io-child-build.ts';
import { BIN, NODE, runCli } from '../helpers/run-cli.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

/**
 * SIGINT, SIGTERM and SIGKILL at every step of a two-file write (config.toml + the rc file), by
 * fault injection (CommitHooks.step), not timing luck: afterwards both files are old or both new,
 * or the next run completes the change; never config.toml switched to a provider whose key
 * never reached the rc file.
 */

const KEY = 'sk-signal-test-0123456789-wxyz';
const OLD_CONFIG = 'model = "o3"\n';
const OLD_RC = '# my bashrc\n';

let child: string;
beforeAll(async () => {
  child = await bundleChild('cli-child.ts');
}, 60_000);

function world(): { w: TempWorld; config: string; rc: string } {
  const w = makeWorld();
  w.env.SHELL = '/bin/bash';
  w.env.CODEX_HOME = w.codexHome;
  const config = w.write(path.join(w.codexHome, 'config.toml'), OLD_CONFIG);
  const rc = w.write(path.join(w.home, '.bashrc'), OLD_RC);
  return { w, config, rc };
}

const COMMANDS: Record<string, string[]> = {
  'provider add --key-stdin': ['provider', 'add', 'portkey', '--use', '--key-stdin'],
  // A gateway on 127.0.0.1 that refuses at once: init checks the key, and no test leaves the host.
  'init --yes': [
    'init',
    '--yes',
    '--gateway',
    'portkey',
    '--base-url',
    'http://127.0.0.1:9/v1',
    '--key-stdin',
    '--model',
    'gpt-5',
  ],
};

async function runChild(w: TempWorld, spec: string, args: string[]) {
  return execa(process.execPath, [child, spec, ...args], {
    cwd: w.work,
    env: { NO_COLOR: '1', ...w.env },
    extendEnv: false,
    input: `${KEY}\n`,
    reject: false,
    timeout: 20_000,
  });
}

/** 'old', 'new', or 'mixed' for the pair of files. */
function state(config: string, rc: string): 'old' | 'new' | 'mixed' {
  const c = readFileSync(config, 'utf8');
  const r = readFileSync(rc, 'utf8');
  const configNew = c !== OLD_CONFIG;
  const rcNew = r !== OLD_RC;
  // Even mixed, never config.toml switched to a provider whose key is not in the rc file yet.
  if (configNew) expect(rcNew).toBe(true);
  if (configNew && rcNew) {
    expect(c).toContain('model_provider = "portkey"');
    expect(r).toContain(`export PORTKEY_API_KEY='${KEY}'`);
    return 'new';
  }
  return !configNew && !rcNew ? 'old' : 'mixed';
}

function journals(w: TempWorld): string[] {
  return readdirSync(w.codexHome).filter((n) => n.startsWith('.codexgw-journal-'));
}

describe('a two-file write under signals', () => {
  for (const [name, args] of Object.entries(COMMANDS)) {
    it(`${name}: every step × SIGINT/SIGTERM/SIGKILL leaves both files old or both new`, async () => {
      const probe = world();
      const listed = await runChild(probe.w, 'list:-', args);
      expect(listed.exitCode).toBe(0);
      const steps = [...String(listed.stderr).matchAll(/^STEP (.+)$/gm)].map((m) => m[1]!);
      // The write path really has the steps this test kills at: two files, a journal between.
      expect(steps).toEqual(
        expect.arrayContaining(['locked', 'temp:0', 'temp:1', 'journal', 'rename:0', 'rename:1', 'renamed']),
      );
      expect(state(probe.config, probe.rc)).toBe('new');

      const outcomes = new Map<string, number>();
      for (const step of steps) {
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
          const { w, config, rc } = world();
          const r = await runChild(w, `${step}:${signal}`, args);
          const after = state(config, rc);
          const label = `${step}:${signal}`;
          if (signal !== 'SIGKILL') {
            // Held until the renames are done: the run completes, journal removed.
            expect([label, r.exitCode, after, journals(w)]).toEqual([label, 0, 'new', []]);
          } else {
            expect([label, r.signal]).toEqual([label, 'SIGKILL']);
            // Mixed only when killed after the journal was committed; the next run finishes it.
            if (after === 'mixed') expect([label, journals(w).length]).toEqual([label, 1]);
            const next = await runCli(['provider', 'list'], { cwd: w.work, env: w.env });
            expect(next.exitCode).toBe(0);
            const settled = state(config, rc);
            expect([label, settled === 'mixed', journals(w)]).toEqual([label, false, []]);
            outcomes.set(`${after}→${settled}`, (outcomes.get(`${after}→${settled}`) ?? 0) + 1);
          }
        }
      }
      // Every kind of kill occurs: before the journal (stays old), between the renames (mixed,
      // finished by the next run), after them (new).
      expect(outcomes.get('old→old')).toBeGreaterThan(0);
      expect(outcomes.get('mixed→new')).toBeGreaterThan(0);
      expect(outcomes.get('new→new')).toBeGreaterThan(0);
    }, 240_000);
  }

  it("Ctrl-C while waiting for another run's lock: exit 130, nothing written, no lock left", async () => {
    const { w, config, rc } = world();
    const held = await acquireLock(config); // a live run holds config.toml
    try {
      const run = execa(NODE, [BIN, ...COMMANDS['provider add --key-stdin']!], {
        cwd: w.work,
        env: { NO_COLOR: '1', ...w.env },
        extendEnv: false,
        input: `${KEY}\n`,
        reject: false,
      });
      // It takes the .bashrc lock (sorted first), then waits for config.toml's.
      const bashrcLock = `${rc}.codexgw.lock`;
      for (let i = 0; i < 200 && !existsSync(bashrcLock); i++) await new Promise((r) => setTimeout(r, 25));
      expect(existsSync(bashrcLock)).toBe(true);
      const t0 = Date.now();
      run.kill('SIGINT');
      const r = await run;
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(r.exitCode).toBe(130);
      expect(r.stderr).toContain('Cancelled. Nothing was written.');
      expect(state(config, rc)).toBe('old');
      expect(existsSync(bashrcLock)).toBe(false);
      expect(readdirSync(w.codexHome).sort()).toEqual(['config.toml', 'config.toml.codexgw.lock']);
    } finally {
      held.release();
    }
  });

  it('a committed journal is finished by the next read-only run, not only by the next write', async () => {
    const { w, config, rc } = world();
    // The rc file (plan 1) is renamed first, config.toml last: killed in between.
    const r = await runChild(w, 'rename:1:SIGKILL', COMMANDS['provider add --key-stdin']!);
    expect(r.signal).toBe('SIGKILL');
    expect(state(config, rc)).toBe('mixed');
    expect(journals(w)).toHaveLength(1);
    const show = await runCli(['config', 'get', 'model_provider'], { cwd: w.work, env: w.env });
    expect(show.stdout).toBe('portkey\n');
    expect(state(config, rc)).toBe('new');
    expect(journals(w)).toEqual([]);
  });

  it('a run killed before the journal leaves no journal and the next write cleans its temp files', async () => {
    const { w, config, rc } = world();
    const r = await runChild(w, 'temp:1:SIGKILL', COMMANDS['provider add --key-stdin']!);
    expect(r.signal).toBe('SIGKILL');
    expect(state(config, rc)).toBe('old');
    expect(journals(w)).toEqual([]);
    const temps = () =>
      [...readdirSync(w.codexHome), ...readdirSync(w.home)].filter((n) => n.includes('.codexgw-'));
    expect(temps().length).toBeGreaterThan(0);
    const again = await runCli(COMMANDS['provider add --key-stdin']!, {
      cwd: w.work,
      env: w.env,
      input: `${KEY}\n`,
    });
    expect(again.exitCode).toBe(0);
    expect(state(config, rc)).toBe('new');
    expect(temps()).toEqual([]);
    expect(existsSync(path.join(w.codexHome, 'config.toml.codexgw.lock'))).toBe(false);
  });
});
