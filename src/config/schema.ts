import { dict, passes, type Shape, t, toZod, unknownKeysOnly } from './schema-shape.ts';

/**
 * Codex 0.169's config schema, as far as codexgw checks it. Tables whose every field we know are
 * strict (an unknown field is reported, as `codex --strict-config` would); tables Codex keeps
 * growing (tui, agents, hooks, …) accept anything so we never cry wolf. TOML integers arrive as
 * bigint (see source.ts), so `int` rejects `3.0` where Codex wants an integer. Written as shapes
 * (schema-shape.ts) that become a zod schema when a value fails.
 */
const str = t.string;
const bool = t.boolean;
const int = t.bigint;
const num = t.union([t.number, t.bigint]);
const strArray = t.array(t.string);
const strMap = t.record(t.string);
const unknown = t.unknown;
const anyTable = t.record(unknown);
const opt = t.optional;

/** Fields whose values codexgw does not check, as a table without a prototype (see dict()). */
function unchecked(names: readonly string[]): Record<string, Shape> {
  const out: Record<string, Shape> = Object.create(null);
  for (const name of names) out[name] = opt(unknown);
  return out;
}

export const PROVIDER_FIELDS = dict({
  __proto__: null,
  name: opt(str),
  base_url: opt(str),
  model_catalog_url: opt(str),
  env_key: opt(str),
  env_key_instructions: opt(str),
  experimental_bearer_token: opt(str),
  auth: opt(
    t.strictObject({
      command: str,
      args: opt(strArray),
      timeout_ms: opt(int),
      refresh_interval_ms: opt(int),
      cwd: opt(str),
    }),
  ),
  gateway_oauth: opt(anyTable),
  aws: opt(anyTable),
  project_id: opt(str),
  location: opt(str),
  credential_file: opt(str),
  // Any string parses here; "chat" and other values get their own, clearer finding (rules.ts).
  wire_api: opt(str),
  capabilities: opt(anyTable),
  query_params: opt(strMap),
  http_headers: opt(strMap),
  env_http_headers: opt(strMap),
  request_max_retries: opt(int),
  stream_max_retries: opt(int),
  stream_idle_timeout_ms: opt(int),
  websocket_connect_timeout_ms: opt(int),
  requires_openai_auth: opt(bool),
  supports_websockets: opt(bool),
  supports_standalone_web_search: opt(bool),
});
export const providerShape: Shape = t.strictObject(PROVIDER_FIELDS);

export const MCP_SERVER_FIELDS = dict({
  __proto__: null,
  command: opt(str),
  args: opt(strArray),
  env: opt(strMap),
  env_vars: opt(t.array(unknown)),
  cwd: opt(str),
  url: opt(str),
  bearer_token_env_var: opt(str),
  bearer_token: opt(str),
  http_headers: opt(strMap),
  env_http_headers: opt(strMap),
  enabled: opt(bool),
  required: opt(bool),
  startup_timeout_sec: opt(num),
  startup_timeout_ms: opt(num),
  tool_timeout_sec: opt(num),
  enabled_tools: opt(strArray),
  disabled_tools: opt(strArray),
  environment_id: opt(str),
  scopes: opt(strArray),
  oauth_resource: opt(str),
  name: opt(str),
  tools: opt(anyTable),
  default_tools_approval_mode: opt(str),
  supports_parallel_tool_calls: opt(bool),
  oauth: opt(anyTable),
});
const mcpServerShape = t.strictObject(MCP_SERVER_FIELDS);

const effort = opt(str); // Codex 0.169 does not check it against an enum.

