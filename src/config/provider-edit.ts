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
          hint: `Pass --force to replace those fields (other fields and comments stay), or choose another id with --id. Keep ids stable: Codex files sessions under them.`,
        },
      );
    } else {
      status = 'replaced';
      for (const field of managedFields(existing)) {
        const next = (edit.table as unknown as Record<string, unknown>)[field];
        if (next === undefined) {
          if (existing[field] !== undefined) doc.delete([...path, field]);
        } else if (!sameValue(existing[field], next)) {
          doc.set([...path, field], next);
        }
      }
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
