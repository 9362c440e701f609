import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPins } from '../../src/app/pins.ts';
import { runCli } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { makeGitRepo, makeWorld, type TempWorld } from '../helpers/setup-home.ts';

const PROVIDERS = `model_provider = "def"

[model_providers.def]
name = "def"
base_url = "http://127.0.0.1:9/v1"
env_key = "DEF_KEY"
`;

const WORK = `model_provider = "work"

[model_providers.work]
name = "work"
base_url = "http://127.0.0.1:9/work/v1"
env_key = "WORK_KEY"
`;

/** A world with a default provider, a profile `work`, and a repository with a subdirectory. */
function pinWorld() {
  const w = makeWorld();
  w.write(path.join(w.codexHome, 'config.toml'), PROVIDERS);
  w.write(path.join(w.codexHome, 'work.config.toml'), WORK);
  const repo = makeGitRepo(path.join(w.work, 'repo'));
  const sub = path.join(repo, 'src', 'pkg');
  const elsewhere = path.join(w.work, 'elsewhere');
  mkdirSync(sub, { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  const env = {
    ...w.env,
    SHELL: '/bin/bash',
    DEF_KEY: 'def-key-0123456789',
    WORK_KEY: 'work-key-0123456789',
  };
  return { ...w, env, repo, sub, elsewhere };
}

type PinWorld = ReturnType<typeof pinWorld>;
const run = (w: PinWorld, args: string[], cwd: string, env: NodeJS.ProcessEnv = w.env) =>
  runMain(w as TempWorld, args, { cwd, env });

describe('codexgw pin / unpin', () => {
  it('pins the project root of a subdirectory in CODEX_HOME, shows it there and nowhere else', async () => {
    const w = pinWorld();
    const r = await run(w, ['pin', 'work', '--no-wrapper'], w.sub);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`Pinned ${w.repo} to profile "work"`);
    expect(readPins(w.codexHome).map((p) => [p.root, p.profile])).toEqual([[w.repo, 'work']]);
    expect(existsSync(path.join(w.repo, '.codex'))).toBe(false);

    const here = await run(w, ['pin'], w.sub);
    expect(here.out).toContain(
      `Profile "work" applies in ${w.sub}: it is inside ${w.repo}, which is pinned.`,
    );
    const there = await run(w, ['pin'], w.elsewhere);
    expect(there.out).toContain(`No pin applies in ${w.elsewhere}`);
    const list = await run(w, ['pin', '--list'], w.elsewhere);
    expect(list.out.trim()).toBe(`${w.repo}  work`);

    const un = await run(w, ['unpin'], w.sub);
    expect(un.code).toBe(0);
    expect(un.err).toContain(`Unpinned ${w.repo} (was profile "work")`);
    expect(readPins(w.codexHome)).toEqual([]);
    expect((await run(w, ['unpin'], w.sub)).err).toContain('No pin applies');
  });

  it('--json: the pin written, the pin that applies, the pins, the pin removed', async () => {
    const w = pinWorld();
    const pinned = await run(w, ['pin', 'work', '--no-wrapper', '--json'], w.sub);
    expect(pinned.code, pinned.err).toBe(0);
    expect(JSON.parse(pinned.out)).toMatchObject({
      root: w.repo,
      profile: 'work',
      changed: true,
      previous: null,
      pin: { root: w.repo, profile: 'work' },
      file: path.join(w.codexHome, 'codexgw-pins.tsv'),
    });
    const again = JSON.parse((await run(w, ['pin', 'work', '--no-wrapper', '--json'], w.sub)).out);
    expect(again).toMatchObject({ changed: false, previous: { profile: 'work' }, file: null });
    expect(JSON.parse((await run(w, ['pin', '--json'], w.sub)).out)).toMatchObject({
      dir: w.sub,
      root: w.repo,
      pin: { root: w.repo, profile: 'work' },
    });
    expect(JSON.parse((await run(w, ['pin', '--json'], w.elsewhere)).out).pin).toBeNull();
    expect(JSON.parse((await run(w, ['pin', '--list', '--json'], w.elsewhere)).out)).toEqual({
      pins: [{ root: w.repo, profile: 'work', pinnedAt: expect.any(String), profileExists: true }],
    });
    const un = JSON.parse((await run(w, ['unpin', '--json'], w.sub)).out);
    expect(un).toEqual({
      dir: w.sub,
      unpinned: { root: w.repo, profile: 'work' },
      file: path.join(w.codexHome, 'codexgw-pins.tsv'),
      stillApplies: null,
    });
    expect(JSON.parse((await run(w, ['unpin', '--json'], w.sub)).out).unpinned).toBeNull();
  });

  it('two pins at once both land (the map is locked and re-read)', async () => {
    const w = pinWorld();
    const repos = ['a', 'b', 'c', 'd'].map((n) => makeGitRepo(path.join(w.work, n)));
    const results = await Promise.all(
      repos.map((r) => runCli(['pin', 'work', '--no-wrapper'], { cwd: r, env: w.env })),
    );
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    expect(readPins(w.codexHome).map((p) => p.root)).toEqual([...repos].sort());
  });

  it('refuses a profile that does not exist, chooses no provider, or names an undefined one', async () => {
    const w = pinWorld();
    const missing = await run(w, ['pin', 'nope'], w.sub);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      `There is no profile "nope": ${path.join(w.codexHome, 'nope.config.toml')}`,
    );
    w.write(path.join(w.codexHome, 'bare.config.toml'), 'model = "gpt-5"\n');
    const bare = await run(w, ['pin', 'bare'], w.sub);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('does not choose a provider');
    w.write(path.join(w.codexHome, 'ghost.config.toml'), 'model_provider = "ghost"\n');
    const ghost = await run(w, ['pin', 'ghost'], w.sub);
    expect(ghost.code).toBe(1);
    expect(ghost.err).toContain('uses provider "ghost", which neither');
    const bad = await run(w, ['pin', '../x'], w.sub);
    expect(bad.code).toBe(2);
    const noDir = await run(w, ['pin', 'work', path.join(w.sub, 'missing')], w.sub);
    expect(noDir.code).toBe(2);
    expect(noDir.err).toContain('is not a directory');
    expect(readPins(w.codexHome)).toEqual([]);
  });

  it('--wrapper installs the wrapper in the rc block once; pin without it says how', async () => {
    const w = pinWorld();
    const without = await run(w, ['pin', 'work'], w.sub);
    expect(without.err).toContain('codex ignores pins until the wrapper is installed: codexgw pin --wrapper');
    const r = await run(w, ['pin', 'work', '--wrapper'], w.sub);
    expect(r.code, r.err).toBe(0);
    const rc = readFileSync(path.join(w.home, '.bashrc'), 'utf8');
    const wrapper = path.join(w.codexHome, 'codexgw-wrapper.sh');
    expect(rc).toContain(`# codex wrapper (codexgw pin)`);
    expect(rc).toContain(`if [ -r '${wrapper}' ]; then . '${wrapper}'; fi`);
    expect(readFileSync(wrapper, 'utf8')).toContain('function codex {');
    const again = await run(w, ['pin', 'work', '--wrapper'], w.sub);
    expect(again.err).not.toContain('Installed');
    expect(readFileSync(path.join(w.home, '.bashrc'), 'utf8')).toBe(rc);
    // env remove takes the whole block, the wrapper line with it.
    expect((await run(w, ['env', 'remove'], w.sub)).code).toBe(0);
    expect(
      existsSync(path.join(w.home, '.bashrc')) ? readFileSync(path.join(w.home, '.bashrc'), 'utf8') : '',
    ).not.toContain('codexgw');
  });

  it("shows a repository's profile hint and offers pin, but never pins by itself", async () => {
    const w = pinWorld();
    w.write(path.join(w.repo, '.codex', 'codexgw-profile'), 'work\n');
    const shown = await run(w, ['pin'], w.sub);
    expect(shown.out).toContain('No pin applies');
    expect(shown.err, shown.err + shown.out).toContain('this repository suggests profile "work"');
    expect(shown.err).toContain('codexgw pin work');
    expect(readPins(w.codexHome)).toEqual([]);
    // config show is not changed by a hint either.
    expect(JSON.parse((await run(w, ['config', 'show', '--json'], w.sub)).out).config.model_provider).toBe(
      'def',
    );
    // A hint that is no profile name is ignored.
    w.write(path.join(w.repo, '.codex', 'codexgw-profile'), '../../etc\n');
    expect((await run(w, ['pin'], w.sub)).err).not.toContain('suggests');
  });

  it('the env block keeps the wrapper line when a key is set next to it', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--wrapper'], w.sub);
    const set = await runMain(w as TempWorld, ['env', 'set', 'WORK_KEY', '--value-stdin'], {
      cwd: w.sub,
      env: w.env,
      stdin: 'work-key-0123456789',
    });
    expect(set.code, set.err).toBe(0);
    const rc = readFileSync(path.join(w.home, '.bashrc'), 'utf8');
    expect(rc).toContain('codexgw-wrapper.sh');
    expect(rc).toContain("export WORK_KEY='work-key-0123456789'");
  });
});

