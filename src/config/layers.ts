import { CodexgwError } from '../errors.ts';
import { KeyLocator } from './locate.ts';
import { isTable, type Override, overridesToTable, parseOverride } from './overrides.ts';
import {
  type CodexHome,
  canonicalDir,
  findGitRoot,
  findProjectRoot,
  profileConfigPath,
  projectConfigDirs,
  resolveCodexHome,
  systemConfigPath,
  userConfigPath,
} from './paths.ts';
import { type ConfigSource, readConfigSource, type TomlTable } from './source.ts';

export type LayerKind = 'system' | 'user' | 'profile' | 'project' | 'override';

/** Keys Codex 0.169 strips from project `.codex/config.toml` files (they may not choose a provider). */
export const PROJECT_DENYLIST = [
  'openai_base_url',
  'chatgpt_base_url',
  'apps_mcp_product_sku',
  'model_provider',
  'model_providers',
  'notify',
  'profile',
  'profiles',
  'experimental_realtime_webrtc_call_base_url',
  'experimental_realtime_ws_base_url',
  'otel',
] as const;
/** Nested keys stripped from project files. */
export const PROJECT_DENYLIST_NESTED: readonly (readonly string[])[] = [['features', 'respect_system_proxy']];

export interface Layer {
  kind: LayerKind;
  /** Absolute path of the file, or null for `-c` overrides. */
  file: string | null;
  /** For project layers: the directory holding `.codex/`. */
  dir?: string;
  /** False when Codex would not apply it (untrusted project, unreadable file in collect mode). */
  loaded: boolean;
  /** Why it is not loaded, or a note (e.g. "file does not exist"). */
  reason?: string;
  source?: ConfigSource;
  /** The values this layer contributes (project layers: after stripping denylisted keys). */
  value: TomlTable;
  /** The parse/read error of this layer, in collect mode. */
  error?: CodexgwError;
  /** Raw `-c` overrides, for the override layer. */
  overrides?: Override[];
}

export interface IgnoredKey {
  key: string;
  path: string[];
  file: string;
  line: number | null;
  column: number | null;
  reason: string;
}

export interface Origin {
  layer: LayerKind;
  file: string | null;
  line: number | null;
  column: number | null;
}

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  profile?: string | undefined;
  overrides?: readonly string[] | undefined;
  /**
   * 'throw' (commands that act on the config): a file that cannot be read or parsed is a FileError.
   * 'collect' (validate, doctor): the layer is kept with its error and contributes nothing.
   */
  onError?: 'throw' | 'collect';
}

export interface LoadedConfig {
  home: CodexHome;
  cwd: string;
  projectRoot: string;
  profile: string | undefined;
  /** Lowest precedence first: system, user, profile, project (root → cwd), override. */
  layers: Layer[];
  merged: TomlTable;
  ignored: IgnoredKey[];
  /** Origin of each merged leaf value (and of each empty table), by path. */
  originOf(path: readonly string[]): Origin | undefined;
  /** Every origin, keyed by dotted path (Codex's own notation: segments joined with "."). */
  origins(): Map<string, Origin>;
}

