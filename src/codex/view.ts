import path from 'node:path';
import type { CodexRules, KeyRule } from './rules.ts';

/**
 * Values as Codex itself holds them once loaded (what `config/read` answers), from the merged
 * files: paths resolved the way Codex resolves them (`~/` from HOME, relative ones from
 * CODEX_HOME) and the values and keys Codex renames written its way. Verified on 0.169.0 and
 * 0.171.0 (test/oracle/config-show.test.ts).
 */
export interface ViewContext {
  rules: CodexRules;
  /** CODEX_HOME: relative paths resolve against it. */
  codexHome: string;
  /** HOME, for `~/`. */
  home: string | undefined;
}

/** Keys Codex reads under another name: [table path, old key, new key]. */
const RENAMED_KEYS: readonly [string[], string, string][] = [
  [['agents'], 'max_threads', 'max_concurrent_threads_per_session'],
];

/** Enum values Codex maps to another: [path, old value, new value]. */
const RENAMED_VALUES: readonly [string[], string, string][] = [
  [['approvals_reviewer'], 'guardian_subagent', 'auto_review'],
  [['approval_policy'], 'on-failure', 'on-request'],
];

/** Legacy values Codex parses but holds as unset: `[tools] web_search = true` (now top-level web_search). */
const READ_AS_UNSET: readonly [string[], (v: unknown) => boolean][] = [
  [['tools', 'web_search'], (v) => typeof v === 'boolean'],
];

export interface CodexView {
  value: Record<string, unknown>;
  /** Dotted key in the view → the key path in the files, for the keys Codex renames. */
  renamed: Map<string, string[]>;
}

export function codexView(merged: Record<string, unknown>, ctx: ViewContext): CodexView {
  const value = resolvePaths(
    merged,
    { type: 'table', closed: 'strict', fields: ctx.rules.keys },
    ctx,
  ) as Record<string, unknown>;
  const renamed = new Map<string, string[]>();
  for (const [at, from, to] of RENAMED_KEYS) {
    const table = at.reduce<unknown>((acc, k) => (isPlainTable(acc) ? acc[k] : undefined), value);
    if (!isPlainTable(table) || !(from in table) || to in table) continue;
    table[to] = table[from];
    delete table[from];
    renamed.set([...at, to].join('.'), [...at, from]);
  }
  for (const [at, from, to] of RENAMED_VALUES) {
    const parent = at
      .slice(0, -1)
      .reduce<unknown>((acc, k) => (isPlainTable(acc) ? acc[k] : undefined), value);
    const key = at[at.length - 1]!;
    if (isPlainTable(parent) && parent[key] === from) parent[key] = to;
  }
  for (const [at, legacy] of READ_AS_UNSET) {
    const parent = at
      .slice(0, -1)
      .reduce<unknown>((acc, k) => (isPlainTable(acc) ? acc[k] : undefined), value);
    const key = at[at.length - 1]!;
    if (isPlainTable(parent) && legacy(parent[key])) parent[key] = null;
  }
  return { value, renamed };
}

function isPlainTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A copy of `value` with every value the rule calls a path resolved as Codex resolves it. */
function resolvePaths(value: unknown, rule: KeyRule | undefined, ctx: ViewContext): unknown {
  if (rule === undefined) return copy(value);
  if (rule.type === 'path') return typeof value === 'string' ? resolvePath(value, ctx) : value;
  if (rule.type === 'array') {
    return Array.isArray(value) ? value.map((v) => resolvePaths(v, rule.element, ctx)) : value;
  }
  if ((rule.type === 'table' || rule.type === 'map') && isPlainTable(value)) {
    // No prototype, and only own rule fields: a key from the file named `__proto__` or
    // `constructor` is a plain key (see emptyTable).
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) {
      const own = rule.fields && Object.hasOwn(rule.fields, k) ? rule.fields[k] : undefined;
      const field = own ?? (rule.type === 'map' ? rule.values : undefined);
      out[k] = resolvePaths(v, field, ctx);
    }
    return out;
  }
  return copy(value);
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainTable(value)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = copy(v);
    return out;
  }
  return value;
}

function resolvePath(p: string, ctx: ViewContext): string {
  if ((p === '~' || p.startsWith('~/')) && ctx.home) return path.join(ctx.home, p.slice(1));
  return path.resolve(ctx.codexHome, p);
}
