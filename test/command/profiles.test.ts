import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';
import { makeWorld } from '../helpers/setup-home.ts';

describe('profiles everywhere', () => {
  it('after init --profile team: provider list, config show and doctor mention team; profile list lists it', async () => {
    const w = makeWorld();
    const env = { ...w.env, SHELL: '/bin/bash', PORTKEY_API_KEY: 'pk-0123456789abcdef' };
    const init = await runMain(
      w,
      ['init', '--yes', '--gateway', 'portkey', '--profile', 'team', '--model', 'gpt-5.5'],
      { env },
    );
    expect(init.code, init.err).toBe(0);

    const list = await runMain(w, ['provider', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.err).toContain('profile team does');
    expect(list.err).toContain('`codexgw provider list -p team`');
    expect(list.err).toContain('codex --profile team');
    const show = await runMain(w, ['config', 'show'], { env });
    expect(show.err).toContain('`codexgw config show -p team`');
    const doctor = JSON.parse((await runMain(w, ['doctor', '--json'], { env })).out);
    const active = doctor.checks.find((c: { id: string }) => c.id === 'provider.active');
    expect(active.fix).toContain('`codexgw doctor -p team`');
    // With -p the note has nothing to add.
    expect((await runMain(w, ['provider', 'list', '-p', 'team'], { env })).err).not.toContain('note:');

    const profiles = await runMain(w, ['profile', 'list'], { env });
    expect(profiles.out).toContain('team');
    expect(profiles.out).toContain('provider: portkey');
    expect(profiles.out).toContain('model: gpt-5.5');
    expect(profiles.out).toContain('run: codex --profile team');
    const json = JSON.parse((await runMain(w, ['profile', 'list', '--json'], { env })).out);
    expect(json).toEqual({
      home: w.codexHome,
      profiles: [
        {
          name: 'team',
          file: path.join(w.codexHome, 'team.config.toml'),
          provider: 'portkey',
          model: 'gpt-5.5',
          defines: ['portkey'],
          error: null,
          command: 'codex --profile team',
        },
      ],
    });
  });

  it('doctor -p work: every suggested codexgw command carries -p work', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'work.config.toml'), 'model_provider = "gw"\n');
    const r = JSON.parse(
      (await runMain(w, ['doctor', '-p', 'work', '--json'], { env: { ...w.env, SHELL: '/bin/bash' } })).out,
    );
    const commands = (r.checks as { fix: string | null }[]).flatMap((c) =>
      [...(c.fix ?? '').matchAll(/`(codexgw (?:use|provider add|model set)[^`]*)`/g)].map((m) => m[1]!),
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const cmd of commands) expect(cmd).toMatch(/ -p work|--profile work/);
  });
});
