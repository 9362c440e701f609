/**
 * codexgw against the real Codex 0.169 on the same fixtures: the same valid/invalid verdict
 * (strict and not), the same merged values, and the same origin layer and file for every key.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/checks/finding.ts';
import { checkLoadedConfig } from '../../src/checks/validate.ts';
import { loadConfig } from '../../src/config/layers.ts';
import { flatten, toJson } from '../../src/config/render.ts';
import { codexCheck, codexConfigRead, codexSandbox, codexStrictCheck } from '../helpers/codex.ts';

interface Scenario {
  name: string;
  user: string;
  /** Files relative to the workspace root (e.g. `repo/.codex/config.toml`); `{root}` is replaced. */
  files?: Record<string, string>;
  /** Directories to create (e.g. `repo/.git`). */
  dirs?: string[];
  /** cwd relative to the workspace root. */
  cwd?: string;
  overrides?: string[];
}

function setUp(s: Scenario) {
  const sb = codexSandbox();
  const fill = (t: string) => t.replaceAll('{root}', sb.cwd);
  writeFileSync(path.join(sb.codexHome, 'config.toml'), fill(s.user));
  for (const d of s.dirs ?? []) {
    mkdirSync(path.join(sb.cwd, d), { recursive: true });
    // Codex recognises a repository by .git/HEAD, not by an empty .git folder.
    if (d.endsWith('.git')) writeFileSync(path.join(sb.cwd, d, 'HEAD'), 'ref: refs/heads/main\n');
  }
  for (const [rel, text] of Object.entries(s.files ?? {})) {
    const file = path.join(sb.cwd, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, fill(text));
  }
  const cwd = path.join(sb.cwd, s.cwd ?? '');
  mkdirSync(cwd, { recursive: true });
  const overrides = (s.overrides ?? []).map(fill);
  const env = {
    HOME: sb.home,
    CODEX_HOME: sb.codexHome,
    CODEXGW_SYSTEM_CONFIG: path.join(sb.home, 'no-system.toml'),
  };
  return { ...sb, cwd, overrides, env };
}

function ourVerdict(s: ReturnType<typeof setUp>) {
  const loaded = loadConfig({ cwd: s.cwd, env: s.env, overrides: s.overrides, onError: 'collect' });
  // Codex checks only the layers it loads: skip untrusted project layers' findings here.
  const findings = checkLoadedConfig(loaded).filter((f) => {
    const layer = loaded.layers.find((l) => l.file === f.file);
    return !(layer?.kind === 'project' && !layer.loaded);
  });
  const sum = summarize(findings);
  // codexgw's --strict is stricter than Codex's in one place, on purpose: keys Codex strips from
  // project files are warnings (Codex ignores them), while codex --strict-config lets them pass.
  const strictWarnings = findings.filter((f) => f.severity === 'warning' && f.id !== 'project-ignored-key');
  return {
    loaded,
    plain: sum.errors === 0,
    strict: sum.errors === 0 && strictWarnings.length === 0,
    findings,
  };
}

const PROVIDER = `model = "gw-model"
model_provider = "gw"

[model_providers.gw]
name = "Gateway"
base_url = "http://127.0.0.1:9/v1"
env_key = "GW_KEY"
wire_api = "responses"
http_headers = { "X-User" = "u", "X-Shared" = "user" }
`;

const valid: Scenario[] = [
  {
    name: 'a provider with headers, an MCP server and trust entries',
    user: `${PROVIDER}
[mcp_servers.docs]
command = "npx"
args = ["-y", "docs"]
env = { LOG = "1" }

[projects."/somewhere/else"]
trust_level = "untrusted"

[history]
persistence = "none"
`,
  },
  {
    name: 'nested trusted project layers: deeper wins, tables merge',
    user: `${PROVIDER}\n[projects."{root}/repo"]\ntrust_level = "trusted"\n`,
    dirs: ['repo/.git'],
    files: {
      'repo/.codex/config.toml':
        'model = "root-model"\nmodel_reasoning_effort = "low"\n[mcp_servers.a]\ncommand = "x"\n',
      'repo/sub/.codex/config.toml': 'model = "sub-model"\n[mcp_servers.a]\nargs = ["--v"]\n',
    },
    cwd: 'repo/sub/dir',
  },
  {
    name: 'an untrusted project is not loaded',
    user: PROVIDER,
    dirs: ['repo/.git'],
    files: { 'repo/.codex/config.toml': 'model = "proj-model"\n' },
    cwd: 'repo',
  },
  {
    name: 'a trusted project cannot choose or define a provider',
    user: `${PROVIDER}\n[projects."{root}/repo"]\ntrust_level = "trusted"\n`,
    dirs: ['repo/.git'],
    files: {
      'repo/.codex/config.toml':
        'model = "proj-model"\nmodel_provider = "other"\nnotify = ["x"]\n[model_providers.other]\nname = "O"\n',
    },
    cwd: 'repo',
  },
  {
    name: '-c overrides beat files and merge inline tables',
    user: `${PROVIDER}\n[projects."{root}/repo"]\ntrust_level = "trusted"\n`,
    dirs: ['repo/.git'],
    files: { 'repo/.codex/config.toml': 'model = "proj-model"\n' },
    cwd: 'repo',
    overrides: [
      'model=override-model',
      'model_providers.gw.http_headers={ "X-Shared" = "flag", "X-C" = "c" }',
    ],
  },
  {
    name: 'trust granted by a -c override',
    user: PROVIDER,
    dirs: ['repo/.git'],
    files: { 'repo/.codex/config.toml': 'model_reasoning_effort = "high"\n' },
    cwd: 'repo',
    overrides: ['projects={ "{root}/repo" = { trust_level = "trusted" } }'],
  },
];

