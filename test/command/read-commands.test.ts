import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.ts';
import { makeGitRepo, makeWorld } from '../helpers/setup-home.ts';

const GOOD = `model = "gpt-5"
model_provider = "portkey"

[model_providers.portkey]
name = "Portkey"
base_url = "https://api.portkey.ai/v1"
env_key = "PORTKEY_API_KEY"
wire_api = "responses"
`;

describe('codexgw validate', () => {
  it('passes a clean setup with exit 0', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), GOOD);
    const r = await runMain(w, ['validate']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ 0 errors, 0 warnings, 0 infos (1 file checked)');
  });

  it('works with no home config at all', async () => {
    const w = makeWorld();
    const r = await runMain(w, ['validate', '--format', 'json', '--codex-version', '0.169.1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      findings: [],
      summary: { errors: 0, warnings: 0, infos: 0 },
      rules: { version: '0.169.0', codexVersion: '0.169.1', source: 'flag', match: 'exact' },
    });
  });

  it('reports errors with file, line, column and fix, and exits 1', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), GOOD.replace('"responses"', '"chat"'));
    const r = await runMain(w, ['validate', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.summary).toEqual({ errors: 1, warnings: 0, infos: 0 });
    expect(doc.findings[0]).toMatchObject({
      id: 'wire-api-chat',
      severity: 'error',
      file,
      line: 8,
      column: 1,
      key: 'model_providers.portkey.wire_api',
    });
    expect(doc.findings[0].fix).toContain('wire_api = "responses"');
  });

  it('fails warnings only under --strict; infos never change the exit code', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `${GOOD}temperature = 0.1\n`
        .replace('model = "gpt-5"', 'model = "gpt-5"\ntemperature = 0.1')
        .replace(/temperature = 0.1\n$/, ''),
    );
    expect((await runMain(w, ['validate'])).code).toBe(0);
    expect((await runMain(w, ['validate', '--strict'])).code).toBe(1);
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `${GOOD}approval_policy = "on-failure"\n`.replace(/\napproval_policy.*\n$/, '\n'),
    );
    w.write(path.join(w.codexHome, 'config.toml'), `approval_policy = "on-failure"\n${GOOD}`);
    const r = await runMain(w, ['validate', '--strict', '--format', 'json']);
    expect(JSON.parse(r.out).summary).toEqual({ errors: 0, warnings: 0, infos: 1 });
    expect(r.code).toBe(0);
  });

  it('prints GitHub annotations', async () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      'modle = "x"\n[model_providers.p]\nwire_api = "chat"\n',
    );
    const r = await runMain(w, ['validate', '--format', 'github', '--codex-version', '0.169.0']);
    const lines = r.out.trim().split('\n');
    expect(lines).toContain(
      `::warning file=${file},line=1,col=1,title=codexgw unknown-key::Unknown key \`modle\`: Codex 0.169.0 ignores it (and refuses it under --strict-config).%0AFix: Did you mean \`model\`?`,
    );
    expect(
      lines.some((l) => l.startsWith(`::error file=${file},line=3,col=1,title=codexgw wire-api-chat::`)),
    ).toBe(true);
    expect(
      lines.some((l) =>
        l.startsWith(`::error file=${file},line=2,col=2,title=codexgw provider-name-missing::`),
      ),
    ).toBe(true);
  });

  it('checks an untrusted project file anyway, reporting the trust state as info', async () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    const file = w.write(
      path.join(repo, '.codex', 'config.toml'),
      'model_provider = "x"\nsandbox_mode = "bogus"\n',
    );
    const r = await runMain(w, ['validate', '--format', 'json'], { cwd: repo });
    const found = JSON.parse(r.out).findings.map((f: { id: string; file: string }) => [f.id, f.file]);
    expect(found).toEqual([
      ['project-ignored-key', file],
      ['project-untrusted', file],
      ['invalid-value', file],
    ]);
    expect(r.code).toBe(1);
  });

  it('validates named files: under .codex/ as a project file, else as a user file', async () => {
    const w = makeWorld();
    const proj = w.write('x/.codex/config.toml', 'model_provider = "nope"\n');
    const user = w.write('y/config.toml', 'model_provider = "nope"\n');
    const p = await runMain(w, ['validate', '--format', 'json', proj]);
    expect(JSON.parse(p.out).findings.map((f: { id: string }) => f.id)).toEqual(['project-ignored-key']);
    const u = await runMain(w, ['validate', '--format', 'json', user]);
    expect(JSON.parse(u.out).findings.map((f: { id: string }) => f.id)).toEqual(['unknown-model-provider']);
    expect(u.code).toBe(1);
  });

  it('checks every profile file, and model_provider on the merged view', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'model_provider = "gw"\n');
    const prof = w.write(
      path.join(w.codexHome, 'work.config.toml'),
      '[model_providers.gw]\nname = "G"\nwire_api = "chat"\n',
    );
    const plain = await runMain(w, ['validate', '--format', 'json']);
    const findings = JSON.parse(plain.out).findings;
    expect(findings.map((f: { id: string; file: string }) => [f.id, f.file])).toContainEqual([
      'wire-api-chat',
      prof,
    ]);
    expect(findings.map((f: { id: string }) => f.id)).toContain('unknown-model-provider');
    const withProfile = await runMain(w, ['validate', '--format', 'json', '--profile', 'work']);
    expect(JSON.parse(withProfile.out).findings.map((f: { id: string }) => f.id)).toEqual(['wire-api-chat']);
  });

  it('reports malformed TOML as a finding with its position', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), 'model = "gpt-5\n');
    const r = await runMain(w, ['validate', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).findings[0]).toMatchObject({ id: 'toml-syntax', file, line: 1 });
  });

  it('rejects an unknown --format as a usage error (exit 2)', async () => {
    const w = makeWorld();
    const r = await runMain(w, ['validate', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("argument 'xml' is invalid");
  });
});