/** Load every layer Codex would consider for `cwd`, and merge them like Codex. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const onError = options.onError ?? 'throw';
  const home = resolveCodexHome(options.env, options.cwd);
  const cwd = canonicalDir(options.cwd);
  const layers: Layer[] = [];

  const read = (kind: LayerKind, file: string): Layer => {
    try {
      const source = readConfigSource(file);
      const layer: Layer = { kind, file, loaded: true, source, value: source.value };
      if (!source.exists) layer.reason = 'file does not exist';
      return layer;
    } catch (err) {
      if (onError === 'throw' || !(err instanceof CodexgwError)) throw err;
      return { kind, file, loaded: false, reason: err.message, value: {}, error: err };
    }
  };

  const system = read('system', systemConfigPath(options.env));
  if (system.source && !system.source.exists) system.loaded = false;
  layers.push(system);
  layers.push(read('user', userConfigPath(home)));
  if (options.profile) layers.push(read('profile', profileConfigPath(home, options.profile)));

  const overrides = (options.overrides ?? []).map(parseOverride);
  const overrideLayer: Layer | undefined = overrides.length
    ? { kind: 'override', file: null, loaded: true, value: overridesToTable(overrides), overrides }
    : undefined;

  // Trust and project-root markers come from every layer but the project ones; merge just those.
  const base = mergeLayers(
    [...layers, ...(overrideLayer ? [overrideLayer] : [])].map((l) => ({
      ...l,
      value: pick(l.value, TRUST_KEYS),
    })),
  );
  const markers = Array.isArray(base.merged.project_root_markers)
    ? (base.merged.project_root_markers as unknown[]).filter((m): m is string => typeof m === 'string')
    : ['.git'];
  const projectRoot = findProjectRoot(cwd, markers);
  const gitRoot = findGitRoot(cwd);
  const ignored: IgnoredKey[] = [];

  for (const { dir, file } of projectConfigDirs(projectRoot, cwd, home.dir)) {
    const layer = read('project', file);
    layer.dir = dir;
    const trust = trustLevel(base.merged, [dir, projectRoot, gitRoot]);
    if (trust !== 'trusted') {
      layer.loaded = false;
      layer.reason =
        trust === 'untrusted'
          ? `${dir} is marked untrusted in the user config; Codex ignores this project's config.`
          : `${dir} is not a trusted project; Codex ignores its .codex/config.toml until you trust it.`;
    } else if (layer.source && !layer.source.exists) {
      layer.reason = 'file does not exist';
    }
    if (layer.loaded) {
      const { kept, removed } = stripProjectKeys(layer.value);
      layer.value = kept;
      const locator = layer.source ? lazyLocator(layer.source) : undefined;
      for (const path of removed) {
        const pos = locator?.()?.find(path);
        ignored.push({
          key: path.join('.'),
          path,
          file,
          line: pos?.line ?? null,
          column: pos?.column ?? null,
          reason: `Codex ignores \`${path.join('.')}\` in project files; set it in the user config or a profile file ($CODEX_HOME/<name>.config.toml).`,
        });
      }
    }
    layers.push(layer);
  }
  if (overrideLayer) layers.push(overrideLayer);

  const { merged, origins } = mergeLayers(layers);
  let dotted: Map<string, Origin> | undefined;
  return {
    home,
    cwd,
    projectRoot,
    profile: options.profile,
    layers,
    merged,
    ignored,
    originOf: (path) => origins.resolve(path),
    origins: () => {
      dotted ??= origins.all();
      return dotted;
    },
  };
}

const TRUST_KEYS = ['projects', 'project_root_markers'];

function pick(value: TomlTable, keys: readonly string[]): TomlTable {
  const out: TomlTable = {};
  for (const k of keys) if (value[k] !== undefined) out[k] = value[k];
  return out;
}

/** `[projects."<dir>"] trust_level` for the first candidate that has an entry. */
export function trustLevel(
  merged: TomlTable,
  candidates: readonly (string | undefined)[],
): string | undefined {
  const projects = merged.projects;
  if (!isTable(projects)) return undefined;
  for (const dir of candidates) {
    if (!dir) continue;
    const entry = projects[dir] ?? projects[canonicalDir(dir)];
    if (isTable(entry) && typeof entry.trust_level === 'string') return entry.trust_level;
  }
  return undefined;
}

/** Split a project layer's table into what Codex keeps and the paths it strips. */
export function stripProjectKeys(value: TomlTable): { kept: TomlTable; removed: string[][] } {
  const kept: TomlTable = { ...value };
  const removed: string[][] = [];
  for (const key of PROJECT_DENYLIST) {
    if (key in kept) {
      delete kept[key];
      removed.push([key]);
    }
  }
  for (const path of PROJECT_DENYLIST_NESTED) {
    const [head, leaf] = path as [string, string];
    const table = kept[head];
    if (isTable(table) && leaf in table) {
      const copy = { ...table };
      delete copy[leaf];
      kept[head] = copy;
      removed.push([head, leaf]);
    }
  }
  return { kept, removed };
}

interface OriginIndex {
  resolve(path: readonly string[]): Origin | undefined;
  all(): Map<string, Origin>;
}