interface DoctorCheck {
  id: string;
  status: string;
  message: string;
}

async function doctorChecks(
  w: PinWorld,
  cwd: string,
  env: NodeJS.ProcessEnv = w.env,
): Promise<DoctorCheck[]> {
  const r = await run(w, ['doctor', '--json'], cwd, env);
  return (JSON.parse(r.out) as { checks: DoctorCheck[] }).checks;
}
const pinIds = (checks: DoctorCheck[]) => checks.filter((c) => /^codex\.(pin|wrapper)/.test(c.id));

describe('doctor, config show and use know about pins', () => {
  it('doctor reports the pin in a pinned directory and nothing about pins elsewhere', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--wrapper'], w.sub);
    const inside = pinIds(await doctorChecks(w, w.sub));
    expect(inside.find((c) => c.id === 'codex.pin')).toMatchObject({
      status: 'ok',
      message: `This project (${w.repo}) is pinned to profile "work": codex here uses provider "work".`,
    });
    expect(inside.find((c) => c.id === 'codex.wrapper')?.status).toMatch(/ok|warning/);
    expect(pinIds(await doctorChecks(w, w.elsewhere))).toEqual([]);
  });

  it('status reports the pin in a pinned directory (text and JSON) and nothing elsewhere', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--no-wrapper'], w.sub);
    const json = await run(w, ['status', '--json'], w.sub);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out).pin).toEqual({
      profile: 'work',
      root: w.repo,
      file: path.join(w.codexHome, 'codexgw-pins.tsv'),
    });
    const text = await run(w, ['status'], w.sub);
    expect(`${text.out}${text.err}`).toMatch(/Pinned\s+work \(codexgw pin for /);
    const elsewhere = await run(w, ['status', '--json'], w.elsewhere);
    expect(JSON.parse(elsewhere.out).pin).toBeNull();
    expect((await run(w, ['status'], w.elsewhere)).out).not.toContain('Pinned');
  });

  it('doctor: a pin to a missing profile is an error; an unset key of the pinned provider too', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--no-wrapper'], w.sub);
    const { WORK_KEY: _, ...noKey } = w.env;
    const key = (await doctorChecks(w, w.sub, noKey)).find((c) => c.id === 'codex.pin-key');
    expect(key).toMatchObject({ status: 'error' });
    expect(key!.message).toContain('WORK_KEY');
    const wrapper = (await doctorChecks(w, w.sub)).find((c) => c.id === 'codex.wrapper');
    expect(wrapper).toMatchObject({ status: 'warning' });
    expect(wrapper!.message).toContain('not in');

    rmSync(path.join(w.codexHome, 'work.config.toml'));
    const missing = (await doctorChecks(w, w.sub)).find((c) => c.id === 'codex.pin');
    expect(missing).toMatchObject({ status: 'error' });
    expect(missing!.message).toContain('does not exist');
  });

  it('doctor: a later alias shadows the wrapper', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--wrapper'], w.sub);
    const rc = path.join(w.home, '.bashrc');
    w.write(rc, `${readFileSync(rc, 'utf8')}alias codex='codex --yolo'\n`);
    const wrapper = (await doctorChecks(w, w.sub)).find((c) => c.id === 'codex.wrapper');
    expect(wrapper).toMatchObject({ status: 'warning' });
    expect(wrapper!.message).toContain('which wins over the wrapper');
  });

  it('config show loads the pinned profile layer inside the project, not outside', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--no-wrapper'], w.sub);
    const inside = JSON.parse((await run(w, ['config', 'show', '--json'], w.sub)).out);
    expect(inside.pin).toEqual({ root: w.repo, profile: 'work' });
    expect(inside.config.model_provider).toBe('work');
    expect(inside.layers.map((l: { layer: string }) => l.layer)).toContain('profile');
    const text = await run(w, ['config', 'show'], w.sub);
    expect(text.out).toContain('# Pinned: ');
    const outside = JSON.parse((await run(w, ['config', 'show', '--json'], w.elsewhere)).out);
    expect(outside.pin).toBeUndefined();
    expect(outside.config.model_provider).toBe('def');
  });

  it('use says when a pin applies here', async () => {
    const w = pinWorld();
    await run(w, ['pin', 'work', '--no-wrapper'], w.sub);
    const shown = await run(w, ['use'], w.sub);
    expect(shown.err).toContain('Here codex runs with profile "work"');
    const elsewhere = await run(w, ['use'], w.elsewhere);
    expect(elsewhere.err).not.toContain('profile "work"');
  });
});
