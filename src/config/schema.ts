import type { CodexRules, KeyRule } from '../codex/rules.ts';
import { dict, passes, type Shape, t, toZod, unknownKeysOnly } from './schema-shape.ts';

/**
 * Codex's config schema for one release, built from its calibrated rules (src/codex/rules/*.json,
 * written by scripts/calibrate.mjs from the binary). A table whose fields were calibrated is
 * closed: an unknown field is reported, as `codex --strict-config` would (always, for a table Codex
 * closes even without it); a table whose fields a probe could not list accepts anything, so we
 * never cry wolf. TOML integers arrive as bigint (see source.ts), so `int` rejects `3.0` where Codex
 * wants an integer, and carries Codex's range (u8, u32, non-zero u64, …). Written as shapes
 * (schema-shape.ts) that become a zod schema when a value fails.
 */
const bool = t.boolean;
const unknown = t.unknown;
const anyTable = t.record(unknown);
const opt = t.optional;

/**
 * Where the data alone says too little or too much; verified on Codex 0.169.0 and 0.171.0.
 * - approval_policy: besides its enum, `{ granular = { … } }` is a table form.
 * - features: a value is a bool, or a table for the few features with settings; feature names
 *   are checked apart (rules.ts), with did-you-mean.
 * - wire_api: any string parses here; "chat" and other values get their own, clearer finding.
 */
const OVERRIDES: Record<string, (rule: KeyRule) => Shape> = dict({
  __proto__: null,
  approval_policy: (rule: KeyRule) =>
    rule.type === 'enum' ? t.union([enumOf(rule.values), anyTable]) : shapeOf(rule, ''),
  features: () => t.record(t.union([bool, anyTable])),
  'profiles.*.features': () => t.record(t.union([bool, anyTable])),
  'model_providers.*.wire_api': () => t.string,
});

function enumOf(values: string[]): Shape {
  return values.length ? t.enum(values as [string, ...string[]]) : t.string;
}

function fieldsOf(fields: Record<string, KeyRule>, required: readonly string[], at: string) {
  const out: Record<string, Shape> = Object.create(null);
  for (const [name, rule] of Object.entries(fields)) {
    if (rule.type === 'unknown') continue; // Codex lists it but refuses it under --strict-config
    const shape = shapeOf(rule, at ? `${at}.${name}` : name);
    out[name] = required.includes(name) ? shape : opt(shape);
  }
  return out;
}

/** The shape of one calibrated rule; `at` is its path pattern (`model_providers.*.auth`). */
function shapeOf(rule: KeyRule, at: string): Shape {
  const override = OVERRIDES[at];
  if (override) return override(rule);
  switch (rule.type) {
    case 'string':
    case 'path':
      return t.string;
    case 'boolean':
      return bool;
    case 'float':
      return t.union([t.number, t.bigint]);
    case 'integer':
      return t.int(
        rule.min === undefined ? undefined : BigInt(rule.min),
        rule.max === undefined ? undefined : BigInt(rule.max),
      );
    case 'enum':
      return enumOf(rule.values);
    case 'array':
      return t.array(shapeOf(rule.element, `${at}[]`));
    case 'table':
      if (rule.fields === null) return anyTable;
      return t.object(fieldsOf(rule.fields, rule.required ?? [], at), { closed: rule.closed });
    case 'map': {
      const values = shapeOf(rule.values, `${at}.*`);
      if (!rule.fields) return t.record(values);
      return t.object(fieldsOf(rule.fields, [], at), { rest: values });
    }
    default:
      return unknown;
  }
}

export interface Schema {
  rules: CodexRules;
  config: Shape;
  provider: Shape;
  /** Every top-level key this release knows. */
  topLevelKeys: readonly string[];
}

const schemas = new WeakMap<CodexRules, Schema>();

/** The schema of one release's config (built once per rule set, on first use). */
export function schemaFor(rules: CodexRules): Schema {
  let schema = schemas.get(rules);
  if (!schema) {
    const fields = fieldsOf(rules.keys, [], '');
    const config = t.object(fields);
    const providers = rules.keys.model_providers;
    const provider =
      providers?.type === 'map' ? shapeOf(providers.values, 'model_providers.*') : t.record(unknown);
    schema = { rules, config, provider, topLevelKeys: Object.keys(fields) };
    schemas.set(rules, schema);
  }
  return schema;
}

/** The shape reached by `path` (a table's, for did-you-mean and closedness), if any. */
export function shapeAt(shape: Shape, path: readonly (string | number)[]): Shape | undefined {
  let at: Shape | undefined = shape;
  for (const key of path) {
    at = unwrap(at);
    if (at === undefined) return undefined;
    if (at.type === 'object') at = Object.hasOwn(at.fields, key) ? at.fields[key] : at.rest;
    else if (at.type === 'record') at = at.value;
    else if (at.type === 'array') at = at.element;
    else return undefined;
  }
  return unwrap(at);
}

