import { chmodSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { renderBlock } from '../../src/shell/block.ts';
import { type DoctorRun, doctor, one, PORTKEY as PORTKEY_CONFIG, WITHOUT_CODEX } from '../helpers/doctor.ts';
import { startFakeGateway } from '../helpers/fake-gateway.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';
import { requireTool } from '../helpers/tools.ts';

requireTool('git');

const json = (r: DoctorRun) => JSON.parse(r.out) as { checks: Check[]; summary: Record<string, number> };
type Check = {
  id: string;
  status: string;
  message: string;
  file: string | null;
  line: number | null;
  fix: string | null;
  autofix: boolean;
};

const KEY = 'pk-SECRET-0123456789abcdef';

const PORTKEY = `# my gateway\n${PORTKEY_CONFIG}`;

/** A managed block in ~/.bashrc exporting `vars`, as `codexgw env set` writes it. */
function writeRcBlock(w: TempWorld, vars: [string, string][], mode = 0o600): string {
  const file = w.write(
    path.join(w.home, '.bashrc'),
    `alias ll='ls -l'\n${renderBlock('sh', vars).join('\n')}\n`,
  );
  chmodSync(file, mode);
  return file;
}

describe('codexgw doctor', () => {
  it('passes a healthy setup: exit 0, every group present, no error', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    writeRcBlock(w, [['PORTKEY_API_KEY', KEY]]);
    const r = await doctor(w, ['--json'], { env: { PORTKEY_API_KEY: KEY } });
    const doc = json(r);
    expect(doc.summary.error, r.out).toBe(0);
    expect(r.code).toBe(0);
    expect(new Set(doc.checks.map((c) => c.id.split('.')[0]))).toEqual(
      new Set(['config', 'provider', 'env', 'model', 'codex', 'online']),
    );
    expect(one(doc.checks as never, 'env.rc-block').status).toBe('ok');
    expect(one(doc.checks as never, 'env.rc-permissions').status).toBe('ok');
    expect(one(doc.checks as never, 'codex.installed').message).toMatch(/^codex-cli \d+\.\d+\.\d+ at /);
  });

  it('prints JSON {checks:[{id,status,message,file,line,fix,autofix}], summary:{ok,warning,error,skipped}}', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), PORTKEY.replace('"responses"', '"chat"'));
    const r = await doctor(w, ['--json']);
    expect(r.code).toBe(1);
    const doc = json(r);
    expect(Object.keys(doc)).toEqual(['checks', 'summary']);
    expect(Object.keys(doc.summary)).toEqual(['ok', 'warning', 'error', 'skipped']);
    for (const c of doc.checks) {
      expect(Object.keys(c)).toEqual(['id', 'status', 'message', 'file', 'line', 'fix', 'autofix']);
      expect(['ok', 'warning', 'error', 'skipped']).toContain(c.status);
    }
    const counts = { ok: 0, warning: 0, error: 0, skipped: 0 } as Record<string, number>;
    for (const c of doc.checks) counts[c.status]!++;
    expect(doc.summary).toEqual(counts);
    expect(doc.checks.find((c) => c.id === 'provider.wire-api')).toEqual({
      id: 'provider.wire-api',
      status: 'error',
      message: expect.stringContaining('`wire_api = "chat"` is no longer supported'),
      file,
      line: 9,
      fix: expect.stringContaining('wire_api = "responses"'),
      // `doctor --fix` rewrites it; the problems it cannot fix say false.
      autofix: true,
    });
    expect(doc.checks.find((c) => c.id === 'provider.active')?.autofix).toBe(false);
    expect(r.err).toBe('');
  });

  it('prints a grouped checklist with ✓ ! ✗ and - marks, the location and the fix under each problem', async () => {
    const w = makeWorld();
    const file = w.write(path.join(w.codexHome, 'config.toml'), `temperature = 0.2\n${PORTKEY}`);
    const r = await doctor(w, [], { env: { PATH: WITHOUT_CODEX } });
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    for (const title of [
      'Config files',
      'Provider',
      'API key and shell',
      'Model',
      'Codex',
      'Gateway (online)',
    ]) {
      expect(lines).toContain(title);
    }
    expect(r.out).toContain('  ✓ Active provider: `portkey` (Portkey)');
    const warn = lines.findIndex((l) => l.startsWith('  ! `temperature` is ignored'));
    expect(lines[warn + 1]).toBe(`      at ${file}:1`);
    expect(lines[warn + 2]).toMatch(/^ {6}fix: Codex never sends a temperature/);
    const missing = lines.findIndex((l) => l.startsWith('  ✗ codex is not on PATH'));
    expect(lines[missing + 1]).toContain('fix: Install it: `npm install -g @openai/codex@latest`');
    expect(r.out).toContain(
      '  - Not checked: run `codexgw doctor --online` to call the gateway.  online.models',
    );
    expect(lines.at(-2)).toMatch(/^✗ 2 errors, \d+ warnings, \d+ ok, \d+ skipped$/);
  });

  it('exits 2 for a bad --timeout, and for a bad --profile name', async () => {
    const w = makeWorld();
    const bad = await doctor(w, ['--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--timeout soon is not a number of seconds');
    expect((await doctor(w, ['--profile', '../x'])).code).toBe(2);
  });

  it('reports a missing CODEX_HOME as a check (exit 1), not a crash', async () => {
    const w = makeWorld();
    const r = await doctor(w, ['--json'], { env: { CODEX_HOME: path.join(w.root, 'missing') } });
    expect(r.code).toBe(1);
    expect(one(json(r).checks as never, 'config.home').status).toBe('error');
  });

  it('uses --profile and -c like Codex does', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    w.write(path.join(w.codexHome, 'work.config.toml'), 'model = "@openai-prod/gpt-5"\n');
    const r = await doctor(
      w,
      ['--json', '--profile', 'work', '-c', 'model_providers.portkey.wire_api="chat"'],
      {
        env: { PORTKEY_API_KEY: KEY },
      },
    );
    const doc = json(r);
    expect(one(doc.checks as never, 'config.profile').status).toBe('ok');
    expect(one(doc.checks as never, 'model.metadata').status).toBe('warning');
    expect(one(doc.checks as never, 'provider.wire-api')).toMatchObject({ status: 'error', file: null });
  });
});

