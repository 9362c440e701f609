import { trustEdit } from '../app/trust.ts';
import type { LegacyPlan, LegacyTablePlan } from '../checks/doctor/migrate.ts';
import type { ConfigFacts } from '../checks/doctor/types.ts';
import type { TomlDocument } from '../config/document.ts';
import type { LoadedConfig } from '../config/layers.ts';
import { KeyLocator } from '../config/locate.ts';
import { isTable } from '../config/overrides.ts';
import { canonicalDir, PROFILE_NAME, profileConfigPath } from '../config/paths.ts';
import { type ConfigSource, parseToml, type TomlTable } from '../config/source.ts';
import { getIn, tomlValueEquals } from '../config/toml-format.ts';
import { FileError } from '../errors.ts';
import { legacyTableText } from './legacy-text.ts';

/**
 * What `doctor --fix` would change, planned from the facts doctor gathered (no I/O here): each
 * fix with one safe, mechanical form, as an action (for the report and for marking the checks it
 * settles) and as edits of the files it touches. apply-fix.ts turns the edits into one diff and
 * one transaction.
 */

export type FixKind = 'wire-api' | 'ignored-key' | 'legacy-profile' | 'project-provider' | 'trust';

export interface FixAction {
  kind: FixKind;
  /** The file the problem is in (the one the check points at). */
  file: string;
  line: number | null;
  /** What it does, one sentence. */
  summary: string;
  /** The ids of the checks it settles (matched on file and line too). */
  checks: readonly string[];
}

/** A fix --fix could make with one more answer (e.g. which profile gets a project's provider). */
export interface FixNeed {
  kind: FixKind;
  file: string;
  line: number | null;
  /** What to pass or do so --fix makes it. */
  hint: string;
  checks: readonly string[];
}

/** One file's change: optionally new text first (a moved legacy table), then document edits. */
export interface FileFix {
  file: string;
  /** New text from the text on disk; a change of the file since doctor read it is then a conflict. */
  text?: ((current: string) => string) | undefined;
  edits: ((doc: TomlDocument) => void)[];
  /** Mode of a new file (profile files may hold tokens: 0600). */
  mode?: number | undefined;
}

export interface FixPlan {
  actions: FixAction[];
  needs: FixNeed[];
  files: FileFix[];
  /** The legacy tables migrated, for the report after the write. */
  legacy: { plan: LegacyPlan; tables: LegacyTablePlan[] } | undefined;
  /** Profiles a project's providers moved into, for the `codexgw pin` hint. */
  intoProfile: string | undefined;
}

export interface FixOptions {
  /** Trust the project layers Codex ignores here (`--trust`). */
  trust: boolean;
  /** Move `model_provider` / `model_providers` out of project files into this profile. */
  intoProfile: string | undefined;
}

/** Top-level keys Codex ignores whose only fix is to delete them (schema.ts IGNORED_KEY_ADVICE). */
export const REMOVABLE_KEYS: readonly string[] = [
  'temperature',
  'max_output_tokens',
  'parallel_tool_calls',
  'tool_choice',
  'model_max_output_tokens',
  'model_supports_reasoning_summaries',
  'disable_response_storage',
];

export function planFixes(config: ConfigFacts, legacy: LegacyPlan | undefined, opts: FixOptions): FixPlan {
  const plan: FixPlan = { actions: [], needs: [], files: [], legacy: undefined, intoProfile: undefined };
  const loaded = config.loaded;
  if (!loaded) return plan;
  const fileFix = (file: string, mode?: number): FileFix => {
    let f = plan.files.find((x) => x.file === file);
    if (!f) {
      f = { file, edits: [], mode };
      plan.files.push(f);
    }
    return f;
  };

  for (const source of editableSources(config)) {
    const fix = valueFixes(source.value, source.file, lazyLines(source));
    if (fix.actions.length === 0) continue;
    plan.actions.push(...fix.actions);
    fileFix(source.file).edits.push(...fix.edits);
  }
  if (legacy) planLegacy(plan, loaded, legacy, fileFix);
  planProjectProviders(plan, loaded, opts.intoProfile, fileFix);
  if (opts.trust) planTrust(plan, loaded, fileFix);
  return plan;
}

