import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_CONFIG_HEADER } from '../../src/app/write-config.ts';
import { type DoctorCheck, run as doctorRun } from '../../src/commands/doctor.ts';
import { EXIT } from '../../src/errors.ts';
import { CODEX_VERSIONS, codexExec, codexPathDir, codexStrictCheck } from '../helpers/codex.ts';
import { byId, doctor } from '../helpers/doctor.ts';
import { fakeAsk } from '../helpers/fake-ask.ts';
import { type FakeGateway, startFakeGateway } from '../helpers/fake-gateway.ts';
import { makeGitRepo, makeWorld } from '../helpers/setup-home.ts';
import { captureContext } from '../helpers/tmp.ts';

const KEY = 'pk-fake-0123456789abcdef';
/** PATH with the pinned Codex (codexgw skips its own node_modules/.bin when it looks for codex). */
const WITH_CODEX = `${codexPathDir('0.169.0')}${path.delimiter}${process.env.PATH}`;

const gateways: FakeGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

/** A user config pieced together from Portkey's Codex guide, as a person would, with comments. */
const guideConfig = (baseUrl: string) => `# Codex + Portkey, from Portkey's guide
model_provider = "portkey"
model = "gpt-5.5"

model_reasoning_effort = "high"
model_reasoning_summary = "concise"
personality = "pragmatic"
# Sampling, as the guide shows it
temperature = 0.1
max_output_tokens = 8192 # upper bound
parallel_tool_calls = true
tool_choice = "auto"

[model_providers.portkey]
name = "Portkey"
base_url = "${baseUrl}"
env_key = "PORTKEY_API_KEY"
wire_api = "chat" # the guide's default
# request_max_retries = 4

# reviews: think harder
[profiles.review]
# the big one
model = "gpt-5.6-sol"
model_reasoning_effort = "high" # slow but careful
temperature = 0.0
`;

const commentsOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.slice(l.indexOf('#')))
    .filter((l) => l.startsWith('#'));

type Doc = { checks: DoctorCheck[]; fix?: { actions: { kind: string }[]; diff: string; written: boolean } };
const parse = (out: string) => JSON.parse(out) as Doc;

