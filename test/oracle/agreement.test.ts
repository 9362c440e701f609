/**
 * codexgw against the real Codex on the same fixtures, for every release with shipped rules
 * (0.169.0 and 0.171.0): the same valid/invalid verdict (strict and not), the same merged values,
 * and the same origin layer and file for every key. The fixtures cover what changed between the
 * releases (reference/codex-drift.md §2) and the gaps that hold on all of them (§4).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/checks/finding.ts';
import { checkLoadedConfig } from '../../src/checks/validate.ts';
import { rulesInUse } from '../../src/codex/detect.ts';
import type { RulesInUse } from '../../src/codex/rules.ts';
import { failsStrict } from '../../src/commands/validate.ts';
import { loadConfig } from '../../src/config/layers.ts';
import { flatten, toJson } from '../../src/config/render.ts';
import {
  CODEX_VERSIONS,
  type CodexVersion,
  codexCheck,
  codexConfigRead,
  codexPathDir,
  codexSandbox,
  codexStrictCheck,
} from '../helpers/codex.ts';
import { makeTempDir } from '../helpers/tmp.ts';

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

const cacheHome = makeTempDir('codexgw-cache-');

/** The rules validate picks with `codex` of this release first on PATH (no flag). */
function rulesOnPath(version: CodexVersion, home: string): RulesInUse {
  const PATH = [codexPathDir(version), path.dirname(process.execPath)].join(path.delimiter);
  return rulesInUse(undefined, { PATH, HOME: home, XDG_CACHE_HOME: cacheHome });
}