/** The config files doctor may edit: the user config, profile files, project files (never the system file). */
function editableSources(config: ConfigFacts): ConfigSource[] {
  const out: ConfigSource[] = [];
  for (const layer of config.loaded?.layers ?? []) {
    if (layer.kind === 'system' || layer.kind === 'override' || layer.error) continue;
    if (layer.source?.exists) out.push(layer.source);
  }
  for (const f of config.loaded ? config.otherProfiles : []) {
    if (!f.error && f.source?.exists && !out.some((s) => s.file === f.source!.file)) out.push(f.source);
  }
  return out;
}

type LineOf = (path: readonly string[]) => number | null;

function lazyLines(source: ConfigSource): LineOf {
  let locator: KeyLocator | undefined;
  return (p) => {
    locator ??= new KeyLocator(source.text);
    return locator.find(p)?.line ?? null;
  };
}

/** wire_api = "chat" → "responses", and the top-level keys Codex ignores, in one table. */
export function valueFixes(
  value: TomlTable,
  file: string,
  lineOf: LineOf = () => null,
): { actions: FixAction[]; edits: ((doc: TomlDocument) => void)[] } {
  const actions: FixAction[] = [];
  const edits: ((doc: TomlDocument) => void)[] = [];
  const providers = value.model_providers;
  for (const [id, table] of isTable(providers) ? Object.entries(providers) : []) {
    if (!isTable(table) || table.wire_api !== 'chat') continue;
    const p = ['model_providers', id, 'wire_api'];
    actions.push({
      kind: 'wire-api',
      file,
      line: lineOf(p),
      summary: `Set wire_api = "responses" in [model_providers.${id}] (Codex no longer speaks "chat").`,
      checks: ['config.wire-api-chat', 'provider.wire-api'],
    });
    edits.push((doc) => {
      if (doc.get(p) === 'chat') doc.set(p, 'responses');
    });
  }
  for (const key of REMOVABLE_KEYS) {
    if (value[key] === undefined) continue;
    actions.push({
      kind: 'ignored-key',
      file,
      line: lineOf([key]),
      summary: `Remove \`${key}\`: Codex ignores it (and refuses it under --strict-config).`,
      checks: ['config.ignored-key'],
    });
    edits.push((doc) => {
      if (doc.has([key])) doc.delete([key]);
    });
  }
  return { actions, edits };
}

const migratable = (t: LegacyTablePlan) => !t.blocked && (t.moves.length > 0 || t.same.length > 0);

/**
 * Legacy profiles: each `[profiles.x]` into `$CODEX_HOME/x.config.toml` (as text when the file is
 * new or empty, so the comments inside the table move too), the selector and the moved keys out
 * of config.toml. A conflicting key stays where it is. What the moved table holds that Codex
 * refuses (wire_api = "chat", ignored keys) is fixed in the profile file at once.
 */