describe('rc files holding keys', () => {
  it('warns about a key readable by others, and about an rc file tracked by git', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    const rc = writeRcBlock(w, [['PORTKEY_API_KEY', KEY]], 0o644);
    const git = {
      env: { HOME: w.home, PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1' },
      extendEnv: false,
    } as const;
    await execa('git', ['init', '-q', w.home], git);
    await execa('git', ['-C', w.home, 'add', '.bashrc'], git);
    const doc = json(await doctor(w, ['--json'], { env: { PORTKEY_API_KEY: KEY } }));
    expect(one(doc.checks as never, 'env.rc-permissions')).toMatchObject({ status: 'warning', file: rc });
    expect(one(doc.checks as never, 'env.rc-git')).toMatchObject({ status: 'warning', file: rc });
  });

  it('reads a block that was edited by hand as an error, with the line', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    const rc = w.write(path.join(w.home, '.bashrc'), '# >>> codexgw >>>\nrm -rf /tmp/x\n# <<< codexgw <<<\n');
    const c = one(json(await doctor(w, ['--json'])).checks as never, 'env.rc-block') as Check;
    expect(c).toMatchObject({ status: 'error', file: rc, line: 2 });
  });

  it('skips the rc checks when $SHELL is unknown', async () => {
    const w = makeWorld();
    w.write(path.join(w.codexHome, 'config.toml'), PORTKEY);
    const c = one(
      json(await doctor(w, ['--json'], { env: { SHELL: '' } })).checks as never,
      'env.rc-block',
    ) as Check;
    expect(c.status).toBe('skipped');
    expect(c.message).toContain('$SHELL is not set');
  });
});

