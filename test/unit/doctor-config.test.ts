import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configChecks } from '../../src/checks/doctor/config.ts';
import { runDoctorChecks } from '../../src/checks/doctor/index.ts';
import { byId, doctorInput, one, PORTKEY } from '../helpers/doctor.ts';
import { makeWorld } from '../helpers/setup-home.ts';

describe('config.home', () => {
  it('is ok with the default home, and says so', () => {
    const w = makeWorld();
    const c = one(configChecks(doctorInput(w)), 'config.home');
    expect(c).toMatchObject({ status: 'ok', fix: null });
    expect(c.message).toContain(`${w.codexHome} (the default, ~/.codex)`);
  });

  it('is ok with CODEX_HOME, naming it', () => {
    const w = makeWorld();
    const c = one(configChecks(doctorInput(w, { env: { CODEX_HOME: w.codexHome } })), 'config.home');
    expect(c.message).toContain('(from $CODEX_HOME)');
  });

  it('is an error when CODEX_HOME does not exist; the other groups are skipped', () => {
    const w = makeWorld();
    const missing = path.join(w.root, 'nope');
    const checks = runDoctorChecks(doctorInput(w, { env: { CODEX_HOME: missing } }));
    expect(one(checks, 'config.home')).toMatchObject({ status: 'error', file: missing });
    expect(one(checks, 'config.home').fix).toContain('mkdir -p');
    for (const id of ['provider.active', 'env.key-set', 'model.set'])
      expect(one(checks, id).status).toBe('skipped');
  });
});

describe('config.files and the validate findings', () => {
  it('is ok when every file loads and matches the schema', () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    const c = one(configChecks(doctorInput(w)), 'config.files');
    expect(c.status).toBe('ok');
    expect(c.message).toContain(file);
  });

  it('warns when there is no config file at all, pointing at init', () => {
    const w = makeWorld();
    const c = one(configChecks(doctorInput(w)), 'config.files');
    expect(c.status).toBe('warning');
    expect(c.fix).toContain('codexgw init');
  });

  it('turns validate findings into checks with file, line and fix (error and warning)', () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      `temperature = 0.2\n${PORTKEY}\n[model_providers.old]\nname = "Old"\nwire_api = "chat"\n`,
    );
    const checks = configChecks(doctorInput(w));
    expect(one(checks, 'config.ignored-key')).toMatchObject({ status: 'warning', file, line: 1 });
    expect(one(checks, 'config.ignored-key').fix).toContain('remove it');
    // A provider that is not the active one: its wire_api stays a config finding.
    expect(one(checks, 'config.wire-api-chat')).toMatchObject({ status: 'error', file, line: 14 });
    expect(byId(checks, 'config.files')).toEqual([]);
  });

  it('leaves the active provider and its wire_api to the provider group', () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY.replace('"responses"', '"chat"'));
    const checks = runDoctorChecks(doctorInput(w));
    expect(byId(checks, 'config.wire-api-chat')).toEqual([]);
    expect(one(checks, 'provider.wire-api').status).toBe('error');
    w.write(path.join(w.codexHome, 'config.toml'), 'model_provider = "nope"\n');
    const again = runDoctorChecks(doctorInput(w));
    expect(byId(again, 'config.unknown-model-provider')).toEqual([]);
    expect(one(again, 'provider.active').status).toBe('error');
  });

  it('checks profile files that are not selected, as validate does', () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    const prof = w.write(
      path.join(w.codexHome, 'work.config.toml'),
      'model = "gpt-5"\nmax_output_tokens = 5\n',
    );
    expect(one(configChecks(doctorInput(w)), 'config.ignored-key')).toMatchObject({ file: prof, line: 2 });
  });

  it('reports an unparsable file with its position', () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), 'model = "gpt-5\n');
    const c = one(configChecks(doctorInput(w)), 'config.toml-syntax');
    expect(c).toMatchObject({ status: 'error', file, line: 1 });
  });
});

describe('project layers', () => {
  function project(trusted: boolean) {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    w.write(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const file = w.write(
      path.join(repo, '.codex', 'config.toml'),
      'model = "proj-model"\nmodel_provider = "portkey"\n',
    );
    w.write(
      path.join(w.codexHome, 'config.toml'),
      trusted ? `${PORTKEY}\n[projects."${repo}"]\ntrust_level = "trusted"\n` : PORTKEY,
    );
    return { w, repo, file };
  }

  it('an untrusted project is a warning that says how to trust it', () => {
    const { w, repo, file } = project(false);
    const c = one(configChecks(doctorInput(w, { cwd: repo })), 'config.project-untrusted');
    expect(c).toMatchObject({ status: 'warning', file });
    expect(c.fix).toContain(`[projects."${repo}"] trust_level = "trusted"`);
    expect(c.fix).toContain('codex exec --trust');
  });

  it('keys Codex strips from project files are warnings, trusted or not', () => {
    for (const trusted of [true, false]) {
      const { w, repo, file } = project(trusted);
      const checks = configChecks(doctorInput(w, { cwd: repo }));
      const c = one(checks, 'config.project-ignored-key');
      expect(c).toMatchObject({ status: 'warning', file, line: 2 });
      expect(c.message).toContain('model_provider');
      expect(c.fix).toContain('user config or a profile file');
      expect(byId(checks, 'config.project-untrusted')).toHaveLength(trusted ? 0 : 1);
    }
  });
});

describe('provider tables in project files', () => {
  it('are checked anyway, as warnings: moved to the user config they would break Codex', () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.work, '.codex', 'config.toml'),
      '[model_providers.portkey]\nname = "Portkey"\nbase_url = "https://api.portkey.ai/v1"\nwire_api = "chat"\n',
    );
    const checks = configChecks(doctorInput(w));
    const c = one(checks, 'config.wire-api-chat');
    expect(c).toMatchObject({ status: 'warning', file, line: 4 });
    expect(c.message).toContain('in a project file, where Codex ignores it');
    expect(c.fix).toContain('wire_api = "responses"');
    expect(byId(checks, 'config.files')).toEqual([]);
  });
});

