import { UserError } from '../errors.ts';
import type { ProviderTable } from '../gateways/types.ts';
import type { TomlDocument } from './document.ts';
import { isTable } from './overrides.ts';
import { formatValue } from './toml-format.ts';

/** The provider fields a gateway preset owns; `--force` replaces these and keeps the rest. */
export const MANAGED_PROVIDER_FIELDS = [
  'name',
  'base_url',
  'env_key',
  'wire_api',
  'http_headers',
  'env_http_headers',
  'query_params',
] as const;

export interface AddProviderEdit {
  id: string;
  table: ProviderTable;
  /** Replace an existing table of that id (its managed fields; other fields and comments stay). */
  force?: boolean | undefined;
  /**
   * With force: the fields the user gave on this command line. Only these (and wire_api, which
   * has one valid value) replace what the table has; headers and query parameters merge name by
   * name. A field the table lacks is added from the preset. Undefined: every managed field.
   */
  passed?: ReadonlySet<string> | undefined;
  /** Also make it the active provider. */
  use?: boolean | undefined;
  /** Also set `model` (with use). */
  model?: string | undefined;
}

export interface AddProviderOutcome {
  /** 'added', 'replaced', or 'unchanged' (the same table is already there). */
  status: 'added' | 'replaced' | 'unchanged';
  /** For a replace: what changed, one line per field. */
  differences: string[];
}

/**
 * Add `[model_providers.<id>]` to a document (where a person would put it: after the last
 * provider table), and optionally select it. An existing table with other values is refused
 * unless `force`, and the refusal says what differs.
 */
export function addProvider(doc: TomlDocument, edit: AddProviderEdit): AddProviderOutcome {
  const path = ['model_providers', edit.id];
  const existing = doc.get(path);
  let status: AddProviderOutcome['status'] = 'added';
  let differences: string[] = [];
  if (existing !== undefined) {
    if (!isTable(existing)) {
      throw new UserError(`\`model_providers.${edit.id}\` in ${doc.file} is not a table.`, {
        hint: 'Fix the file by hand (codexgw validate shows where), then run the command again.',
      });
    }
    differences = providerDifferences(existing, edit.table);
    if (differences.length === 0) status = 'unchanged';
    else if (!edit.force) {
      throw new UserError(
        `Provider "${edit.id}" already exists in ${doc.file} with other values:\n${differences.map((d) => `    ${d}`).join('\n')}`,
        {
          hint: `To change single fields, run \`codexgw provider set ${edit.id} --base-url …\` (or --env-key, --header K=V, --name); --force replaces only the fields you pass (other fields and comments stay). Keep ids stable: Codex files sessions under them.`,
        },
      );
    } else {
      status = 'replaced';
      const table = edit.table as unknown as Record<string, unknown>;
      for (const field of managedFields(existing)) {
        const next = table[field];
        const given = !edit.passed || edit.passed.has(field) || field === 'wire_api';
        if (next === undefined) {
          if (given && !edit.passed && existing[field] !== undefined) doc.delete([...path, field]);
        } else if (existing[field] === undefined) {
          doc.set([...path, field], next);
        } else if (given && isTable(next) && isTable(existing[field]) && edit.passed) {
          for (const [k, v] of Object.entries(next)) {
            if (!sameValue(existing[field][k], v)) doc.set([...path, field, k], v);
          }
        } else if (given && !sameValue(existing[field], next)) {
          doc.set([...path, field], next);
        }
      }
      differences = providerDifferences(existing, (doc.get(path) ?? {}) as ProviderTable);
    }
  } else {
    doc.set(path, edit.table);
  }
  if (edit.use) {
    if (doc.get(['model_provider']) !== edit.id) doc.set(['model_provider'], edit.id);
    if (edit.model !== undefined && doc.get(['model']) !== edit.model) doc.set(['model'], edit.model);
  }
  return { status, differences };
}

/** Field-by-field differences between a table on disk and the one we would write. */
export function providerDifferences(existing: Record<string, unknown>, next: ProviderTable): string[] {
  const out: string[] = [];
  for (const field of managedFields(existing)) {
    const a = existing[field];
    const b = (next as unknown as Record<string, unknown>)[field];
    if (sameValue(a, b)) continue;
    out.push(
      `${field}: ${a === undefined ? '(unset)' : formatValue(a)} → ${b === undefined ? '(unset)' : formatValue(b)}`,
    );
  }
  return out;
}

/**
 * The fields a preset replaces in this table. A table whose key comes from an auth command
 * (codexgw key set) keeps it: Codex refuses env_key next to auth, and the key stays where it is.
 */
function managedFields(existing: Record<string, unknown>): readonly string[] {
  return existing.auth === undefined
    ? MANAGED_PROVIDER_FIELDS
    : MANAGED_PROVIDER_FIELDS.filter((f) => f !== 'env_key');
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (isTable(v)) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, normalize(v[k])]),
    );
  }
  return v;
}

/** What `provider set` changes; a field left undefined is not touched. */
export interface ProviderChanges {
  name?: string | undefined;
  base_url?: string | undefined;
  env_key?: string | undefined;
  /** Set (or replace) these entries of each sub-table. */
  http_headers?: Record<string, string> | undefined;
  env_http_headers?: Record<string, string> | undefined;
  query_params?: Record<string, string> | undefined;
  /** Remove these entries (the sub-table goes when it is left empty). */
  unset?: { http_headers?: string[]; env_http_headers?: string[]; query_params?: string[] } | undefined;
}

export const PROVIDER_SUBTABLES = ['http_headers', 'env_http_headers', 'query_params'] as const;

/**
 * Change the named fields of an existing `[model_providers.<id>]` (only those: every other byte of
 * the file stays). Returns one line per field changed, `field: old → new`; [] when nothing changes.
 */
export function setProviderFields(doc: TomlDocument, id: string, changes: ProviderChanges): string[] {
  const base = ['model_providers', id];
  const existing = doc.get(base);
  if (!isTable(existing)) {
    throw new UserError(`Provider "${id}" is not defined in ${doc.file}.`, {
      hint: 'Run `codexgw provider list` to see the providers and where each is defined.',
    });
  }
  const out: string[] = [];
  const show = (v: unknown) => (v === undefined ? '(unset)' : formatValue(v));
  for (const field of ['name', 'base_url', 'env_key'] as const) {
    const next = changes[field];
    if (next === undefined || sameValue(existing[field], next)) continue;
    out.push(`${field}: ${show(existing[field])} → ${show(next)}`);
    doc.set([...base, field], next);
  }
  for (const field of PROVIDER_SUBTABLES) {
    const now = existing[field];
    const added: Record<string, string> = {};
    for (const [k, v] of Object.entries(changes[field] ?? {})) {
      const old = isTable(now) ? now[k] : undefined;
      if (sameValue(old, v)) continue;
      out.push(`${field}.${k}: ${show(old)} → ${show(v)}`);
      if (isTable(now)) doc.set([...base, field, k], v);
      else added[k] = v;
    }
    // A new sub-table is written whole (the document puts it after the provider's table).
    if (Object.keys(added).length > 0) doc.set([...base, field], added);
    for (const k of changes.unset?.[field] ?? []) {
      const table = doc.get([...base, field]);
      if (!isTable(table) || table[k] === undefined) continue;
      out.push(`${field}.${k}: ${show(table[k])} → (unset)`);
      doc.delete([...base, field, k]);
      const left = doc.get([...base, field]);
      if (isTable(left) && Object.keys(left).length === 0) doc.delete([...base, field]);
    }
  }
  return out;
}