describe('seed scenarios: the gateway guides, followed literally', () => {
  it("Portkey's guide: wire_api chat, the provider chosen in the project, temperature and max_output_tokens, no key", async () => {
    const w = makeWorld();
    const user = w.write(
      path.join(w.codexHome, 'config.toml'),
      `[model_providers.portkey]
name = "Portkey"
base_url = "https://api.portkey.ai/v1"
env_key = "PORTKEY_API_KEY"
wire_api = "chat"
`,
    );
    const repo = path.join(w.work, 'app');
    w.write(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const project = w.write(
      path.join(repo, '.codex', 'config.toml'),
      `model_provider = "portkey"
model = "@openai-prod/gpt-4o"
temperature = 0.2
max_output_tokens = 4096
`,
    );
    const r = await doctor(w, ['--json'], { cwd: repo });
    expect(r.code).toBe(1);
    const checks = json(r).checks;
    const find = (id: string, text?: string) =>
      checks.find((c) => c.id === id && (text === undefined || c.message.includes(text)));
    // wire_api = "chat" in the user config: Codex refuses to load it.
    expect(find('config.wire-api-chat')).toMatchObject({ status: 'error', file: user, line: 5 });
    expect(find('config.wire-api-chat')?.fix).toContain('wire_api = "responses"');
    // The project file cannot choose the provider, and is not trusted anyway.
    expect(find('config.project-ignored-key', '`model_provider`')).toMatchObject({
      status: 'warning',
      file: project,
      line: 1,
    });
    expect(find('config.project-ignored-key')?.fix).toContain('codexgw provider add');
    expect(find('config.project-untrusted')?.fix).toContain(`[projects."${repo}"] trust_level = "trusted"`);
    expect(find('provider.active')).toMatchObject({ status: 'warning' });
    expect(find('provider.active')?.fix).toBe('Choose one of your providers: `codexgw use portkey`.');
    // Keys Codex does not read.
    expect(find('config.ignored-key', '`temperature`')).toMatchObject({
      status: 'warning',
      file: project,
      line: 3,
    });
    expect(find('config.ignored-key', '`max_output_tokens`')).toMatchObject({ status: 'warning', line: 4 });
    expect(find('config.ignored-key', '`max_output_tokens`')?.fix).toContain('remove it');
  });

  it("Portkey's guide with the provider in the user config: the key variable, the @slug model", async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `model_provider = "portkey"
model = "@openai-prod/gpt-4o"

[model_providers.portkey]
name = "Portkey"
base_url = "https://api.portkey.ai/v1"
env_key = "PORTKEY_API_KEY"
wire_api = "chat"
`,
    );
    const checks = json(await doctor(w, ['--json'])).checks;
    const get = (id: string) => checks.find((c) => c.id === id)!;
    expect(get('provider.wire-api').status).toBe('error');
    expect(get('env.key-set')).toMatchObject({ status: 'error' });
    expect(get('env.key-set').fix).toContain('codexgw env set PORTKEY_API_KEY');
    expect(get('model.metadata').status).toBe('warning');
    expect(get('model.metadata').fix).toContain('"x-portkey-provider" = "@openai-prod"');
  });

  it("TrueFoundry's guide: a fully-qualified model name, the old /api/llm URL, no TFY_API_KEY", async () => {
    const w = makeWorld();
    w.write(
      path.join(w.codexHome, 'config.toml'),
      `model = "openai-main/gpt-4o"
model_provider = "truefoundry"

[model_providers.truefoundry]
name = "TrueFoundry"
base_url = "https://gateway.truefoundry.ai/api/llm"
env_key = "TFY_API_KEY"
wire_api = "chat"
`,
    );
    const r = await doctor(w, ['--json']);
    expect(r.code).toBe(1);
    const checks = json(r).checks;
    const get = (id: string) => checks.find((c) => c.id === id)!;
    expect(get('model.metadata').status).toBe('warning');
    expect(get('model.metadata').fix).toContain(
      'codexgw truefoundry routing-rule --model gpt-4o --target openai-main/gpt-4o',
    );
    expect(get('env.key-set')).toMatchObject({ status: 'error' });
    expect(get('env.key-set').fix).toContain('codexgw env set TFY_API_KEY');
    expect(get('provider.base-url')).toMatchObject({ status: 'warning' });
    expect(get('provider.base-url').fix).toBe(
      'Set base_url = "https://gateway.truefoundry.ai" in [model_providers.truefoundry].',
    );
    expect(get('provider.wire-api').status).toBe('error');
  });
});

describe('secrets never appear in any output', () => {
  const RC_KEY = 'pk-RCBLOCK-fedcba9876543210';

  it('text and JSON, offline and --online (with codex doctor), key in env and in the rc block', async () => {
    const w = makeWorld();
    // The gateway accepts neither key, so the failure paths are exercised too.
    const gw = await startFakeGateway({ requireKey: 'some-other-key-entirely' });
    try {
      w.write(
        path.join(w.codexHome, 'config.toml'),
        `model = "gpt-5"\nmodel_provider = "fake"\n[model_providers.fake]\nname = "Fake"\nbase_url = "${gw.baseUrl}"\nenv_key = "PORTKEY_API_KEY"\nenv_http_headers = { "x-portkey-api-key" = "PORTKEY_API_KEY" }\n`,
      );
      writeRcBlock(w, [['PORTKEY_API_KEY', RC_KEY]], 0o644);
      const env = { PORTKEY_API_KEY: KEY };
      const runs = [
        await doctor(w, [], { env }),
        await doctor(w, ['--json'], { env }),
        await doctor(w, ['--online', '--request', '--timeout', '5'], { env }),
        await doctor(w, ['--online', '--request', '--json', '--timeout', '5'], { env }),
      ];
      for (const r of runs) {
        for (const secret of [KEY, RC_KEY, KEY.slice(3, -4), RC_KEY.slice(3, -4)]) {
          expect(r.out).not.toContain(secret);
          expect(r.err).not.toContain(secret);
        }
      }
      // The masks are there instead, so the test did look at both values.
      expect(runs[0]!.out).toContain('pk…cdef');
      expect(runs[0]!.out).toContain('pk…3210');
      expect(one(json(runs[3]!).checks as never, 'online.models').status).toBe('error');
      expect(gw.requests.some((q) => q.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    } finally {
      await gw.close();
    }
  });
});