describe('doctor --fix: every fix with one safe form', () => {
  it("Portkey's guide end to end: one diff, written with --yes, Codex accepts it, every comment kept", async () => {
    const gw = await startFakeGateway();
    gateways.push(gw);
    const w = makeWorld();
    const env = { PORTKEY_API_KEY: KEY };
    const original = guideConfig(gw.baseUrl);
    const config = w.write(path.join(w.codexHome, 'config.toml'), original);
    const codex = { codexHome: w.codexHome, cwd: w.work, env };
    expect((await codexStrictCheck(codex)).ok).toBe(false);

    const before = parse((await doctor(w, ['--json'], { env })).out);
    const fixable = before.checks.filter((c) => c.autofix).map((c) => c.id);
    expect(fixable).toEqual(
      expect.arrayContaining(['config.ignored-key', 'config.legacy-profiles-table', 'provider.wire-api']),
    );
    expect(byId(before.checks, 'config.ignored-key').every((c) => c.autofix)).toBe(true);

    // --dry-run shows the diff of both files and writes nothing.
    const dry = await doctor(w, ['--fix', '--dry-run'], { env });
    expect(dry.out).toContain(`--- ${config}`);
    expect(dry.out).toContain(`+++ ${path.join(w.codexHome, 'review.config.toml')}`);
    expect(dry.out).toContain('-wire_api = "chat" # the guide\'s default');
    expect(dry.out).toContain('+wire_api = "responses" # the guide\'s default');
    expect(dry.err).toContain('Dry run: nothing was written.');
    expect(readFileSync(config, 'utf8')).toBe(original);

    const r = await doctor(w, ['--fix', '--yes', '--json'], { env });
    const after = parse(r.out);
    expect(after.fix?.written).toBe(true);
    expect(after.fix?.actions.map((a) => a.kind).sort()).toEqual([
      'ignored-key',
      'ignored-key',
      'ignored-key',
      'ignored-key',
      'ignored-key', // temperature inside the moved profile
      'legacy-profile',
      'wire-api',
    ]);
    for (const id of [
      'config.ignored-key',
      'config.wire-api-chat',
      'config.legacy-profiles-table',
      'config.legacy-profile',
    ]) {
      expect(byId(after.checks, id), id).toEqual([]);
    }
    expect(after.checks.find((c) => c.id === 'provider.wire-api')?.status).toBe('ok');
    expect(r.code, r.out).toBe(0);

    const text = readFileSync(config, 'utf8');
    const profile = readFileSync(path.join(w.codexHome, 'review.config.toml'), 'utf8');
    expect(text).toBe(`# Codex + Portkey, from Portkey's guide
model_provider = "portkey"
model = "gpt-5.5"

model_reasoning_effort = "high"
model_reasoning_summary = "concise"
personality = "pragmatic"
# Sampling, as the guide shows it

[model_providers.portkey]
name = "Portkey"
base_url = "${gw.baseUrl}"
env_key = "PORTKEY_API_KEY"
wire_api = "responses" # the guide's default
# request_max_retries = 4
`);
    expect(profile).toBe(
      `${NEW_CONFIG_HEADER}# reviews: think harder\n# the big one\nmodel = "gpt-5.6-sol"\nmodel_reasoning_effort = "high" # slow but careful\n`,
    );
    // Every comment of the original is in one of the two files, but the one on a removed key's line.
    const now = [...commentsOf(text), ...commentsOf(profile)];
    const kept = commentsOf(original).filter((c) => c !== '# upper bound');
    expect(kept).toHaveLength(7);
    for (const c of kept) expect(now).toContain(c);

    // Every shipped Codex accepts the result under --strict-config; 0.169.0 runs the migrated profile.
    for (const version of CODEX_VERSIONS) {
      const strict = await codexStrictCheck({ ...codex, version });
      expect([version, strict.ok], JSON.stringify(strict.error)).toEqual([version, true]);
    }
    const run = await codexExec({ ...codex, profile: 'review', prompt: 'say hi' });
    expect(run.exitCode, run.stderr).toBe(0);
    const posts = gw.requests.filter((q) => q.method === 'POST' && q.path === '/v1/responses');
    expect(posts.map((q) => (q.body as { model: string }).model)).toEqual(['gpt-5.6-sol']);

    // Nothing left: a second --fix changes nothing.
    const again = parse((await doctor(w, ['--fix', '--yes', '--json'], { env })).out);
    expect(again.fix?.actions).toEqual([]);
    expect(again.checks.filter((c) => c.autofix)).toEqual([]);
  });

  it('refuses to write without --yes when it cannot ask, and --yes without --fix', async () => {
    const w = makeWorld();
    const original = 'model = "m"\ntemperature = 0.2\n';
    const config = w.write(path.join(w.codexHome, 'config.toml'), original);
    const r = await doctor(w, ['--fix']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Pass --yes');
    expect(readFileSync(config, 'utf8')).toBe(original);
    const misuse = await doctor(w, ['--yes']);
    expect(misuse.code).toBe(2);
    expect(misuse.err).toContain('go with --fix');
  });

  it('asks once; "no" writes nothing and exits 1 (not 130); "yes" writes', async () => {
    const w = makeWorld();
    const original = 'model = "m"\ntemperature = 0.2\n';
    const config = w.write(path.join(w.codexHome, 'config.toml'), original);
    const options = { fix: true, timeout: '5' };
    const no = captureContext({
      cwd: w.work,
      env: { ...w.env, SHELL: '/bin/bash', PATH: WITH_CODEX },
      interactive: true,
    });
    const declined = fakeAsk({ 'Write these changes': false });
    expect(await doctorRun(options, no.ctx, { ask: declined })).toBe(EXIT.failure);
    expect(declined.asked.map((q) => q.message)).toEqual(['Write these changes?']);
    expect(no.out()).toContain('-temperature = 0.2');
    expect(no.err()).toContain('Nothing was written.');
    expect(readFileSync(config, 'utf8')).toBe(original);
    const yes = captureContext({
      cwd: w.work,
      env: { ...w.env, SHELL: '/bin/bash', PATH: WITH_CODEX },
      interactive: true,
    });
    expect(await doctorRun(options, yes.ctx, { ask: fakeAsk({ 'Write these changes': true }) })).toBe(
      EXIT.ok,
    );
    expect(readFileSync(config, 'utf8')).toBe('model = "m"\n');
  });

  it("--into-profile moves a project file's provider into a profile; --trust trusts the project", async () => {
    const w = makeWorld();
    const repo = makeGitRepo(path.join(w.root, 'repo'));
    w.write(path.join(w.codexHome, 'config.toml'), '# mine\nmodel = "gpt-5.5"\n');
    const project = w.write(
      path.join(repo, '.codex', 'config.toml'),
      '# per project, as the guide says\nmodel_provider = "portkey"\nmodel_reasoning_effort = "low"\n\n[model_providers.portkey]\nname = "Portkey"\nbase_url = "https://api.portkey.ai/v1"\nenv_key = "PORTKEY_API_KEY"\nwire_api = "chat"\n',
    );
    const plain = parse((await doctor(w, ['--json'], { cwd: repo })).out);
    const ignored = byId(plain.checks, 'config.project-ignored-key');
    expect(ignored.length).toBeGreaterThan(0);
    expect(ignored[0]!.autofix).toBe(false);
    expect(ignored[0]!.fix).toContain('--into-profile <name>');

    const r = await doctor(w, ['--fix', '--yes', '--trust', '--into-profile', 'team', '--json'], {
      cwd: repo,
    });
    const doc = parse(r.out);
    expect(doc.fix?.actions.map((a) => a.kind).sort()).toEqual(['project-provider', 'trust', 'wire-api']);
    expect(readFileSync(project, 'utf8')).toBe(
      '# per project, as the guide says\nmodel_reasoning_effort = "low"\n',
    );
    expect(readFileSync(path.join(w.codexHome, 'team.config.toml'), 'utf8')).toBe(
      `${NEW_CONFIG_HEADER}model_provider = "portkey"\n\n[model_providers.portkey]\nname = "Portkey"\nbase_url = "https://api.portkey.ai/v1"\nenv_key = "PORTKEY_API_KEY"\nwire_api = "responses"\n`,
    );
    expect(readFileSync(path.join(w.codexHome, 'config.toml'), 'utf8')).toBe(
      `# mine\nmodel = "gpt-5.5"\n\n[projects.${JSON.stringify(repo)}]\ntrust_level = "trusted"\n`,
    );
    expect(byId(doc.checks, 'config.project-ignored-key')).toEqual([]);
    expect(byId(doc.checks, 'config.project-untrusted')).toEqual([]);
    const fixes = byId(doc.checks, 'config.fix').map((c) => c.message);
    expect(fixes.join('\n')).toContain('codexgw pin team');
  });
});