describe('config.profile', () => {
  it('is ok when the --profile file exists', () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'work.config.toml'), 'model = "gpt-5"\n');
    expect(one(configChecks(doctorInput(w, { profile: 'work' })), 'config.profile')).toMatchObject({
      status: 'ok',
      file,
    });
  });

  it('warns when the --profile file does not exist (Codex silently runs without it)', () => {
    const w = makeWorld();
    const c = one(configChecks(doctorInput(w, { profile: 'work' })), 'config.profile');
    expect(c.status).toBe('warning');
    expect(c.message).toContain('does not exist');
  });

  it('is absent without --profile', () => {
    expect(byId(configChecks(doctorInput(makeWorld())), 'config.profile')).toEqual([]);
  });
});

describe('legacy profiles', () => {
  it('the selector is an error, the table a warning whose fix is doctor --fix', () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      `${PORTKEY.replace('model = "gpt-5"\n', 'model = "gpt-5"\nprofile = "work"\n')}\n[profiles.work]\nmodel = "o3"\n`,
    );
    const checks = configChecks(doctorInput(w));
    expect(one(checks, 'config.legacy-profile')).toMatchObject({ status: 'error', file, line: 2 });
    expect(one(checks, 'config.legacy-profile').fix).toContain('codexgw doctor --fix');
    const table = one(checks, 'config.legacy-profiles-table');
    expect(table).toMatchObject({ status: 'warning', file, line: 12 });
    expect(table.fix).toContain(
      `codexgw doctor --fix\`: it moves the table into ${w.codexHome}/work.config.toml`,
    );
  });

  it('the table is an error when the profile is in use: codex --profile fails', () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), `${PORTKEY}\n[profiles.work]\nmodel = "o3"\n`);
    w.write(path.join(w.codexHome, 'work.config.toml'), 'model = "o3"\n');
    const c = one(configChecks(doctorInput(w)), 'config.legacy-profiles-table');
    expect(c.status).toBe('error');
    expect(c.message).toContain('`codex --profile work` fails');
  });

  it('a key the profile file sets differently is a conflict check, never overwritten', () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      `${PORTKEY}\n[profiles.work]\nmodel = "o3"\nmodel_reasoning_effort = "high"\n`,
    );
    const target = w.write(path.join(w.codexHome, 'work.config.toml'), 'model = "gpt-5-mini"\n');
    const checks = configChecks(doctorInput(w));
    const c = one(checks, 'config.legacy-profile-conflict');
    expect(c).toMatchObject({ status: 'error', file, line: 12 });
    expect(c.message).toContain(`\`[profiles.work] model\` in config.toml and ${target}`);
    expect(c.fix).toContain(`delete \`model\` from [profiles.work] at ${file}:12`);
    expect(one(checks, 'config.legacy-profiles-table').fix).toContain('Settle the conflicting keys');
  });

  it('a name codex --profile cannot take is left for the user', () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), `${PORTKEY}\n[profiles."a.b"]\nmodel = "o3"\n`);
    const c = one(configChecks(doctorInput(w)), 'config.legacy-profiles-table');
    expect(c.fix).toContain('Move its keys by hand');
    expect(c.fix).toContain('not a name `codex --profile` accepts');
  });
});

describe('config.fix', () => {
  const base = { selectorRemoved: undefined, configFile: '/h/config.toml', backups: [], error: undefined };

  it('is ok for each migrated table and the removed selector, with the backup', () => {
    const w = makeWorld();
    const checks = configChecks(
      doctorInput(w, {
        fixed: {
          ...base,
          selectorRemoved: 'work',
          backups: ['20260102T030405Z-config.toml'],
          moved: [{ name: 'work', target: '/h/work.config.toml', keys: 2, alreadyThere: 1, created: true }],
        },
      }),
    );
    const fixes = byId(checks, 'config.fix');
    expect(fixes.map((c) => c.status)).toEqual(['ok', 'ok']);
    expect(fixes[0]!.message).toContain(
      'Moved 2 keys of [profiles.work] into /h/work.config.toml (new file) (1 more already there)',
    );
    expect(fixes[0]!.message).toContain('codexgw restore');
    expect(fixes[1]!.message).toContain('Removed `profile = "work"`');
  });

  it('is skipped when there was nothing to migrate', () => {
    const checks = configChecks(doctorInput(makeWorld(), { fixed: { ...base, moved: [] } }));
    expect(one(checks, 'config.fix').status).toBe('skipped');
  });

  it('is an error when the write failed (nothing was changed)', () => {
    const checks = configChecks(
      doctorInput(makeWorld(), {
        fixed: { ...base, moved: [], error: { message: 'x changed meanwhile.', hint: 'Run it again.' } },
      }),
    );
    expect(one(checks, 'config.fix')).toMatchObject({ status: 'error', fix: 'Run it again.' });
  });
});