const invalid: Scenario[] = [
  { name: 'wire_api = "chat"', user: PROVIDER.replace('"responses"', '"chat"') },
  { name: 'reserved provider id', user: '[model_providers.openai]\nname = "x"\nbase_url = "http://h/v1"\n' },
  { name: 'provider without name', user: '[model_providers.p]\nbase_url = "http://h/v1"\n' },
  { name: 'model_provider naming an undefined provider', user: 'model_provider = "nope"\n' },
  { name: 'legacy profile selector', user: 'profile = "work"\n' },
  { name: 'approval_policy = "untrusted"', user: 'approval_policy = "untrusted"\n' },
  { name: 'auth with env_key', user: PROVIDER.replace('wire_api', 'auth = { command = "echo" }\nwire_api') },
  {
    name: 'temperature (Portkey docs)',
    user: `${PROVIDER.replace('model = "gw-model"', 'model = "gw-model"\ntemperature = 0.2')}`,
  },
  { name: 'unknown key in a provider', user: PROVIDER.replace('wire_api', 'api_key = "k"\nwire_api') },
  { name: 'malformed TOML', user: 'model = "gpt-5\n' },
  { name: 'wrong type', user: 'model_context_window = "abc"\n' },
  {
    name: 'integer field given a float',
    user: PROVIDER.replace('wire_api', 'request_max_retries = 3.0\nwire_api'),
  },
  { name: 'enum typo', user: 'sandbox_mode = "bogus"\n' },
  { name: 'unknown feature', user: '[features]\nnot_a_real_feature = true\n' },
  { name: 'notify as a string', user: 'notify = "notify-send"\n' },
  { name: 'MCP server with url and command', user: '[mcp_servers.m]\ncommand = "x"\nurl = "http://h"\n' },
  { name: 'MCP server with neither url nor command', user: '[mcp_servers.m]\nargs = ["x"]\n' },
  {
    name: 'a table named ollama-chat makes model_provider = "ollama-chat" load',
    user: 'model_provider = "ollama-chat"\n[model_providers.ollama-chat]\nname = "x"\nbase_url = "http://h/v1"\n',
  },
  { name: 'model_provider = "ollama-chat" without a table', user: 'model_provider = "ollama-chat"\n' },
  {
    name: 'unknown key in a -c override',
    user: PROVIDER,
    overrides: ['not_a_key=1'],
  },
  {
    name: 'broken trusted project file',
    user: `[projects."{root}/repo"]\ntrust_level = "trusted"\n`,
    dirs: ['repo/.git'],
    files: { 'repo/.codex/config.toml': 'sandbox_mode = "nope"\n' },
    cwd: 'repo',
  },
  {
    name: 'broken untrusted project file (Codex ignores it)',
    user: PROVIDER,
    dirs: ['repo/.git'],
    files: { 'repo/.codex/config.toml': 'model = [\n' },
    cwd: 'repo',
  },
];

describe('verdict agrees with codex --strict-config app-server --print-startup-config', () => {
  it.each([...valid, ...invalid].map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const s = setUp(scenario);
    const ours = ourVerdict(s);
    const [strict, plain] = await Promise.all([
      codexStrictCheck({ codexHome: s.codexHome, cwd: s.cwd, overrides: s.overrides }),
      codexCheck({ codexHome: s.codexHome, cwd: s.cwd, overrides: s.overrides }),
    ]);
    const describeOurs = ours.findings.map((f) => `${f.severity} ${f.id} ${f.key ?? ''}`).join('; ');
    expect(
      { strict: ours.strict, plain: ours.plain },
      `ours: ${describeOurs} | codex: ${strict.error?.detail ?? 'ok'}`,
    ).toEqual({
      strict: strict.ok,
      plain: plain.ok,
    });
  });
});

/** Codex's origin name → our layer kind and file. */
function codexOrigin(o: { name: { type: string; file?: string; dotCodexFolder?: string } }) {
  const kind =
    { user: 'user', project: 'project', sessionFlags: 'override', system: 'system' }[o.name.type] ??
    o.name.type;
  const file =
    o.name.file ?? (o.name.dotCodexFolder ? path.join(o.name.dotCodexFolder, 'config.toml') : null);
  return { layer: kind, file };
}

describe('merged values and origins agree with codex app-server config/read', () => {
  it.each(valid.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const s = setUp(scenario);
    const ours = ourVerdict(s);
    const codex = await codexConfigRead({ codexHome: s.codexHome, cwd: s.cwd, overrides: s.overrides });
    // Every value we merged has the same value in Codex's effective config.
    for (const [p, v] of flatten(ours.loaded.merged)) {
      const theirs = p.reduce<unknown>(
        (acc, k) => (acc as Record<string, unknown> | null)?.[k],
        codex.config,
      );
      expect(theirs, p.join('.')).toEqual(toJson(v));
    }
    // Every key Codex attributes to a file, we attribute to the same layer and file — and no more.
    const theirOrigins = Object.fromEntries(
      Object.entries(codex.origins)
        .filter(([, o]) => o.name.type !== 'system')
        .map(([k, o]) => [k, codexOrigin(o)]),
    );
    const ourOrigins = Object.fromEntries(
      [...ours.loaded.origins()].map(([k, o]) => [k, { layer: o.layer, file: o.file }]),
    );
    expect(ourOrigins).toEqual(theirOrigins);
  });
});
