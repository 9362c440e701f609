import { type CodexRules, type KeyRule, newestRules, type RulesInUse } from '../codex/rules.ts';
import { isTable } from '../config/overrides.ts';
import {
  checkSchema,
  didYouMean,
  IGNORED_KEY_ADVICE,
  type SchemaIssue,
  schemaFor,
} from '../config/schema.ts';
import type { Severity } from './finding.ts';

/**
 * The rules Codex enforces in its code, which the calibrated data (src/codex/rules/*.json) cannot
 * express, with the releases each was verified on against the binary (test/oracle).
 */
export const SEMANTIC_RULES_VERIFIED: Record<string, readonly string[]> = {
  'wire-api-chat': ['0.169.0', '0.171.0'],
  'reserved-provider-id': ['0.169.0', '0.171.0'],
  'bedrock-field': ['0.169.0', '0.171.0'],
  'provider-name-missing': ['0.169.0', '0.171.0'],
  'auth-combined': ['0.169.0', '0.171.0'],
  'aws-not-bedrock': ['0.169.0', '0.171.0'],
  'gateway-oauth-empty': ['0.169.0', '0.171.0'],
  'mcp-no-transport': ['0.169.0', '0.171.0'],
  'mcp-url-and-command': ['0.169.0', '0.171.0'],
  'mcp-stdio-field': ['0.169.0', '0.171.0'],
  'legacy-profile': ['0.169.0', '0.171.0'],
  'approval-untrusted': ['0.169.0', '0.171.0'],
  'approval-granular-incomplete': ['0.169.0', '0.171.0'],
  'ollama-chat': ['0.169.0', '0.171.0'],
  'unknown-model-provider': ['0.169.0', '0.171.0'],
};

