import { isTable } from './overrides.ts';
import { parseKeyPath } from './toml-format.ts';

/** A config value as plain JSON: bigint → number (or string when too large), dates → strings. */
export function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (isTable(value)) {
    // No prototype: a key named `__proto__` stays a key (see emptyTable).
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}

/**
 * The segments of a key a user typed: TOML dotted-key syntax (`projects."/a/b.c".trust_level`),
 * or, when that does not parse (`projects./a/b.trust_level`), split on dots as Codex's -c does.
 */
export function parseUserKey(key: string): string[] {
  try {
    const path = parseKeyPath(key);
    if (path.length) return path;
  } catch {
    // not TOML key syntax: fall through
  }
  return key.split('.');
}

/** Every leaf of a table as [path, value], in document order; empty tables count as leaves. */
export function flatten(value: Record<string, unknown>, prefix: string[] = []): [string[], unknown][] {
  const out: [string[], unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    const here = [...prefix, k];
    if (isTable(v) && Object.keys(v).length > 0) out.push(...flatten(v, here));
    else out.push([here, v]);
  }
  return out;
}
