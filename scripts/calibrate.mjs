#!/usr/bin/env node
// Calibrate codexgw's Codex rules from a real Codex binary, offline (reference/codex-drift.md §6):
//
//   npm run calibrate -- <path to codex> [--out <file>] [--check]
//
// Writes src/codex/rules/<version>.json: every top-level key and provider field (config/read),
// the type of each key and of the fields of its tables (a wrong value under --strict-config and
// the "expected …" in the error), whether each table is closed (an unknown sub-key), the feature
// names (`codex features list`), reserved and built-in provider ids (a candidate list), the keys
// Codex strips from project files (config/read layers in a trusted temp repository) and the
// bundled model catalog (`codex debug models --bundled`). --check compares with the committed
// file instead of writing it and exits 1 on a difference.
//
// Each probe is one run of the binary (~20 ms for the native one); probes run 4 at a time.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RULES_DIR = path.join(ROOT, 'src', 'codex', 'rules');
const PROBE = 'codexgw_probe';
const CONCURRENCY = 4;
/** aws is only allowed on the built-in Bedrock provider, so its fields are probed there. */
const BEDROCK = 'amazon-bedrock';

/**
 * Sub-fields codexgw knows or has seen in Codex's docs, per table. config/read does not list a
 * table's fields, so these are the candidates; each one is kept only when the binary knows it.
 */
const FIELD_CANDIDATES = {
  history: ['persistence', 'max_bytes'],
  sandbox_workspace_write: [
    'writable_roots',
    'network_access',
    'exclude_tmpdir_env_var',
    'exclude_slash_tmp',
  ],
  shell_environment_policy: [
    'inherit',
    'ignore_default_excludes',
    'exclude',
    'include_only',
    'set',
    'filters',
    'experimental_use_profile',
  ],
  tui: [
    'notifications',
    'notification_method',
    'animations',
    'show_tooltips',
    'alternate_screen',
    'theme',
    'status_line',
    'scroll_events_per_tick',
    'scroll_wheel_lines',
    'scroll_mode',
    'keymap',
  ],
  otel: [
    'environment',
    'exporter',
    'trace_exporter',
    'metrics_exporter',
    'log_user_prompt',
    'headers_helper',
    'headers_helper_refresh_interval_ms',
  ],
  agents: ['max_threads', 'max_depth', 'job_max_runtime_seconds'],
  'agents.*': ['description', 'config_file', 'nickname_candidates'],
  code_mode: ['heartbeat_interval_s', 'enabled'],
  responses: ['process_mode'],
  rollout_trace: ['max_bytes', 'max_payload_bytes', 'enabled'],
  analytics: ['enabled'],
  feedback: ['enabled'],
  windows: ['sandbox'],
  tools: ['web_search', 'view_image'],
  'model_providers.*.auth': ['command', 'args', 'timeout_ms', 'refresh_interval_ms', 'cwd'],
  'model_providers.*.aws': ['profile', 'region', 'credential_export', 'auth_refresh'],
  'projects.*': ['trust_level'],
  'mcp_servers.*': [
    'command',
    'args',
    'env',
    'env_vars',
    'cwd',
    'url',
    'bearer_token_env_var',
    'bearer_token',
    'http_headers',
    'env_http_headers',
    'http_headers_helper',
    'enabled',
    'required',
    'startup_timeout_sec',
    'startup_timeout_ms',
    'tool_timeout_sec',
    'enabled_tools',
    'disabled_tools',
    'environment_id',
    'scopes',
    'oauth_resource',
    'name',
    'tools',
    'default_tools_approval_mode',
    'supports_parallel_tool_calls',
    'oauth',
    'omit_tools_from',
    'startup_readiness',
  ],
  'profiles.*': [
    'model',
    'service_tier',
    'model_provider',
    'approval_policy',
    'approvals_reviewer',
    'sandbox_mode',
    'model_reasoning_effort',
    'plan_mode_reasoning_effort',
    'model_reasoning_summary',
    'model_verbosity',
    'model_catalog_json',
    'personality',
    'chatgpt_base_url',
    'openai_file_api_base_url',
    'model_instructions_file',
    'js_repl_node_path',
    'js_repl_node_module_dirs',
    'zsh_path',
    'experimental_instructions_file',
    'experimental_compact_prompt_file',
    'include_apply_patch_tool',
    'include_permissions_instructions',
    'include_apps_instructions',
    'include_environment_context',
    'experimental_use_unified_exec_tool',
    'experimental_use_freeform_apply_patch',
    'tools_view_image',
    'tools',
    'web_search',
    'analytics',
    'windows',
    'features',
    'oss_provider',
  ],
};