/** The rules in use when a caller names none: the newest shipped, for no particular Codex. */
export function defaultRulesInUse(rules: CodexRules = newestRules()): RulesInUse {
  return { rules, codexVersion: undefined, source: 'default', match: 'exact' };
}

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
export function checkFile(
  value: Record<string, unknown>,
  inUse: RulesInUse = defaultRulesInUse(),
): RawFinding[] {
  const { rules } = inUse;
  const out: RawFinding[] = checkSchema(value, rules).map((issue) => fromSchemaIssue(issue, inUse));
  const providers = value.model_providers;
  if (isTable(providers)) {
    for (const [id, table] of Object.entries(providers)) {
      if (isTable(table)) out.push(...checkProvider(id, table, rules));
    }
  }
  out.push(...removedKeys(value, rules));
  const features = value.features;
  if (isTable(features)) out.push(...unknownFeatures(features, ['features'], inUse));
  if (isTable(value.profiles)) {
    for (const [name, profile] of Object.entries(value.profiles)) {
      if (isTable(profile) && isTable(profile.features)) {
        out.push(...unknownFeatures(profile.features, ['profiles', name, 'features'], inUse));
      }
    }
  }
  const servers = value.mcp_servers;
  if (isTable(servers)) {
    const serverRule = rules.keys.mcp_servers;
    const serverFields =
      serverRule?.type === 'map' && serverRule.values.type === 'table' ? serverRule.values.fields : null;
    for (const [id, server] of Object.entries(servers)) {
      if (isTable(server) && server.command !== undefined && serverFields) {
        out.push(...stdioOnlyFields(id, server, serverFields));
      }
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
        message: `Legacy \`[profiles.${name}]\` is not applied by ${codexName(inUse)} (though a bad value in it still stops Codex), and makes \`codex --profile ${name}\` fail.`,
        path: ['profiles', name],
        fix: `Move it into $CODEX_HOME/${name}.config.toml (\`codexgw doctor --fix\` does this).`,
      });
    }
  }
  const granular = isTable(value.approval_policy) ? value.approval_policy.granular : undefined;
  if (isTable(granular) && granular.sandbox_approval === undefined) {
    out.push({
      id: 'approval-granular-incomplete',
      severity: 'error',
      message:
        '`approval_policy = { granular = { … } }` lacks `sandbox_approval`: Codex refuses to load this config ("missing field `sandbox_approval`").',
      path: ['approval_policy', 'granular'],
      fix: 'Add sandbox_approval (true or false) to the granular table, or use approval_policy = "on-request".',
    });
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
      message: `\`approval_policy = "on-failure"\` is treated as "on-request" by ${codexName(inUse)}.`,
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

export function checkProvider(
  id: string,
  p: Record<string, unknown>,
  rules: CodexRules = newestRules(),
): RawFinding[] {
  const out: RawFinding[] = [];
  const at = (...rest: string[]) => ['model_providers', id, ...rest];
  if (rules.providers.reserved.includes(id)) {
    out.push({
      id: 'reserved-provider-id',
      severity: 'error',
      message: `\`[model_providers.${id}]\` uses a reserved built-in provider id: Codex refuses to load this config.`,
      path: at(),
      fix: `Rename the table (e.g. \`${id}-custom\`) and update model_provider; to move the built-in openai provider, set top-level openai_base_url instead.`,
    });
    return out;
  }
  if (rules.providers.restricted.includes(id)) {
    const allowed = rules.providers.restrictedFields;
    for (const key of Object.keys(p)) {
      const sub = p[key];
      const bad =
        key === 'aws' && isTable(sub)
          ? Object.keys(sub)
              .filter((k) => !allowed.includes(`aws.${k}`))
              .map((k) => [key, k])
          : allowed.includes(key) || (key === 'aws' && allowed.some((a) => a.startsWith('aws.')))
            ? []
            : [[key]];
      for (const path of bad) {
        out.push({
          id: 'bedrock-field',
          severity: 'error',
          message: `\`model_providers.${id}.${path.join('.')}\` cannot be set: the built-in ${id} provider only lets you change ${allowed.join(', ')}.`,
          path: at(...path),
          fix: `Remove \`${path.join('.')}\`, or define your own provider under another id.`,
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
  if (isTable(p.gateway_oauth) && !gatewayCredentialSource(p.gateway_oauth)) {
    out.push({
      id: 'gateway-oauth-empty',
      severity: 'error',
      message: `\`model_providers.${id}.gateway_oauth\` names no credential source: Codex refuses to load this config.`,
      path: at('gateway_oauth'),
      fix: 'Set credential_export, or the OAuth settings authorization_url, token_url and client_id.',
    });
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

/** "Codex 0.171.0" — the release whose rules a message applies. */
function codexName(inUse: RulesInUse): string {
  return `Codex ${inUse.rules.version}`;
}

/** For a Codex newer than every shipped rule set: an unknown name may simply be new there. */
function newerCodex(inUse: RulesInUse): string | undefined {
  return inUse.match === 'newer-codex' ? inUse.codexVersion : undefined;
}

function unknownFeatures(features: Record<string, unknown>, at: string[], inUse: RulesInUse): RawFinding[] {
  const { rules } = inUse;
  const out: RawFinding[] = [];
  for (const name of Object.keys(features)) {
    if (Object.hasOwn(rules.features, name) || rules.featureAliases.includes(name)) continue;
    const guess = didYouMean(name, Object.keys(rules.features));
    const newer = newerCodex(inUse);
    const key = [...at, name].join('.');
    out.push({
      id: 'unknown-feature',
      severity: newer ? 'info' : 'warning',
      message: newer
        ? `\`${key}\` is not a feature of ${codexName(inUse)}, the newest release codexgw has rules for; it may be new in Codex ${newer}.`
        : `Unknown feature \`${key}\`: ${codexName(inUse)} ignores it (and refuses it under --strict-config).`,
      path: [...at, name],
      fix: guess
        ? `Did you mean \`${[...at, guess].join('.')}\`? (codex features list shows every feature.)`
        : 'Run `codex features list` to see the known features.',
    });
  }
  return out;
}

/** Keys Codex still knows only to refuse ("… is no longer supported"), as the calibration saw. */
function removedKeys(value: Record<string, unknown>, rules: CodexRules): RawFinding[] {
  const out: RawFinding[] = [];
  for (const key of Object.keys(value)) {
    const rule: KeyRule | undefined = rules.keys[key];
    if (rule?.type !== 'string' || !rule.checked || !/no longer supported/.test(rule.checked)) continue;
    if (key === 'profile') continue; // legacy-profile says more (and how to migrate)
    out.push({
      id: 'removed-key',
      severity: 'error',
      message: `\`${key}\` is no longer supported: Codex ${rules.version} refuses to load this config.`,
      path: [key],
      fix: `Remove \`${key}\`.`,
    });
  }
  return out;
}

/** Fields Codex refuses on a stdio (command) MCP server, as the calibration saw. */
function stdioOnlyFields(
  id: string,
  server: Record<string, unknown>,
  fields: Record<string, KeyRule>,
): RawFinding[] {
  const out: RawFinding[] = [];
  for (const key of Object.keys(server)) {
    const rule = fields[key];
    if (!rule || !('checked' in rule) || !rule.checked || !/not supported for stdio/.test(rule.checked))
      continue;
    out.push({
      id: 'mcp-stdio-field',
      severity: 'error',
      message: `MCP server \`${id}\` runs a command (stdio), and Codex refuses \`${key}\` there ("${key} is not supported for stdio").`,
      path: ['mcp_servers', id, key],
      fix: `Remove \`${key}\`: it applies to URL (streamable HTTP) servers only.`,
    });
  }
  return out;
}

/** Codex wants credential_export, or authorization_url + token_url + client_id. */
function gatewayCredentialSource(t: Record<string, unknown>): boolean {
  return (
    t.credential_export !== undefined ||
    (t.authorization_url !== undefined && t.token_url !== undefined && t.client_id !== undefined)
  );
}

function fromSchemaIssue(issue: SchemaIssue, inUse: RulesInUse): RawFinding {
  const key = dotted(issue.path);
  const name = codexName(inUse);
  if (issue.kind === 'unknown-key') {
    const leaf = String(issue.path[issue.path.length - 1]);
    const advice = issue.path.length === 1 ? IGNORED_KEY_ADVICE[leaf] : undefined;
    if (issue.alwaysClosed) {
      return {
        id: 'unknown-key',
        severity: 'error',
        message: `Unknown key \`${key}\`: ${name} refuses it here even without --strict-config.`,
        path: issue.path,
        fix: `Remove it; this table takes only ${(issue.known ?? []).join(', ') || 'its documented fields'}.`,
      };
    }
    if (advice) {
      return {
        id: 'ignored-key',
        severity: 'warning',
        message: `\`${key}\` is ignored by ${name} (and refused under --strict-config).`,
        path: issue.path,
        fix: advice,
      };
    }
    const known = issue.known ?? (issue.path.length === 1 ? schemaFor(inUse.rules).topLevelKeys : []);
    const guess = didYouMean(leaf, known);
    const parent = dotted(issue.path.slice(0, -1));
    const newer = newerCodex(inUse);
    return {
      id: 'unknown-key',
      // Codex is newer than our rules: the key may be new, so it is no strict failure on that alone.
      severity: newer ? 'info' : 'warning',
      message: newer
        ? `\`${key}\` is not a key of ${name}, the newest release codexgw has rules for; it may be new in Codex ${newer}.`
        : `Unknown key \`${key}\`: ${name} ignores it (and refuses it under --strict-config).`,
      path: issue.path,
      fix: guess
        ? `Did you mean \`${parent ? `${parent}.` : ''}${guess}\`?`
        : 'Remove it, or check the spelling against the Codex config reference.',
    };
  }
  return {
    id: issue.kind === 'invalid-value' ? 'invalid-value' : 'invalid-type',
    severity: 'error',
    message: `\`${key}\` ${issue.message}: ${name} refuses to load this config.`,
    path: issue.path,
    fix:
      issue.kind === 'invalid-value'
        ? `Use ${issue.expected?.startsWith('an integer') ? issue.expected : `one of ${issue.expected}`}.`
        : `Change \`${key}\` so it ${issue.message}.`,
  };
}
