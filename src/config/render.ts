import { parse, stringify } from 'smol-toml';
import { isTable } from './overrides.ts';

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
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}

/** A value in TOML inline syntax (`"x"`, `3`, `["a", "b"]`, `{ a = 1 }`). */
export function inlineToml(value: unknown): string {
  const text = stringify({ v: value }).trim();
  if (text.startsWith('v = ')) return text.slice(4);
  // A table value stringifies as `[v]` sections: render it inline instead.
  if (isTable(value)) {
    const parts = Object.entries(value).map(([k, v]) => `${formatKey(k)} = ${inlineToml(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  return text;
}

/** A key segment, quoted only when bare-key syntax cannot hold it. */
export function formatKey(segment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
}

export function formatPath(path: readonly string[]): string {
  return path.map(formatKey).join('.');
}

/**
 * Split a dotted key as TOML reads it (`projects."/a/b.c".trust_level` → 3 segments); plain text
 * that is not valid TOML key syntax is split on dots.
 */
export function parseDottedKey(key: string): string[] {
  try {
    let node: unknown = parse(`${key} = 0`);
    const out: string[] = [];
    while (isTable(node)) {
      const keys = Object.keys(node);
      if (keys.length !== 1) break;
      out.push(keys[0]!);
      node = node[keys[0]!];
    }
    if (out.length) return out;
  } catch {
    // fall through
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

/** Read a value at a path, or undefined. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const seg of path) {
    if (!isTable(node)) return undefined;
    node = node[seg];
  }
  return node;
}
