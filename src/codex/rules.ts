import { existsSync } from 'node:fs';
import path from 'node:path';
import rules0169 from './rules/0.169.0.json' with { type: 'json' };
import rules0171 from './rules/0.171.0.json' with { type: 'json' };

/**
 * Codex's config rules per release, as data written by scripts/calibrate.mjs from the real binary
 * (reference/codex-drift.md §6). What a probe cannot see stays in TypeScript (checks/rules.ts),
 * tagged with the releases it was verified on.
 */
export type KeyRule =
  | { type: 'string'; checked?: string }
  | { type: 'path'; mustExist?: boolean; checked?: string }
  | { type: 'boolean' | 'float' | 'any' | 'unknown' }
  | { type: 'integer'; kind: string; min?: number; max?: number }
  | { type: 'enum'; values: string[] }
  | { type: 'array'; element: KeyRule }
  /** A table with known fields: `closed` says when an unknown field is refused; `fields: null` = not calibrated. */
  | {
      type: 'table';
      closed: 'strict' | 'always';
      required?: string[];
      fields: Record<string, KeyRule> | null;
    }
  /** A table of any keys whose values follow `values` (plus a few named `fields`). */
  | { type: 'map'; values: KeyRule; fields?: Record<string, KeyRule> }
  | { type: 'other'; expected?: string | null; acceptsInteger?: boolean; acceptsString?: boolean };

export interface CodexRules {
  version: string;
  keys: Record<string, KeyRule>;
  providerFields: string[];
  features: Record<string, { stage: string; default: boolean }>;
  featureAliases: string[];
  providers: {
    /** Ids a `[model_providers.<id>]` table may not use. */
    reserved: string[];
    /** Built-ins whose table may change only `restrictedFields`. */
    restricted: string[];
    restrictedFields: string[];
    /** Ids `model_provider` may name without a table. */
    builtin: string[];
    /** Ids `model_provider` may no longer name. */
    removed: string[];
  };
  /** Keys Codex strips from project files (`features.x` for a nested one). */
  projectStripped: string[];
  /** The bundled model catalog (`codex debug models --bundled`). */
  models: { slug: string; display_name: string }[];
}

/** Every shipped rule set, oldest first. */
export const SHIPPED: readonly CodexRules[] = [rules0169 as CodexRules, rules0171 as CodexRules];

export type Version = [number, number, number];

export function parseVersion(text: string): Version | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** How the rules in use relate to the Codex they are for. */
export type RulesMatch =
  /** Rules calibrated on this release, or on another patch of the same minor release. */
  | 'exact'
  /** No rules for this release: the newest older rules apply. */
  | 'older-rules'
  /** Codex is newer than every shipped rule set: the newest apply, and may miss what is new. */
  | 'newer-codex'
  /** Codex is older than every shipped rule set. */
  | 'older-codex';

export interface RulesInUse {
  rules: CodexRules;
  /** The Codex version these rules are applied for (undefined: no Codex found, no flag). */
  codexVersion: string | undefined;
  /** Where the version came from. */
  source: 'flag' | 'path' | 'default';
  /** The `codex` it came from (source 'path'). */
  codexPath?: string | undefined;
  match: RulesMatch;
}

/** The rule set for a Codex version: the same minor release, else the newest older one. */
export function rulesFor(version: string): { rules: CodexRules; match: RulesMatch } | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  const sameMinor = SHIPPED.filter((r) => {
    const s = parseVersion(r.version)!;
    return s[0] === v[0] && s[1] === v[1] && compare(s, v) <= 0;
  });
  if (sameMinor.length) return { rules: sameMinor[sameMinor.length - 1]!, match: 'exact' };
  const older = SHIPPED.filter((r) => compare(parseVersion(r.version)!, v) < 0);
  const newest = SHIPPED[SHIPPED.length - 1]!;
  if (older.length === 0) {
    // Older than the oldest rules, or the same minor release with a lower patch than any shipped.
    const oldest = SHIPPED[0]!;
    const o = parseVersion(oldest.version)!;
    return { rules: oldest, match: o[0] === v[0] && o[1] === v[1] ? 'exact' : 'older-codex' };
  }
  const best = older[older.length - 1]!;
  return { rules: best, match: best === newest ? 'newer-codex' : 'older-rules' };
}

export const newestRules = (): CodexRules => SHIPPED[SHIPPED.length - 1]!;

/** "Codex 0.171.0's rules", for messages. */
export function rulesName(rules: CodexRules): string {
  return `Codex ${rules.version}`;
}

const catalogs = new WeakMap<CodexRules, Set<string>>();

/** Whether Codex has bundled metadata for this model name. */
export function inCatalog(rules: CodexRules, model: string): boolean {
  let slugs = catalogs.get(rules);
  if (!slugs) {
    slugs = new Set(rules.models.map((m) => m.slug));
    catalogs.set(rules, slugs);
  }
  return slugs.has(model);
}

/**
 * The files keys name that Codex reads at load (model_catalog_json, model_instructions_file, …, as
 * calibrated: a path Codex refused when it did not exist) and that do not exist. Relative paths
 * resolve against the directory of the config file that sets them.
 */
export function missingNamedFiles(
  value: Record<string, unknown>,
  file: string,
  rules: CodexRules,
): { key: string; resolved: string }[] {
  const out: { key: string; resolved: string }[] = [];
  for (const [key, rule] of Object.entries(rules.keys)) {
    if (rule.type !== 'path' || !rule.mustExist) continue;
    const named = value[key];
    if (typeof named !== 'string') continue;
    const resolved = path.resolve(path.dirname(file), named);
    if (!existsSync(resolved)) out.push({ key, resolved });
  }
  return out;
}