/** Provider ids worth probing: Codex's built-ins as seen so far, and ids users pick. */
const PROVIDER_ID_CANDIDATES = [
  'openai',
  'ollama',
  'lmstudio',
  'amazon-bedrock',
  'amazon-bedrock-runtime',
  'oss',
  'ollama-chat',
  'azure',
  'openrouter',
  'portkey',
  'truefoundry',
  'litellm',
  'anthropic',
  'gemini',
  'vertex',
  'OpenAI',
];

/** Feature names older releases used that may still be accepted as aliases. */
const FEATURE_ALIAS_CANDIDATES = [
  'collab',
  'codex_hooks',
  'connectors',
  'enable_experimental_windows_sandbox',
  'experimental_use_unified_exec_tool',
  'memory_tool',
  'web_search',
  'experimental_use_freeform_apply_patch',
  'include_apply_patch_tool',
  'unified_exec_tool',
];

/** Keys whose value a probe of the whole table cannot reach; their fields are probed under a placeholder id. */
const RECORD_TABLES = ['model_providers', 'mcp_servers', 'projects', 'profiles'];

// ---------------------------------------------------------------------------------------------
// Running the binary

function env(home) {
  return { PATH: process.env.PATH, HOME: home, CODEX_HOME: home, RUST_BACKTRACE: '0', NO_COLOR: '1' };
}

function run(codex, args, { home, cwd, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(codex, args, {
      cwd: cwd ?? home,
      env: env(home),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s) => {
      stderr += s;
    });
    const timer = setTimeout(() => killGroup(child), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** The launcher (bin/codex.js) spawns the native binary: kill the whole process group. */
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function tempHome(parent) {
  return mkdtempSync(path.join(parent, 'h-'));
}

/** Codex's verdict on a config text: undefined when it loads, else the error detail. */
async function verdict(codex, parent, text, strict = true) {
  const home = tempHome(parent);
  writeFileSync(path.join(home, 'config.toml'), text);
  const r = await run(
    codex,
    [...(strict ? ['--strict-config'] : []), 'app-server', '--print-startup-config'],
    {
      home,
    },
  );
  rmSync(home, { recursive: true, force: true });
  const line = r.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  const json = line ? JSON.parse(line) : undefined;
  if (r.code === 0 && json?.appServerVersion) return undefined;
  const detail = json?.error?.data?.detail ?? json?.error?.message ?? r.stderr.trim();
  // Drop the file position: the text after "<file>:<line>:<col>: ".
  // Drop the file position ("<file>:<line>:<col>: ") and the temp home from the text.
  return detail
    .replace(/^.*?config\.toml:\d+:\d+: /s, '')
    .split('\n')[0]
    .replaceAll(home, '$CODEX_HOME');
}

/** config/read over `codex app-server` (JSON-RPC on stdio). */
async function configRead(codex, home, cwd) {
  const lines = [
    { id: 1, method: 'initialize', params: { clientInfo: { name: 'codexgw-calibrate', version: '0' } } },
    { method: 'initialized' },
    { id: 2, method: 'config/read', params: { cwd, includeLayers: true } },
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(codex, ['app-server'], {
      cwd,
      env: env(home),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`config/read timed out: ${stderr}`));
    }, 20_000);
    child.stderr.setEncoding('utf8').on('data', (s) => {
      stderr += s;
    });
    child.stdout.setEncoding('utf8').on('data', (s) => {
      buffer += s;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.id === 1) {
          child.stdin.write(`${JSON.stringify(lines[1])}\n${JSON.stringify(lines[2])}\n`);
        } else if (msg.id === 2) {
          clearTimeout(timer);
          killGroup(child);
          if (msg.error) reject(new Error(`config/read: ${JSON.stringify(msg.error)}`));
          else resolve(msg.result);
        }
      }
    });
    child.once('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdin.write(`${JSON.stringify(lines[0])}\n`);
  });
}

/** Run `fn` over `items`, `limit` at a time, keeping the order. */
async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading Codex's errors

