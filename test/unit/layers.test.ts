import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Layer, loadConfig, mergeLayers } from '../../src/config/layers.ts';
import { overridesToTable, parseOverride } from '../../src/config/overrides.ts';
import { toJson } from '../../src/config/render.ts';
import { FileError, UsageError } from '../../src/errors.ts';
import { makeGitRepo, makeWorld } from '../helpers/setup-home.ts';

const layer = (kind: Layer['kind'], value: Record<string, unknown>, file = `/${kind}.toml`): Layer => ({
  kind,
  file,
  loaded: true,
  value,
});

describe('mergeLayers', () => {
  it('merges tables key by key and replaces scalars and arrays whole', () => {
    const { merged, origins } = mergeLayers([
      layer('user', { model: 'a', notify: ['x', 'y'], p: { h: { A: '1', S: 'u' } } }),
      layer('profile', { notify: ['z'], p: { h: { S: 'p', B: '2' } } }),
    ]);
    expect(merged).toEqual({ model: 'a', notify: ['z'], p: { h: { A: '1', S: 'p', B: '2' } } });
    expect(origins.resolve(['p', 'h', 'A'])?.layer).toBe('user');
    expect(origins.resolve(['p', 'h', 'S'])?.layer).toBe('profile');
    expect(origins.resolve(['notify'])?.layer).toBe('profile');
  });

  it('forgets the origins of a table a higher layer replaced with a scalar', () => {
    const { merged, origins } = mergeLayers([
      layer('user', { t: { a: 1 } }),
      layer('override', { t: 5 }, ''),
    ]);
    expect(merged).toEqual({ t: 5 });
    expect(origins.resolve(['t'])?.layer).toBe('override');
    expect([...origins.all().keys()]).toEqual(['t']);
  });

  it('gives each array element an origin, an empty table its creator, and nothing below a replaced table', () => {
    const { origins } = mergeLayers([
      layer('user', { args: ['a', 'b'], none: [], empty: {}, t: { sub: { k: 1 } } }),
      layer('profile', { empty: { x: 1 }, t: 'flat' }),
    ]);
    expect([...origins.all()].map(([key, o]) => [key, o.layer])).toEqual([
      ['args.0', 'user'],
      ['args.1', 'user'],
      ['none', 'user'],
      ['empty', 'user'],
      ['empty.x', 'profile'],
      ['t', 'profile'],
    ]);
    expect(origins.resolve(['args', '1'])?.layer).toBe('user');
    expect(origins.resolve(['args'])?.layer).toBe('user');
    expect(origins.resolve(['args', '2'])).toBeUndefined();
    expect(origins.resolve(['args', '01'])).toBeUndefined();
    // t.sub was the user's until the profile replaced t with a string: it has no origin now.
    expect(origins.resolve(['t', 'sub'])).toBeUndefined();
    expect(origins.resolve(['t', 'sub', 'k'])).toBeUndefined();
    expect(origins.resolve([])).toBeUndefined();
  });

  it('skips layers that are not loaded', () => {
    const off: Layer = { ...layer('project', { model: 'p' }), loaded: false };
    const { merged } = mergeLayers([layer('user', { model: 'u' }), off]);
    expect(merged.model).toBe('u');
  });

  it('gives a table the origin of the highest layer that wrote under it', () => {
    const { origins } = mergeLayers([layer('user', { t: { a: 1 } }), layer('profile', { t: { b: 2 } })]);
    expect(origins.resolve(['t'])?.layer).toBe('profile');
  });
});

describe('-c overrides', () => {
  it('parse like Codex: first "=", trimmed, TOML value or a string', () => {
    expect(parseOverride(' model = o3 ')).toMatchObject({ path: ['model'], value: 'o3' });
    expect(parseOverride('model="o3"').value).toBe('o3');
    expect(parseOverride("model='o3'").value).toBe('o3');
    expect(parseOverride('x=true').value).toBe(true);
    expect(parseOverride('n=3').value).toBe(3n);
    expect(parseOverride('u=http://h:1/v1?a=b').value).toBe('http://h:1/v1?a=b');
    expect(parseOverride('a.b.c=1').path).toEqual(['a', 'b', 'c']);
    expect(toJson(parseOverride('h={ "X-A" = "1" }').value)).toEqual({ 'X-A': '1' });
  });

  it('reject a missing "=" or an empty key as usage errors', () => {
    expect(() => parseOverride('model')).toThrow(UsageError);
    expect(() => parseOverride(' =1')).toThrow(UsageError);
  });

  it('build a table where later overrides win and inline tables merge', () => {
    const table = overridesToTable([
      parseOverride('p.h={ A = "1" }'),
      parseOverride('p.h={ B = "2" }'),
      parseOverride('m=a'),
      parseOverride('m=b'),
    ]);
    expect(toJson(table)).toEqual({ p: { h: { A: '1', B: '2' } }, m: 'b' });
  });
});