function ourVerdict(s: ReturnType<typeof setUp>, inUse: RulesInUse) {
  const loaded = loadConfig({ cwd: s.cwd, env: s.env, overrides: s.overrides, onError: 'collect' });
  // Codex checks only the layers it loads: skip untrusted project layers' findings here.
  const findings = checkLoadedConfig(loaded, inUse).filter((f) => {
    const layer = loaded.layers.find((l) => l.file === f.file);
    return !(layer?.kind === 'project' && !layer.loaded);
  });
  const sum = summarize(findings);
  return {
    loaded,
    plain: sum.errors === 0,
    // What `validate --strict` fails on: the same rule as the command's.
    strict: sum.errors === 0 && !findings.some(failsStrict),
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

/** Valid on every release: fields codexgw 0.1 refused (codex-drift.md §4). */
valid.push(
  {
    name: 'MCP omit_tools_from, startup_readiness = "catalog", a URL server with http_headers_helper',
    user: `${PROVIDER}
[mcp_servers.a]
command = "x"
omit_tools_from = ["deferred"]
startup_readiness = "catalog"

[mcp_servers.b]
url = "http://127.0.0.1:9/mcp"
http_headers_helper = "print-headers"
`,
  },
  {
    name: 'tui fields, [agents] settings beside a role, otel and shell_environment_policy.filters',
    user: `${PROVIDER}
[tui]
animations = false
theme = "dark"
alternate_screen = "never"

[agents]
max_depth = 2

[agents.reviewer]
description = "reviews"

[otel]
environment = "ci"

[shell_environment_policy]
inherit = "core"
filters = { PATH = "include" }
`,
  },
);

/** What 0.171.0 changed (codex-drift.md §2): verdicts differ between the releases. */
const drift: Scenario[] = [
  { name: 'the new [code_mode] table', user: '[code_mode]\nheartbeat_interval_s = 5\n' },
  { name: 'a bad value in [code_mode]', user: '[code_mode]\nheartbeat_interval_s = "x"\n' },
  { name: 'code_mode = true', user: 'code_mode = true\n' },
  { name: 'a bad responses.process_mode', user: '[responses]\nprocess_mode = "bogus"\n' },
  {
    name: 'responses.process_mode = "after_complete_response"',
    user: '[responses]\nprocess_mode = "after_complete_response"\n',
  },
  { name: 'rollout_trace.max_bytes', user: '[rollout_trace]\nmax_bytes = 1000\n' },
  { name: 'a feature new in 0.171', user: '[features]\nsafe_image_decoder = true\n' },
  { name: 'otel.headers_helper', user: '[otel]\nheaders_helper = "print-headers"\n' },
  {
    name: 'otel.headers_helper_refresh_interval_ms = 0',
    user: '[otel]\nheaders_helper_refresh_interval_ms = 0\n',
  },
];

/** Refused on every release, accepted by codexgw 0.1 (codex-drift.md §4). */
const gaps: Scenario[] = [
  { name: 'experimental_thread_store_endpoint', user: 'experimental_thread_store_endpoint = "http://h"\n' },
  { name: 'approval_policy = { granular = {} }', user: 'approval_policy = { granular = {} }\n' },
  {
    name: 'provider request_max_retries = -1',
    user: PROVIDER.replace('wire_api', 'request_max_retries = -1\nwire_api'),
  },
  { name: 'provider gateway_oauth = {}', user: PROVIDER.replace('wire_api', 'gateway_oauth = {}\nwire_api') },
  {
    name: 'provider capabilities with an unknown field',
    user: PROVIDER.replace('wire_api', 'capabilities = { bogus = true }\nwire_api'),
  },
  { name: 'shell_environment_policy.filters = "x"', user: '[shell_environment_policy]\nfilters = "x"\n' },
  {
    name: 'stdio MCP server with bearer_token_env_var',
    user: '[mcp_servers.m]\ncommand = "x"\nbearer_token_env_var = "T"\n',
  },
  {
    name: 'stdio MCP server with oauth_resource',
    user: '[mcp_servers.m]\ncommand = "x"\noauth_resource = "r"\n',
  },
  {
    name: 'MCP default_tools_approval_mode = "bogus"',
    user: '[mcp_servers.m]\ncommand = "x"\ndefault_tools_approval_mode = "bogus"\n',
  },
  { name: 'tui.theme as a table', user: '[tui.theme]\nname = "x"\n' },
  { name: '[[agents]] as an array of tables', user: '[[agents]]\nname = "x"\n' },
  { name: 'legacy [profiles.x] with an unknown field', user: '[profiles.x]\nmodel = "m"\nbogus = 1\n' },
  { name: 'legacy [profiles.x] with a bad enum value', user: '[profiles.x]\nsandbox_mode = "bogus"\n' },
  { name: 'model_catalog_json naming a missing file', user: 'model_catalog_json = "no-such-catalog.json"\n' },
  {
    name: 'model_instructions_file naming a missing file',
    user: 'model_instructions_file = "no-such-file.md"\n',
  },
  { name: 'a TOML date that does not exist (Feb 30)', user: 'x = 2024-02-30\n' },
  { name: 'Feb 29 2100 (not a leap year)', user: 'x = 2100-02-29T00:00:00Z\n' },
  { name: 'a BOM that is not at the start', user: 'model = "a"\n\uFEFFsandbox_mode = "read-only"\n' },
  {
    name: 'wire_api = "chat" in a reserved provider table',
    user: '[model_providers.openai]\nwire_api = "chat"\n',
  },
  {
    name: 'client_search_provider (listed by config/read, refused by --strict-config)',
    user: 'client_search_provider = "x"\n',
  },
  { name: 'agents.max_threads = 0', user: '[agents]\nmax_threads = 0\n' },
  { name: 'agents.max_threads = 2 (Codex renames it)', user: '[agents]\nmax_threads = 2\n' },
  { name: 'rollout_trace.enabled (not a field, on any release)', user: '[rollout_trace]\nenabled = true\n' },
  {
    name: 'MCP omit_tools_from with a value Codex does not know',
    user: '[mcp_servers.m]\ncommand = "x"\nomit_tools_from = ["review"]\n',
  },
  { name: 'history.max_bytes = -1', user: '[history]\nmax_bytes = -1\n' },
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

const everyScenario = [...valid, ...invalid, ...drift, ...gaps];

describe.each(CODEX_VERSIONS)(
  'verdict agrees with codex %s --strict-config app-server --print-startup-config',
  (version) => {
    it.each(everyScenario.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
      const s = setUp(scenario);
      const onPath = rulesOnPath(version, s.home);
      expect(onPath).toMatchObject({ source: 'path', codexVersion: version });
      const byFlag = rulesInUse(version, {});
      expect(byFlag.rules).toBe(onPath.rules);
      expect(byFlag.rules.version).toBe(version);
      const ours = ourVerdict(s, byFlag);
      const [strict, plain] = await Promise.all([
        codexStrictCheck({ codexHome: s.codexHome, cwd: s.cwd, overrides: s.overrides, version }),
        codexCheck({ codexHome: s.codexHome, cwd: s.cwd, overrides: s.overrides, version }),
      ]);
      const describeOurs = ours.findings.map((f) => `${f.severity} ${f.id} ${f.key ?? ''}`).join('; ');
      expect(
        { strict: ours.strict, plain: ours.plain },
        `ours: ${describeOurs} | codex strict: ${strict.error?.detail ?? 'ok'} | plain: ${plain.error?.detail ?? 'ok'}`,
      ).toEqual({
        strict: strict.ok,
        plain: plain.ok,
      });
    });
  },
);

describe('the drift fixtures', () => {
  it('tell the releases apart', async () => {
    // Each drift fixture gets the same verdict from codexgw as from the binary (above); here, that
    // they are not the same for both releases, so the suite sees drift.
    const differs = await Promise.all(
      drift.map(async (scenario) => {
        const verdicts = await Promise.all(
          CODEX_VERSIONS.map(async (v) => {
            const s = setUp(scenario);
            const [strict, plain] = await Promise.all([
              codexStrictCheck({ codexHome: s.codexHome, cwd: s.cwd, version: v }),
              codexCheck({ codexHome: s.codexHome, cwd: s.cwd, version: v }),
            ]);
            return `${strict.ok}/${plain.ok}`;
          }),
        );
        return new Set(verdicts).size > 1;
      }),
    );
    expect(differs.filter(Boolean).length, drift.map((d, i) => `${d.name}: ${differs[i]}`).join('\n')).toBe(
      drift.length,
    );
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

describe.each(CODEX_VERSIONS)(
  'merged values and origins agree with codex %s app-server config/read',
  (version) => {
    it.each(valid.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
      const s = setUp(scenario);
      const ours = ourVerdict(s, rulesInUse(version, {}));
      const codex = await codexConfigRead({
        codexHome: s.codexHome,
        cwd: s.cwd,
        overrides: s.overrides,
        version,
      });
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
  },
);