const SEP = '\u0000';

/**
 * Merge layers lowest first, like Codex's `merge_toml_values`: tables merge key by key; anything
 * else (scalars, arrays, a table meeting a non-table) is replaced whole by the higher layer.
 * Origins record which layer wrote each leaf, and for each table the last layer that wrote under
 * it; line and column are looked up only when asked for. Linear in the number of keys.
 */
export function mergeLayers(layers: readonly Layer[]): { merged: TomlTable; origins: OriginIndex } {
  const merged: TomlTable = {};
  const state: MergeState = { owner: new Map(), tableOwner: new Map() };
  for (const layer of layers) {
    if (!layer.loaded) continue;
    mergeInto(merged, layer.value, '', layer, state);
  }
  const locators = new Map<Layer, () => KeyLocator | undefined>();
  const originFor = (path: readonly (string | number)[], layer: Layer): Origin => {
    let loc = locators.get(layer);
    if (!loc) {
      loc = layer.source ? lazyLocator(layer.source) : () => undefined;
      locators.set(layer, loc);
    }
    const pos = loc()?.find(path);
    return { layer: layer.kind, file: layer.file, line: pos?.line ?? null, column: pos?.column ?? null };
  };
  return {
    merged,
    origins: {
      resolve(path) {
        const key = path.join(SEP);
        const layer = state.owner.get(key) ?? state.tableOwner.get(key);
        return layer ? originFor(path, layer) : undefined;
      },
      all() {
        const out = new Map<string, Origin>();
        for (const [key, layer] of state.owner) {
          const path = key.split(SEP);
          out.set(path.join('.'), originFor(path, layer));
        }
        return out;
      },
    },
  };
}

interface MergeState {
  /** Leaf key (segments joined with SEP) → the layer that wrote it. */
  owner: Map<string, Layer>;
  /** Table (or array) key → the last (highest) layer that wrote anything under it. */
  tableOwner: Map<string, Layer>;
}

/** Merge `source` into `target`; true when it wrote anything (its tables then get this layer). */
function mergeInto(
  target: TomlTable,
  source: TomlTable,
  prefix: string,
  layer: Layer,
  state: MergeState,
): boolean {
  let wrote = false;
  for (const key of Object.keys(source)) {
    const value = source[key];
    const here = prefix === '' ? key : prefix + SEP + key;
    const prev = target[key];
    if (isTable(value) && isTable(prev)) {
      // Marked once per table, on the way back, rather than for each leaf below it.
      if (mergeInto(prev, value, here, layer, state)) {
        state.tableOwner.set(here, layer);
        wrote = true;
      }
      continue;
    }
    if (prev !== undefined) forget(state.owner, here, prev);
    wrote = true;
    if (isTable(value)) {
      const copy: TomlTable = {};
      target[key] = copy;
      state.tableOwner.set(here, layer);
      mergeInto(copy, value, here, layer, state);
      if (Object.keys(value).length === 0) state.owner.set(here, layer);
    } else {
      target[key] = value;
      // Like Codex's config/read, an array's origin is given per element (`args.0`, `args.1`).
      if (Array.isArray(value) && value.length > 0) {
        state.tableOwner.set(here, layer);
        for (let i = 0; i < value.length; i++) state.owner.set(here + SEP + i, layer);
      } else state.owner.set(here, layer);
    }
  }
  return wrote;
}

/** Drop the origins of a value (and everything under it) that a higher layer replaced. */
function forget(owner: Map<string, Layer>, key: string, prev: unknown) {
  owner.delete(key);
  if (Array.isArray(prev)) {
    for (let i = 0; i < prev.length; i++) owner.delete(key + SEP + i);
  } else if (isTable(prev)) {
    // Rare (a table replaced by a scalar or an array): a scan is fine here.
    const below = key + SEP;
    for (const k of owner.keys()) if (k.startsWith(below)) owner.delete(k);
  }
}

function lazyLocator(source: ConfigSource): () => KeyLocator | undefined {
  let locator: KeyLocator | undefined;
  return () => {
    if (!source.exists) return undefined;
    locator ??= new KeyLocator(source.text);
    return locator;
  };
}
