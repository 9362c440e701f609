import { KNOWN_FEATURES, LEGACY_FEATURE_ALIASES } from '../config/known-features.ts';
import { isTable } from '../config/overrides.ts';
import {
  checkSchema,
  didYouMean,
  IGNORED_KEY_ADVICE,
  KNOWN_TOP_LEVEL_KEYS,
  type SchemaIssue,
} from '../config/schema.ts';
import type { Severity } from './finding.ts';

/** Provider ids Codex reserves for its built-ins; a user table with one is fatal. */
export const RESERVED_PROVIDER_IDS = ['openai', 'ollama', 'lmstudio'] as const;
/** Built-in providers `model_provider` may name without a table. */
export const BUILTIN_PROVIDER_IDS = [
  'openai',
  'ollama',
  'lmstudio',
  'amazon-bedrock',
  'amazon-bedrock-runtime',
];
const BEDROCK_IDS = ['amazon-bedrock', 'amazon-bedrock-runtime'];
const BEDROCK_ALLOWED = ['base_url', 'auth', 'http_headers', 'aws'];

/** A finding before its file position is looked up. */
export interface RawFinding {
  id: string;
  severity: Severity;
  message: string;
  path: (string | number)[];
  fix: string | null;
}

const dotted = (path: (string | number)[]) => path.join('.');

/**
 * Everything Codex checks about one file on its own: the schema (types, enums, unknown keys) and
 * the rules it enforces at load (wire_api, reserved ids, provider name, auth combinations, legacy
 * profile selector, untrusted approval policy).
 */
export function checkFile(value: Record<string, unknown>): RawFinding[] {
  const out: RawFinding[] = checkSchema(value).map(fromSchemaIssue);
  const providers = value.model_providers;
  if (isTable(providers)) {
    for (const [id, table] of Object.entries(providers)) {
      if (isTable(table)) out.push(...checkProvider(id, table));
    }
  }
  const features = value.features;
  if (isTable(features)) {
    for (const name of Object.keys(features)) {
      if (!KNOWN_FEATURES.has(name) && !LEGACY_FEATURE_ALIASES.has(name)) {
        const guess = didYouMean(name, [...KNOWN_FEATURES]);
        out.push({
          id: 'unknown-feature',
          severity: 'warning',
          message: `Unknown feature \`features.${name}\`: Codex 0.169 ignores it (and refuses it under --strict-config).`,
          path: ['features', name],
          fix: guess
            ? `Did you mean \`features.${guess}\`? (codex features list shows every feature.)`
            : 'Run `codex features list` to see the known features.',
        });
      }
    }
  }
  const servers = value.mcp_servers;
  if (isTable(servers)) {
    for (const [id, server] of Object.entries(servers)) {
      if (isTable(server) && server.url === undefined && server.command === undefined) {
        out.push({
          id: 'mcp-no-transport',
          // An error on its own; checkLoadedConfig lowers it to a warning when another layer
          // supplies the transport (then only codex --strict-config, which checks each file, refuses it).
          severity: 'error',
          message: `MCP server \`${id}\` has neither \`command\` nor \`url\`: Codex refuses it ("invalid transport").`,
          path: ['mcp_servers', id],
          fix: 'Give the server a `command` (stdio) or a `url` (HTTP) in this file too.',
        });
      }
      if (isTable(server) && server.url !== undefined && server.command !== undefined) {
        out.push({
          id: 'mcp-url-and-command',
          severity: 'error',
          message: `MCP server \`${id}\` sets both \`url\` and \`command\`; Codex rejects that (url is not supported for stdio).`,
          path: ['mcp_servers', id, 'url'],
          fix: 'Keep `command` (+ args) for a local stdio server, or `url` for an HTTP server, not both.',
        });
      }
    }
  }
  if (typeof value.profile === 'string') {
    out.push({
      id: 'legacy-profile',
      severity: 'error',
      message: `\`profile = "${value.profile}"\` is no longer supported by Codex: it refuses to load this config.`,
      path: ['profile'],
      fix: `Remove the line and run \`codex --profile ${value.profile}\` with $CODEX_HOME/${value.profile}.config.toml instead (\`codexgw doctor --fix\` migrates it).`,
    });
  }
  if (isTable(value.profiles)) {
    for (const name of Object.keys(value.profiles)) {
      out.push({
        id: 'legacy-profiles-table',
        severity: 'info',
        message: `Legacy \`[profiles.${name}]\` is ignored by Codex, and makes \`codex --profile ${name}\` fail.`,
        path: ['profiles', name],
        fix: `Move it into $CODEX_HOME/${name}.config.toml (\`codexgw doctor --fix\` does this).`,
      });
    }
  }
  if (value.approval_policy === 'untrusted') {
    out.push({
      id: 'approval-untrusted',
      severity: 'error',
      message: '`approval_policy = "untrusted"` is no longer supported: Codex refuses to load this config.',
      path: ['approval_policy'],
      fix: 'Remove the setting, or use "on-request" or "never".',
    });
  } else if (value.approval_policy === 'on-failure') {
    out.push({
      id: 'approval-on-failure',
      severity: 'info',
      message: '`approval_policy = "on-failure"` is treated as "on-request" by Codex 0.169.',
      path: ['approval_policy'],
      fix: 'Write "on-request" to say what Codex does.',
    });
  }
  // `ollama-chat` is only refused as Codex's removed built-in; a table of that name loads fine.
  if (value.model_provider === 'ollama-chat' && !(isTable(providers) && 'ollama-chat' in providers)) {
    out.push({
      id: 'ollama-chat',
      severity: 'error',
      message: '`model_provider = "ollama-chat"` is no longer supported by Codex.',
      path: ['model_provider'],
      fix: 'Use model_provider = "ollama" (Responses API) instead.',
    });
  }
  return out;
}