describe('codexgw config show / get', () => {
  it('prints merged JSON with origins, layers and ignored keys', async () => {
    const w = makeWorld();
    const repo = path.join(w.work, 'repo');
    makeGitRepo(repo);
    const user = w.write(
      path.join(w.codexHome, 'config.toml'),
      `${GOOD}\n[projects."${repo}"]\ntrust_level = "trusted"\n`,
    );
    const proj = w.write(
      path.join(repo, '.codex', 'config.toml'),
      'model = "proj"\nmodel_provider = "other"\n',
    );
    const r = await runMain(w, ['config', 'show', '--json', '-c', 'model_reasoning_effort=high'], {
      cwd: repo,
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.config).toMatchObject({
      model: 'proj',
      model_provider: 'portkey',
      model_reasoning_effort: 'high',
    });
    expect(doc.origins.model).toEqual({ layer: 'project', file: proj, line: 1, column: 1 });
    expect(doc.origins['model_providers.portkey.base_url']).toEqual({
      layer: 'user',
      file: user,
      line: 6,
      column: 1,
    });
    expect(doc.origins.model_reasoning_effort).toEqual({
      layer: 'override',
      file: null,
      line: null,
      column: null,
    });
    expect(doc.layers.map((l: { layer: string; loaded: boolean }) => [l.layer, l.loaded])).toEqual([
      ['system', false],
      ['user', true],
      ['project', true],
      ['override', true],
    ]);
    expect(doc.ignored).toEqual([
      {
        key: 'model_provider',
        file: proj,
        line: 2,
        column: 1,
        reason: expect.stringContaining('project files'),
      },
    ]);
  });

  it('shows file:line after each value with --origin, and masks credentials', async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `${GOOD}experimental_bearer_token = "sk-live-1234567890abcd"\nhttp_headers = { Authorization = "Bearer tok-abcdefghijkl" }\n`,
    );
    const r = await runMain(w, ['config', 'show', '--origin']);
    expect(r.out).toMatch(/^model = "gpt-5" +# user ~\/\.codex\/config\.toml:1$/m);
    expect(r.out).toContain('model_providers.portkey.experimental_bearer_token = "s…abcd"');
    expect(r.out).not.toContain('1234567890');
    expect(r.out).not.toContain('tok-abcdefghijkl');
  });

  it('gets one value, with its origin', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), GOOD);
    const r = await runMain(w, ['config', 'get', 'model_providers.portkey.env_key', '--origin']);
    expect(r.out).toBe(`PORTKEY_API_KEY\n# from user ${file}:7:1\n`);
    const j = await runMain(w, ['config', 'get', 'model_providers.portkey', '--json']);
    expect(JSON.parse(j.out)).toMatchObject({ name: 'Portkey', wire_api: 'responses' });
  });

  it('addresses keys with dots through TOML quoting', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), '[projects."/a/b.c"]\ntrust_level = "trusted"\n');
    const r = await runMain(w, ['config', 'get', 'projects."/a/b.c".trust_level']);
    expect(r.out).toBe('trusted\n');
  });

  it('exits 1 with a clear message when the key is unset', async () => {
    const w = makeWorld();
    const r = await runMain(w, ['config', 'get', 'model']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('`model` is not set in any config layer.');
    expect(r.err).toContain('fix: Run `codexgw config show --origin`');
  });
});

describe('bad input', () => {
  it('malformed TOML: one paragraph with file:line:col, exit 3, no stack', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), '[model_providers.p]\nname = "x\n');
    const r = await runMain(w, ['config', 'show']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(new RegExp(`^error: ${file}:2:\\d+: invalid TOML: .+\\n  fix: .+\\n$`));
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('invalid UTF-8: names the file and position', async () => {
    const w = makeWorld();
    const file = w.write(
      path.join(w.codexHome, 'config.toml'),
      Buffer.from([0x6d, 0x3d, 0x22, 0xff, 0x22, 0x0a]),
    );
    const r = await runMain(w, ['config', 'show']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${file} is not valid UTF-8 (invalid byte at line 1, column 4).`);
  });

  it('a directory where config.toml should be', async () => {
    const w = makeWorld();
    const file = path.join(w.codexHome, 'config.toml');
    mkdirSync(file);
    const r = await runMain(w, ['config', 'show']);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`Could not read ${file}: it is a directory, not a file.`);
  });

  it('CODEX_HOME pointing nowhere', async () => {
    const w = makeWorld();
    const missing = path.join(w.root, 'missing');
    const r = await runMain(w, ['config', 'show'], { env: { ...w.env, CODEX_HOME: missing } });
    expect(r.code).toBe(3);
    expect(r.err).toContain(`CODEX_HOME points to "${missing}", but that path does not exist.`);
    expect(r.err).toContain('fix: Create it');
  });

  it('shows the stack only with --debug', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), 'x = \n');
    const plain = await runMain(w, ['config', 'show']);
    const debug = await runMain(w, ['--debug', 'config', 'show']);
    expect(plain.err).not.toContain('FileError: ');
    expect(debug.err).toContain('FileError: ');
    expect(debug.err).toMatch(/\n\s+at /);
  });
});