const quoteKey = (k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k));
const dotted = (segments) => segments.map(quoteKey).join('.');

/** Context a probe needs so that only the probed key can fail (a provider needs a name). */
function probeText(segments, literal, context = []) {
  const [head, id] = segments;
  // A required field in the context is left out when it is the one probed.
  const lines = context.filter((line) => !line.startsWith(`${dotted(segments)} = `));
  if (head === 'model_providers' && segments.length > 2 && id !== BEDROCK && segments[2] !== 'name') {
    lines.push(`model_providers.${id}.name = "p"`);
  }
  if (head === 'mcp_servers' && segments.length > 2 && segments[2] !== 'command' && segments[2] !== 'url') {
    lines.push(`mcp_servers.${id}.command = "x"`);
  }
  lines.push(`${dotted(segments)} = ${literal}`);
  return `${lines.join('\n')}\n`;
}

const INT_KINDS = ['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'usize', 'isize'];
const INT_RANGE = {
  u8: [0, 255],
  u16: [0, 65535],
  u32: [0, 4294967295],
  u64: [0, null],
  usize: [0, null],
  i8: [-128, 127],
  i16: [-32768, 32767],
  i32: [-2147483648, 2147483647],
  i64: [null, null],
  isize: [null, null],
};

/** What an error says the key expects: `expected …` up to the end. */
function expected(detail) {
  const m = /expected (.*?)(?:\s+in `[^`]*`)?$/.exec(detail ?? '');
  return m ? m[1] : undefined;
}

function enumValues(detail) {
  const m = /unknown variant `[^`]*`, expected (?:one of )?(.*)$/.exec(detail ?? '');
  if (!m) return undefined;
  return [...m[1].matchAll(/`([^`]*)`/g)].map((x) => x[1]);
}

// ---------------------------------------------------------------------------------------------
// Probing types

/**
 * The type of the value at `segments`: probe an integer and a string, then narrow.
 * Returns a rule: { type: 'string' | 'boolean' | 'integer' | 'float' | 'enum' | 'array' | 'table' | 'any' | 'other', … }.
 */
async function probeType(ctx, segments, depth, context = []) {
  if (segments[0] === 'model_providers' && segments[2] === 'aws')
    segments = [segments[0], BEDROCK, ...segments.slice(2)];
  const text = (literal) => probeText(segments, literal, context);
  const [asInt, asStr] = await Promise.all([ctx.verdict(text('1')), ctx.verdict(text(`"${PROBE}"`))]);
  const values = enumValues(asStr);
  if (values) return { type: 'enum', values };
  const e1 = expected(asInt);
  const e2 = expected(asStr);
  if (asInt && /unknown configuration field/.test(asInt) && /unknown configuration field/.test(asStr ?? '')) {
    return { type: 'unknown' };
  }
  if (asInt === undefined && asStr === undefined) return { type: 'any' };
  if (e1 === 'a string' && asStr === undefined) return { type: 'string' };
  // A string Codex checks further at load (a provider that must exist, a stdio-only field, …).
  if (e1 === 'a string' && !/^invalid (type|value)/.test(asStr)) return { type: 'string', checked: asStr };
  if (e1 === 'path string') {
    return asStr === undefined
      ? { type: 'path' }
      : { type: 'path', mustExist: /No such file/.test(asStr), checked: asStr };
  }
  if (e2 === 'a boolean' || e1 === 'a boolean') return { type: 'boolean' };
  if (e2 && INT_KINDS.includes(e2) && asInt === undefined) {
    const [min, max] = INT_RANGE[e2];
    const rule = { type: 'integer', kind: e2 };
    if (min !== null) rule.min = min;
    if (max !== null) rule.max = max;
    // A non-zero integer (Codex says "expected a non-zero …" for 0).
    if (min === 0 && (await ctx.verdict(text('0')))) rule.min = 1;
    return rule;
  }
  const nonZero = /^a non-?zero (\w+)$/.exec(e2 ?? '');
  if (nonZero && INT_KINDS.includes(nonZero[1]) && asInt === undefined) {
    return {
      type: 'integer',
      kind: nonZero[1],
      min: 1,
      ...(INT_RANGE[nonZero[1]][1] ? { max: INT_RANGE[nonZero[1]][1] } : {}),
    };
  }
  if (e2 === 'f64' || e2 === 'f32' || e2 === 'a float') return { type: 'float' };
  if (e1 === 'a sequence' || e2 === 'a sequence') {
    const el = await ctx.verdict(text('[1]'));
    const elStr = await ctx.verdict(text(`["${PROBE}"]`));
    if (el === undefined && elStr === undefined) return { type: 'array', element: { type: 'any' } };
    const values = enumValues(elStr);
    if (values) return { type: 'array', element: { type: 'enum', values } };
    if (expected(el) === 'a string' && elStr === undefined)
      return { type: 'array', element: { type: 'string' } };
    if (expected(el) === 'path string') return { type: 'array', element: { type: 'path' } };
    return { type: 'array', element: { type: 'other', expected: expected(el) ?? expected(elStr) } };
  }
  const tableLike = (e) => e && (/^struct /.test(e) || e === 'a map' || /^a table/.test(e));
  if (tableLike(e1) || tableLike(e2)) return probeTable(ctx, segments, depth, context);
  return {
    type: 'other',
    expected: e1 ?? e2 ?? null,
    acceptsInteger: asInt === undefined,
    acceptsString: asStr === undefined,
  };
}

/**
 * A table: closed (an unknown sub-key is refused under --strict-config, or always when Codex says
 * "unknown field … expected …") with known fields, or a map whose values have one type.
 */
async function probeTable(ctx, segments, depth, context) {
  const pattern = segments.map((s, i) => (s === PROBE || (i === 1 && s === BEDROCK) ? '*' : s)).join('.');
  let unknown;
  const required = [];
  for (let tries = 0; tries < 4; tries++) {
    unknown = await ctx.verdict(probeText([...segments, PROBE], '1', context));
    const missing = /missing field `([^`]+)`/.exec(unknown ?? '');
    if (!missing) break;
    required.push(missing[1]);
    context = [...context, `${dotted([...segments, missing[1]])} = "x"`];
  }
  const denied = /unknown field `[^`]*`, expected (.*)$/.exec(unknown ?? '');
  if (denied || /unknown configuration field/.test(unknown ?? '')) {
    const rule = { type: 'table', closed: denied ? 'always' : 'strict' };
    if (required.length) rule.required = required;
    const listed = denied ? [...denied[1].matchAll(/`([^`]*)`/g)].map((x) => x[1]) : [];
    const candidates = [
      ...new Set([...listed, ...(FIELD_CANDIDATES[pattern] ?? []), ...(ctx.fieldsFromRead[pattern] ?? [])]),
    ];
    // Without candidates the fields are not known: the table is typed, its contents are not.
    if (candidates.length === 0 || depth >= 3) return { ...rule, fields: null };
    const probed = await pool(candidates, CONCURRENCY, (f) =>
      probeType(ctx, [...segments, f], depth + 1, context),
    );
    const fields = {};
    candidates.forEach((f, i) => {
      if (probed[i].type !== 'unknown') fields[f] = probed[i];
    });
    return { ...rule, fields: sortKeys(fields) };
  }
  const values =
    unknown === undefined
      ? { type: 'any' }
      : depth >= 3
        ? simpleType(expected(unknown))
        : await probeType(ctx, [...segments, PROBE], depth + 1, context);
  const rule = { type: 'map', values };
  // A map that also has named fields of its own (agents: max_threads beside the roles).
  const candidates = [
    ...new Set([...(FIELD_CANDIDATES[pattern] ?? []), ...(ctx.fieldsFromRead[pattern] ?? [])]),
  ];
  if (candidates.length && depth < 3) {
    const probed = await pool(candidates, CONCURRENCY, (f) =>
      probeType(ctx, [...segments, f], depth + 1, context),
    );
    const fields = {};
    candidates.forEach((f, i) => {
      if (JSON.stringify(probed[i]) !== JSON.stringify(values)) fields[f] = probed[i];
    });
    if (Object.keys(fields).length) rule.fields = sortKeys(fields);
  }
  return rule;
}

/** The rule an "expected …" names, where no further probe is made. */
function simpleType(what) {
  if (what === 'a string') return { type: 'string' };
  if (what === 'a boolean') return { type: 'boolean' };
  if (INT_KINDS.includes(what)) return { type: 'integer', kind: what };
  return { type: 'other', expected: what ?? null };
}

function sortKeys(obj) {
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]]),
  );
}