export const TOP_LEVEL_FIELDS = dict({
  __proto__: null,
  model: opt(str),
  review_model: opt(str),
  model_provider: opt(str),
  model_providers: opt(t.record(providerShape)),
  model_context_window: opt(int),
  model_auto_compact_token_limit: opt(int),
  model_auto_compact_token_limit_scope: opt(t.enum(['total', 'body_after_prefix'])),
  model_post_turn_compact_threshold_percent: opt(num),
  model_reasoning_effort: effort,
  plan_mode_reasoning_effort: effort,
  model_reasoning_summary: opt(t.enum(['auto', 'concise', 'detailed', 'none'])),
  model_verbosity: opt(t.enum(['low', 'medium', 'high'])),
  model_catalog_json: opt(str),
  model_instructions_file: opt(str),
  personality: opt(t.enum(['none', 'friendly', 'pragmatic'])),
  service_tier: opt(str),
  approval_policy: opt(
    t.union([t.enum(['untrusted', 'on-failure', 'on-request', 'never']), t.literal('granular'), anyTable]),
  ),
  approvals_reviewer: opt(t.enum(['user', 'auto_review', 'guardian_subagent'])),
  sandbox_mode: opt(t.enum(['read-only', 'workspace-write', 'danger-full-access'])),
  sandbox_workspace_write: opt(
    t.strictObject({
      writable_roots: opt(strArray),
      network_access: opt(bool),
      exclude_tmpdir_env_var: opt(bool),
      exclude_slash_tmp: opt(bool),
    }),
  ),
  shell_environment_policy: opt(
    t.strictObject({
      inherit: opt(t.enum(['core', 'all', 'none'])),
      ignore_default_excludes: opt(bool),
      exclude: opt(strArray),
      include_only: opt(strArray),
      set: opt(strMap),
      filters: opt(unknown),
      experimental_use_profile: opt(bool),
    }),
  ),
  mcp_servers: opt(t.record(mcpServerShape)),
  projects: opt(t.record(t.strictObject({ trust_level: opt(t.enum(['trusted', 'untrusted'])) }))),
  history: opt(t.strictObject({ persistence: opt(t.enum(['save-all', 'none'])), max_bytes: opt(int) })),
  features: opt(t.record(t.union([bool, anyTable]))),
  web_search: opt(t.enum(['disabled', 'cached', 'indexed', 'live'])),
  file_opener: opt(t.enum(['vscode', 'vscode-insiders', 'windsurf', 'cursor', 'none'])),
  forced_login_method: opt(t.enum(['chatgpt', 'api'])),
  cli_auth_credentials_store: opt(t.enum(['file', 'keyring', 'auto', 'ephemeral'])),
  mcp_oauth_credentials_store: opt(t.enum(['auto', 'file', 'keyring'])),
  notify: opt(strArray),
  openai_base_url: opt(str),
  chatgpt_base_url: opt(str),
  oss_provider: opt(str),
  profile: opt(str),
  profiles: opt(t.record(anyTable)),
  project_root_markers: opt(strArray),
  project_doc_max_bytes: opt(int),
  project_doc_fallback_filenames: opt(strArray),
  instructions: opt(str),
  developer_instructions: opt(str),
  compact_prompt: opt(str),
  experimental_compact_prompt_file: opt(str),
  hide_agent_reasoning: opt(bool),
  show_raw_agent_reasoning: opt(bool),
  check_for_update_on_startup: opt(bool),
  disable_paste_burst: opt(bool),
  allow_login_shell: opt(bool),
  allow_symlinked_codex_home: opt(bool),
  tool_output_token_limit: opt(int),
  log_dir: opt(str),
  sqlite_home: opt(str),
  js_repl_node_path: opt(str),
  js_repl_node_module_dirs: opt(strArray),
  tui: opt(anyTable),
  // Keys Codex knows whose inner structure codexgw does not check.
  ...unchecked([
    'agents',
    'analytics',
    'apps',
    'apps_mcp_product_sku',
    'audio',
    'auto_review',
    'background_terminal_max_timeout',
    'browser_use',
    'client_search_provider',
    'cloud',
    'computer_use',
    'daybreak',
    'default_permissions',
    'desktop',
    'experimental_realtime_start_instructions',
    'experimental_realtime_webrtc_call_base_url',
    'experimental_realtime_ws_backend_prompt',
    'experimental_realtime_ws_base_url',
    'experimental_realtime_ws_model',
    'experimental_realtime_ws_startup_context',
    'experimental_thread_store',
    'experimental_thread_store_endpoint',
    'experimental_use_unified_exec_tool',
    'feedback',
    'forced_chatgpt_workspace_id',
    'ghost_snapshot',
    'goals',
    'hooks',
    'include_apps_instructions',
    'include_collaboration_mode_instructions',
    'include_environment_context',
    'include_environment_context_time',
    'include_permissions_instructions',
    'marketplaces',
    'mcp_enterprise_managed_auth',
    'mcp_oauth_callback_port',
    'mcp_oauth_callback_url',
    'mcp_optional_startup_grace_ms',
    'memories',
    'notice',
    'orchestrator',
    'otel',
    'permissions',
    'plugins',
    'realtime',
    'responses_api_metadata',
    'skills',
    'suppress_unstable_features_warning',
    'thread_unload_delay_secs',
    'tool_suggest',
    'tools',
    'windows',
  ]),
});

export const configShape: Shape = t.strictObject(TOP_LEVEL_FIELDS);

/** Every top-level key Codex 0.169 knows. */
export const KNOWN_TOP_LEVEL_KEYS: readonly string[] = Object.keys(TOP_LEVEL_FIELDS);

/** The field names of the strict tables, by the path pattern that reaches them ("*" = any id). */
export const STRICT_TABLE_FIELDS: Record<string, readonly string[]> = dict({
  __proto__: null,
  '': KNOWN_TOP_LEVEL_KEYS,
  'model_providers.*': Object.keys(PROVIDER_FIELDS),
  'mcp_servers.*': Object.keys(MCP_SERVER_FIELDS),
  'projects.*': ['trust_level'],
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
  'model_providers.*.auth': ['command', 'args', 'timeout_ms', 'refresh_interval_ms', 'cwd'],
});

