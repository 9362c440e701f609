import { CodexgwError } from '../errors.ts';
import { recoverJournals } from '../io/journal.ts';
import { registerConfigSecrets } from '../io/redact.ts';
import { KeyLocator } from './locate.ts';
import { isTable, type Override, overridesToTable, parseOverride } from './overrides.ts';
import {
  type CodexHome,
  canonicalDir,
  findRoots,
  profileConfigPath,
  projectConfigDirs,
  resolveCodexHome,
  systemConfigPath,
  userConfigPath,
} from './paths.ts';
import { type ConfigSource, copyTable, emptyTable, readConfigSource, type TomlTable } from './source.ts';

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
  // Not in PROJECT_LOCAL_CONFIG_DENYLIST's source, but 0.169.0 and 0.171.0 strip it (calibrate.mjs).
  'responses_api_metadata',
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
  // A change of several files an interrupted run committed (journal.ts) is finished before
  // anything is read: every command then sees it whole.
  recoverJournals(home.dir);
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
      return { kind, file, loaded: false, reason: err.message, value: emptyTable(), error: err };
    }
  };

  const system = read('system', systemConfigPath(options.env));
  if (system.source && !system.source.exists) system.loaded = false;
  layers.push(system);
  layers.push(read('user', userConfigPath(home)));
  // An empty name is refused (profileConfigPath), not taken for "no profile".
  if (options.profile !== undefined) layers.push(read('profile', profileConfigPath(home, options.profile)));

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
  const { projectRoot, gitRoot } = findRoots(cwd, markers);
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
  if (overrideLayer) {
    // `-c key=value` can carry a credential that no file holds.
    registerConfigSecrets(overrideLayer.value);
    layers.push(overrideLayer);
  }

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
  const out = emptyTable();
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
  const kept = copyTable(value);
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
      const copy = copyTable(table);
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

/**
 * Merge layers lowest first, like Codex's `merge_toml_values`: tables merge key by key; anything
 * else (scalars, arrays, a table meeting a non-table) is replaced whole by the higher layer.
 * Origins record which layer wrote each leaf, and for each table the last layer that wrote under
 * it, in a tree beside the merged value (no key strings are built: on a 6,500-line config, keying
 * a map by joined paths was ~6 % of `use`); line and column are looked up only when asked for.
 * Linear in the number of keys.
 */
export function mergeLayers(layers: readonly Layer[]): { merged: TomlTable; origins: OriginIndex } {
  const merged = emptyTable();
  const root: OwnerTable | undefined = layers.length ? ownerTable(layers[0]!) : undefined;
  for (const layer of layers) {
    if (!layer.loaded || !root) continue;
    mergeInto(merged, layer.value, root, layer);
  }
  const locators = new Map<Layer, () => KeyLocator | undefined>();
  const originFor = (path: readonly string[], layer: Layer): Origin => {
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
        const layer = root && path.length ? ownerOf(root, path) : undefined;
        return layer ? originFor(path, layer) : undefined;
      },
      all() {
        const out = new Map<string, Origin>();
        const walk = (table: OwnerTable, path: string[]) => {
          for (const key in table.keys) {
            const node = table.keys[key]!;
            const here = [...path, key];
            if (isOwnerTable(node)) {
              if (node.emptyBy) out.set(here.join('.'), originFor(here, node.emptyBy));
              walk(node, here);
            } else if (!isOwnerArray(node) || node.length === 0) {
              out.set(here.join('.'), originFor(here, isOwnerArray(node) ? node.layer : node));
            } else {
              // Like Codex's config/read, an array's origin is given per element (`args.0`, `args.1`).
              for (let i = 0; i < node.length; i++) {
                const element = [...here, String(i)];
                out.set(element.join('.'), originFor(element, node.layer));
              }
            }
          }
        };
        if (root) walk(root, []);
        return out;
      },
    },
  };
}

/** Who wrote a table of the merged value, and each of its keys. */
interface OwnerTable {
  /** The last (highest) layer that wrote anything under the table. */
  layer: Layer;
  /** The layer that created the table empty: the table itself then has an origin, as a leaf does. */
  emptyBy?: Layer;
  /** By key (no prototype: a key named "__proto__" is a plain key). A scalar's owner is its layer. */
  readonly keys: Record<string, Owner>;
}

/** Who wrote an array: its elements are its origins. */
interface OwnerArray {
  readonly layer: Layer;
  readonly length: number;
}

type Owner = OwnerTable | OwnerArray | Layer;

const ownerTable = (layer: Layer): OwnerTable => ({ layer, keys: Object.create(null) });
const isOwnerTable = (node: Owner): node is OwnerTable => 'keys' in node;
const isOwnerArray = (node: Owner): node is OwnerArray => 'length' in node;

/** The layer that wrote `path`: a leaf, an array element, or a table (its last writer). */
function ownerOf(root: OwnerTable, path: readonly string[]): Layer | undefined {
  let node: Owner = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isOwnerTable(node)) {
      const next: Owner | undefined = node.keys[seg];
      if (!next) return undefined;
      node = next;
    } else {
      // Below a leaf only an array's elements, by their index, have an origin.
      const last = i === path.length - 1;
      if (isOwnerArray(node) && last && /^(0|[1-9]\d*)$/.test(seg) && Number(seg) < node.length)
        return node.layer;
      return undefined;
    }
  }
  if (isOwnerTable(node)) return node.emptyBy ?? node.layer;
  return isOwnerArray(node) ? node.layer : node;
}

/** Merge `source` into `target` and its owners; true when it wrote anything. */
function mergeInto(target: TomlTable, source: TomlTable, owners: OwnerTable, layer: Layer): boolean {
  let wrote = false;
  for (const key of Object.keys(source)) {
    const value = source[key];
    const prev = target[key];
    if (isTable(value) && isTable(prev)) {
      const node = owners.keys[key] as OwnerTable; // every table of `merged` has its owner table
      // Marked once per table, on the way back, rather than for each leaf below it.
      if (mergeInto(prev, value, node, layer)) {
        node.layer = layer;
        wrote = true;
      }
      continue;
    }
    // Anything that was here (and its origins) is replaced whole.
    wrote = true;
    if (isTable(value)) {
      const copy = emptyTable();
      target[key] = copy;
      const node = ownerTable(layer);
      owners.keys[key] = node;
      mergeInto(copy, value, node, layer);
      if (Object.keys(value).length === 0) node.emptyBy = layer;
    } else {
      target[key] = value;
      owners.keys[key] = Array.isArray(value) ? { layer, length: value.length } : layer;
    }
  }
  return wrote;
}

function lazyLocator(source: ConfigSource): () => KeyLocator | undefined {
  let locator: KeyLocator | undefined;
  return () => {
    if (!source.exists) return undefined;
    locator ??= new KeyLocator(source.text);
    return locator;
  };
}