function planLegacy(
  plan: FixPlan,
  loaded: LoadedConfig,
  legacy: LegacyPlan,
  fileFix: (file: string, mode?: number) => FileFix,
): void {
  const tables = legacy.tables.filter(migratable);
  if (tables.length === 0 && !legacy.selector) return;
  plan.legacy = { plan: legacy, tables };
  const userSource = loaded.layers.find((l) => l.kind === 'user')?.source;
  for (const t of tables) {
    const target = fileFix(t.target!, 0o600);
    const whole = t.conflicts.length === 0 && t.same.length === 0;
    target.text = (current) => movedTableText(current, userSource, t, whole);
    const moved: TomlTable = {};
    for (const m of t.moves) setPath(moved, m.path, m.value);
    // After a text move these find every value in place; else they add them key by key.
    target.edits.push((doc) => {
      for (const m of t.moves) {
        const now = doc.get(m.path);
        if (now === undefined) doc.set(m.path, m.value);
        else if (!tomlValueEquals(now, m.value)) {
          throw new FileError(`${t.target} changed while doctor was running (${m.path.join('.')}).`, {
            file: t.target,
            hint: 'Nothing was written. Run `codexgw doctor --fix` again.',
          });
        }
      }
    });
    const post = valueFixes(moved, t.target!);
    target.edits.push(...post.edits);
    plan.actions.push({
      kind: 'legacy-profile',
      file: legacy.configFile,
      line: t.line,
      summary: `Move [profiles.${t.name}] into ${t.target}${t.conflicts.length ? ` (${t.conflicts.length} conflicting key(s) stay)` : ''}.`,
      checks: ['config.legacy-profiles-table'],
    });
    plan.actions.push(...post.actions.map((a) => ({ ...a, line: null })));
  }
  if (legacy.selector) {
    plan.actions.push({
      kind: 'legacy-profile',
      file: legacy.configFile,
      line: legacy.selector.line,
      summary: `Remove \`profile = "${legacy.selector.name}"\` (Codex has no default profile; run \`codex --profile ${legacy.selector.name}\`).`,
      checks: ['config.legacy-profile'],
    });
  }
  fileFix(legacy.configFile).edits.push((doc) => {
    if (legacy.selector && doc.has(['profile'])) doc.delete(['profile']);
    for (const t of tables) removeMoved(doc, t);
    const profiles = doc.get(['profiles']);
    if (isTable(profiles) && Object.keys(profiles).length === 0) doc.delete(['profiles']);
  });
}

/**
 * The profile file's new text: the table's own lines, when the file is new or empty, the whole
 * table moves and those lines parse to exactly its value; else the file as it is (the values are
 * then added key by key, and comments inside the table stay behind in the backup).
 */
function movedTableText(
  current: string,
  source: ConfigSource | undefined,
  t: LegacyTablePlan,
  whole: boolean,
): string {
  if (!source || current.trim() !== '' || !whole) return current;
  const text = legacyTableText(source.text, source.file, t.name);
  if (text === undefined) return current;
  try {
    const profiles = source.value.profiles;
    const want = isTable(profiles) ? profiles[t.name] : undefined;
    return tomlValueEquals(parseToml(text, t.target!), want) ? text : current;
  } catch {
    return current;
  }
}

type Doc = { get(path: readonly string[]): unknown; delete(path: readonly string[]): boolean };

/** Remove what was moved: the whole table, or (with conflicts left) the moved leaves and the tables they empty. */
function removeMoved(doc: Doc, t: LegacyTablePlan): void {
  const base = ['profiles', t.name];
  if (t.conflicts.length === 0) {
    doc.delete(base);
    return;
  }
  for (const p of [...t.moves.map((m) => m.path), ...t.same]) {
    doc.delete([...base, ...p]);
    for (let n = p.length - 1; n > 0; n--) {
      const parent = [...base, ...p.slice(0, n)];
      const v = doc.get(parent);
      if (!isTable(v) || Object.keys(v).length > 0) break;
      doc.delete(parent);
    }
  }
}

function setPath(root: TomlTable, p: readonly string[], value: unknown): void {
  let cur = root;
  for (const seg of p.slice(0, -1)) {
    if (!isTable(cur[seg])) cur[seg] = {};
    cur = cur[seg] as TomlTable;
  }
  cur[p[p.length - 1]!] = value;
}

/**
 * `model_provider` / `model_providers` in a project file never apply (Codex strips them). With a
 * profile name they move into that profile file (wire_api fixed on the way) and leave the project
 * file; `codex --profile <name>` (or `codexgw pin <name>`) then applies them. A value the profile
 * already sets differently is left alone and reported.
 */
