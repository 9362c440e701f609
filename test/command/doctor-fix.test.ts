import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_CONFIG_HEADER } from '../../src/app/write-config.ts';
import type { Check } from '../../src/checks/doctor/types.ts';
import { codexExec, codexStrictCheck } from '../helpers/codex.ts';
import { byId, doctor, one } from '../helpers/doctor.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const KEY = 'sk-fake-0123456789abcdef';

const gateways: FakeGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

/** A user config from the days of legacy profiles, with comments a person wrote. */
const legacyConfig = (baseUrl: string) => `# Codex config
model = "base-model"
model_provider = "fake"
profile = "work"

[model_providers.fake]
name = "Fake"
base_url = "${baseUrl}"
env_key = "FAKE_KEY"

# work: the big model, thinking hard
[profiles.work]
model = "work-model"
model_reasoning_effort = "high"

[profiles.work.features]
shell_snapshot = true

[profiles.quick]
model = "quick-model"
`;

/** What must remain of it: the selector and both tables gone, everything else byte for byte. */
const migratedConfig = (baseUrl: string) => `# Codex config
model = "base-model"
model_provider = "fake"

[model_providers.fake]
name = "Fake"
base_url = "${baseUrl}"
env_key = "FAKE_KEY"
`;

async function fixture(): Promise<{ w: TempWorld; gw: FakeGateway; config: string }> {
  const gw = await startFakeGateway();
  gateways.push(gw);
  const w = makeWorld();
  const config = w.write(path.join(w.codexHome, 'config.toml'), legacyConfig(gw.baseUrl));
  return { w, gw, config };
}

const checksOf = (out: string) => (JSON.parse(out) as { checks: Check[] }).checks;