// ---------------------------------------------------------------------------------------------
// The other probes

async function features(ctx) {
  const r = await run(ctx.codex, ['features', 'list'], { home: ctx.home() });
  if (r.code !== 0) throw new Error(`codex features list failed: ${r.stderr}`);
  const out = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+)\s+(.+?)\s+(true|false)\s*$/.exec(line);
    if (m) out[m[1]] = { stage: m[2], default: m[3] === 'true' };
  }
  return sortKeys(out);
}

async function featureAliases(ctx, known) {
  const candidates = FEATURE_ALIAS_CANDIDATES.filter((n) => !(n in known));
  const verdicts = await pool(candidates, CONCURRENCY, (n) => ctx.verdict(`features.${n} = true\n`));
  return candidates.filter((_, i) => verdicts[i] === undefined).sort();
}

async function catalog(ctx) {
  const r = await run(ctx.codex, ['debug', 'models', '--bundled'], { home: ctx.home() });
  if (r.code !== 0) throw new Error(`codex debug models --bundled failed: ${r.stderr}`);
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  return json.models.map((m) => ({ slug: m.slug, display_name: m.display_name ?? m.slug }));
}

async function providerIds(ctx) {
  const tableVerdicts = await pool(PROVIDER_ID_CANDIDATES, CONCURRENCY, (id) =>
    ctx.verdict(`[model_providers.${quoteKey(id)}]\nname = "x"\nbase_url = "http://127.0.0.1:9/v1"\n`),
  );
  const selectVerdicts = await pool(PROVIDER_ID_CANDIDATES, CONCURRENCY, (id) =>
    ctx.verdict(`model_provider = ${JSON.stringify(id)}\n`),
  );
  const reserved = [];
  const restricted = [];
  const builtin = [];
  const removed = [];
  PROVIDER_ID_CANDIDATES.forEach((id, i) => {
    const t = tableVerdicts[i] ?? '';
    if (/reserved built-in provider/.test(t)) reserved.push(id);
    else if (/only supports changing/.test(t)) restricted.push(id);
    const s = selectVerdicts[i];
    if (s === undefined) builtin.push(id);
    else if (/no longer supported/.test(s)) removed.push(id);
  });
  // What a restricted built-in lets you change, as Codex's message lists it.
  let restrictedFields = [];
  const r = restricted.length ? tableVerdicts[PROVIDER_ID_CANDIDATES.indexOf(restricted[0])] : '';
  const m = /only supports changing (.*?); other/.exec(r ?? '');
  if (m) restrictedFields = [...m[1].matchAll(/`([^`]*)`/g)].map((x) => x[1]);
  return { reserved, restricted, restrictedFields, builtin, removed };
}

/**
 * Keys Codex strips from a trusted project's .codex/config.toml: set every key a probe can give a
 * valid value, and see which ones the project layer in config/read lacks.
 */
async function projectStripped(ctx, keys, featureNames) {
  const root = mkdtempSync(path.join(ctx.parent, 'p-'));
  const home = path.join(root, 'home');
  const repo = path.join(root, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(path.join(repo, '.codex'), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(
    path.join(home, 'config.toml'),
    `model_provider = "p"\n[model_providers.p]\nname = "p"\n[projects.${JSON.stringify(repo)}]\ntrust_level = "trusted"\n`,
  );
  const candidates = [];
  for (const [key, rule] of Object.entries(keys)) {
    if (key === 'features' && featureNames.length) continue; // set below, one feature at a time
    const literal = validLiteral(key, rule);
    if (literal !== undefined) candidates.push([key, `${quoteKey(key)} = ${literal}`]);
  }
  for (const f of featureNames) candidates.push([`features.${f}`, `features.${quoteKey(f)} = true`]);
  // Only values that load on their own (in a user file), so the project file as a whole loads.
  // (`profile` is fatal in a user file, and `model_provider` needs the provider the user file defines.)
  const loads = await pool(candidates, CONCURRENCY, ([key, line]) =>
    key === 'profile'
      ? undefined
      : ctx.verdict(key === 'model_provider' ? `${line}\n[model_providers.p]\nname = "p"\n` : `${line}\n`),
  );
  const usable = candidates.filter((_, i) => loads[i] === undefined);
  const lines = usable.map(([, line]) => line);
  const set = usable.map(([key]) => key);
  writeFileSync(path.join(repo, '.codex', 'config.toml'), `${lines.join('\n')}\n`);
  try {
    const read = await configRead(ctx.codex, home, repo);
    const layer = read.layers.find((l) => l.name?.type === 'project');
    if (!layer) throw new Error('config/read listed no project layer');
    const kept = layer.config ?? {};
    return set
      .filter((k) => {
        const [head, sub] = k.split('.');
        return sub === undefined ? !(head in kept) : !(kept[head] && sub in kept[head]);
      })
      .sort();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A value that loads for a key of this rule (undefined when no simple one is known). */
function validLiteral(key, rule) {
  if (key === 'profile' || key === 'model_provider') return '"p"';
  if (key === 'approval_policy') return '"on-request"';
  switch (rule.type) {
    case 'string':
      return '"x"';
    case 'any':
      return '"x"';
    case 'boolean':
      return 'true';
    case 'integer':
      return String(Math.max(rule.min ?? 1, 1));
    case 'enum':
      return JSON.stringify(rule.values[rule.values.length - 1]);
    case 'array':
      return rule.element.type === 'string' || rule.element.type === 'any' ? '["x"]' : '[]';
    case 'table':
    case 'map':
      return '{}';
    default:
      return undefined;
  }
}

/**
 * config/read lists every field of a table that is set (null when unset, nested tables expanded):
 * set each top-level key that loads as `{}` (and one MCP server and legacy profile), read once,
 * and keep the field names of every table in the answer as candidates for the probes.
 */
async function tableFieldsFromRead(ctx, topLevel) {
  const skip = new Set(['model_providers', 'mcp_servers', 'profiles', 'projects', 'features']);
  const keys = topLevel.filter((k) => !skip.has(k));
  const loads = await pool(keys, CONCURRENCY, (k) => ctx.verdict(`${quoteKey(k)} = {}\n`));
  const tables = keys.filter((_, i) => loads[i] === undefined);
  const home = ctx.home();
  const lines = [
    ...tables.map((k) => `${quoteKey(k)} = {}`),
    `mcp_servers.${PROBE}.command = "x"`,
    `profiles.${PROBE}.model = "x"`,
  ];
  // A provider's sub-tables, each where Codex allows it (aws only on the Bedrock built-in).
  const providerExtras = [
    `model_providers.${PROBE}.name = "p"`,
    `model_providers.${PROBE}.capabilities = {}`,
    `model_providers.${BEDROCK}.aws = {}`,
  ];
  const extrasLoad = (await ctx.verdict(`${providerExtras.join('\n')}\n`)) === undefined;
  writeFileSync(
    path.join(home, 'config.toml'),
    `${[...lines, ...(extrasLoad ? providerExtras : [])].join('\n')}\n`,
  );
  const read = await configRead(ctx.codex, home, home);
  const provider = read.config.model_providers ?? {};
  for (const sub of ['capabilities', 'aws']) {
    const table = provider[PROBE]?.[sub] ?? provider[BEDROCK]?.[sub];
    if (table && typeof table === 'object')
      ctx.fieldsFromRead[`model_providers.*.${sub}`] = Object.keys(table).sort();
  }
  const collect = (value, pattern) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const names = Object.keys(value);
    if (names.length === 0) return;
    ctx.fieldsFromRead[pattern] = names.sort();
    for (const n of names) collect(value[n], `${pattern}.${n}`);
  };
  for (const k of tables) collect(read.config[k], k);
  collect(read.config.mcp_servers?.[PROBE], 'mcp_servers.*');
  collect(read.config.profiles?.[PROBE], 'profiles.*');
}

// ---------------------------------------------------------------------------------------------

/**
 * Calibrate from `codex`. With `sample` (key names) and `known` (committed rules), probe only those
 * keys' types (deeply) and take the rest of the key types from `known` where another probe needs
 * them: every other part is measured in full. The test suite uses that to stay within seconds.
 */
export async function calibrate(codex, { sample, known } = {}) {
  const parent = mkdtempSync(
    path.join(process.env.CODEXGW_CALIBRATE_TMP ?? os.tmpdir(), 'codexgw-calibrate-'),
  );
  try {
    const ctx = {
      codex,
      parent,
      home: () => tempHome(parent),
      verdict: (text) => verdict(codex, parent, text, true),
      fieldsFromRead: {},
    };
    const v = await run(codex, ['--version'], { home: ctx.home() });
    const version = /(\d+\.\d+\.\d+\S*)/.exec(v.stdout)?.[1];
    if (!version) throw new Error(`cannot read a version in: ${v.stdout}${v.stderr}`);

    const readHome = ctx.home();
    writeFileSync(path.join(readHome, 'config.toml'), '[model_providers.p]\nname = "p"\n');
    const read = await configRead(codex, readHome, readHome);
    const topLevel = Object.keys(read.config).sort();
    ctx.fieldsFromRead['model_providers.*'] = Object.keys(read.config.model_providers.p).sort();
    await tableFieldsFromRead(ctx, topLevel);

    const toProbe = sample ? topLevel.filter((k) => sample.includes(k)) : topLevel;
    const probed = await pool(toProbe, CONCURRENCY, async (key) => {
      if (RECORD_TABLES.includes(key)) {
        return { type: 'map', values: await probeType(ctx, [key, PROBE], 1) };
      }
      return probeType(ctx, [key], 0);
    });
    const keys = sortKeys(Object.fromEntries(toProbe.map((k, i) => [k, probed[i]])));
    const allKeys = sample ? { ...known.keys, ...keys } : keys;
    const feats = await features(ctx);
    const aliases = await featureAliases(ctx, feats);
    const models = await catalog(ctx);
    const providers = await providerIds(ctx);
    const stripped = await projectStripped(
      ctx,
      allKeys,
      ['respect_system_proxy'].filter((f) => f in feats),
    );
    return {
      $comment: `Written by scripts/calibrate.mjs from ${v.stdout.trim()}; do not edit: re-run it.`,
      version,
      ...(sample ? { keyNames: topLevel } : {}),
      keys,
      providerFields: ctx.fieldsFromRead['model_providers.*'],
      features: feats,
      featureAliases: aliases,
      providers,
      projectStripped: stripped,
      models,
    };
  } finally {
    rmSync(parent, { recursive: true, force: true, maxRetries: 5 });
  }
}

const TRIPLES = {
  'linux-x64': 'x86_64-unknown-linux-musl',
  'linux-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
  'win32-x64': 'x86_64-pc-windows-msvc',
  'win32-arm64': 'aarch64-pc-windows-msvc',
};

/**
 * The native binary behind an npm launcher (bin/codex.js spawns it; a probe through node costs
 * ~5x as much). Anything else is returned as given.
 */
export function nativeCodex(codex) {
  const real = realpathSync(codex);
  if (!real.endsWith('.js')) return codex;
  const target = `${process.platform}-${process.arch}`;
  const triple = TRIPLES[target];
  try {
    const pkg = createRequire(real).resolve(`@openai/codex-${target}/package.json`);
    const bin = path.join(
      path.dirname(pkg),
      'vendor',
      triple,
      'bin',
      process.platform === 'win32' ? 'codex.exe' : 'codex',
    );
    return existsSync(bin) ? bin : codex;
  } catch {
    return codex;
  }
}

export function rulesFile(version) {
  return path.join(RULES_DIR, `${version}.json`);
}

export const serialize = (rules) => `${JSON.stringify(rules, null, 2)}\n`;

async function main(argv) {
  const args = argv.slice(2);
  const check = args.includes('--check');
  const outIdx = args.indexOf('--out');
  const out = outIdx >= 0 ? args[outIdx + 1] : undefined;
  const codex = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
  if (!codex) {
    console.error('usage: npm run calibrate -- <path to codex> [--out <file>] [--check]');
    return 2;
  }
  if (!existsSync(codex)) {
    console.error(`${codex} does not exist`);
    return 2;
  }
  const started = Date.now();
  const rules = await calibrate(nativeCodex(path.resolve(codex)));
  const file = out ?? rulesFile(rules.version);
  const text = serialize(rules);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (check) {
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (committed === text) {
      console.log(`${file} matches Codex ${rules.version} (${secs} s)`);
      return 0;
    }
    console.error(`${file} differs from what Codex ${rules.version} says; run npm run calibrate -- ${codex}`);
    return 1;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)} for Codex ${rules.version} (${secs} s)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err.stack ?? String(err));
      process.exit(1);
    },
  );
}