function planProjectProviders(
  plan: FixPlan,
  loaded: LoadedConfig,
  intoProfile: string | undefined,
  fileFix: (file: string, mode?: number) => FileFix,
): void {
  const checks = ['config.project-ignored-key'];
  const layers = loaded.layers.filter(
    (l) =>
      l.kind === 'project' &&
      l.source?.exists &&
      !l.error &&
      (l.source.value.model_provider !== undefined || l.source.value.model_providers !== undefined),
  );
  if (layers.length === 0) return;
  if (!intoProfile || !PROFILE_NAME.test(intoProfile)) {
    for (const l of layers) {
      plan.needs.push({
        kind: 'project-provider',
        file: l.file!,
        line: lazyLines(l.source!)(['model_provider']),
        hint: `Run \`codexgw doctor --fix --into-profile <name>\` to move the provider settings into $CODEX_HOME/<name>.config.toml, then \`codex --profile <name>\` (or \`codexgw pin <name>\`) applies them here.`,
        checks,
      });
    }
    return;
  }
  const target = profileConfigPath(loaded.home, intoProfile);
  const existing = loaded.layers.find((l) => l.file === target)?.source?.value;
  const planned: TomlTable = {};
  for (const l of layers) {
    const value = l.source!.value;
    const lineOf = lazyLines(l.source!);
    const moves: { path: string[]; value: unknown }[] = [];
    const clashes: string[] = [];
    const consider = (p: string[], v: unknown) => {
      const have = getIn(existing ?? {}, p) ?? getIn(planned, p);
      if (have === undefined) moves.push({ path: p, value: v });
      else if (!tomlValueEquals(have, v)) clashes.push(p.join('.'));
    };
    if (value.model_provider !== undefined) consider(['model_provider'], value.model_provider);
    for (const [id, table] of isTable(value.model_providers) ? Object.entries(value.model_providers) : []) {
      const fixedTable =
        isTable(table) && table.wire_api === 'chat' ? { ...table, wire_api: 'responses' } : table;
      consider(['model_providers', id], fixedTable);
    }
    if (clashes.length > 0) {
      plan.needs.push({
        kind: 'project-provider',
        file: l.file!,
        line: lineOf(['model_provider']),
        hint: `${target} already sets ${clashes.join(', ')} differently; settle that by hand (or choose another --into-profile), then run \`codexgw doctor --fix\` again.`,
        checks,
      });
      continue;
    }
    for (const m of moves) setPath(planned, m.path, m.value);
    fileFix(target, 0o600).edits.push((doc) => {
      for (const m of moves) if (doc.get(m.path) === undefined) doc.set(m.path, m.value);
    });
    fileFix(l.file!).edits.push((doc) => {
      for (const k of ['model_provider', 'model_providers']) if (doc.has([k])) doc.delete([k]);
    });
    plan.actions.push({
      kind: 'project-provider',
      file: l.file!,
      line: lineOf(['model_provider']) ?? lineOf(['model_providers']),
      summary: `Move model_provider / model_providers from ${l.file} (where Codex ignores them) into ${target}; run \`codex --profile ${intoProfile}\` there, or \`codexgw pin ${intoProfile}\` to apply it in this project.`,
      checks,
    });
    plan.intoProfile = intoProfile;
  }
}

/** `[projects."<dir>"] trust_level = "trusted"` in the user config for each project layer Codex ignores. */
function planTrust(plan: FixPlan, loaded: LoadedConfig, fileFix: (file: string) => FileFix): void {
  const user = loaded.layers.find((l) => l.kind === 'user');
  if (!user?.file) return;
  const dirs = new Set<string>();
  for (const l of loaded.layers) {
    if (l.kind !== 'project' || l.loaded || !l.source?.exists || !l.dir) continue;
    const dir = canonicalDir(loaded.projectRoot);
    if (dirs.has(dir)) continue;
    dirs.add(dir);
    fileFix(user.file).edits.push(trustEdit(dir, 'trusted'));
    plan.actions.push({
      kind: 'trust',
      file: l.file!,
      line: 1,
      summary: `Trust ${dir} in ${user.file}, so Codex loads its project config.`,
      checks: ['config.project-untrusted'],
    });
  }
}