/** Keys seen in gateway docs or older Codex versions that 0.169 does not read, with advice. */
export const IGNORED_KEY_ADVICE: Record<string, string> = dict({
  __proto__: null,
  temperature: "Codex never sends a temperature (Portkey's guide shows it, but Codex ignores it); remove it.",
  max_output_tokens: "Codex does not read max_output_tokens (Portkey's guide shows it); remove it.",
  parallel_tool_calls: 'Codex always sends parallel_tool_calls = true itself; remove the key.',
  tool_choice: 'Codex always sends tool_choice = "auto" itself; remove the key.',
  model_max_output_tokens: 'Not a Codex 0.169 key; remove it.',
  model_supports_reasoning_summaries:
    'Not a Codex 0.169 key (reasoning summaries come from model metadata); remove it.',
  disable_response_storage: 'Not a Codex 0.169 key (Codex always sends store = false); remove it.',
  experimental_instructions_file: 'Renamed: use model_instructions_file.',
  model_personality: 'Renamed: use personality = "none" | "friendly" | "pragmatic".',
});

export interface SchemaIssue {
  kind: 'unknown-key' | 'invalid-type' | 'invalid-value';
  path: (string | number)[];
  message: string;
  /** For unknown keys: the known keys at that level (for did-you-mean). */
  known?: readonly string[];
  expected?: string;
}

/** Check a parsed table against the schema; issues carry the dotted path of the offending key. */
export function checkSchema(value: Record<string, unknown>): SchemaIssue[] {
  // Most configs pass: answer that from the shapes; zod only explains a failure, unless the
  // failure is only keys Codex does not know.
  if (passes(configShape, value)) return [];
  const unknown = unknownKeysOnly(configShape, value);
  if (unknown) return unknown.map(({ path, key }) => unknownKeyIssue(path, key));
  return zodIssues(value);
}

function unknownKeyIssue(path: (string | number)[], key: string): SchemaIssue {
  const known = STRICT_TABLE_FIELDS[pattern(path)] ?? [];
  return { kind: 'unknown-key', path: [...path, key], message: 'unknown key', known };
}

/** The issues zod finds in a config (checkSchema's answer for any failure but unknown keys). */
export function zodIssues(value: Record<string, unknown>): SchemaIssue[] {
  const result = toZod(configShape).safeParse(value);
  if (result.success) return [];
  const out: SchemaIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(unknownKeyIssue(path, key));
    } else if (issue.code === 'invalid_value') {
      const values = (issue.values as unknown[]).map((v) => `"${String(v)}"`);
      out.push({
        kind: 'invalid-value',
        path,
        message: `must be one of ${values.join(', ')}`,
        expected: values.join(', '),
      });
    } else if (issue.code === 'invalid_union') {
      out.push({ kind: 'invalid-type', path, message: unionMessage(path, value) });
    } else if (issue.code === 'invalid_type') {
      out.push({
        kind: 'invalid-type',
        path,
        message: `must be ${describeType(issue.expected)}`,
        expected: issue.expected,
      });
    } else {
      out.push({ kind: 'invalid-type', path, message: issue.message });
    }
  }
  return out;
}

function unionMessage(path: (string | number)[], root: Record<string, unknown>): string {
  const v = path.reduce<unknown>(
    (acc, k) => (acc as Record<string | number, unknown> | undefined)?.[k],
    root,
  );
  if (path[0] === 'approval_policy' && typeof v === 'string') {
    return 'must be one of "on-request", "never", "on-failure", "untrusted", "granular"';
  }
  return path[0] === 'features' ? 'must be true or false' : 'has the wrong type';
}

function describeType(expected: string): string {
  switch (expected) {
    case 'bigint':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'an array';
    case 'object':
    case 'record':
      return 'a table';
    default:
      return `of type ${expected}`;
  }
}

/** `model_providers.portkey.auth` → `model_providers.*.auth`, for STRICT_TABLE_FIELDS lookup. */
function pattern(path: (string | number)[]): string {
  const parts = path.map(String);
  if (
    (parts[0] === 'model_providers' || parts[0] === 'mcp_servers' || parts[0] === 'projects') &&
    parts.length >= 2
  ) {
    parts[1] = '*';
  }
  return parts.join('.');
}

/** Levenshtein distance, for did-you-mean. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    // Only a candidate within `limit` edits can be the answer, and the distance is at least the
    // difference in length: most candidates need no table (a config with a few unknown keys checks
    // each against ~125 names, while the interpreter still runs this code).
    if (Math.abs(c.length - lower.length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