function unwrap(shape: Shape | undefined): Shape | undefined {
  let at = shape;
  while (at?.type === 'optional') at = at.inner;
  if (at?.type === 'union') return at.options.find((o) => o.type === 'object' || o.type === 'record');
  return at;
}

/** Keys seen in gateway docs or older Codex versions that current releases do not read, with advice. */
export const IGNORED_KEY_ADVICE: Record<string, string> = dict({
  __proto__: null,
  temperature: "Codex never sends a temperature (Portkey's guide shows it, but Codex ignores it); remove it.",
  max_output_tokens: "Codex does not read max_output_tokens (Portkey's guide shows it); remove it.",
  parallel_tool_calls: 'Codex always sends parallel_tool_calls = true itself; remove the key.',
  tool_choice: 'Codex always sends tool_choice = "auto" itself; remove the key.',
  model_max_output_tokens: 'Not a Codex key; remove it.',
  model_supports_reasoning_summaries:
    'Not a Codex key (reasoning summaries come from model metadata); remove it.',
  disable_response_storage: 'Not a Codex key (Codex always sends store = false); remove it.',
  experimental_instructions_file: 'Renamed: use model_instructions_file.',
  model_personality: 'Renamed: use personality = "none" | "friendly" | "pragmatic".',
});

export interface SchemaIssue {
  kind: 'unknown-key' | 'invalid-type' | 'invalid-value';
  path: (string | number)[];
  message: string;
  /** For unknown keys: the known keys at that level (for did-you-mean). */
  known?: readonly string[];
  /** For unknown keys: Codex refuses them here even without --strict-config. */
  alwaysClosed?: boolean;
  expected?: string;
}

/** Check a parsed table against a release's schema; issues carry the dotted path of the offending key. */
export function checkSchema(value: Record<string, unknown>, rules: CodexRules): SchemaIssue[] {
  const schema = schemaFor(rules);
  // Most configs pass: answer that from the shapes; zod only explains a failure, unless the
  // failure is only keys Codex does not know.
  if (passes(schema.config, value)) return [];
  const unknown = unknownKeysOnly(schema.config, value);
  if (unknown) return unknown.map(({ path, key }) => unknownKeyIssue(schema, path, key));
  return zodIssues(value, rules);
}

function unknownKeyIssue(schema: Schema, path: (string | number)[], key: string): SchemaIssue {
  const table = shapeAt(schema.config, path);
  const known = table?.type === 'object' ? Object.keys(table.fields) : [];
  const alwaysClosed = table?.type === 'object' && table.closed === 'always';
  return { kind: 'unknown-key', path: [...path, key], message: 'unknown key', known, alwaysClosed };
}

/** The issues zod finds in a config (checkSchema's answer for any failure but unknown keys). */
export function zodIssues(value: Record<string, unknown>, rules: CodexRules): SchemaIssue[] {
  const schema = schemaFor(rules);
  const result = toZod(schema.config).safeParse(value);
  if (result.success) return [];
  const out: SchemaIssue[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(unknownKeyIssue(schema, path, key));
    } else if (issue.code === 'invalid_value') {
      const values = (issue.values as unknown[]).map((v) => `"${String(v)}"`);
      out.push({
        kind: 'invalid-value',
        path,
        message: `must be one of ${values.join(', ')}`,
        expected: values.join(', '),
      });
    } else if (issue.code === 'invalid_union') {
      out.push({ kind: 'invalid-type', path, message: unionMessage(path, value, schema) });
    } else if (issue.code === 'invalid_type') {
      out.push({
        kind: 'invalid-type',
        path,
        message: `must be ${describeType(issue.expected)}`,
        expected: issue.expected,
      });
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      const bound = String(
        (issue as { minimum?: unknown; maximum?: unknown }).minimum ??
          (issue as { maximum?: unknown }).maximum,
      );
      out.push({
        kind: 'invalid-value',
        path,
        message: `must be ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound}`,
        expected: `an integer ${issue.code === 'too_small' ? '>=' : '<='} ${bound}`,
      });
    } else {
      out.push({ kind: 'invalid-type', path, message: issue.message });
    }
  }
  return out;
}

function unionMessage(path: (string | number)[], root: Record<string, unknown>, schema: Schema): string {
  const v = path.reduce<unknown>(
    (acc, k) => (acc as Record<string | number, unknown> | undefined)?.[k],
    root,
  );
  const rule = schema.rules.keys.approval_policy;
  if (path.length === 1 && path[0] === 'approval_policy' && typeof v === 'string' && rule?.type === 'enum') {
    return `must be one of ${rule.values.map((x) => `"${x}"`).join(', ')}`;
  }
  return path.includes('features') ? 'must be true or false' : 'has the wrong type';
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
