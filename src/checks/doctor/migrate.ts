import path from 'node:path';
import { KeyLocator } from '../../config/locate.ts';
import { isTable } from '../../config/overrides.ts';
import { PROFILE_NAME } from '../../config/paths.ts';
import type { ConfigSource, TomlTable } from '../../config/source.ts';
import { getIn, tomlValueEquals } from '../../config/toml-format.ts';

/**
 * The plan for moving legacy profiles out of config.toml (pure): `profile = "x"` is removed (Codex
 * 0.169 has no default profile, only `--profile x`), and every `[profiles.x]` leaf goes into
 * `$CODEX_HOME/x.config.toml` unless that file already sets it differently — a conflict is
 * reported and the leaf stays where it is, so no value is ever lost or overwritten.
 */

/** A profile file as read before planning: its parsed value, or why it could not be read. */
export interface ProfileFileState {
  file: string;
  exists: boolean;
  value: TomlTable;
  error?: string | undefined;
}

export interface LegacyMove {
  /** Path inside the profile (and inside the profile file). */
  path: string[];
  value: unknown;
}

export interface LegacyConflict {
  path: string[];
  /** Line of the key in config.toml. */
  line: number | null;
  legacy: unknown;
  existing: unknown;
}

export interface LegacyTablePlan {
  name: string;
  /** Line of the `[profiles.<name>]` header (or key) in config.toml. */
  line: number | null;
  /** `$CODEX_HOME/<name>.config.toml`; undefined when the name cannot be a profile file name. */
  target: string | undefined;
  targetExists: boolean;
  moves: LegacyMove[];
  /** Leaves the profile file already sets to the same value: removed from config.toml only. */
  same: string[][];
  conflicts: LegacyConflict[];
  /** Why nothing of this table can be migrated (a bad name, an unreadable profile file). */
  blocked: string | undefined;
}

export interface LegacyPlan {
  configFile: string;
  selector: { name: string; line: number | null } | undefined;
  tables: LegacyTablePlan[];
}

/** Undefined when config.toml has neither a `profile` selector nor `[profiles.*]` tables. */
export function planLegacyMigration(
  source: ConfigSource,
  homeDir: string,
  profileFiles: ReadonlyMap<string, ProfileFileState>,
): LegacyPlan | undefined {
  const value = source.value;
  const selectorName = typeof value.profile === 'string' ? value.profile : undefined;
  const profiles = isTable(value.profiles) ? value.profiles : undefined;
  if (selectorName === undefined && !profiles) return undefined;
  let locator: KeyLocator | undefined;
  const lineOf = (p: string[]) => {
    locator ??= new KeyLocator(source.text);
    return locator.find(p)?.line ?? null;
  };

  const tables: LegacyTablePlan[] = [];
  for (const [name, table] of Object.entries(profiles ?? {})) {
    const valid = PROFILE_NAME.test(name);
    const target = valid ? path.join(homeDir, `${name}.config.toml`) : undefined;
    const state = target ? profileFiles.get(name) : undefined;
    const plan: LegacyTablePlan = {
      name,
      line: lineOf(['profiles', name]),
      target,
      targetExists: state?.exists ?? false,
      moves: [],
      same: [],
      conflicts: [],
      blocked: undefined,
    };
    tables.push(plan);
    if (!valid) {
      plan.blocked = `"${name}" is not a name \`codex --profile\` accepts (only letters, digits, "_" and "-")`;
      continue;
    }
    if (state?.error) {
      plan.blocked = `${target} cannot be read: ${state.error}`;
      continue;
    }
    if (!isTable(table)) {
      plan.blocked = `\`profiles.${name}\` is not a table`;
      continue;
    }
    const existing = state?.value ?? {};
    for (const leaf of leaves(table)) {
      const have = lookup(existing, leaf.path);
      if (have.kind === 'absent') plan.moves.push(leaf);
      else if (have.kind === 'value' && tomlValueEquals(have.value, leaf.value)) plan.same.push(leaf.path);
      else {
        plan.conflicts.push({
          path: leaf.path,
          line: lineOf(['profiles', name, ...leaf.path]),
          legacy: leaf.value,
          existing: have.value,
        });
      }
    }
  }
  return {
    configFile: source.file,
    selector: selectorName === undefined ? undefined : { name: selectorName, line: lineOf(['profile']) },
    tables,
  };
}

/** Every non-table value under `table`, with its path; empty tables carry nothing and are skipped. */
function leaves(table: TomlTable, prefix: string[] = []): LegacyMove[] {
  const out: LegacyMove[] = [];
  for (const [key, value] of Object.entries(table)) {
    const p = [...prefix, key];
    if (isTable(value)) out.push(...leaves(value, p));
    else out.push({ path: p, value });
  }
  return out;
}

/** What the profile file has at `p`: nothing, a value, or a non-table in the way of the path. */
function lookup(
  root: TomlTable,
  p: string[],
): { kind: 'absent' } | { kind: 'value'; value: unknown } | { kind: 'blocked'; value: unknown } {
  for (let i = 1; i < p.length; i++) {
    const v = getIn(root, p.slice(0, i));
    if (v === undefined) return { kind: 'absent' };
    if (!isTable(v)) return { kind: 'blocked', value: v };
  }
  const v = getIn(root, p);
  return v === undefined ? { kind: 'absent' } : { kind: 'value', value: v };
}

/** True when applying the plan would change a file. */
export function planChangesSomething(plan: LegacyPlan): boolean {
  return (
    plan.selector !== undefined ||
    plan.tables.some((t) => !t.blocked && (t.moves.length > 0 || t.same.length > 0))
  );
}