describe('doctor --fix: legacy profiles into profile files', () => {
  it('moves [profiles.*] into $CODEX_HOME/<name>.config.toml and removes them and the selector surgically', async () => {
    const { w, gw, config } = await fixture();
    const before = checksOf((await doctor(w, ['--json'], { env: { FAKE_KEY: KEY } })).out);
    expect(one(before, 'config.legacy-profile').status).toBe('error');
    expect(byId(before, 'config.legacy-profiles-table')).toHaveLength(2);

    const r = await doctor(w, ['--fix', '--yes', '--json'], { env: { FAKE_KEY: KEY } });
    expect(r.code, r.out).toBe(0);
    const checks = checksOf(r.out);
    const fixes = byId(checks, 'config.fix');
    expect(fixes.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
    expect(fixes[0]!.message).toContain(
      `Moved 3 keys of [profiles.work] into ${w.codexHome}/work.config.toml (new file)`,
    );
    expect(fixes[1]!.message).toContain(
      `Moved 1 key of [profiles.quick] into ${w.codexHome}/quick.config.toml`,
    );
    expect(fixes[2]!.message).toContain('Removed `profile = "work"` from config.toml');
    expect(byId(checks, 'config.legacy-profile')).toEqual([]);
    expect(byId(checks, 'config.legacy-profiles-table')).toEqual([]);

    expect(readFileSync(config, 'utf8')).toBe(migratedConfig(gw.baseUrl));
    // The table moves as text: the comment above its header comes along, its sub-table is renamed.
    expect(readFileSync(path.join(w.codexHome, 'work.config.toml'), 'utf8')).toBe(
      `${NEW_CONFIG_HEADER}# work: the big model, thinking hard\nmodel = "work-model"\nmodel_reasoning_effort = "high"\n\n[features]\nshell_snapshot = true\n`,
    );
    expect(readFileSync(path.join(w.codexHome, 'quick.config.toml'), 'utf8')).toBe(
      `${NEW_CONFIG_HEADER}model = "quick-model"\n`,
    );
    // The previous config.toml is kept for `codexgw restore`.
    const backups = readdirSync(path.join(w.codexHome, 'backups')).filter((f) => !f.endsWith('.json'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(w.codexHome, 'backups', backups[0]!), 'utf8')).toBe(
      legacyConfig(gw.baseUrl),
    );

    // Run again: nothing left to do.
    const again = checksOf((await doctor(w, ['--fix', '--yes', '--json'], { env: { FAKE_KEY: KEY } })).out);
    expect(one(again, 'config.fix').status).toBe('skipped');
  });

  it('moves integers and floats too, and counts an integer already in the profile file as there', async () => {
    const w = makeWorld();
    const config = w.write(
      path.join(w.codexHome, 'config.toml'),
      'model = "base"\n\n[profiles.big]\nmodel = "o3"\nmodel_context_window = 200000\nmodel_post_turn_compact_threshold_percent = 0.8\nproject_doc_max_bytes = 65536\n',
    );
    w.write(path.join(w.codexHome, 'big.config.toml'), 'project_doc_max_bytes = 65536\n');
    const r = await doctor(w, ['--fix', '--yes', '--json']);
    const fixes = byId(checksOf(r.out), 'config.fix');
    expect(fixes.map((c) => c.status)).toEqual(['ok']);
    expect(fixes[0]!.message).toContain('Moved 3 keys of [profiles.big]');
    expect(readFileSync(path.join(w.codexHome, 'big.config.toml'), 'utf8')).toBe(
      'project_doc_max_bytes = 65536\nmodel = "o3"\nmodel_context_window = 200000\nmodel_post_turn_compact_threshold_percent = 0.8\n',
    );
    expect(readFileSync(config, 'utf8')).toBe('model = "base"\n');
  });

  it('after the fix the real Codex accepts the config, and `codex --profile work` uses the migrated values', async () => {
    const { w, gw } = await fixture();
    const codex = { codexHome: w.codexHome, cwd: w.work, env: { FAKE_KEY: KEY } };

    // Before: Codex refuses the legacy selector, and `--profile work` with it.
    const refused = await codexStrictCheck(codex);
    expect(refused.ok).toBe(false);
    expect(refused.error?.detail ?? refused.error?.message).toContain('legacy `profile = "work"`');
    const blocked = await codexExec({ ...codex, profile: 'work', prompt: 'hi' });
    expect(blocked.exitCode).toBe(1);

    expect((await doctor(w, ['--fix', '--yes'], { env: { FAKE_KEY: KEY } })).code).toBe(0);

    const accepted = await codexStrictCheck(codex);
    expect(accepted.ok, JSON.stringify(accepted.error)).toBe(true);
    const work = await codexExec({ ...codex, profile: 'work', prompt: 'say hi' });
    expect(work.exitCode, work.stderr).toBe(0);
    expect(work.stdout).toContain('hi from fake gateway');
    const quick = await codexExec({ ...codex, profile: 'quick', prompt: 'say hi' });
    expect(quick.exitCode, quick.stderr).toBe(0);
    const plain = await codexExec({ ...codex, prompt: 'say hi' });
    expect(plain.exitCode, plain.stderr).toBe(0);
    const posts = gw.requests.filter((q) => q.method === 'POST' && q.path === '/v1/responses');
    const bodies = posts.map((q) => q.body as { model: string; reasoning?: { effort?: string } });
    expect(bodies.map((b) => b.model)).toEqual(['work-model', 'quick-model', 'base-model']);
    expect(bodies[0]!.reasoning?.effort).toBe('high');
    expect(bodies[2]!.reasoning?.effort).toBeUndefined();
  });

  it('never overwrites what a profile file already sets: the conflict stays in config.toml and is reported', async () => {
    const { w, gw, config } = await fixture();
    const work = w.write(path.join(w.codexHome, 'work.config.toml'), '# mine\nmodel = "my-model"\n');
    const r = await doctor(w, ['--fix', '--yes', '--json'], { env: { FAKE_KEY: KEY } });
    expect(r.code).toBe(1);
    const checks = checksOf(r.out);
    const conflict = one(checks, 'config.legacy-profile-conflict');
    expect(conflict).toMatchObject({ status: 'error', file: config });
    expect(conflict.message).toContain('`[profiles.work] model`');
    expect(one(checks, 'config.legacy-profiles-table').status).toBe('error');
    expect(byId(checks, 'config.fix').every((c) => c.status === 'ok')).toBe(true);

    expect(readFileSync(work, 'utf8')).toBe(
      '# mine\nmodel = "my-model"\nmodel_reasoning_effort = "high"\n\n[features]\nshell_snapshot = true\n',
    );
    const left = readFileSync(config, 'utf8');
    expect(left).toContain('[profiles.work]\nmodel = "work-model"\n');
    expect(left).not.toContain('model_reasoning_effort');
    expect(left).not.toContain('[profiles.work.features]');
    expect(left).not.toContain('[profiles.quick]');
    expect(left).not.toContain('profile = "work"');
    expect(existsSync(path.join(w.codexHome, 'quick.config.toml'))).toBe(true);
    expect(gw.requests).toEqual([]);
  });

  it('leaves a table whose profile file cannot be read, migrating the rest', async () => {
    const { w, config } = await fixture();
    w.write(path.join(w.codexHome, 'quick.config.toml'), 'model = "broken\n');
    const r = await doctor(w, ['--fix', '--yes', '--json'], { env: { FAKE_KEY: KEY } });
    const checks = checksOf(r.out);
    expect(one(checks, 'config.toml-syntax').status).toBe('error');
    const quick = byId(checks, 'config.legacy-profiles-table');
    expect(quick).toHaveLength(1);
    expect(quick[0]!.fix).toContain('Move its keys by hand');
    // work was movable and was moved; quick stays until its file parses.
    expect(readFileSync(config, 'utf8')).toContain('[profiles.quick]');
    expect(readFileSync(config, 'utf8')).not.toContain('[profiles.work]');
  });
});