export function checkProvider(id: string, p: Record<string, unknown>): RawFinding[] {
  const out: RawFinding[] = [];
  const at = (...rest: string[]) => ['model_providers', id, ...rest];
  if ((RESERVED_PROVIDER_IDS as readonly string[]).includes(id)) {
    out.push({
      id: 'reserved-provider-id',
      severity: 'error',
      message: `\`[model_providers.${id}]\` uses a reserved built-in provider id: Codex refuses to load this config.`,
      path: at(),
      fix: `Rename the table (e.g. \`${id}-custom\`) and update model_provider; to move the built-in openai provider, set top-level openai_base_url instead.`,
    });
    return out;
  }
  if (BEDROCK_IDS.includes(id)) {
    for (const key of Object.keys(p)) {
      if (!BEDROCK_ALLOWED.includes(key)) {
        out.push({
          id: 'bedrock-field',
          severity: 'error',
          message: `\`model_providers.${id}.${key}\` cannot be set: the built-in ${id} provider only lets you change base_url, auth, http_headers and aws.profile/region/credential_export/auth_refresh.`,
          path: at(key),
          fix: `Remove \`${key}\`, or define your own provider under another id.`,
        });
      }
    }
    return out;
  }
  if (typeof p.name !== 'string' || p.name.trim() === '') {
    out.push({
      id: 'provider-name-missing',
      severity: 'error',
      message: `Provider \`${id}\` has no \`name\`: Codex refuses to load this config ("provider name must not be empty").`,
      path: at(),
      fix: `Add name = "${id}" to [model_providers.${id}].`,
    });
  }
  if (p.wire_api === 'chat') {
    out.push({
      id: 'wire-api-chat',
      severity: 'error',
      message: `\`wire_api = "chat"\` is no longer supported: Codex refuses to load this config (Chat Completions support was removed).`,
      path: at('wire_api'),
      fix: 'Set wire_api = "responses" (or remove the line: it is the default); the gateway must serve POST <base_url>/responses.',
    });
  } else if (typeof p.wire_api === 'string' && p.wire_api !== 'responses') {
    out.push({
      id: 'wire-api-invalid',
      severity: 'error',
      message: `\`wire_api = "${p.wire_api}"\` is not valid: Codex accepts only "responses".`,
      path: at('wire_api'),
      fix: 'Set wire_api = "responses".',
    });
  }
  if (p.auth !== undefined) {
    for (const other of ['env_key', 'experimental_bearer_token', 'requires_openai_auth'] as const) {
      if (p[other] !== undefined && !(other === 'requires_openai_auth' && p[other] === false)) {
        out.push({
          id: 'auth-combined',
          severity: 'error',
          message: `Provider \`${id}\` sets both \`auth\` and \`${other}\`: Codex refuses that combination.`,
          path: at('auth'),
          fix: `Keep one way to get the key: remove \`${other}\`, or remove the [model_providers.${id}.auth] table.`,
        });
      }
    }
  }
  if (p.aws !== undefined) {
    out.push({
      id: 'aws-not-bedrock',
      severity: 'error',
      message: `\`model_providers.${id}.aws\` is only supported for amazon-bedrock providers.`,
      path: at('aws'),
      fix: 'Remove the aws table, or use the built-in amazon-bedrock provider.',
    });
  }
  return out;
}

function fromSchemaIssue(issue: SchemaIssue): RawFinding {
  const key = dotted(issue.path);
  if (issue.kind === 'unknown-key') {
    const leaf = String(issue.path[issue.path.length - 1]);
    const advice = issue.path.length === 1 ? IGNORED_KEY_ADVICE[leaf] : undefined;
    if (advice) {
      return {
        id: 'ignored-key',
        severity: 'warning',
        message: `\`${key}\` is ignored by Codex 0.169 (and refused under --strict-config).`,
        path: issue.path,
        fix: advice,
      };
    }
    const known = issue.known ?? (issue.path.length === 1 ? KNOWN_TOP_LEVEL_KEYS : []);
    const guess = didYouMean(leaf, known);
    const parent = dotted(issue.path.slice(0, -1));
    return {
      id: 'unknown-key',
      severity: 'warning',
      message: `Unknown key \`${key}\`: Codex 0.169 ignores it (and refuses it under --strict-config).`,
      path: issue.path,
      fix: guess
        ? `Did you mean \`${parent ? `${parent}.` : ''}${guess}\`?`
        : 'Remove it, or check the spelling against the Codex config reference.',
    };
  }
  return {
    id: issue.kind === 'invalid-value' ? 'invalid-value' : 'invalid-type',
    severity: 'error',
    message: `\`${key}\` ${issue.message}: Codex refuses to load this config.`,
    path: issue.path,
    fix:
      issue.kind === 'invalid-value'
        ? `Use one of ${issue.expected}.`
        : `Change \`${key}\` so it ${issue.message}.`,
  };
}