describe('loadConfig', () => {
  it('layers user < profile < trusted project (deeper wins) < -c, with file, line and column', () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    const sub = path.join(repo, 'sub');
    const cwd = path.join(sub, 'dir');
    makeGitRepo(repo);
    mkdirSync(cwd, { recursive: true });
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `model = "user"\nmodel_reasoning_effort = "high"\napproval_policy = "never"\n\n[projects."${repo}"]\ntrust_level = "trusted"\n`,
    );
    w.write(path.join(w.codexHome, 'work.config.toml'), 'model = "profile"\nmodel_verbosity = "low"\n');
    w.write(path.join(repo, '.codex', 'config.toml'), 'model = "root"\nmodel_reasoning_effort = "low"\n');
    w.write(path.join(sub, '.codex', 'config.toml'), '# sub\nmodel = "sub"\n');

    const loaded = loadConfig({
      cwd,
      env: w.env,
      profile: 'work',
      overrides: ['approval_policy=on-request'],
    });
    expect(toJson(loaded.merged)).toMatchObject({
      model: 'sub',
      model_reasoning_effort: 'low',
      model_verbosity: 'low',
      approval_policy: 'on-request',
    });
    expect(loaded.originOf(['model'])).toEqual({
      layer: 'project',
      file: path.join(sub, '.codex', 'config.toml'),
      line: 2,
      column: 1,
    });
    expect(loaded.originOf(['model_reasoning_effort'])?.file).toBe(path.join(repo, '.codex', 'config.toml'));
    expect(loaded.originOf(['model_verbosity'])).toMatchObject({ layer: 'profile', line: 2 });
    expect(loaded.originOf(['approval_policy'])).toEqual({
      layer: 'override',
      file: null,
      line: null,
      column: null,
    });
    expect(loaded.layers.map((l) => l.kind)).toEqual([
      'system',
      'user',
      'profile',
      'project',
      'project',
      'override',
    ]);
    expect(loaded.projectRoot).toBe(repo);
  });

  it('does not load an untrusted project, and says why', () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    w.write(path.join(w.codexHome, 'config.toml'), 'model = "user"\n');
    w.write(path.join(repo, '.codex', 'config.toml'), 'model = "proj"\n');
    const loaded = loadConfig({ cwd: repo, env: w.env });
    expect(loaded.merged.model).toBe('user');
    const project = loaded.layers.find((l) => l.kind === 'project')!;
    expect(project.loaded).toBe(false);
    expect(project.reason).toContain('not a trusted project');
  });

  it('honours an explicit untrusted entry and trust granted by a -c override', () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    w.write(path.join(w.codexHome, 'config.toml'), `[projects."${repo}"]\ntrust_level = "untrusted"\n`);
    w.write(path.join(repo, '.codex', 'config.toml'), 'model = "proj"\n');
    const untrusted = loadConfig({ cwd: repo, env: w.env });
    expect(untrusted.layers.find((l) => l.kind === 'project')!.reason).toContain('marked untrusted');
    const trusted = loadConfig({
      cwd: repo,
      env: w.env,
      overrides: [`projects={ "${repo}" = { trust_level = "trusted" } }`],
    });
    expect(trusted.merged.model).toBe('proj');
  });

  it('trusts a nested layer through the project root entry', () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    const sub = path.join(repo, 'sub');
    makeGitRepo(repo);
    w.write(path.join(w.codexHome, 'config.toml'), `[projects."${repo}"]\ntrust_level = "trusted"\n`);
    w.write(path.join(sub, '.codex', 'config.toml'), 'model = "sub"\n');
    expect(loadConfig({ cwd: sub, env: w.env }).merged.model).toBe('sub');
  });

  it('strips the keys Codex ignores in project files and reports them with their position', () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `model_provider = "openai"\n[projects."${repo}"]\ntrust_level = "trusted"\n`,
    );
    const file = w.write(
      path.join(repo, '.codex', 'config.toml'),
      'model = "m"\nmodel_provider = "gw"\nnotify = ["x"]\n[model_providers.gw]\nname = "g"\n[features]\nrespect_system_proxy = true\nshell_tool = true\n',
    );
    const loaded = loadConfig({ cwd: repo, env: w.env });
    expect(loaded.merged.model_provider).toBe('openai');
    expect(loaded.merged.model_providers).toBeUndefined();
    expect(toJson(loaded.merged.features)).toEqual({ shell_tool: true });
    expect(loaded.ignored.map((i) => [i.key, i.line])).toEqual([
      ['model_provider', 2],
      ['model_providers', 4],
      ['notify', 3],
      ['features.respect_system_proxy', 7],
    ]);
    expect(loaded.ignored[0]!.file).toBe(file);
  });

  it('does not read parent .codex folders outside a git repository', () => {
    const w = makeWorld();
    const top = path.join(w.work, 'top');
    const cwd = path.join(top, 'sub');
    mkdirSync(cwd, { recursive: true });
    w.write(path.join(top, '.codex', 'config.toml'), 'model = "top"\n');
    w.write(path.join(w.codexHome, 'config.toml'), `[projects."${top}"]\ntrust_level = "trusted"\n`);
    const loaded = loadConfig({ cwd, env: w.env });
    expect(loaded.layers.filter((l) => l.kind === 'project')).toEqual([]);
  });

  it('throws a FileError with line and column for malformed TOML, or collects it for validate', () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), 'model = "gpt\n');
    expect(() => loadConfig({ cwd: w.work, env: w.env })).toThrow(FileError);
    try {
      loadConfig({ cwd: w.work, env: w.env });
    } catch (err) {
      expect((err as FileError).message).toMatch(new RegExp(`^${file}:1:\\d+: invalid TOML`));
      expect((err as FileError).line).toBe(1);
    }
    const collected = loadConfig({ cwd: w.work, env: w.env, onError: 'collect' });
    const user = collected.layers.find((l) => l.kind === 'user')!;
    expect(user.loaded).toBe(false);
    expect(user.error).toBeInstanceOf(FileError);
  });

  it('reads a missing user config as empty', () => {
    const w = makeWorld();
    const loaded = loadConfig({ cwd: w.work, env: w.env });
    expect(loaded.merged).toEqual({});
    expect(loaded.layers.find((l) => l.kind === 'user')!.reason).toBe('file does not exist');
  });
});
